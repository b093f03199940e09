//! The Runs page's server functions: recent runs (live ones as they are right now) and cancel.

#[cfg(feature = "ssr")]
use super::errors::{Refusal, refuse};
use leptos::prelude::*;
use model::Run;

/// Runs shown in the history.
pub const RECENT_RUNS: u32 = 30;

/// The most recent runs, newest first, with their companies; running ones from the runner's
/// live state, so the page is true even between two progress events.
#[server(input = server_fn::codec::GetUrl)]
pub async fn recent_runs() -> Result<Vec<Run>, ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    let live = state.runner.subscribe().borrow().clone();
    let mut runs = state
        .db
        .recent_runs(RECENT_RUNS)
        .await
        .map_err(|e| store_error("Loading runs", e))?;
    for run in &mut runs {
        if let Some(now) = live.runs.get(&run.id) {
            *run = Run::clone(now);
        }
    }
    Ok(runs)
}

/// Asks a running run to stop; what it committed stays.
#[server]
pub async fn cancel_run(id: i64) -> Result<(), ServerFnError> {
    let state = crate::state::AppState::current()?;
    if state.runner.cancel(id) {
        Ok(())
    } else {
        Err(refuse(
            Refusal::Conflict,
            format!("Run {id} is not running."),
        ))
    }
}

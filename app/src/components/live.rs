//! Live collection progress: one Server-Sent Events stream per tab (`/api/v1/runs/events`),
//! shared by the header indicator, the Runs page and the Jobs page's "N new jobs" notice.
//! The stream sends a snapshot first, then only what changed; the browser reconnects by itself
//! and the server resends a snapshot, so a dropped connection never leaves stale progress.

use leptos::prelude::*;
use model::{Run, RunStatus};
use std::collections::BTreeMap;

#[derive(Clone, Copy)]
pub struct LiveRuns {
    /// Runs by id, newest last: the recent history from the snapshot plus every update since.
    pub runs: RwSignal<BTreeMap<i64, Run>>,
    /// Whether the stream is open (false before hydration and while reconnecting).
    pub connected: RwSignal<bool>,
}

impl LiveRuns {
    pub fn provide() -> Self {
        let live = LiveRuns {
            runs: RwSignal::new(BTreeMap::new()),
            connected: RwSignal::new(false),
        };
        provide_context(live);
        // Effects run only in the browser: the server renders no progress.
        Effect::new(move |_| connect(live));
        live
    }

    pub fn get() -> Self {
        expect_context::<LiveRuns>()
    }

    pub fn running(&self) -> Vec<Run> {
        self.runs.with(|runs| {
            runs.values()
                .filter(|r| !r.status.is_finished())
                .cloned()
                .collect()
        })
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(serde::Deserialize)]
struct Message {
    runs: Vec<Run>,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// Applies a snapshot (replace everything) or an update (merge the runs and companies sent).
fn apply(live: LiveRuns, data: &str, snapshot: bool) {
    let Ok(message) = serde_json::from_str::<Message>(data) else {
        leptos::logging::warn!("run progress: an event could not be read");
        return;
    };
    live.runs.update(|runs| {
        if snapshot {
            runs.clear();
        }
        for update in message.runs {
            match runs.get_mut(&update.id) {
                Some(known) if !snapshot => known.merge(update),
                _ => {
                    runs.insert(update.id, update);
                }
            }
        }
    });
}

#[cfg(feature = "hydrate")]
fn connect(live: LiveRuns) {
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    let Ok(source) = web_sys::EventSource::new("/api/v1/runs/events") else {
        return;
    };
    let on = |name: &str, snapshot: bool| {
        let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                if let Some(data) = event.data().as_string() {
                    apply(live, &data, snapshot);
                }
            },
        );
        let _ = source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
        // The stream lives as long as the tab.
        handler.forget();
    };
    on("snapshot", true);
    on("runs", false);
    let open = Closure::<dyn FnMut()>::new(move || live.connected.set(true));
    source.set_onopen(Some(open.as_ref().unchecked_ref()));
    open.forget();
    let error = Closure::<dyn FnMut()>::new(move || live.connected.set(false));
    source.set_onerror(Some(error.as_ref().unchecked_ref()));
    error.forget();
}

#[cfg(not(feature = "hydrate"))]
fn connect(_live: LiveRuns) {}

/// Done / all companies of a run, how fast, and how long is left.
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub per_minute: Option<f64>,
    pub eta_secs: Option<i64>,
}

pub fn progress(run: &Run, now: i64) -> Progress {
    let total = run.items.len();
    let done = run.items.iter().filter(|i| i.status.is_finished()).count();
    let elapsed = (run.finished_at.unwrap_or(now) - run.started_at).max(1);
    let per_minute = (done > 0).then(|| done as f64 * 60.0 / elapsed as f64);
    let eta_secs = (done > 0 && done < total && run.status == RunStatus::Running)
        .then(|| ((total - done) as f64 * elapsed as f64 / done as f64).round() as i64);
    Progress {
        done,
        total,
        per_minute,
        eta_secs,
    }
}

/// The header's compact indicator: visible on every page while a run is collecting.
#[component]
pub fn RunIndicator() -> impl IntoView {
    let live = LiveRuns::get();
    view! {
        {move || {
            let running = live.running();
            (!running.is_empty()).then(|| {
                let (done, total) = running.iter().fold((0, 0), |(d, t), run| {
                    let p = progress(run, crate::format::now_secs());
                    (d + p.done, t + p.total)
                });
                view! {
                    <a
                        href="/runs"
                        class="flex shrink-0 items-center gap-2 rounded-md bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 dark:bg-sky-950 dark:text-sky-300"
                        data-testid="run-indicator"
                        title="Collection in progress: open Runs"
                    >
                        <span class="size-2 rounded-full bg-sky-500 motion-safe:animate-pulse" aria-hidden="true"></span>
                        <span class="tabular-nums">{format!("Collecting {done}/{total}")}</span>
                    </a>
                }
            })
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{RunCounts, RunItem, RunScope, RunTrigger};

    fn item(id: i64, status: RunStatus) -> RunItem {
        RunItem {
            status,
            ..RunItem::queued(id, Some(id), format!("Company {id}"))
        }
    }

    fn run(items: Vec<RunItem>) -> Run {
        Run {
            id: 1,
            scope: RunScope::All,
            trigger: RunTrigger::Ui,
            status: RunStatus::Running,
            started_at: 1_000,
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            items,
        }
    }

    #[test]
    fn progress_has_a_rate_and_an_eta_once_something_finished() {
        let r = run(vec![
            item(1, RunStatus::Succeeded),
            item(2, RunStatus::Failed),
            item(3, RunStatus::Running),
            item(4, RunStatus::Queued),
        ]);
        let p = progress(&r, 1_060);
        assert_eq!((p.done, p.total), (2, 4));
        assert_eq!(p.per_minute, Some(2.0));
        assert_eq!(p.eta_secs, Some(60));
        let fresh = progress(&run(vec![item(1, RunStatus::Queued)]), 1_010);
        assert_eq!((fresh.per_minute, fresh.eta_secs), (None, None));
    }
}

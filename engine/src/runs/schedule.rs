//! Scheduled collection: companies and saved searches with a schedule (off by default) are
//! collected again once their last run is that old. One check a minute; a company or search
//! already being collected is left to its run.

use super::Runner;
use crate::store::{Database, unix_now};
use model::RunTrigger;
use std::time::Duration;

/// How often the scheduler looks for due work.
pub const TICK: Duration = Duration::from_secs(60);

/// Starts what is due now; answers the runs started.
pub async fn tick(runner: &Runner, db: &Database) -> Vec<i64> {
    let now = unix_now();
    let mut started = Vec::new();
    match db.due_companies(now).await {
        Ok(ids) if !ids.is_empty() => {
            match runner.start_ids(Some(&ids), RunTrigger::Schedule).await {
                Ok(run) => started.push(run.id),
                Err(error) => tracing::info!(%error, "scheduled collection not started"),
            }
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "cannot read scheduled companies"),
    }
    match db.due_searches(now).await {
        Ok(ids) if !ids.is_empty() => match runner
            .start_searches(Some(&ids), RunTrigger::Schedule)
            .await
        {
            Ok(run) => started.push(run.id),
            Err(error) => tracing::info!(%error, "scheduled searches not started"),
        },
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "cannot read scheduled searches"),
    }
    started
}

/// Runs [`tick`] every `every` until the task is dropped (the server aborts it on shutdown).
pub fn spawn(runner: Runner, db: Database, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            tick(&runner, &db).await;
        }
    })
}

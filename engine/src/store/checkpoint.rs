//! WAL checkpoints off the writer's path. By default SQLite checkpoints inside the commit that
//! pushes the WAL past 1,000 pages: that commit copies every page back into the database and
//! waits for two fsyncs, so one collection batch in a few paid most of a second. Here the
//! writer never checkpoints; a connection of its own copies the WAL back in the background
//! (PASSIVE: it never blocks the writer or readers), whenever the WAL has grown.

use sqlx::SqlitePool;
use std::path::PathBuf;
use std::sync::Weak;
use std::time::Duration;

/// WAL size worth a checkpoint.
const THRESHOLD_BYTES: u64 = 4 << 20;
const TICK: Duration = Duration::from_millis(200);

/// Runs until every handle of the database is dropped (`alive` can no longer be upgraded) or
/// the pool is closed.
pub(super) fn spawn(pool: SqlitePool, wal: PathBuf, alive: Weak<()>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if alive.upgrade().is_none() || pool.is_closed() {
                break;
            }
            let grown = std::fs::metadata(&wal).is_ok_and(|m| m.len() >= THRESHOLD_BYTES);
            if !grown {
                continue;
            }
            if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::warn!(%error, "background WAL checkpoint failed");
            }
        }
        pool.close().await;
    });
}

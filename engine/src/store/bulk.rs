//! Bulk loading (`jobscout seed`): a million jobs in a couple of minutes instead of a quarter
//! of an hour. Maintaining fifteen secondary indexes and the full-text index row by row costs
//! far more than building them once at the end (a sort per index, one FTS pass with a large
//! in-memory hash), so a bulk load defers them.
//!
//! The deferred definitions are saved in the database in the same transaction that drops
//! them, so a load cut short (a crash, ^C) is finished when the database is next opened:
//! the schema can never stay without its indexes or its search triggers.

use super::{Database, StoreError};
use sqlx::{SqliteConnection, SqlitePool};

/// The table that remembers what a bulk load deferred; it exists only during one.
const DEFERRED: &str = "bulk_load_deferred";

/// FTS5 flushes its in-memory hash of new terms to a new segment whenever it outgrows this many
/// bytes, and merges segments as they pile up; the default (1 MiB) suits small transactions.
const DEFAULT_FTS_HASH: i64 = 1 << 20;
/// For the one-pass rebuild: a large hash writes few segments and so merges little. Bounded
/// memory: the hash lives only during the rebuild.
const REBUILD_FTS_HASH: i64 = 256 << 20;

impl Database {
    /// `on`: commits stop waiting for the disk, the writer checkpoints as it goes, and the
    /// secondary indexes of `jobs` and `job_texts` and the full-text triggers are dropped
    /// (their definitions kept). `off`: they are rebuilt, the search index is rebuilt from the
    /// stored jobs, and normal durability returns. The identity index stays throughout, so
    /// upserts during the load still find existing jobs. A crash loses nothing committed; a
    /// power cut during the load may lose its last transactions, which a load can run again.
    pub async fn bulk_load(&self, on: bool) -> Result<(), StoreError> {
        let mut conn = self.writer.acquire().await?;
        if on {
            defer(&mut conn).await?;
        } else {
            restore(&mut conn).await?;
        }
        // During a load the writer checkpoints itself every 80 MB: the background checkpointer
        // cannot keep up with a load and a WAL of gigabytes slows every page lookup. After
        // it, the WAL (gigabytes after the rebuild) is copied back and truncated.
        let (synchronous, checkpoint) = if on { ("OFF", 20_000) } else { ("NORMAL", 0) };
        sqlx::query(&format!("PRAGMA synchronous = {synchronous}"))
            .execute(&mut *conn)
            .await?;
        sqlx::query(&format!("PRAGMA wal_autocheckpoint = {checkpoint}"))
            .execute(&mut *conn)
            .await?;
        if !on {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Whether a bulk load is under way (its indexes deferred).
    pub async fn bulk_loading(&self) -> Result<bool, StoreError> {
        let mut conn = self.writer.acquire().await?;
        Ok(deferring(&mut conn).await?)
    }
}

async fn deferring(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(DEFERRED)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// Drops the deferrable indexes and triggers, saving their definitions, in one transaction.
async fn defer(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    if deferring(conn).await? {
        // Already deferred (a load cut short and not yet reopened): nothing more to drop.
        return Ok(());
    }
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let done = async {
        sqlx::query(&format!(
            "CREATE TABLE {DEFERRED} (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, \
             name TEXT NOT NULL, sql TEXT NOT NULL)"
        ))
        .execute(&mut *conn)
        .await?;
        // Indexes with SQL (not the UNIQUE constraint's automatic index) and the triggers
        // that feed the search index. Indexes first, so restoring recreates them before the
        // triggers exist and the rebuild does the search index once.
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT type, name, sql FROM sqlite_master \
             WHERE tbl_name IN ('jobs', 'job_texts') AND sql IS NOT NULL \
             AND (type = 'index' OR (type = 'trigger' AND sql LIKE '%jobs_fts%')) \
             ORDER BY type = 'trigger', name",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (kind, name, sql) in &rows {
            sqlx::query(&format!(
                "INSERT INTO {DEFERRED} (kind, name, sql) VALUES (?, ?, ?)"
            ))
            .bind(kind)
            .bind(name)
            .bind(sql)
            .execute(&mut *conn)
            .await?;
            let drop = if kind == "index" { "INDEX" } else { "TRIGGER" };
            sqlx::query(&format!("DROP {drop} \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *conn)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    }
    .await;
    finish_transaction(conn, done).await
}

/// Recreates what [`defer`] dropped and rebuilds the search index, in one transaction.
async fn restore(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    if !deferring(conn).await? {
        return Ok(());
    }
    // Outside the transaction: SQLite refuses to change temp_store inside one.
    let configured = Sorting::parallel(conn).await?;
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let done = async {
        let saved: Vec<(String,)> =
            sqlx::query_as(&format!("SELECT sql FROM {DEFERRED} ORDER BY seq"))
                .fetch_all(&mut *conn)
                .await?;
        for (sql,) in &saved {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        // The search index's rebuild writes one large segment: the full page cache again.
        configured.restore_cache(conn).await?;
        fts_hash(conn, REBUILD_FTS_HASH).await?;
        sqlx::query("INSERT INTO jobs_fts (jobs_fts) VALUES ('rebuild')")
            .execute(&mut *conn)
            .await?;
        fts_hash(conn, DEFAULT_FTS_HASH).await?;
        sqlx::query(&format!("DROP TABLE {DEFERRED}"))
            .execute(&mut *conn)
            .await?;
        Ok::<_, sqlx::Error>(())
    }
    .await;
    let finished = finish_transaction(conn, done).await;
    // The connection goes back to the pool as configured, whatever happened.
    let reset = configured.restore(conn).await;
    finished?;
    reset.map_err(Into::into)
}

/// The writer's sorter settings while the indexes are built. Each `CREATE INDEX` sorts every
/// row; SQLite's sorter hands sorted runs to helper threads only when it may spill them to a
/// temporary file (never under `temp_store = MEMORY`, Jobscout's default) and only once a run
/// outgrows the page cache. So for the index builds: files allowed, a small cache (runs of
/// 4 MiB), one helper thread per core: 27 s → 15 s for the fifteen indexes at 1,000,000 jobs,
/// the same CPU on two cores instead of one (docs/BENCHMARKS.md, "Seeding").
struct Sorting {
    cache_size: i64,
    temp_store: i64,
}

/// Page cache while the indexes are built, in KiB: the sorter's run size.
const SORT_CACHE_KIB: i64 = 4 * 1024;

impl Sorting {
    /// Switches to parallel sorting and returns the settings to go back to.
    async fn parallel(conn: &mut SqliteConnection) -> Result<Self, sqlx::Error> {
        let (cache_size,): (i64,) = sqlx::query_as("PRAGMA cache_size")
            .fetch_one(&mut *conn)
            .await?;
        let (temp_store,): (i64,) = sqlx::query_as("PRAGMA temp_store")
            .fetch_one(&mut *conn)
            .await?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        sqlx::raw_sql(&format!(
            "PRAGMA temp_store = FILE; PRAGMA cache_size = -{SORT_CACHE_KIB}; \
             PRAGMA threads = {threads};"
        ))
        .execute(&mut *conn)
        .await?;
        Ok(Self {
            cache_size,
            temp_store,
        })
    }

    async fn restore_cache(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        sqlx::query(&format!("PRAGMA cache_size = {}", self.cache_size))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn restore(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        self.restore_cache(conn).await?;
        sqlx::raw_sql(&format!(
            "PRAGMA temp_store = {}; PRAGMA threads = 0;",
            self.temp_store
        ))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

async fn fts_hash(conn: &mut SqliteConnection, bytes: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO jobs_fts (jobs_fts, rank) VALUES ('hashsize', ?)")
        .bind(bytes)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn finish_transaction(
    conn: &mut SqliteConnection,
    done: Result<(), sqlx::Error>,
) -> Result<(), StoreError> {
    match done {
        Ok(()) => {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
            Ok(())
        }
        Err(err) => {
            // The error that matters is the first one; a failed rollback adds nothing.
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(err.into())
        }
    }
}

/// Called when the database opens: finishes a bulk load that never restored its indexes.
pub(super) async fn finish_interrupted(writer: &SqlitePool) -> Result<(), StoreError> {
    let mut conn = writer.acquire().await?;
    if deferring(&mut conn).await? {
        tracing::warn!("a bulk load was interrupted: rebuilding its indexes and the search index");
        restore(&mut conn).await?;
    }
    Ok(())
}

use crate::config::DatabaseConfig;
use model::DatabaseInfo;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Storage failures. Opening errors are one line naming the file and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database.path: cannot create directory {dir}: {source}")]
    CreateDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("database.path: cannot open {path}: {source}")]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("database {path}: migrations failed: {source}")]
    Migrate {
        path: PathBuf,
        source: sqlx::migrate::MigrateError,
    },
    #[error(transparent)]
    Sql(sqlx::Error),
    /// SQLITE_FULL: the disk (or a size limit) has no room; the transaction was rolled back.
    #[error(
        "the disk holding the database is full: free some space and try again (nothing of \
         this change was saved)"
    )]
    DiskFull,
    /// SQLITE_READONLY: the file or its folder cannot be written.
    #[error(
        "the database cannot be written (read-only file, folder or disk): nothing can be \
         saved until it can"
    )]
    ReadOnly,
    /// A cursor this server did not issue, or one issued for another sort order.
    #[error("the cursor is not valid for this list; start again from the first page")]
    InvalidCursor,
    /// A request the data rules refuse; the message says which rule.
    #[error("{0}")]
    Invalid(String),
    /// An error shared by every caller waiting on one cached load.
    #[error(transparent)]
    Shared(std::sync::Arc<StoreError>),
    /// A stored value the schema should have made impossible.
    #[error("database holds an unexpected value: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    /// A full disk and a read-only database are the user's to fix, so they get their own
    /// message; every other SQL error is a failure to log.
    fn from(error: sqlx::Error) -> Self {
        let code = error
            .as_database_error()
            .and_then(|e| e.code())
            .and_then(|code| code.parse::<i32>().ok());
        // Extended result codes carry the primary code in their low byte.
        match code.map(|c| c & 0xff) {
            Some(13) => StoreError::DiskFull,
            Some(8) => StoreError::ReadOnly,
            _ => StoreError::Sql(error),
        }
    }
}

impl StoreError {
    /// The error itself, through any sharing by the caches.
    pub fn root(&self) -> &StoreError {
        match self {
            StoreError::Shared(inner) => inner.root(),
            other => other,
        }
    }
}

/// The two pools every part of Jobscout shares. SQLite allows one writer at a time and its lock
/// is not fair, so all writes queue on one connection (`BEGIN IMMEDIATE`) instead of racing for
/// the lock and failing with SQLITE_BUSY; reads run concurrently on their own pool under WAL.
#[derive(Clone)]
pub struct Database {
    reader: SqlitePool,
    pub(super) writer: SqlitePool,
    path: PathBuf,
    /// Expansions of words being typed into indexed terms (see `store::jobs`).
    pub(super) prefixes: moka::sync::Cache<String, std::sync::Arc<Vec<String>>>,
    /// Jobs holding each search phrase, for ranking (`Database::phrase_counts`).
    pub(super) phrase_hits: moka::sync::Cache<String, i64>,
    /// The background checkpointer's connection (see `store::checkpoint`).
    checkpointer: SqlitePool,
    /// Held by every clone: the background checkpointer stops when the last one is dropped.
    _alive: std::sync::Arc<()>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Creates the file (and its directory) if needed, applies pending migrations on the writer
    /// before any reader opens, and sets the pragmas from the configuration on every connection.
    pub async fn open(config: &DatabaseConfig) -> Result<Self, StoreError> {
        let path = config.path.clone();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                dir: dir.to_path_buf(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_millis(config.busy_timeout_ms))
            .pragma("cache_size", format!("-{}", config.cache_size_kib))
            .pragma("temp_store", config.temp_store.as_pragma())
            .pragma(
                "mmap_size",
                (u64::from(config.mmap_size_mib) * 1024 * 1024).to_string(),
            )
            .optimize_on_close(true, None);

        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        // The writer never checkpoints inside a commit; `checkpoint` does it beside it.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(
                options
                    .clone()
                    .pragma("cache_size", format!("-{}", config.writer_cache_size_kib))
                    .pragma("wal_autocheckpoint", "0"),
            )
            .await
            .map_err(open_err)?;
        // A bulk load cut short left its indexes deferred: put them back before anything else.
        super::bulk::finish_interrupted(&writer).await?;
        MIGRATOR
            .run(&writer)
            .await
            .map_err(|source| StoreError::Migrate {
                path: path.clone(),
                source,
            })?;
        let reader = SqlitePoolOptions::new()
            .max_connections(config.reader_connections)
            .after_connect(|conn, _| Box::pin(super::rank::install(conn)))
            .connect_with(options.clone().read_only(true))
            .await
            .map_err(open_err)?;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.pragma("wal_autocheckpoint", "0"))
            .await
            .map_err(open_err)?;
        let alive = std::sync::Arc::new(());
        let mut wal = path.clone().into_os_string();
        wal.push("-wal");
        super::checkpoint::spawn(
            checkpointer.clone(),
            wal.into(),
            std::sync::Arc::downgrade(&alive),
        );
        Ok(Self {
            checkpointer,
            _alive: alive,
            reader,
            writer,
            path,
            // New terms appear as jobs arrive; an expansion a few minutes old only misses
            // words first seen in those minutes.
            prefixes: moka::sync::Cache::builder()
                .max_capacity(4_096)
                .time_to_live(Duration::from_secs(300))
                .build(),
            // Counts drift by the few jobs of a run against the many that hold a searched
            // word; ranks a few minutes stale in that way are indistinguishable.
            phrase_hits: moka::sync::Cache::builder()
                .max_capacity(16_384)
                .time_to_live(Duration::from_secs(300))
                .build(),
        })
    }

    /// The pool for queries that only read.
    pub fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    /// Starts a write transaction on the single writer connection. `BEGIN IMMEDIATE` takes the
    /// write lock up front, so a transaction never fails half-way on lock upgrade.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Cheap liveness probe used by `/health`: both pools answer a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        sqlx::query("SELECT 1").execute(&self.writer).await?;
        Ok(())
    }

    pub async fn stats(&self) -> Result<DatabaseInfo, StoreError> {
        let (page_size,): (i64,) = sqlx::query_as("PRAGMA page_size")
            .fetch_one(&self.reader)
            .await?;
        let (page_count,): (i64,) = sqlx::query_as("PRAGMA page_count")
            .fetch_one(&self.reader)
            .await?;
        let (schema_version,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.reader)
                .await?;
        let (sqlite_version,): (String,) = sqlx::query_as("SELECT sqlite_version()")
            .fetch_one(&self.reader)
            .await?;
        let file_len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        Ok(DatabaseInfo {
            path: self.path.display().to_string(),
            size_bytes: file_len(&self.path),
            wal_bytes: file_len(Path::new(&wal)),
            page_size,
            page_count,
            schema_version,
            sqlite_version,
        })
    }

    /// Reads one value of the installation's key/value state.
    pub async fn state_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM app_state WHERE key = ?1")
                .bind(key)
                .fetch_optional(&self.reader)
                .await?,
        )
    }

    /// Sets one value of the installation's key/value state.
    pub async fn state_set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO app_state (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a consistent copy of the whole database to `to` (`VACUUM INTO`, in one read
    /// transaction on a reader: collection and the user's writes go on meanwhile, and the copy
    /// is the database as of one instant, compacted, without a WAL). Refuses to overwrite a
    /// file. Answers the copy's size in bytes.
    pub async fn backup(&self, to: &Path) -> Result<u64, StoreError> {
        if to.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists: choose a new file (a backup never overwrites)",
                to.display()
            )));
        }
        let target = to
            .to_str()
            .ok_or_else(|| StoreError::Invalid(format!("{}: not a UTF-8 path", to.display())))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.reader)
            .await?;
        Ok(std::fs::metadata(to).map(|m| m.len()).unwrap_or(0))
    }

    /// Closes every connection, letting SQLite run `PRAGMA optimize` and checkpoint the WAL.
    pub async fn close(&self) {
        // The checkpointer first: the last connection to close checkpoints and removes the WAL.
        self.checkpointer.close().await;
        self.reader.close().await;
        self.writer.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_disk_fails_the_batch_whole_with_a_clear_error_and_no_damage() {
        use crate::store::UpsertBatch;
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&config_in(dir.path())).await.unwrap();
        let jobs = |from: usize, n: usize| -> Vec<model::NewJob> {
            (from..from + n)
                .map(|i| model::NewJob {
                    source: "greenhouse".into(),
                    source_id: Some(i.to_string()),
                    url: format!("https://boards.greenhouse.io/acme/jobs/{i}"),
                    apply_url: None,
                    title: format!("Engineer {i}"),
                    company: "Acme".into(),
                    location: None,
                    remote: None,
                    employment_type: None,
                    department: None,
                    salary: None,
                    posted_at: None,
                    description_html: String::new(),
                    description_text: "long enough to need pages ".repeat(200),
                })
                .collect()
        };
        let batch = |jobs: &[model::NewJob]| {
            let jobs = jobs.to_vec();
            let db = db.clone();
            async move {
                db.upsert_jobs(UpsertBatch {
                    company_id: None,
                    jobs: &jobs,
                    complete: false,
                    now: 1_790_000_000,
                })
                .await
            }
        };
        batch(&jobs(0, 10)).await.unwrap();
        // SQLite's size cap on the one writer connection stands in for a full disk: the same
        // SQLITE_FULL, at the same place in a transaction.
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&db.writer)
            .await
            .unwrap();
        sqlx::query(&format!("PRAGMA max_page_count = {}", pages + 4))
            .execute(&db.writer)
            .await
            .unwrap();
        let error = batch(&jobs(10, 300)).await.unwrap_err();
        assert!(matches!(error, StoreError::DiskFull), "{error}");
        assert!(
            error
                .to_string()
                .contains("disk holding the database is full")
        );
        let count = |db: Database| async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM jobs")
                .fetch_one(db.reader())
                .await
                .unwrap()
        };
        assert_eq!(count(db.clone()).await, 10, "nothing of the failed batch");
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(db.reader())
            .await
            .unwrap();
        assert_eq!(check, "ok");
        sqlx::query("INSERT INTO jobs_fts(jobs_fts) VALUES ('integrity-check')")
            .execute(&db.writer)
            .await
            .unwrap();
        // Room again: the same batch goes in whole.
        sqlx::query("PRAGMA max_page_count = 4294967294")
            .execute(&db.writer)
            .await
            .unwrap();
        batch(&jobs(10, 300)).await.unwrap();
        assert_eq!(count(db.clone()).await, 310);
        db.close().await;
    }

    #[tokio::test]
    async fn a_read_only_database_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&config_in(dir.path())).await.unwrap();
        // As if the file had become read-only under the running server.
        sqlx::query("PRAGMA query_only = ON")
            .execute(&db.writer)
            .await
            .unwrap();
        let error = db
            .change_jobs(&[1], &crate::store::JobChange::Starred(true), 1)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::ReadOnly), "{error}");
        assert!(error.to_string().contains("cannot be written"), "{error}");
        db.close().await;
    }

    fn config_in(dir: &Path) -> DatabaseConfig {
        DatabaseConfig {
            path: dir.join("nested/dir/jobscout.db"),
            ..DatabaseConfig::default()
        }
    }

    #[tokio::test]
    async fn creates_file_and_directory_with_wal_and_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&config_in(dir.path())).await.unwrap();
        assert!(dir.path().join("nested/dir/jobscout.db").exists());
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(db.reader())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(db.reader())
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let stats = db.stats().await.unwrap();
        assert!(stats.schema_version >= 1);
        db.ping().await.unwrap();
    }

    #[tokio::test]
    async fn reader_pool_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&config_in(dir.path())).await.unwrap();
        let err = sqlx::query("INSERT INTO app_state (key, value) VALUES ('a', 'b')")
            .execute(db.reader())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("readonly"), "{err}");
    }

    #[tokio::test]
    async fn state_round_trips_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let config = config_in(dir.path());
        let db = Database::open(&config).await.unwrap();
        assert_eq!(db.state_get("last_visit").await.unwrap(), None);
        db.state_set("last_visit", "2026-11-28T10:00:00Z")
            .await
            .unwrap();
        db.state_set("last_visit", "2026-11-28T11:00:00Z")
            .await
            .unwrap();
        db.close().await;
        let db = Database::open(&config).await.unwrap();
        assert_eq!(
            db.state_get("last_visit").await.unwrap().as_deref(),
            Some("2026-11-28T11:00:00Z")
        );
    }

    #[tokio::test]
    async fn unwritable_path_is_a_one_line_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, b"not a directory").unwrap();
        let config = DatabaseConfig {
            path: blocker.join("jobscout.db"),
            ..DatabaseConfig::default()
        };
        let err = Database::open(&config).await.unwrap_err().to_string();
        assert!(
            err.starts_with("database.path: cannot create directory"),
            "{err}"
        );
        assert!(!err.contains('\n'));
    }
}

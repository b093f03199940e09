//! Storage: the SQLite database behind a reader pool and a single-connection writer pool, the
//! job list and search, collection upserts, the user's changes, and the caches in front.
//!
//! Everything above this module talks to [`Store`], so a second backend (PostgreSQL, for teams
//! that outgrow one machine) implements that trait without touching sources, runs or the UI.

mod bulk;
mod cache;
mod checkpoint;
mod companies;
mod counts;
mod cursor;
mod db;
mod export;
pub mod fts;
pub mod heap;
mod import;
mod insights;
mod jobs;
mod llm;
mod rank;
mod runs;
mod searches;
pub use jobs::SEARCH_CANDIDATES;
pub mod normalize;
mod upsert;
mod user;
mod weigh;

pub use cache::CachedStore;
pub use companies::{CompanyRow, CompanyStats, NewCompany};
pub use counts::{IdSet, StageMove, Tally};
pub use cursor::Cursor;
pub use db::{Database, StoreError};
pub use export::ExportFormat;
pub use insights::{INSIGHT_DAYS, LlmPricing};
pub use llm::LlmCall;
pub use runs::ItemOutcome;
pub use searches::BoardResult;
pub use upsert::{UpsertBatch, UpsertCounts};
pub use user::{JobChange, MAX_BULK, MAX_NOTES_CHARS};

use model::{Job, JobCounts, JobFilter, JobSummary, Page};
use std::future::Future;

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The job operations every backend provides.
pub trait Store: Send + Sync + 'static {
    fn list_jobs(
        &self,
        filter: &JobFilter,
        cursor: Option<&str>,
        limit: u32,
        now: i64,
    ) -> impl Future<Output = Result<Page<JobSummary>, StoreError>> + Send;

    fn job_counts(
        &self,
        filter: &JobFilter,
        now: i64,
    ) -> impl Future<Output = Result<JobCounts, StoreError>> + Send;

    /// The filter's counts at a point of the stage history, for [`StageMove`]s to be laid over.
    fn count_tally(
        &self,
        filter: &JobFilter,
        now: i64,
    ) -> impl Future<Output = Result<Tally, StoreError>> + Send;

    /// The jobs the filter holds that changed stage after `history_id` (`None`: too many).
    fn stage_moves(
        &self,
        filter: &JobFilter,
        history_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<Option<Vec<StageMove>>, StoreError>> + Send;

    fn job(&self, id: i64) -> impl Future<Output = Result<Option<Job>, StoreError>> + Send;

    fn upsert_jobs(
        &self,
        batch: UpsertBatch<'_>,
    ) -> impl Future<Output = Result<UpsertCounts, StoreError>> + Send;

    fn change_jobs(
        &self,
        ids: &[i64],
        change: &JobChange,
        now: i64,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

impl Store for Database {
    async fn list_jobs(
        &self,
        filter: &JobFilter,
        cursor: Option<&str>,
        limit: u32,
        now: i64,
    ) -> Result<Page<JobSummary>, StoreError> {
        Database::list_jobs(self, filter, cursor, limit, now).await
    }

    async fn job_counts(&self, filter: &JobFilter, now: i64) -> Result<JobCounts, StoreError> {
        Database::job_counts(self, filter, now).await
    }

    async fn count_tally(&self, filter: &JobFilter, now: i64) -> Result<Tally, StoreError> {
        Database::count_tally(self, filter, now).await
    }

    async fn stage_moves(
        &self,
        filter: &JobFilter,
        history_id: i64,
        now: i64,
    ) -> Result<Option<Vec<StageMove>>, StoreError> {
        Database::stage_moves(self, filter, history_id, now).await
    }

    async fn job(&self, id: i64) -> Result<Option<Job>, StoreError> {
        Database::job(self, id).await
    }

    async fn upsert_jobs(&self, batch: UpsertBatch<'_>) -> Result<UpsertCounts, StoreError> {
        Database::upsert_jobs(self, batch).await
    }

    async fn change_jobs(
        &self,
        ids: &[i64],
        change: &JobChange,
        now: i64,
    ) -> Result<u64, StoreError> {
        Database::change_jobs(self, ids, change, now).await
    }
}

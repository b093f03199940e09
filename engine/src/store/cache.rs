//! The caches in front of the store (moka): job list and search pages, counts, job details.
//!
//! Invalidation is by generation: a write through [`CachedStore`] bumps counters that are part
//! of the keys it could make stale, after the write commits. A reader that starts after the
//! user's change therefore never sees an entry from before it, without scanning or locking the
//! caches; the stale entries age out by TTL and size. Loads are single-flight: concurrent
//! misses on one key run one query.
//!
//! Which counters a write bumps follows what it can change, so that the user's own clicks,
//! the most frequent writes, do not send every reader to the database:
//! - collection, archiving and anything else ([`CachedStore::invalidate`]): everything;
//! - a stage or a star: lists filtered by stage or star, counts (by a star only those of a
//!   filter by star), and that job's details. Other lists keep their pages: the job's new
//!   stage or star is noted ("marks") and laid over the rows of every page read from the cache
//!   until the next full invalidation, since neither decides which jobs such a list holds or
//!   their order. Counts after a stage change are not read afresh either: the expensive part,
//!   a [`Tally`] of every job the filter holds, is kept until the next full invalidation, and
//!   the jobs moved since it are read from the stage history and laid over it;
//! - notes: that job's details only (no list or count shows them).

use super::weigh::{self, Heap};
use super::{JobChange, Store, StoreError, Tally, UpsertBatch, UpsertCounts};
use crate::config::CacheConfig;
use model::Stage;
use model::{CacheInfo, Job, JobCounts, JobFilter, JobQuery, JobSummary, Page};
use moka::future::Cache;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// (generation, second generation or 0, what was asked).
type Key = (u64, u64, String);

/// A job's stage or star as the user last set them, for pages cached before, and how often
/// the user changed it (part of its details' key).
#[derive(Debug, Clone, Copy, Default)]
struct Mark {
    stage: Option<Stage>,
    starred: Option<bool>,
    changes: u64,
}

/// Beyond this many marked jobs, a stage or star change invalidates everything instead (and
/// the marks start again): patching pages stays cheap.
const MAX_MARKS: usize = 10_000;

struct Counted<V> {
    name: &'static str,
    cache: Cache<Key, Arc<V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<V: Heap + Send + Sync + 'static> Counted<V> {
    fn new(name: &'static str, ttl_secs: u64, max_bytes: u64) -> Self {
        Self {
            name,
            cache: Cache::builder()
                .name(name)
                .max_capacity(max_bytes)
                .weigher(|key: &Key, value: &Arc<V>| weigh::entry(&key.2, &**value))
                .time_to_live(Duration::from_secs(ttl_secs.max(1)))
                .build(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    async fn get_or_load<F>(&self, key: Key, load: F) -> Result<Arc<V>, StoreError>
    where
        F: Future<Output = Result<V, StoreError>>,
    {
        // On the heap: a load nests the store's query futures (and, for counts, a second cache
        // lookup), and held inline they make every caller's future, and an unoptimized build's
        // stack frames, hundreds of kilobytes deep.
        let load = Box::pin(load);
        let loaded = AtomicBool::new(false);
        let result = self
            .cache
            .try_get_with(key, async {
                loaded.store(true, Ordering::Relaxed);
                load.await.map(Arc::new)
            })
            .await;
        let outcome = if loaded.load(Ordering::Relaxed) {
            self.misses.fetch_add(1, Ordering::Relaxed);
            "miss"
        } else {
            self.hits.fetch_add(1, Ordering::Relaxed);
            "hit"
        };
        metrics::counter!("jobscout_cache_requests_total", "cache" => self.name, "result" => outcome)
            .increment(1);
        result.map_err(|shared| match Arc::try_unwrap(shared) {
            Ok(error) => error,
            Err(shared) => StoreError::Shared(shared),
        })
    }

    fn stats(&self) -> CacheInfo {
        CacheInfo {
            name: self.name.to_owned(),
            entries: self.cache.entry_count(),
            weighted_bytes: self.cache.weighted_size(),
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

/// A [`Store`] with caches in front of its reads.
pub struct CachedStore<S> {
    inner: S,
    /// Bumped by writes that can change which jobs a list holds: everything is stale.
    generation: AtomicU64,
    /// Bumped by stage and star changes: lists filtered by them are stale, and counts of a
    /// filter by star.
    user_generation: AtomicU64,
    /// Bumped by stage changes: every count is stale.
    stage_generation: AtomicU64,
    /// The user's changes since the last bump of `generation`, by job id. Written under the
    /// lock together with that bump, so a mark is never lost to a page built before it.
    marks: RwLock<HashMap<i64, Mark>>,
    /// The user's changes one at a time (the database's writer takes them one at a time
    /// anyway): a job's mark is always its last committed value.
    user_writes: tokio::sync::Mutex<()>,
    pages: Counted<Page<JobSummary>>,
    counts: Counted<JobCounts>,
    /// Kept across stage changes; the counts above are these with the moves since laid over.
    tallies: Counted<Tally>,
    jobs: Counted<Job>,
}

impl<S: Store> CachedStore<S> {
    pub fn new(inner: S, config: &CacheConfig) -> Self {
        let budget = config.max_mib * 1024 * 1024;
        Self {
            inner,
            generation: AtomicU64::new(0),
            user_generation: AtomicU64::new(0),
            stage_generation: AtomicU64::new(0),
            marks: RwLock::new(HashMap::new()),
            user_writes: tokio::sync::Mutex::new(()),
            pages: Counted::new(
                "job_pages",
                config.jobs_ttl_secs,
                // The last tenth of the budget is the server's, for rendered pages.
                budget / 10 * 4,
            ),
            counts: Counted::new("job_counts", config.dashboard_ttl_secs, budget / 10),
            tallies: Counted::new("count_tallies", config.dashboard_ttl_secs, budget / 10),
            jobs: Counted::new("jobs", config.jobs_ttl_secs, budget / 10 * 3),
        }
    }

    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// `second`: the generation that also decides the entry, if any (else none).
    fn key(&self, text: String, second: Option<&AtomicU64>) -> Key {
        (
            self.generation.load(Ordering::Acquire),
            second.map_or(0, |g| g.load(Ordering::Acquire)),
            text,
        )
    }

    /// The current generations: whatever was built from the store's lists and counts under
    /// older ones may be out of date (the server keeps rendered pages and answers by them).
    pub fn generation(&self) -> (u64, u64) {
        (
            self.generation.load(Ordering::Acquire),
            self.user_generation.load(Ordering::Acquire),
        )
    }

    /// Forgets everything cached; called after collection and every write other than a
    /// stage, star or note (and by writers outside this type, such as a collection run
    /// writing through the inner store).
    pub fn invalidate(&self) {
        let mut marks = self.marks.write().expect("marks");
        self.generation.fetch_add(1, Ordering::AcqRel);
        marks.clear();
    }

    /// Notes the user's change of `ids`: their new stage or star for the pages kept from
    /// before, and a new key for their details.
    fn mark(&self, ids: &[i64], set: impl Fn(&mut Mark)) {
        let mut marks = self.marks.write().expect("marks");
        if marks.len() + ids.len() > MAX_MARKS {
            self.generation.fetch_add(1, Ordering::AcqRel);
            marks.clear();
        }
        for id in ids {
            let mark = marks.entry(*id).or_default();
            set(mark);
            mark.changes += 1;
        }
    }

    /// The key of a job's details: the generation and the user's changes to that job.
    fn detail_key(&self, id: i64) -> Key {
        let marks = self.marks.read().expect("marks");
        (
            self.generation.load(Ordering::Acquire),
            marks.get(&id).map_or(0, |m| m.changes),
            id.to_string(),
        )
    }

    /// `page` with the marks laid over its rows (the same `Arc` when none applies).
    fn marked(&self, page: Arc<Page<JobSummary>>) -> Arc<Page<JobSummary>> {
        let marks = self.marks.read().expect("marks");
        if marks.is_empty() || !page.items.iter().any(|j| marks.contains_key(&j.id)) {
            return page;
        }
        let mut page = Page::clone(&page);
        for job in &mut page.items {
            if let Some(mark) = marks.get(&job.id) {
                job.stage = mark.stage.unwrap_or(job.stage);
                job.starred = mark.starred.unwrap_or(job.starred);
            }
        }
        Arc::new(page)
    }

    /// A page of the list, from the cache when `fresh` is false.
    pub async fn list_jobs(
        &self,
        filter: &JobFilter,
        cursor: Option<&str>,
        limit: u32,
        now: i64,
        fresh: bool,
    ) -> Result<Arc<Page<JobSummary>>, StoreError> {
        if fresh {
            return Ok(Arc::new(
                self.inner.list_jobs(filter, cursor, limit, now).await?,
            ));
        }
        let query = JobQuery {
            filter: filter.clone(),
            cursor: cursor.map(str::to_owned),
            limit: Some(limit),
        };
        // Which jobs a list filtered by stage or star holds changes with them; any other
        // list only shows them, and gets the marks.
        let by_user_state = filter.stage.is_some() || filter.starred.is_some();
        let second = by_user_state.then_some(&self.user_generation);
        let page = self
            .pages
            .get_or_load(
                self.key(query.to_query_string(), second),
                self.inner.list_jobs(filter, cursor, limit, now),
            )
            .await?;
        Ok(if by_user_state {
            page
        } else {
            self.marked(page)
        })
    }

    pub async fn job_counts(
        &self,
        filter: &JobFilter,
        now: i64,
        fresh: bool,
    ) -> Result<Arc<JobCounts>, StoreError> {
        if fresh {
            return Ok(Arc::new(self.inner.job_counts(filter, now).await?));
        }
        let text = JobQuery {
            filter: filter.clone(),
            ..JobQuery::default()
        }
        .to_query_string();
        // Counts are per stage: a star changes only those of a filter by star, which are
        // counted afresh after one (their tally is keyed by stars and stages too).
        let starred = filter.starred.is_some();
        let second = if starred {
            &self.user_generation
        } else {
            &self.stage_generation
        };
        let key = self.key(text.clone(), Some(second));
        let tally_key = self.key(text, starred.then_some(&self.user_generation));
        self.counts
            .get_or_load(key, async {
                let tally = self
                    .tallies
                    .get_or_load(tally_key.clone(), self.inner.count_tally(filter, now))
                    .await?;
                match self
                    .inner
                    .stage_moves(filter, tally.history_id, now)
                    .await?
                {
                    Some(moves) => Ok(tally.counts(filter, &moves)),
                    None => {
                        // So many moves that a new tally is cheaper, for later readers too. It
                        // is read after this key was taken, so it holds every change before.
                        self.tallies.cache.invalidate(&tally_key).await;
                        let tally = self
                            .tallies
                            .get_or_load(tally_key, self.inner.count_tally(filter, now))
                            .await?;
                        Ok(tally.counts(filter, &[]))
                    }
                }
            })
            .await
    }

    pub async fn job(&self, id: i64, fresh: bool) -> Result<Option<Arc<Job>>, StoreError> {
        if fresh {
            return Ok(self.inner.job(id).await?.map(Arc::new));
        }
        // A missing job is not cached: it may appear with the next run.
        let key = self.detail_key(id);
        if let Some(job) = self.jobs.cache.get(&key).await {
            self.jobs.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Some(job));
        }
        match self.inner.job(id).await? {
            None => Ok(None),
            Some(job) => {
                let job = Arc::new(job);
                self.jobs.misses.fetch_add(1, Ordering::Relaxed);
                self.jobs.cache.insert(key, job.clone()).await;
                Ok(Some(job))
            }
        }
    }

    pub async fn upsert_jobs(&self, batch: UpsertBatch<'_>) -> Result<UpsertCounts, StoreError> {
        let result = self.inner.upsert_jobs(batch).await;
        self.invalidate();
        result
    }

    pub async fn change_jobs(
        &self,
        ids: &[i64],
        change: &JobChange,
        now: i64,
    ) -> Result<u64, StoreError> {
        let _one_at_a_time = self.user_writes.lock().await;
        let result = self.inner.change_jobs(ids, change, now).await;
        match (change, &result) {
            (JobChange::Stage(stage), Ok(_)) => {
                self.mark(ids, |m| m.stage = Some(*stage));
                self.stage_generation.fetch_add(1, Ordering::AcqRel);
                self.user_generation.fetch_add(1, Ordering::AcqRel);
            }
            (JobChange::Starred(starred), Ok(_)) => {
                self.mark(ids, |m| m.starred = Some(*starred));
                self.user_generation.fetch_add(1, Ordering::AcqRel);
            }
            (JobChange::Notes(_), Ok(_)) => self.mark(ids, |_| {}),
            // Archiving changes which jobs lists hold; a failed change may have done
            // anything the database let through: start afresh either way.
            _ => self.invalidate(),
        }
        result
    }

    pub fn stats(&self) -> Vec<CacheInfo> {
        vec![
            self.pages.stats(),
            self.counts.stats(),
            self.jobs.stats(),
            self.tallies.stats(),
        ]
    }
}

//! The caches in front of the store (moka): job list and search pages, counts, job details.
//!
//! Invalidation is by generation: every write through [`CachedStore`] bumps a counter that is
//! part of every key, after the write commits. A reader that starts after the user's change
//! therefore never sees an entry from before it, without scanning or locking the caches; the
//! stale entries age out by TTL and size. Loads are single-flight: concurrent misses on one key
//! run one query.

use super::{JobChange, Store, StoreError, UpsertBatch, UpsertCounts};
use crate::config::CacheConfig;
use model::{CacheInfo, Job, JobCounts, JobFilter, JobQuery, JobSummary, Page};
use moka::future::Cache;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

type Key = (u64, String);

struct Counted<V> {
    name: &'static str,
    cache: Cache<Key, Arc<V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<V: Send + Sync + 'static> Counted<V> {
    fn new(name: &'static str, ttl_secs: u64, max_bytes: u64, weigh: fn(&V) -> u32) -> Self {
        Self {
            name,
            cache: Cache::builder()
                .name(name)
                .max_capacity(max_bytes)
                .weigher(move |_key: &Key, value: &Arc<V>| weigh(value))
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

fn weigh_page(page: &Page<JobSummary>) -> u32 {
    let text: usize = page
        .items
        .iter()
        .map(|j| {
            256 + j.title.len()
                + j.company.len()
                + j.url.len()
                + j.location.as_ref().map_or(0, String::len)
                + j.highlight
                    .as_ref()
                    .map_or(0, |h| h.title.len() + h.snippet.len())
        })
        .sum();
    u32::try_from(text + 64).unwrap_or(u32::MAX)
}

fn weigh_job(job: &Job) -> u32 {
    u32::try_from(512 + job.description_html.len() + job.description_text.len() + job.notes.len())
        .unwrap_or(u32::MAX)
}

fn weigh_counts(counts: &JobCounts) -> u32 {
    u32::try_from(
        128 + counts
            .companies
            .iter()
            .map(|c| 48 + c.1.len())
            .sum::<usize>(),
    )
    .unwrap_or(u32::MAX)
}

/// A [`Store`] with caches in front of its reads.
pub struct CachedStore<S> {
    inner: S,
    generation: AtomicU64,
    pages: Counted<Page<JobSummary>>,
    counts: Counted<JobCounts>,
    jobs: Counted<Job>,
}

impl<S: Store> CachedStore<S> {
    pub fn new(inner: S, config: &CacheConfig) -> Self {
        let budget = config.max_mib * 1024 * 1024;
        Self {
            inner,
            generation: AtomicU64::new(0),
            pages: Counted::new(
                "job_pages",
                config.jobs_ttl_secs,
                // The last tenth of the budget is the server's, for rendered pages.
                budget / 10 * 5,
                weigh_page,
            ),
            counts: Counted::new(
                "job_counts",
                config.dashboard_ttl_secs,
                budget / 10,
                weigh_counts,
            ),
            jobs: Counted::new("jobs", config.jobs_ttl_secs, budget / 10 * 3, weigh_job),
        }
    }

    pub fn inner(&self) -> &S {
        &self.inner
    }

    fn key(&self, text: String) -> Key {
        (self.generation.load(Ordering::Acquire), text)
    }

    /// The current generation: whatever was built from the store's data under an older one
    /// may be out of date (the server keeps rendered pages by it).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Forgets everything cached; called after every write (and by writers outside this type,
    /// such as a collection run writing through the inner store).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
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
        self.pages
            .get_or_load(
                self.key(query.to_query_string()),
                self.inner.list_jobs(filter, cursor, limit, now),
            )
            .await
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
        let query = JobQuery {
            filter: filter.clone(),
            ..JobQuery::default()
        };
        self.counts
            .get_or_load(
                self.key(query.to_query_string()),
                self.inner.job_counts(filter, now),
            )
            .await
    }

    pub async fn job(&self, id: i64, fresh: bool) -> Result<Option<Arc<Job>>, StoreError> {
        if fresh {
            return Ok(self.inner.job(id).await?.map(Arc::new));
        }
        // A missing job is not cached: it may appear with the next run.
        let key = self.key(id.to_string());
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
        let result = self.inner.change_jobs(ids, change, now).await;
        self.invalidate();
        result
    }

    pub fn stats(&self) -> Vec<CacheInfo> {
        vec![self.pages.stats(), self.counts.stats(), self.jobs.stats()]
    }
}

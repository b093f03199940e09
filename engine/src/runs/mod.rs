//! Collection runs: background tokio tasks that collect companies concurrently (at most
//! `collection.concurrency` across all runs), politely per host (the shared HTTP client spaces
//! and retries requests), each company saved in its own transaction with its health, progress
//! published to every subscriber and persisted. Cancelling stops a run within a second and
//! keeps what was committed.

mod progress;
pub mod schedule;

pub use progress::{Snapshot, Update, sse_event, update};

use crate::config::SourcesConfig;
use crate::llm::Extractor;
use crate::sources::{self, Board, HttpClient, Provider};
use crate::store::{CompanyRow, Database, ItemOutcome, StoreError, unix_now};
use model::{Phase, Run, RunScope, RunStatus, RunTrigger};
use progress::Progress;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, broadcast, watch};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("no companies to collect")]
    Nothing,
    #[error("{company} is already being collected by run {run}")]
    Busy { company: String, run: i64 },
    #[error("there is no company {0}")]
    UnknownCompany(i64),
    #[error("there is no saved search {0}")]
    UnknownSearch(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How runs behave.
#[derive(Debug, Clone)]
pub struct RunnerOptions {
    /// Companies collected at once, across all runs.
    pub concurrency: usize,
    /// Detail pages fetched per board (Workable, SmartRecruiters, careers sites).
    pub max_details: usize,
    /// How long one company may take, retries included.
    pub company_deadline: Duration,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        Self {
            concurrency: 10,
            max_details: 500,
            company_deadline: Duration::from_secs(600),
        }
    }
}

/// Starts, cancels and reports runs. Cheap to clone; one per process.
#[derive(Clone)]
pub struct Runner {
    inner: Arc<Inner>,
}

struct Inner {
    db: Database,
    http: HttpClient,
    sources: SourcesConfig,
    options: RunnerOptions,
    slots: Semaphore,
    /// Company id → the run collecting it.
    active: Mutex<HashMap<i64, i64>>,
    /// Run id → its cancel switch.
    cancels: Mutex<HashMap<i64, watch::Sender<bool>>>,
    progress: Arc<Progress>,
    /// Called after each company's jobs are saved (the server invalidates its caches).
    on_saved: Option<Arc<dyn Fn() + Send + Sync>>,
    /// Reads careers pages that have no structured data; without it they stay noted.
    llm: Option<Extractor>,
}

impl Runner {
    pub fn new(
        db: Database,
        http: HttpClient,
        sources: SourcesConfig,
        options: RunnerOptions,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                slots: Semaphore::new(options.concurrency.max(1)),
                db,
                http,
                sources,
                options,
                active: Mutex::default(),
                cancels: Mutex::default(),
                progress: Progress::new(),
                on_saved: None,
                llm: None,
            }),
        }
    }

    /// Calls `f` after every company's jobs are committed.
    pub fn on_saved(mut self, f: impl Fn() + Send + Sync + 'static) -> Self {
        Arc::get_mut(&mut self.inner)
            .expect("on_saved is set before the runner is shared")
            .on_saved = Some(Arc::new(f));
        self
    }

    /// Lets runs read pages without structured data through the LLM.
    pub fn with_llm(mut self, extractor: Extractor) -> Self {
        Arc::get_mut(&mut self.inner)
            .expect("with_llm is set before the runner is shared")
            .llm = Some(extractor);
        self
    }

    /// The HTTP client runs use (with its per-host politeness), for one-off checks.
    pub fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// The run collecting `company` right now, if any.
    pub fn active_run(&self, company: i64) -> Option<i64> {
        self.inner
            .active
            .lock()
            .expect("active")
            .get(&company)
            .copied()
    }

    /// Where each provider's API lives.
    pub fn sources(&self) -> &SourcesConfig {
        &self.inner.sources
    }

    /// Starts a run for the companies with these ids, or for every enabled company when `ids`
    /// is `None`: what the Companies page's "Run now" and "Run all" do.
    pub async fn start_ids(
        &self,
        ids: Option<&[i64]>,
        trigger: RunTrigger,
    ) -> Result<Run, StartError> {
        let known = self.inner.db.companies().await?;
        let (scope, chosen) = match ids {
            None => (
                RunScope::All,
                known.into_iter().filter(|c| c.enabled).collect(),
            ),
            Some(ids) => {
                let mut chosen = Vec::with_capacity(ids.len());
                for id in ids {
                    match known.iter().find(|c| c.id == *id) {
                        Some(c) => chosen.push(c.clone()),
                        None => return Err(StartError::UnknownCompany(*id)),
                    }
                }
                let scope = if chosen.len() == 1 {
                    RunScope::Company
                } else {
                    RunScope::Companies
                };
                (scope, chosen)
            }
        };
        self.start(scope, trigger, chosen).await
    }

    /// The latest state of every run of this process; changes wake the receiver, and a slow
    /// receiver simply sees the newest state (no backlog).
    pub fn subscribe(&self) -> watch::Receiver<Snapshot> {
        self.inner.progress.watch()
    }

    /// The current state and every later publication, each serialized once for all streams
    /// (the Server-Sent Events route). A receiver that lags reads the state anew.
    pub fn follow(&self) -> (Snapshot, broadcast::Receiver<Arc<Update>>) {
        self.inner.progress.follow()
    }

    /// Starts collecting `companies` (all enabled ones for `RunScope::All`) in the background
    /// and returns the run at once. A single company already being collected joins its run;
    /// companies busy in other runs are left out of a larger one.
    pub async fn start(
        &self,
        scope: RunScope,
        trigger: RunTrigger,
        companies: Vec<CompanyRow>,
    ) -> Result<Run, StartError> {
        let now = unix_now();
        let (free, busy): (Vec<_>, Vec<_>) = {
            let active = self.inner.active.lock().expect("active");
            companies
                .into_iter()
                .partition(|c| !active.contains_key(&c.id))
        };
        if free.is_empty() {
            let Some(company) = busy.first() else {
                return Err(StartError::Nothing);
            };
            let run = self.inner.active.lock().expect("active")[&company.id];
            if let Some(run) = self.inner.progress.run(run) {
                return Ok(Run::clone(&run));
            }
            return Err(StartError::Busy {
                company: company.name.clone(),
                run,
            });
        }
        let labels: Vec<(i64, String)> = free.iter().map(|c| (c.id, c.name.clone())).collect();
        let run = self
            .inner
            .db
            .create_run(scope, trigger, &labels, now)
            .await?;
        let cancelled = self.register(&run, free.iter().map(|c| c.id));
        let runner = self.clone();
        let started = run.clone();
        tokio::spawn(async move { runner.drive(started, free, cancelled).await });
        Ok(run)
    }

    /// Asks a run to stop; `false` when it is not running here.
    pub fn cancel(&self, run: i64) -> bool {
        match self.inner.cancels.lock().expect("cancels").get(&run) {
            Some(switch) => {
                switch.send_replace(true);
                true
            }
            None => false,
        }
    }

    /// Waits until run `id` has finished, and answers it as stored.
    pub async fn wait(&self, id: i64) -> Result<Run, StoreError> {
        let mut progress = self.subscribe();
        loop {
            let finished = progress
                .borrow_and_update()
                .runs
                .get(&id)
                .is_some_and(|r| r.status.is_finished());
            if finished
                || !self
                    .inner
                    .cancels
                    .lock()
                    .expect("cancels")
                    .contains_key(&id)
            {
                break;
            }
            if progress.changed().await.is_err() {
                break;
            }
        }
        self.inner
            .db
            .run(id)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no run {id}")))
    }

    fn publish(&self, run: Run) {
        self.inner.progress.replace(run);
    }

    /// Re-reads one company of a run for the readers of its progress: one row per change, not
    /// the whole run (a run of 1,000 companies changes some 3,000 times).
    async fn refresh(&self, run: i64, item: i64) {
        match self.inner.db.run_item(item).await {
            Ok(Some(fresh)) => self.inner.progress.item(run, fresh),
            Ok(None) => {}
            Err(error) => tracing::warn!(run, item, %error, "cannot read run progress"),
        }
    }

    async fn drive(self, run: Run, companies: Vec<CompanyRow>, cancelled: watch::Receiver<bool>) {
        let mut tasks = tokio::task::JoinSet::new();
        for (item, company) in run.items.iter().zip(companies) {
            let runner = self.clone();
            let (item, run_id, cancelled) = (item.id, run.id, cancelled.clone());
            tasks.spawn(async move {
                runner
                    .guarded(
                        run_id,
                        item,
                        cancelled,
                        runner.collect(run_id, item, &company),
                    )
                    .await;
                runner
                    .inner
                    .active
                    .lock()
                    .expect("active")
                    .remove(&company.id);
            });
        }
        while tasks.join_next().await.is_some() {}
        self.finish(run.id, &cancelled).await;
    }

    /// Marks `keys` (companies, or searches by [`search_key`]) as collected by `run`, gives the
    /// run its cancel switch and publishes it; answers the switch's receiver.
    fn register(&self, run: &Run, keys: impl Iterator<Item = i64>) -> watch::Receiver<bool> {
        {
            let mut active = self.inner.active.lock().expect("active");
            for key in keys {
                active.insert(key, run.id);
            }
        }
        let (cancel, cancelled) = watch::channel(false);
        self.inner
            .cancels
            .lock()
            .expect("cancels")
            .insert(run.id, cancel);
        self.publish(run.clone());
        cancelled
    }

    /// Records the run's outcome once every item is done, and forgets its cancel switch.
    async fn finish(&self, run: i64, cancelled: &watch::Receiver<bool>) {
        let was_cancelled = *cancelled.borrow();
        match self
            .inner
            .db
            .finish_run(run, was_cancelled, unix_now())
            .await
        {
            Ok(done) => self.publish(done),
            Err(error) => tracing::error!(run, %error, "cannot finish run"),
        }
        self.inner.cancels.lock().expect("cancels").remove(&run);
    }

    /// One company or search of a run: wait for a slot, do `work` within the deadline unless
    /// the run is cancelled first; any failure is this item's alone.
    async fn guarded(
        &self,
        run: i64,
        item: i64,
        mut cancelled: watch::Receiver<bool>,
        work: impl Future<Output = Result<(), ItemOutcome>>,
    ) {
        let inner = &self.inner;
        let stop = |cancelled: &mut watch::Receiver<bool>| {
            let mut cancelled = cancelled.clone();
            async move {
                let _ = cancelled.wait_for(|c| *c).await;
            }
        };
        let outcome = tokio::select! {
            biased;
            () = stop(&mut cancelled) => Err(cancelled_outcome()),
            result = async {
                let _slot = inner.slots.acquire().await.map_err(|_| cancelled_outcome())?;
                tokio::time::timeout(inner.options.company_deadline, work)
                .await
                .map_err(|_| ItemOutcome {
                    status: RunStatus::Failed,
                    phase: Phase::Failed,
                    error: Some(format!(
                        "gave up after {} s",
                        inner.options.company_deadline.as_secs()
                    )),
                })?
            } => result,
        };
        if let Err(outcome) = outcome
            && let Err(error) = inner.db.finish_item(item, &outcome, unix_now()).await
        {
            tracing::error!(run, item, %error, "cannot record an item's failure");
        }
        self.refresh(run, item).await;
    }

    async fn collect(&self, run: i64, item: i64, company: &CompanyRow) -> Result<(), ItemOutcome> {
        let inner = &self.inner;
        let failed = |error: String| ItemOutcome {
            status: RunStatus::Failed,
            phase: Phase::Failed,
            error: Some(error),
        };
        let provider = Provider::parse(&company.provider)
            .ok_or_else(|| failed(format!("unknown provider {:?}", company.provider)))?;
        let store = |e: StoreError| failed(format!("database: {e}"));
        inner
            .db
            .set_phase(item, Phase::Fetching, unix_now())
            .await
            .map_err(store)?;
        self.refresh(run, item).await;
        let previous = inner.db.previous_fetch(company.id).await.map_err(store)?;
        let token = match provider {
            Provider::JsonLd | Provider::Llm => company
                .careers_url
                .as_deref()
                .unwrap_or(&company.board_token),
            _ => &company.board_token,
        };
        let board = Board {
            provider,
            http: &inner.http,
            base_url: inner.sources.base_url(provider).trim_end_matches('/'),
            token,
            company: Some(&company.name),
            now: unix_now(),
            previous: previous.as_ref(),
            max_details: inner.options.max_details,
        };
        let mut collected = sources::collect(&board)
            .await
            .map_err(|e| failed(e.to_string()))?;
        if let Some(extractor) = &inner.llm
            && !collected.needs_llm.is_empty()
        {
            inner
                .db
                .set_phase(item, Phase::Extracting, unix_now())
                .await
                .map_err(store)?;
            self.refresh(run, item).await;
            crate::llm::pages::read_pages(extractor, &board, Some(company.id), &mut collected)
                .await;
        }
        inner
            .db
            .set_phase(item, Phase::Saving, unix_now())
            .await
            .map_err(store)?;
        self.refresh(run, item).await;
        inner
            .db
            .save_collected(item, company.id, &collected, unix_now())
            .await
            .map_err(store)?;
        if let Some(on_saved) = &inner.on_saved {
            on_saved();
        }
        Ok(())
    }
}

/// Key of a saved search in the map of active work (companies use their positive ids).
fn search_key(id: i64) -> i64 {
    -id
}

impl Runner {
    /// Starts running saved searches (every enabled one when `ids` is `None`) in the
    /// background, each through the boards it names, under the same limits as companies.
    pub async fn start_searches(
        &self,
        ids: Option<&[i64]>,
        trigger: RunTrigger,
    ) -> Result<Run, StartError> {
        let all = self.inner.db.saved_searches(unix_now()).await?;
        let chosen: Vec<model::SavedSearch> = match ids {
            None => all.into_iter().filter(|s| s.form.enabled).collect(),
            Some(ids) => {
                let mut chosen = Vec::new();
                for id in ids {
                    match all.iter().find(|s| s.id == *id) {
                        Some(s) => chosen.push(s.clone()),
                        None => return Err(StartError::UnknownSearch(*id)),
                    }
                }
                chosen
            }
        };
        let (free, busy): (Vec<_>, Vec<_>) = {
            let active = self.inner.active.lock().expect("active");
            chosen
                .into_iter()
                .partition(|s| !active.contains_key(&search_key(s.id)))
        };
        if free.is_empty() {
            let Some(search) = busy.first() else {
                return Err(StartError::Nothing);
            };
            let run = self.inner.active.lock().expect("active")[&search_key(search.id)];
            return Err(StartError::Busy {
                company: format!("the search “{}”", search.form.name),
                run,
            });
        }
        let labels: Vec<(i64, String)> = free.iter().map(|s| (s.id, s.form.name.clone())).collect();
        let run = self
            .inner
            .db
            .create_search_run(trigger, &labels, unix_now())
            .await?;
        let cancelled = self.register(&run, free.iter().map(|s| search_key(s.id)));
        let runner = self.clone();
        let started = run.clone();
        tokio::spawn(async move { runner.drive_searches(started, free, cancelled).await });
        Ok(run)
    }

    async fn drive_searches(
        self,
        run: Run,
        searches: Vec<model::SavedSearch>,
        cancelled: watch::Receiver<bool>,
    ) {
        let mut tasks = tokio::task::JoinSet::new();
        for (item, search) in run.items.iter().zip(searches) {
            let runner = self.clone();
            let (item, run_id, cancelled) = (item.id, run.id, cancelled.clone());
            tasks.spawn(async move {
                runner
                    .guarded(
                        run_id,
                        item,
                        cancelled,
                        runner.search(run_id, item, &search),
                    )
                    .await;
                runner
                    .inner
                    .active
                    .lock()
                    .expect("active")
                    .remove(&search_key(search.id));
            });
        }
        while tasks.join_next().await.is_some() {}
        self.finish(run.id, &cancelled).await;
    }

    /// One saved search: each of its boards in turn; a board that fails is noted, the others
    /// still count (the item is then partial).
    async fn search(
        &self,
        run: i64,
        item: i64,
        search: &model::SavedSearch,
    ) -> Result<(), ItemOutcome> {
        use crate::sources::boards::{JobBoard, SearchSpec, search as query_board};
        let inner = &self.inner;
        let store = |e: StoreError| ItemOutcome {
            status: RunStatus::Failed,
            phase: Phase::Failed,
            error: Some(format!("database: {e}")),
        };
        inner
            .db
            .set_phase(item, Phase::Fetching, unix_now())
            .await
            .map_err(store)?;
        self.refresh(run, item).await;
        let spec = SearchSpec {
            query: search.form.query.clone(),
            location: search.form.location.clone(),
            remote_only: search.form.remote_only,
            limit: search.form.result_limit as usize,
        };
        let mut results = Vec::new();
        for name in &search.form.providers {
            let Some(board) = JobBoard::parse(name) else {
                continue;
            };
            let jobs = query_board(&inner.http, &inner.sources, board, &spec, unix_now())
                .await
                .map_err(|e| e.to_string());
            results.push(crate::store::BoardResult {
                source: board.as_str(),
                jobs,
            });
        }
        inner
            .db
            .set_phase(item, Phase::Saving, unix_now())
            .await
            .map_err(store)?;
        self.refresh(run, item).await;
        inner
            .db
            .save_search_results(item, search.id, &results, unix_now())
            .await
            .map_err(store)?;
        if let Some(on_saved) = &inner.on_saved {
            on_saved();
        }
        Ok(())
    }
}

fn cancelled_outcome() -> ItemOutcome {
    ItemOutcome {
        status: RunStatus::Cancelled,
        phase: Phase::Cancelled,
        error: None,
    }
}

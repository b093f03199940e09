//! Extraction: a page → its cleaned text → chunks that fit the context → one structured
//! completion per chunk → answers merged without duplicates → drafts. Every answer is cached
//! by an exact hash of what was asked, in memory and in SQLite, so the same page is never
//! sent twice, across runs and restarts. Calls are bounded by their own concurrency limit,
//! written to the usage ledger, and stop when the month's budget is spent.

use super::chunk::{self, ESTIMATED_TOKENS_PER_CHAR};
use super::client::{LlmClient, LlmError, Message};
use super::schema::{ExtractedJob, PageJobs, PageLinks, schema_of};
use super::text::page_text;
use crate::config::LlmConfig;
use crate::sources::draft::Draft;
use crate::store::{Database, LlmCall, unix_now};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{OnceCell, Semaphore};

/// Changes whenever the instructions or schemas change: older cached answers are then not
/// reused (they answered another question).
pub const PROMPT_VERSION: u32 = 1;

/// Tokens kept free beyond the estimate: chat-template differences, rounding.
const MARGIN: usize = 64;
/// Output room for a job page's answer (one or a few postings with a short description).
const JOB_ANSWER_TOKENS: usize = 1536;
/// Answers kept in memory (the database keeps them all).
const MEMORY_ANSWERS: u64 = 10_000;
const MEMORY_TTL: Duration = Duration::from_secs(24 * 3600);

/// What is asked of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// The postings the page shows.
    Jobs,
    /// The links to job pages on a list page.
    Links,
}

impl Ask {
    fn name(self) -> &'static str {
        match self {
            Ask::Jobs => "page_jobs",
            Ask::Links => "page_links",
        }
    }

    fn instructions(self) -> &'static str {
        match self {
            Ask::Jobs => {
                "You extract job postings from the text of a careers web page. Report only \
                 what the text states; use null for anything it does not say, and never guess. \
                 Links appear as [text](url). Give each posting's own page as its url. Amounts \
                 are whole units of the currency. If the text holds no job posting, answer an \
                 empty list."
            }
            Ask::Links => {
                "You read the text of a careers web page that lists open jobs. Links appear as \
                 [text](url). List every link that leads to the page of one job posting, with \
                 the job's title and the URL exactly as written. Ignore links to anything else \
                 (navigation, social media, departments, applications). If there are none, \
                 answer an empty list."
            }
        }
    }

    /// Output room, out of the room left after the prompt: a list page's answer grows with
    /// the list, so half; a job page's, a fixed amount.
    fn answer_tokens(self, room: usize) -> usize {
        match self {
            Ask::Jobs => JOB_ANSWER_TOKENS.min(room / 2),
            Ask::Links => room / 2,
        }
    }
}

/// A page to read.
pub struct Page<'a> {
    pub url: &'a url::Url,
    pub html: &'a str,
    /// The company the page belongs to (named in the prompt, and on jobs that name none).
    pub company: &'a str,
    pub company_id: Option<i64>,
}

/// The LLM extractor. Cheap to clone; one per process.
#[derive(Clone)]
pub struct Extractor {
    inner: Arc<Inner>,
}

struct Inner {
    client: LlmClient,
    db: Database,
    answers: moka::future::Cache<String, Arc<str>>,
    slots: Semaphore,
    configured_context: usize,
    /// The context the server reports, asked once.
    served_context: OnceCell<Option<u32>>,
    budget_usd: f64,
    price_per_million_usd: f64,
    schemas: [(Ask, Value); 2],
}

impl Extractor {
    pub fn new(db: Database, config: &LlmConfig) -> Result<Self, LlmError> {
        Ok(Self {
            inner: Arc::new(Inner {
                client: LlmClient::new(config)?,
                db,
                answers: moka::future::Cache::builder()
                    .max_capacity(MEMORY_ANSWERS)
                    .time_to_live(MEMORY_TTL)
                    .build(),
                slots: Semaphore::new(config.concurrency.max(1) as usize),
                configured_context: config.context_tokens as usize,
                served_context: OnceCell::new(),
                budget_usd: config.monthly_budget_usd,
                price_per_million_usd: config.price_per_million_tokens_usd,
                schemas: [
                    (Ask::Jobs, schema_of::<PageJobs>()),
                    (Ask::Links, schema_of::<PageLinks>()),
                ],
            }),
        })
    }

    /// The postings on `page`, merged across its chunks, as drafts.
    pub async fn jobs(&self, page: &Page<'_>) -> Result<Vec<Draft>, LlmError> {
        let answers: Vec<PageJobs> = self.ask(Ask::Jobs, page).await?;
        let now = unix_now();
        Ok(merge_jobs(answers.into_iter().flat_map(|a| a.jobs))
            .into_iter()
            .filter_map(|job| job.draft(page.url, page.company, now))
            .collect())
    }

    /// The job links on a list `page`: absolute, on the page's own site, each once.
    pub async fn links(&self, page: &Page<'_>) -> Result<Vec<url::Url>, LlmError> {
        let answers: Vec<PageLinks> = self.ask(Ask::Links, page).await?;
        let mut seen = std::collections::HashSet::new();
        Ok(answers
            .into_iter()
            .flat_map(|a| a.jobs)
            .filter_map(|link| page.url.join(link.url.trim()).ok())
            .filter(|link| {
                link.host_str() == page.url.host_str()
                    && matches!(link.scheme(), "http" | "https")
                    && link != page.url
            })
            .filter(|link| seen.insert(link.to_string()))
            .collect())
    }

    /// One answer per chunk of the page, from the cache when this exact question was asked.
    async fn ask<T: DeserializeOwned>(
        &self,
        ask: Ask,
        page: &Page<'_>,
    ) -> Result<Vec<T>, LlmError> {
        let inner = &self.inner;
        let text = page_text(page.html, page.url);
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let header = format!("Company: {}\nPage: {}\n\n", page.company, page.url);
        let key = cache_key(inner.client.model(), ask, &header, &text);
        let started = Instant::now();
        if let Some(cached) = self.cached(&key).await {
            let answers = parse_all(&cached)?;
            self.record(page, 0, 0, started, true, None).await;
            return Ok(answers);
        }
        self.check_budget().await?;
        let system = Message::system(ask.instructions());
        let chunks = self.chunks(ask, &system, &header, &text).await;
        let schema = &inner
            .schemas
            .iter()
            .find(|(a, _)| *a == ask)
            .expect("a schema per question")
            .1;
        // The chunks of a page are independent questions: asked together (the slots bound
        // them), a long page costs one answer's time, not one per chunk.
        let asked = chunks.into_iter().map(|(chunk, max_tokens)| {
            let messages = [system.clone(), Message::user(format!("{header}{chunk}"))];
            async move {
                let started = Instant::now();
                let result = {
                    let _slot = inner.slots.acquire().await.expect("never closed");
                    inner
                        .client
                        .complete(&messages, ask.name(), schema, max_tokens as u32)
                        .await
                };
                let result = result.and_then(|completion| {
                    let value: Value = serde_json::from_str(&completion.content)
                        .map_err(|e| LlmError::Invalid(format!("{e}")))?;
                    let answer: T = serde_json::from_value(value.clone())
                        .map_err(|e| LlmError::Invalid(format!("{e}")))?;
                    Ok((completion, value, answer))
                });
                match &result {
                    Ok((completion, _, _)) => {
                        self.record(
                            page,
                            completion.prompt_tokens,
                            completion.completion_tokens,
                            started,
                            false,
                            None,
                        )
                        .await
                    }
                    Err(error) => {
                        self.record(page, 0, 0, started, false, Some(error.to_string()))
                            .await
                    }
                }
                result
            }
        });
        let mut contents = Vec::new();
        let mut answers = Vec::new();
        for result in futures_util::future::join_all(asked).await {
            let (_, value, answer) = result?;
            contents.push(value);
            answers.push(answer);
        }
        let stored: Arc<str> = Value::Array(contents).to_string().into();
        if let Err(error) = inner
            .db
            .llm_cache_put(
                &key,
                inner.client.model(),
                PROMPT_VERSION,
                &stored,
                unix_now(),
            )
            .await
        {
            tracing::warn!(%error, "cannot keep an LLM answer");
        }
        inner.answers.insert(key, stored).await;
        Ok(answers)
    }

    async fn cached(&self, key: &str) -> Option<Arc<str>> {
        let inner = &self.inner;
        if let Some(hit) = inner.answers.get(key).await {
            return Some(hit);
        }
        match inner.db.llm_cached(key).await {
            Ok(Some(stored)) => {
                let stored: Arc<str> = stored.into();
                inner.answers.insert(key.to_owned(), stored.clone()).await;
                Some(stored)
            }
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, "cannot read the LLM cache");
                None
            }
        }
    }

    /// Over budget, nothing is sent.
    async fn check_budget(&self) -> Result<(), LlmError> {
        let inner = &self.inner;
        if inner.budget_usd <= 0.0 {
            return Ok(());
        }
        let tokens = inner
            .db
            .llm_tokens_this_month(unix_now())
            .await
            .map_err(|e| LlmError::Unavailable(format!("cannot read the LLM budget: {e}")))?;
        let spent = tokens as f64 / 1e6 * inner.price_per_million_usd;
        if spent >= inner.budget_usd {
            return Err(LlmError::OverBudget {
                spent,
                budget: inner.budget_usd,
            });
        }
        Ok(())
    }

    /// The context to fit: the configured one, or the server's when it reports less.
    async fn context(&self) -> usize {
        let inner = &self.inner;
        let served = inner
            .served_context
            .get_or_init(|| inner.client.max_model_len())
            .await;
        match served {
            Some(served) => inner.configured_context.min(*served as usize),
            None => inner.configured_context,
        }
    }

    /// The page's text in chunks that fit, each with its output limit. Exact counts from the
    /// server where it has `/tokenize`, else conservative estimates.
    async fn chunks(
        &self,
        ask: Ask,
        system: &Message,
        header: &str,
        text: &str,
    ) -> Vec<(String, usize)> {
        let client = &self.inner.client;
        let context = self.context().await;
        let bare = [system.clone(), Message::user(header)];
        let overhead = match client.count_tokens(&bare).await {
            Some(exact) => exact,
            None => chunk::estimate(&system.content) + chunk::estimate(header) + 16,
        };
        let room = context.saturating_sub(overhead + MARGIN);
        let answer = ask.answer_tokens(room);
        let fits = room.saturating_sub(answer).max(1);
        let exact = client.count_text(text).await;
        let tokens = exact.unwrap_or_else(|| chunk::estimate(text));
        if tokens <= fits {
            return vec![(text.to_owned(), answer)];
        }
        // Characters per token as measured on this page (or assumed), with a tenth to spare.
        let chars = text.chars().count().max(1);
        let per_token = match exact {
            Some(exact) => chars as f64 / exact.max(1) as f64,
            None => 1.0 / ESTIMATED_TOKENS_PER_CHAR,
        };
        let mut max_chars = ((fits as f64 * per_token) * 0.9).floor().max(1.0) as usize;
        // A measured chunk that still does not fit makes every chunk smaller (at most a few
        // rounds: each halves the size).
        for _ in 0..4 {
            let pieces = chunk::split(text, max_chars);
            let mut all_fit = true;
            if exact.is_some() {
                for piece in &pieces {
                    if client.count_text(piece).await.is_some_and(|n| n > fits) {
                        all_fit = false;
                        break;
                    }
                }
            }
            if all_fit {
                return pieces.into_iter().map(|p| (p, answer)).collect();
            }
            max_chars = (max_chars / 2).max(1);
        }
        chunk::split(text, max_chars)
            .into_iter()
            .map(|p| (p, answer))
            .collect()
    }

    async fn record(
        &self,
        page: &Page<'_>,
        prompt_tokens: u32,
        completion_tokens: u32,
        started: Instant,
        cached: bool,
        error: Option<String>,
    ) {
        let call = LlmCall {
            at: unix_now(),
            model: self.inner.client.model().to_owned(),
            company_id: page.company_id,
            url: Some(page.url.to_string()),
            prompt_tokens,
            completion_tokens,
            latency_ms: started.elapsed().as_millis() as u64,
            cached,
            error,
        };
        if let Err(error) = self.inner.db.record_llm_call(&call).await {
            tracing::warn!(%error, "cannot record an LLM call");
        }
    }
}

/// The cache key: SHA-256 of everything that decides the answer (model, prompt version,
/// question, and the text sent), hex.
pub fn cache_key(model: &str, ask: Ask, header: &str, text: &str) -> String {
    let mut hash = Sha256::new();
    for part in [
        model.as_bytes(),
        &PROMPT_VERSION.to_le_bytes(),
        ask.name().as_bytes(),
        header.as_bytes(),
        text.as_bytes(),
    ] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    let digest = hash.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_all<T: DeserializeOwned>(stored: &str) -> Result<Vec<T>, LlmError> {
    serde_json::from_str::<Vec<T>>(stored)
        .map_err(|e| LlmError::Invalid(format!("a cached answer: {e}")))
}

/// Postings from all chunks, each once: the same URL, or with no URL the same title and
/// location, is one posting, its fields filled from the first chunk that states them.
fn merge_jobs(jobs: impl Iterator<Item = ExtractedJob>) -> Vec<ExtractedJob> {
    let key = |job: &ExtractedJob| match job.url.as_deref().map(str::trim) {
        Some(url) if !url.is_empty() => url.to_lowercase(),
        _ => format!(
            "{}\u{1}{}",
            job.title.trim().to_lowercase(),
            job.location.as_deref().unwrap_or("").trim().to_lowercase()
        ),
    };
    let mut merged: Vec<ExtractedJob> = Vec::new();
    for job in jobs {
        if job.title.trim().is_empty() {
            continue;
        }
        match merged.iter_mut().find(|m| key(m) == key(&job)) {
            Some(known) => known.fill_from(job),
            None => merged.push(job),
        }
    }
    merged
}

impl ExtractedJob {
    fn fill_from(&mut self, other: ExtractedJob) {
        macro_rules! fill {
            ($($field:ident),*) => { $( if self.$field.is_none() { self.$field = other.$field; } )* };
        }
        fill!(
            company,
            url,
            apply_url,
            location,
            workplace,
            employment_type,
            department,
            salary_min,
            salary_max,
            salary_currency,
            salary_period,
            date_posted,
            description
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(title: &str, url: Option<&str>, location: Option<&str>) -> ExtractedJob {
        serde_json::from_value(serde_json::json!({
            "title": title, "url": url, "location": location,
        }))
        .unwrap()
    }

    #[test]
    fn chunks_of_one_posting_merge_into_one() {
        let mut first = job("Baker", Some("https://b.example/jobs/1"), None);
        first.department = Some("Kitchen".into());
        let mut second = job(
            "Baker (night)",
            Some("https://B.example/jobs/1"),
            Some("Lyon"),
        );
        second.department = Some("Elsewhere".into());
        let merged = merge_jobs(
            [
                first,
                second,
                job("Cook", None, Some("Paris")),
                job("cook ", None, Some("paris")),
                job(" ", None, None),
            ]
            .into_iter(),
        );
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].title, "Baker", "the first chunk's title stays");
        assert_eq!(merged[0].location.as_deref(), Some("Lyon"), "gaps filled");
        assert_eq!(merged[0].department.as_deref(), Some("Kitchen"));
        assert_eq!(merged[1].title, "Cook");
    }

    #[test]
    fn the_key_changes_with_anything_that_changes_the_answer() {
        let base = cache_key("m", Ask::Jobs, "h", "text");
        assert_eq!(base.len(), 64);
        assert_eq!(base, cache_key("m", Ask::Jobs, "h", "text"));
        for other in [
            cache_key("n", Ask::Jobs, "h", "text"),
            cache_key("m", Ask::Links, "h", "text"),
            cache_key("m", Ask::Jobs, "h2", "text"),
            cache_key("m", Ask::Jobs, "h", "text."),
            cache_key("m", Ask::Jobs, "ht", "ext"),
        ] {
            assert_ne!(base, other);
        }
    }
}

//! Adding a company as the Companies page and `jobscout company add` do: a pasted URL is
//! recognised (an ATS address, or a careers page fetched once to find an embedded ATS, JSON-LD
//! or neither), then its board is fetched once so the person sees at once whether it works.

use super::discover::{Discovery, discover};
use super::{Board, HttpClient, Provider, SourceError, collect, detect, detect::Detected};
use crate::config::SourcesConfig;

/// A board that answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    pub provider: Provider,
    pub board_token: String,
    pub careers_url: String,
    /// The name given, else the one the board's jobs carry, else the board token.
    pub name: String,
    /// Open jobs the validation fetch found.
    pub jobs: usize,
    /// Careers pages only an LLM can read.
    pub needs_llm: bool,
    /// What the check left unread (job pages beyond the first few).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ValidateError {
    #[error(transparent)]
    Detect(#[from] super::detect::DetectError),
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// Job pages a check reads at most: enough to see that a site's postings can be read.
const CHECKED_DETAILS: usize = 3;

/// Recognises `url` and fetches its board once (and at most three detail pages).
pub async fn validate(
    http: &HttpClient,
    sources: &SourcesConfig,
    url: &str,
    name: Option<&str>,
    now: i64,
) -> Result<Validated, ValidateError> {
    let url = url.trim();
    let (provider, token) = match detect(url)? {
        Detected::Board { provider, token } => (provider, token),
        Detected::Site { url: site } => match discover(http, &site).await? {
            Discovery::Board { provider, token } => (provider, token),
            Discovery::JsonLd { url } => (Provider::JsonLd, url),
            Discovery::NeedsLlm { url } => (Provider::Llm, url),
        },
    };
    let careers_url = match provider {
        Provider::JsonLd | Provider::Llm => token.clone(),
        _ if url.contains("://") => url.to_owned(),
        _ => format!("https://{url}"),
    };
    let board = Board {
        provider,
        http,
        base_url: sources.base_url(provider).trim_end_matches('/'),
        token: &token,
        company: name,
        now,
        previous: None,
        max_details: CHECKED_DETAILS,
    };
    let collected = collect(&board).await?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            collected
                .jobs
                .iter()
                .map(|j| j.company.trim())
                .find(|c| !c.is_empty() && *c != token)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| token.clone());
    Ok(Validated {
        provider,
        board_token: token,
        careers_url,
        name,
        jobs: collected.jobs.len(),
        needs_llm: !collected.needs_llm.is_empty(),
        notes: collected.skipped,
    })
}

//! Collecting jobs from where they are published: careers-URL detection, one module per ATS,
//! schema.org JSON-LD careers pages, and the normalization every source shares.

pub mod boards;
pub mod detect;
pub mod discover;
pub mod draft;
pub mod egress;
pub mod fields;
pub mod html;
pub mod http;
pub mod jsonld;
pub mod providers;
pub mod robots;
pub mod salary;
pub mod validate;

pub use detect::{Detected, Provider, detect};
pub use http::{FetchError, Fetched, HttpClient, HttpOptions, Validators};

use http::Conditional;
use model::NewJob;

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum SourceError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{source_name}: unreadable response: {message}")]
    Parse {
        source_name: &'static str,
        message: String,
    },
    #[error("{provider} has no board named {token:?}")]
    UnknownBoard {
        provider: &'static str,
        token: String,
    },
}

/// What identifies a board's last successful fetch, to skip an unchanged one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Previous {
    pub validators: Validators,
    /// [`content_hash`] of the body.
    pub hash: Option<String>,
}

/// One board to collect.
pub struct Board<'a> {
    pub provider: Provider,
    pub http: &'a HttpClient,
    /// Scheme and host of the provider's API (the simulator's in tests).
    pub base_url: &'a str,
    pub token: &'a str,
    /// The company's name where the payload has none (Lever, Ashby, Workable).
    pub company: Option<&'a str>,
    pub now: i64,
    pub previous: Option<&'a Previous>,
    /// Detail requests allowed per board (Workable and SmartRecruiters fetch each job).
    pub max_details: usize,
}

impl Board<'_> {
    /// The board token as one URL path segment.
    pub fn encoded_token(&self) -> String {
        url::form_urlencoded::byte_serialize(self.token.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    }

    fn company_name(&self) -> String {
        self.company.unwrap_or(self.token).to_owned()
    }

    /// The board's main document: `None` when unchanged since [`Board::previous`] (a 304, or
    /// the same bytes), a 404 as [`SourceError::UnknownBoard`].
    async fn fetch_board(&self, url: &str) -> Result<Option<Fetched>, SourceError> {
        let validators = self
            .previous
            .map(|p| p.validators.clone())
            .unwrap_or_default();
        if matches!(self.provider, Provider::JsonLd | Provider::Llm) {
            self.http.check_robots(url).await?;
        }
        match self.http.get_conditional(url, &validators).await {
            Ok(Conditional::NotModified) => Ok(None),
            Ok(Conditional::Fetched(fetched)) => {
                let same = self
                    .previous
                    .and_then(|p| p.hash.as_deref())
                    .is_some_and(|hash| hash == content_hash(&fetched.body));
                Ok((!same).then_some(fetched))
            }
            Err(e) => Err(self.board_error(e)),
        }
    }

    /// A fetch error of this board's list: a 404 there means the board does not exist.
    fn board_error(&self, error: FetchError) -> SourceError {
        match error {
            FetchError::Status { status: 404, .. } => SourceError::UnknownBoard {
                provider: self.provider.label(),
                token: self.token.to_owned(),
            },
            other => other.into(),
        }
    }

    /// A board served whole by one document (Greenhouse, Ashby, Recruitee).
    async fn collect_document(
        &self,
        url: &str,
        parse: impl FnOnce(&[u8]) -> Result<Vec<draft::Draft>, SourceError>,
    ) -> Result<Collected, SourceError> {
        let Some(fetched) = self.fetch_board(url).await? else {
            return Ok(Collected::unchanged());
        };
        let drafts = parse(&fetched.body)?;
        Ok(Collected::complete(drafts, fetched))
    }

    /// A page of a paged board or a detail: a 404 of the first page means no such board.
    async fn fetch_page(&self, url: &str) -> Result<Fetched, SourceError> {
        self.http.get(url).await.map_err(|e| self.board_error(e))
    }
}

impl Collected {
    /// Replaces each draft by its detail (Workable and SmartRecruiters list jobs without
    /// descriptions), at most `board.max_details` of them. A failed detail keeps the job as
    /// listed and is reported in `skipped`, never dropped. Then the drafts become the jobs.
    async fn with_details<F, Fut>(
        mut self,
        board: &Board<'_>,
        mut drafts: Vec<draft::Draft>,
        detail: F,
    ) -> Self
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<Option<draft::Draft>, SourceError>>,
    {
        for draft in drafts.iter_mut().take(board.max_details) {
            let id = draft.source_id.clone().unwrap_or_default();
            match detail(id.clone()).await {
                Ok(Some(found)) => *draft = found,
                Ok(None) => {}
                Err(e) => self
                    .skipped
                    .push(format!("{id}: description not fetched: {e}")),
            }
        }
        if drafts.len() > board.max_details {
            self.skipped.push(format!(
                "descriptions fetched for the first {} of {} jobs",
                board.max_details,
                drafts.len()
            ));
        }
        self.jobs = drafts.into_iter().map(draft::Draft::finish).collect();
        self
    }
}

/// What one board's fetch produced.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub jobs: Vec<NewJob>,
    /// The payload(s) as fetched, kept so jobs can be re-normalized when parsers improve.
    pub raw: Vec<u8>,
    /// The fetch saw the whole board: jobs missing from it may be closed.
    pub complete: bool,
    /// Nothing changed since the previous fetch: nothing to parse or write.
    pub unchanged: bool,
    /// Identifies this fetch for the next one.
    pub previous: Previous,
    /// Pages with neither an ATS nor JSON-LD, as fetched, left for the LLM extractor.
    pub needs_llm: Vec<PlainPage>,
    /// Jobs or pages skipped, with why (a detail that failed, a bound reached).
    pub skipped: Vec<String>,
}

/// A fetched page with neither an ATS board nor a JSON-LD posting.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainPage {
    pub url: String,
    pub html: String,
    /// The board's own page, with no job links found: the LLM first lists its job links.
    pub list: bool,
}

impl Collected {
    /// Everything on the board was read: jobs missing from it may be closed, and the next
    /// fetch may skip an unchanged board. Pages still waiting for the LLM make it incomplete.
    pub fn is_complete(&self) -> bool {
        self.complete && self.needs_llm.is_empty()
    }

    pub fn unchanged() -> Self {
        Self {
            unchanged: true,
            ..Self::default()
        }
    }

    /// A whole board read from one document.
    fn complete(drafts: Vec<draft::Draft>, fetched: Fetched) -> Self {
        Self {
            jobs: drafts.into_iter().map(draft::Draft::finish).collect(),
            previous: Previous {
                validators: fetched.validators.clone(),
                hash: Some(content_hash(&fetched.body)),
            },
            raw: fetched.body,
            complete: true,
            ..Self::default()
        }
    }
}

impl Collected {
    /// A board read in several documents, compared whole with the previous fetch.
    fn from_pages(
        drafts: Vec<draft::Draft>,
        pages: &[Vec<u8>],
        complete: bool,
        previous: Option<&Previous>,
    ) -> Self {
        let raw = providers::json_array(pages);
        let hash = content_hash(&raw);
        if complete && previous.and_then(|p| p.hash.as_deref()) == Some(hash.as_str()) {
            return Self::unchanged();
        }
        Self {
            jobs: drafts.into_iter().map(draft::Draft::finish).collect(),
            raw,
            complete,
            previous: Previous {
                validators: Validators::default(),
                hash: Some(hash),
            },
            ..Self::default()
        }
    }
}

pub use crate::store::normalize::content_hash;

/// `<`, `>`, `&`, `"` escaped for text placed in HTML.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// What every collector is: a saved payload or a whole board in, normalized jobs out. Each
/// ATS module and the JSON-LD reader implement it; [`collect`] and [`parse_saved`] pick one.
pub trait Source: Sync {
    /// The `source` of the jobs it produces.
    fn name(&self) -> &'static str;

    /// Reads a saved payload (a list or a single posting) into drafts; `url` and `company`
    /// stand in where the payload has none.
    fn parse(
        &self,
        body: &[u8],
        url: Option<&str>,
        company: Option<&str>,
        now: i64,
    ) -> Result<Vec<draft::Draft>, SourceError>;

    /// Fetches one board: its jobs, the raw payload, and whether it was seen whole.
    fn collect<'a>(
        &'a self,
        board: &'a Board<'a>,
    ) -> impl std::future::Future<Output = Result<Collected, SourceError>> + Send + 'a;
}

/// Collects one board with the collector of its provider (careers sites, whether JSON-LD or
/// LLM-only, through the JSON-LD reader, which reports the pages it cannot read).
pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    use providers::*;
    match board.provider {
        Provider::Greenhouse => greenhouse::Greenhouse.collect(board).await,
        Provider::Lever | Provider::LeverEu => lever::Lever.collect(board).await,
        Provider::Ashby => ashby::Ashby.collect(board).await,
        Provider::Workable => workable::Workable.collect(board).await,
        Provider::SmartRecruiters => smartrecruiters::SmartRecruiters.collect(board).await,
        Provider::Recruitee => recruitee::Recruitee.collect(board).await,
        Provider::JsonLd | Provider::Llm => jsonld::JsonLd.collect(board).await,
    }
}

/// The source names `jobscout parse` accepts.
pub const PARSE_SOURCES: [&str; 7] = [
    "greenhouse",
    "lever",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "jsonld",
];

/// Normalizes a saved payload of `source` (a list or a single posting; for `jsonld` a whole
/// page or a bare JSON-LD block). `url` is the page's or board's address where the payload
/// lacks one; `company` names the company where the payload does not.
pub fn parse_saved(
    source: &str,
    body: &[u8],
    url: Option<&str>,
    company: Option<&str>,
    now: i64,
) -> Result<Vec<NewJob>, SourceError> {
    use providers::*;
    let drafts = match source {
        "greenhouse" => greenhouse::Greenhouse.parse(body, url, company, now)?,
        "lever" => lever::Lever.parse(body, url, company, now)?,
        "ashby" => ashby::Ashby.parse(body, url, company, now)?,
        "workable" => workable::Workable.parse(body, url, company, now)?,
        "smartrecruiters" => smartrecruiters::SmartRecruiters.parse(body, url, company, now)?,
        "recruitee" => recruitee::Recruitee.parse(body, url, company, now)?,
        "jsonld" => jsonld::JsonLd.parse(body, url, company, now)?,
        other => {
            return Err(SourceError::Parse {
                source_name: "parse",
                message: format!(
                    "unknown source {other:?}; one of: {}",
                    PARSE_SOURCES.join(", ")
                ),
            });
        }
    };
    Ok(drafts.into_iter().map(draft::Draft::finish).collect())
}

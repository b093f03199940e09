//! The one HTTP client every source uses: a descriptive User-Agent, timeouts, gzip and brotli,
//! bounded redirects, a cap on response size, and conditional requests so an unchanged board
//! costs a 304 instead of a download and a parse.

use std::time::Duration;

/// What the client is allowed to do.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub user_agent: String,
    /// Whole request, connection to last byte.
    pub timeout: Duration,
    /// Bodies larger than this fail the fetch instead of filling memory.
    pub max_bytes: usize,
    pub max_redirects: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            user_agent: concat!(
                "Jobscout/",
                env!("CARGO_PKG_VERSION"),
                " (local job-search workspace; reads public job-board APIs)"
            )
            .into(),
            timeout: Duration::from_secs(30),
            max_bytes: 20 << 20,
            max_redirects: 5,
        }
    }
}

/// Validators from a previous fetch of the same URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful response, read whole.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// Where the body came from after redirects.
    pub url: String,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub body: Vec<u8>,
}

/// What a conditional GET found.
#[derive(Debug)]
pub enum Conditional {
    /// 304: the stored copy is current.
    NotModified,
    Fetched(Fetched),
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum FetchError {
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: cannot connect: {message}")]
    Connect { url: String, message: String },
    #[error("{url}: HTTP {status}{}", excerpt.as_deref().map(|e| format!(": {e}")).unwrap_or_default())]
    Status {
        url: String,
        status: u16,
        /// Seconds the server asked us to wait (`Retry-After`), on 429 and 503.
        retry_after: Option<u64>,
        /// The start of the body, for the run's health.
        excerpt: Option<String>,
    },
    #[error("{url}: response larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: too many redirects")]
    Redirects { url: String },
    #[error("{url}: {message}")]
    Other { url: String, message: String },
}

impl FetchError {
    /// Worth trying again later: timeouts, connection failures, 429 and 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Connect { .. } => true,
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    max_bytes: usize,
}

impl HttpClient {
    pub fn new(options: &HttpOptions) -> Result<Self, FetchError> {
        // rustls needs one process-wide crypto provider; a second install is a harmless no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(&options.user_agent)
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::limited(options.max_redirects))
            .build()
            .map_err(|e| FetchError::Other {
                url: String::new(),
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Self {
            client,
            max_bytes: options.max_bytes,
        })
    }

    /// GET, failing on any status but 2xx.
    pub async fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        match self.get_conditional(url, &Validators::default()).await? {
            Conditional::Fetched(fetched) => Ok(fetched),
            Conditional::NotModified => Err(FetchError::Other {
                url: url.into(),
                message: "304 Not Modified without a conditional request".into(),
            }),
        }
    }

    /// GET with `If-None-Match` / `If-Modified-Since` from an earlier fetch.
    pub async fn get_conditional(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Conditional, FetchError> {
        let mut request = self.client.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(since) = &validators.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, since);
        }
        let response = request.send().await.map_err(|e| send_error(url, &e))?;
        if response.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Conditional::NotModified);
        }
        self.read(url, response).await.map(Conditional::Fetched)
    }

    /// POST a JSON body (Workable's list endpoint).
    pub async fn post_json(
        &self,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<Fetched, FetchError> {
        let response = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| send_error(url, &e))?;
        self.read(url, response).await
    }

    async fn read(
        &self,
        url: &str,
        mut response: reqwest::Response,
    ) -> Result<Fetched, FetchError> {
        let status = response.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let validators = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let retry_after = header(reqwest::header::RETRY_AFTER).and_then(|v| v.trim().parse().ok());
        let final_url = response.url().to_string();
        if response
            .content_length()
            .is_some_and(|len| len > self.max_bytes as u64)
        {
            return Err(FetchError::TooLarge {
                url: url.into(),
                limit: self.max_bytes,
            });
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_bytes {
                        return Err(FetchError::TooLarge {
                            url: url.into(),
                            limit: self.max_bytes,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(send_error(url, &e)),
            }
        }
        if !(200..300).contains(&status) {
            let text = String::from_utf8_lossy(&body);
            let excerpt = text.trim();
            return Err(FetchError::Status {
                url: url.into(),
                status,
                retry_after,
                excerpt: (!excerpt.is_empty()).then(|| excerpt.chars().take(200).collect()),
            });
        }
        Ok(Fetched {
            status,
            url: final_url,
            content_type,
            validators,
            body,
        })
    }
}

fn send_error(url: &str, error: &reqwest::Error) -> FetchError {
    let url = url.to_owned();
    if error.is_timeout() {
        FetchError::Timeout { url }
    } else if error.is_redirect() {
        FetchError::Redirects { url }
    } else if error.is_connect() {
        FetchError::Connect {
            url,
            message: root_cause(error),
        }
    } else {
        FetchError::Other {
            url,
            message: root_cause(error),
        }
    }
}

/// The innermost error's message: "connection refused" rather than "error sending request".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

//! The one HTTP client every source uses: a descriptive User-Agent, timeouts, gzip and brotli,
//! bounded redirects, a cap on response size, and conditional requests so an unchanged board
//! costs a 304 instead of a download and a parse.

use super::egress::{Egress, Refused};
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
    /// Requests per second to any one host (`None`: unlimited). Requests wait for their turn.
    pub per_host_rps: Option<f64>,
    /// Further attempts after a transient failure (429, 5xx, timeout, connection).
    pub retries: u32,
    /// The first backoff; each retry doubles it (with jitter), a `Retry-After` may lengthen it.
    pub backoff: Duration,
    /// Which addresses may be reached (public ones only by default).
    pub egress: Egress,
}

/// A `Retry-After` longer than this fails the request instead of stalling its run.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

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
            per_host_rps: None,
            retries: 0,
            backoff: Duration::from_millis(500),
            egress: Egress::default(),
        }
    }
}

impl HttpOptions {
    /// The options `collection.*` configures (user agent, timeout, per-host rate, retries).
    pub fn from_config(config: &crate::config::CollectionConfig) -> Self {
        Self {
            user_agent: config.user_agent.clone(),
            timeout: Duration::from_secs(config.request_timeout_secs),
            per_host_rps: Some(config.per_host_rps),
            retries: config.retries,
            // Validated with the config; were it not, nothing private is allowed.
            egress: Egress::from_config(&config.allowed_networks).unwrap_or_default(),
            ..Self::default()
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
    #[error("{url}: the site's robots.txt asks not to fetch it")]
    Robots { url: String },
    #[error("{url}: refused: {reason}")]
    Refused { url: String, reason: String },
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
    egress: Egress,
    max_bytes: usize,
    retries: u32,
    backoff: Duration,
    hosts: std::sync::Arc<HostTurns>,
    /// robots.txt rules per origin, read once per client.
    robots: std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<super::robots::Rules>>>,
    >,
}

/// Per-host spacing of requests: each request reserves the next free slot of its host, so a
/// host never sees more than `rps` requests a second from this process, whatever the number
/// of runs and companies sharing it.
struct HostTurns {
    interval: Option<Duration>,
    next: std::sync::Mutex<std::collections::HashMap<String, tokio::time::Instant>>,
}

impl HostTurns {
    async fn wait(&self, url: &str) {
        let Some(interval) = self.interval else {
            return;
        };
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
            .unwrap_or_default();
        let turn = {
            let mut next = self.next.lock().expect("host turns");
            let now = tokio::time::Instant::now();
            let slot = next.get(&host).copied().filter(|t| *t > now).unwrap_or(now);
            next.insert(host, slot + interval);
            slot
        };
        tokio::time::sleep_until(turn).await;
    }
}

/// A pseudo-random fraction in [0.5, 1.0) for backoff jitter (no RNG needed for this).
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mixed = u64::from(nanos).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    0.5 + (mixed as f64 / (1u64 << 24) as f64) * 0.5
}

impl HttpClient {
    /// The underlying client (its timeouts, user agent and TLS), for requests that are not
    /// board fetches, such as the LLM server's health check.
    pub fn raw(&self) -> &reqwest::Client {
        &self.client
    }

    /// Refuses a careers-site page its robots.txt disallows (read once per origin).
    pub async fn check_robots(&self, url: &str) -> Result<(), FetchError> {
        use super::robots::Rules;
        let Ok(parsed) = url::Url::parse(url) else {
            return Ok(());
        };
        let origin = parsed.origin().ascii_serialization();
        let cached = self.robots.lock().expect("robots").get(&origin).cloned();
        let rules = match cached {
            Some(rules) => rules,
            None => {
                let rules = match self.get(&format!("{origin}/robots.txt")).await {
                    Ok(fetched) => Rules::parse(&String::from_utf8_lossy(&fetched.body)),
                    Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                        Rules::allow_all()
                    }
                    Err(_) => Rules::disallow_all(),
                };
                let rules = std::sync::Arc::new(rules);
                self.robots
                    .lock()
                    .expect("robots")
                    .insert(origin, rules.clone());
                rules
            }
        };
        let path = match parsed.query() {
            Some(query) => format!("{}?{query}", parsed.path()),
            None => parsed.path().to_string(),
        };
        if rules.allows(&path) {
            Ok(())
        } else {
            Err(FetchError::Robots {
                url: url.to_string(),
            })
        }
    }

    /// A careers-site page: checked against its robots.txt, then fetched.
    pub async fn get_page(&self, url: &str) -> Result<Fetched, FetchError> {
        self.check_robots(url).await?;
        self.get(url).await
    }

    pub fn new(options: &HttpOptions) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(&options.user_agent)
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .dns_resolver(options.egress.clone())
            .redirect(redirects(options.max_redirects, options.egress.clone()))
            .build()
            .map_err(|e| FetchError::Other {
                url: String::new(),
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Self {
            client,
            egress: options.egress.clone(),
            max_bytes: options.max_bytes,
            retries: options.retries,
            backoff: options.backoff,
            robots: Default::default(),
            hosts: std::sync::Arc::new(HostTurns {
                interval: options
                    .per_host_rps
                    .filter(|rps| *rps > 0.0)
                    .map(|rps| Duration::from_secs_f64(1.0 / rps)),
                next: Default::default(),
            }),
        })
    }

    /// Sends the request `build` makes, in the host's turn, again after transient failures
    /// (up to `retries` more times, backing off exponentially with jitter, longer if the
    /// server's `Retry-After` says so).
    async fn send<T, F, Fut>(&self, url: &str, attempt: F) -> Result<T, FetchError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, FetchError>>,
    {
        let mut tries = 0;
        loop {
            self.hosts.wait(url).await;
            let error = match attempt().await {
                Ok(done) => return Ok(done),
                Err(error) => error,
            };
            if !error.is_transient() || tries >= self.retries {
                return Err(error);
            }
            let backoff = self
                .backoff
                .mul_f64(f64::from(1u32 << tries.min(10)) * jitter());
            let asked = match &error {
                FetchError::Status {
                    retry_after: Some(secs),
                    ..
                } => Duration::from_secs(*secs),
                _ => Duration::ZERO,
            };
            if asked > MAX_RETRY_AFTER {
                return Err(error);
            }
            tracing::debug!(url, %error, attempt = tries + 1, "retrying");
            tokio::time::sleep(backoff.max(asked)).await;
            tries += 1;
        }
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
        self.send(url, || self.get_once(url, validators)).await
    }

    async fn get_once(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Conditional, FetchError> {
        self.check_address(url)?;
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
        self.send(url, || self.post_once(url, body)).await
    }

    async fn post_once(&self, url: &str, body: &serde_json::Value) -> Result<Fetched, FetchError> {
        self.check_address(url)?;
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

    /// A URL naming an IP address never reaches the resolver that applies the egress policy.
    fn check_address(&self, url: &str) -> Result<(), FetchError> {
        match url::Url::parse(url) {
            Ok(parsed) => self
                .egress
                .check_url(&parsed)
                .map_err(|refused| FetchError::Refused {
                    url: url.to_owned(),
                    reason: refused.to_string(),
                }),
            // reqwest reports what is wrong with it.
            Err(_) => Ok(()),
        }
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

/// At most `max` redirects, each to an address the egress policy allows.
fn redirects(max: usize, egress: Egress) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max {
            attempt.error(TooManyRedirects)
        } else if let Err(refused) = egress.check_url(attempt.url()) {
            attempt.error(refused)
        } else {
            attempt.follow()
        }
    })
}

#[derive(Debug, thiserror::Error)]
#[error("too many redirects")]
struct TooManyRedirects;

fn send_error(url: &str, error: &reqwest::Error) -> FetchError {
    let url = url.to_owned();
    // A refusal by the egress policy, from the resolver or a redirect, wrapped by reqwest.
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(refused) = current.downcast_ref::<Refused>() {
            return FetchError::Refused {
                url,
                reason: refused.to_string(),
            };
        }
        cause = current.source();
    }
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

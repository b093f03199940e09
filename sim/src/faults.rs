//! Faults the real services exhibit, injected per provider: latency, 429 with `Retry-After`,
//! 5xx, requests that never answer, connection resets, truncated or malformed bodies, wrong
//! content types, huge bodies, slow drips. Set with `--faults` or `POST /_sim/faults`.

use axum::{
    body::{Body, Bytes},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer normally, after a delay.
    Latency { ms: u64 },
    /// 429 Too Many Requests with a `Retry-After` of this many seconds.
    RateLimited { retry_after_secs: u64 },
    /// An error status such as 500 or 503.
    Status { status: u16 },
    /// Accept the request and never answer.
    Hang,
    /// Drop the connection without a response.
    Reset,
    /// Send headers promising more body than arrives.
    Truncated,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// 200 with an HTML error page where JSON was expected.
    WrongContentType,
    /// 200 with a valid but enormous JSON body of this many MiB.
    Huge { mib: u64 },
    /// The normal body, one small chunk every `interval_ms`.
    SlowDrip { interval_ms: u64 },
    /// 302 Found to `location` (a moved careers page, or one pointing somewhere it should not).
    Redirect { location: String },
}

/// A fault on one provider ("greenhouse", ..., "careers", or "*" for all), optionally for
/// only the next `count` requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    pub provider: String,
    #[serde(flatten)]
    pub kind: FaultKind,
    #[serde(default)]
    pub count: Option<u32>,
}

impl Fault {
    /// Parses the command-line form `PROVIDER=KIND[:ARG][@COUNT]`, e.g. `greenhouse=429:2@3`,
    /// `lever=503`, `ashby=hang`, `*=latency:200`, `careers=redirect:http://10.0.0.1/`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (provider, rest) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}`: expected PROVIDER=KIND"))?;
        let (kind, count) = match rest.split_once('@') {
            Some((k, c)) => (
                k,
                Some(
                    c.parse::<u32>()
                        .map_err(|_| format!("`{spec}`: count must be a number"))?,
                ),
            ),
            None => (rest, None),
        };
        let (name, arg) = kind
            .split_once(':')
            .map_or((kind, None), |(n, a)| (n, Some(a)));
        let number = |default: u64| -> Result<u64, String> {
            arg.map_or(Ok(default), |a| {
                a.parse()
                    .map_err(|_| format!("`{spec}`: `{a}` is not a number"))
            })
        };
        let kind = match name {
            "latency" => FaultKind::Latency { ms: number(500)? },
            "429" => FaultKind::RateLimited {
                retry_after_secs: number(1)?,
            },
            "hang" => FaultKind::Hang,
            "reset" => FaultKind::Reset,
            "truncated" => FaultKind::Truncated,
            "malformed" => FaultKind::MalformedJson,
            "html" => FaultKind::WrongContentType,
            "huge" => FaultKind::Huge { mib: number(64)? },
            "drip" => FaultKind::SlowDrip {
                interval_ms: number(200)?,
            },
            "redirect" => FaultKind::Redirect {
                location: arg
                    .filter(|a| !a.is_empty())
                    .ok_or_else(|| format!("`{spec}`: redirect needs a URL"))?
                    .to_string(),
            },
            status => match status.parse::<u16>() {
                Ok(code) if (400..600).contains(&code) => FaultKind::Status { status: code },
                _ => return Err(format!("`{spec}`: unknown fault `{status}`")),
            },
        };
        if provider.is_empty() {
            return Err(format!("`{spec}`: provider is empty"));
        }
        Ok(Self {
            provider: provider.to_string(),
            kind,
            count,
        })
    }

    pub fn applies_to(&self, provider: &str) -> bool {
        self.provider == "*" || self.provider.eq_ignore_ascii_case(provider)
    }
}

/// What the fault does to a request. `Pass(delay)` lets the real handler answer.
pub enum Outcome {
    Pass {
        delay: Option<Duration>,
        drip: Option<Duration>,
    },
    Replace(Response),
    Hang,
}

pub fn outcome(kind: &FaultKind) -> Outcome {
    match kind {
        FaultKind::Latency { ms } => Outcome::Pass { delay: Some(Duration::from_millis(*ms)), drip: None },
        FaultKind::SlowDrip { interval_ms } => {
            Outcome::Pass { delay: None, drip: Some(Duration::from_millis(*interval_ms)) }
        }
        FaultKind::RateLimited { retry_after_secs } => {
            let mut response = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Outcome::Replace(response)
        }
        FaultKind::Status { status } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Outcome::Replace((status, status.canonical_reason().unwrap_or("Error")).into_response())
        }
        FaultKind::Hang => Outcome::Hang,
        FaultKind::Redirect { location } => {
            let mut response = (StatusCode::FOUND, "Found").into_response();
            if let Ok(value) = HeaderValue::from_str(location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            Outcome::Replace(response)
        }
        FaultKind::Reset => {
            // A body that fails before its first byte makes hyper abort the connection.
            let stream = futures_stream(vec![Err(std::io::Error::other("reset"))], None);
            Outcome::Replace(Response::new(Body::from_stream(stream)))
        }
        FaultKind::Truncated => {
            let chunks = vec![Ok(Bytes::from_static(b"{\"jobs\":[{\"id\":1,\"title\":\"Engin")), Err(std::io::Error::other("cut"))];
            let mut response = Response::new(Body::from_stream(futures_stream(chunks, None)));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("4096"));
            Outcome::Replace(response)
        }
        FaultKind::MalformedJson => Outcome::Replace(
            ([(header::CONTENT_TYPE, "application/json")], "{\"jobs\": [{\"id\": 1, \"title\": \"Engineer\",,]").into_response(),
        ),
        FaultKind::WrongContentType => Outcome::Replace(
            (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!DOCTYPE html><html><body><h1>We'll be right back</h1><p>Maintenance.</p></body></html>",
            )
                .into_response(),
        ),
        FaultKind::Huge { mib } => {
            let chunk = Bytes::from(format!("{{\"padding\":\"{}\"}},", "x".repeat(1024 * 1024 - 16)));
            let mut chunks = vec![Ok(Bytes::from_static(b"{\"jobs\":["))];
            chunks.extend((0..*mib).map(|_| Ok(chunk.clone())));
            chunks.push(Ok(Bytes::from_static(b"{}],\"meta\":{\"total\":0}}")));
            let mut response = Response::new(Body::from_stream(futures_stream(chunks, None)));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Outcome::Replace(response)
        }
    }
}

/// A stream of chunks, optionally spaced by `interval`.
pub fn futures_stream(
    chunks: Vec<Result<Bytes, std::io::Error>>,
    interval: Option<Duration>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::unfold(chunks.into_iter(), move |mut chunks| async move {
        let next = chunks.next()?;
        if let Some(interval) = interval {
            tokio::time::sleep(interval).await;
        }
        Some((next, chunks))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_command_line_specs() {
        assert_eq!(
            Fault::parse("greenhouse=429:2@3").unwrap(),
            Fault {
                provider: "greenhouse".into(),
                kind: FaultKind::RateLimited {
                    retry_after_secs: 2
                },
                count: Some(3)
            }
        );
        assert_eq!(
            Fault::parse("lever=503").unwrap().kind,
            FaultKind::Status { status: 503 }
        );
        assert_eq!(
            Fault::parse("*=latency:200").unwrap().kind,
            FaultKind::Latency { ms: 200 }
        );
        assert_eq!(Fault::parse("ashby=hang").unwrap().kind, FaultKind::Hang);
        assert!(Fault::parse("ashby").is_err());
        assert!(Fault::parse("ashby=explode").is_err());
        assert!(Fault::parse("ashby=200").is_err());
        assert!(Fault::parse("=hang").is_err());
    }

    #[test]
    fn json_form_round_trips() {
        let fault: Fault =
            serde_json::from_str(r#"{"provider":"lever","kind":"huge","mib":2,"count":1}"#)
                .unwrap();
        assert_eq!(fault.kind, FaultKind::Huge { mib: 2 });
        assert_eq!(fault.count, Some(1));
    }
}

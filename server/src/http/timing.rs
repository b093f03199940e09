//! Time to response headers: an `X-Response-Time` header on every response and a warning log
//! for slow requests.

use axum::{
    extract::{Request, State},
    http::HeaderValue,
    middleware::Next,
    response::Response,
};
use std::time::{Duration, Instant};

pub const HEADER: &str = "x-response-time";

/// The slow-request threshold, from `log.slow_request_ms`.
#[derive(Clone, Copy)]
pub struct SlowThreshold(pub Duration);

pub async fn track(State(slow): State<SlowThreshold>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.run(request).await;
    let elapsed = started.elapsed();
    let millis = elapsed.as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&format!("{millis:.3}ms")) {
        response.headers_mut().insert(HEADER, value);
    }
    if elapsed > slow.0 {
        tracing::warn!(%method, %path, status = response.status().as_u16(), elapsed_ms = millis, "slow request");
    }
    response
}

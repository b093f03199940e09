//! Whole answers for the job list, the rendered Jobs page and `GET /api/v1/jobs`, kept until
//! the next write to the store or the dashboard TTL.
//!
//! The Jobs list is the page everyone opens first and reopens most; rendering it (50 rows, the
//! counts, the data for hydration) costs milliseconds of CPU, and even a cached page of the
//! JSON API costs serializing 50 jobs again; serving a kept copy costs microseconds. An answer
//! depends only on its address and the store's data: the key holds the store's cache
//! generation, read before rendering, so a reader never gets an answer from before their own
//! last change. What differs per HTML response is the CSP nonce: a page is kept with the nonce
//! it was rendered with, and every copy served carries the nonce of its own request instead.
//! `Cache-Control: no-cache` (or a browser's reload) renders afresh from the database.

use super::security::CspNonce;
use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};
use engine::Database;
use engine::config::CacheConfig;
use engine::store::CachedStore;
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

/// Pages kept, by (store generations, path and query).
#[derive(Clone)]
pub struct PageCache {
    pages: Cache<((u64, u64), String), Arc<Page>>,
}

struct Page {
    headers: HeaderMap,
    body: Kept,
}

enum Kept {
    /// A page and the nonce it was rendered with.
    Html {
        body: String,
        nonce: String,
    },
    Json(Bytes),
}

impl Kept {
    fn len(&self) -> usize {
        match self {
            Kept::Html { body, .. } => body.len(),
            Kept::Json(bytes) => bytes.len(),
        }
    }
}

/// An answer larger than this is served but not kept (a Jobs page is ~120 KB, 50 jobs of JSON
/// ~25 KB).
const MAX_KEPT_BYTES: usize = 1024 * 1024;
/// Far above any page: reaching it means the render itself went wrong.
const MAX_RENDER_BYTES: usize = 64 * 1024 * 1024;

impl PageCache {
    /// Pages stay as long as the counts they show (`dashboard_ttl_secs`), within a tenth of
    /// the caches' memory budget.
    pub fn new(config: &CacheConfig) -> Self {
        Self {
            pages: Cache::builder()
                .name("pages")
                .max_capacity(config.max_mib * 1024 * 1024 / 10)
                .weigher(|key: &((u64, u64), String), page: &Arc<Page>| {
                    u32::try_from(key.1.len() + page.body.len() + 512).unwrap_or(u32::MAX)
                })
                .time_to_live(Duration::from_secs(config.dashboard_ttl_secs.max(1)))
                .build(),
        }
    }
}

/// What a response to `request` may be kept as, if anything: only the job list, as a page or
/// as JSON. Other pages show state outside the store's generation (runs, health).
fn cacheable(request: &Request) -> Option<Format> {
    if request.method() != Method::GET || app::state::wants_fresh(request.headers()) {
        return None;
    }
    match request.uri().path() {
        "/" => Some(Format::Html),
        "/api/v1/jobs" => Some(Format::Json),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Html,
    Json,
}

/// The middleware's state: cloned for every request that passes, so only two `Arc`s.
pub type PageCacheState = (PageCache, Arc<CachedStore<Database>>);

pub async fn serve(
    State((cache, store)): State<PageCacheState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(format) = cacheable(&request) else {
        return next.run(request).await;
    };
    let nonce = request.extensions().get::<CspNonce>().map(|n| n.0.clone());
    if format == Format::Html && nonce.is_none() {
        return next.run(request).await;
    }
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let key = (store.generation(), path);
    if let Some(page) = cache.pages.get(&key) {
        count(format, "hit");
        return page.serve(nonce.as_deref());
    }
    count(format, "miss");

    let response = next.run(request).await;
    let keepable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.starts_with(match format {
                    Format::Html => "text/html",
                    Format::Json => "application/json",
                })
            });
    if !keepable {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_RENDER_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "rendering the job list failed mid-stream");
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::from("the page could not be rendered"))
                .unwrap_or_default();
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let kept = match (format, nonce) {
        _ if bytes.len() > MAX_KEPT_BYTES => None,
        (Format::Html, Some(nonce)) => String::from_utf8(bytes.to_vec())
            .ok()
            .map(|body| Kept::Html { body, nonce }),
        (Format::Html, None) => None,
        (Format::Json, _) => Some(Kept::Json(bytes.clone())),
    };
    if let Some(body) = kept {
        cache.pages.insert(
            key,
            Arc::new(Page {
                headers: parts.headers.clone(),
                body,
            }),
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}

impl Page {
    fn serve(&self, nonce: Option<&str>) -> Response {
        let body = match (&self.body, nonce) {
            (Kept::Html { body, nonce: kept }, Some(nonce)) => {
                Body::from(body.replace(kept, nonce))
            }
            // Not reached: HTML is only served to requests with a nonce.
            (Kept::Html { body, .. }, None) => Body::from(body.clone()),
            // Shared, not copied.
            (Kept::Json(bytes), _) => Body::from(bytes.clone()),
        };
        let mut response = Response::new(body);
        *response.headers_mut() = self.headers.clone();
        response
    }
}

fn count(format: Format, outcome: &'static str) {
    let cache = match format {
        Format::Html => "pages_html",
        Format::Json => "pages_json",
    };
    metrics::counter!("jobscout_cache_requests_total", "cache" => cache, "result" => outcome)
        .increment(1);
}

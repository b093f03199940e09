//! Whole rendered Jobs pages, kept until the next write to the store or the dashboard TTL.
//!
//! The Jobs list is the page everyone opens first and reopens most; rendering it (50 rows, the
//! counts, the data for hydration) costs milliseconds of CPU, serving a copy microseconds. A
//! page depends only on its address and the store's data: the key holds the store's cache
//! generation, read before rendering, so a reader never gets a page from before their own last
//! change. What differs per response is the CSP nonce: a page is kept with the nonce it was
//! rendered with, and every copy served carries the nonce of its own request instead.
//! `Cache-Control: no-cache` (or a browser's reload) renders afresh from the database, as it
//! reads the JSON API's answers.

use super::security::CspNonce;
use axum::{
    body::{Body, to_bytes},
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

/// Pages kept, by (store generation, path and query).
#[derive(Clone)]
pub struct PageCache {
    pages: Cache<(u64, String), Arc<Page>>,
}

struct Page {
    headers: HeaderMap,
    body: String,
    /// The nonce `body` was rendered with.
    nonce: String,
}

/// A rendered page larger than this is served but not kept (a Jobs page is ~120 KB).
const MAX_KEPT_BYTES: usize = 1024 * 1024;
/// Far above any page: reaching it means the render itself went wrong.
const MAX_RENDER_BYTES: usize = 64 * 1024 * 1024;

impl PageCache {
    /// Pages stay as long as the counts they show (`dashboard_ttl_secs`), within a tenth of
    /// the caches' memory budget.
    pub fn new(config: &CacheConfig) -> Self {
        Self {
            pages: Cache::builder()
                .name("pages_html")
                .max_capacity(config.max_mib * 1024 * 1024 / 10)
                .weigher(|key: &(u64, String), page: &Arc<Page>| {
                    u32::try_from(key.1.len() + page.body.len() + 512).unwrap_or(u32::MAX)
                })
                .time_to_live(Duration::from_secs(config.dashboard_ttl_secs.max(1)))
                .build(),
        }
    }
}

/// Only the Jobs list: other pages show state outside the store's generation (runs, health).
fn cacheable(request: &Request) -> bool {
    request.method() == Method::GET
        && request.uri().path() == "/"
        && !app::state::wants_fresh(request.headers())
}

/// The middleware's state: cloned for every request that passes, so only two `Arc`s.
pub type PageCacheState = (PageCache, Arc<CachedStore<Database>>);

pub async fn serve(
    State((cache, store)): State<PageCacheState>,
    request: Request,
    next: Next,
) -> Response {
    if !cacheable(&request) {
        return next.run(request).await;
    }
    let Some(CspNonce(nonce)) = request.extensions().get::<CspNonce>().cloned() else {
        return next.run(request).await;
    };
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let key = (store.generation(), path);
    if let Some(page) = cache.pages.get(&key) {
        count("hit");
        return page.serve(&nonce);
    }
    count("miss");

    let response = next.run(request).await;
    let keepable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html"));
    if !keepable {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_RENDER_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "rendering the Jobs page failed mid-stream");
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::from("the page could not be rendered"))
                .unwrap_or_default();
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    if bytes.len() <= MAX_KEPT_BYTES
        && let Ok(body) = String::from_utf8(bytes.to_vec())
    {
        cache.pages.insert(
            key,
            Arc::new(Page {
                headers: parts.headers.clone(),
                body,
                nonce,
            }),
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}

impl Page {
    fn serve(&self, nonce: &str) -> Response {
        let mut response = Response::new(Body::from(self.body.replace(&self.nonce, nonce)));
        *response.headers_mut() = self.headers.clone();
        response
    }
}

fn count(outcome: &'static str) {
    metrics::counter!("jobscout_cache_requests_total", "cache" => "pages_html", "result" => outcome)
        .increment(1);
}

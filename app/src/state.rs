//! Server-side state shared by the axum router and every server function (through context).

use axum::extract::FromRef;
use engine::store::CachedStore;
use engine::{Config, Database};
use leptos::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything a request handler may need. Cheap to clone: every field is shared.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    /// The config file that was read, if any (shown on the Settings page).
    pub config_file: Option<Arc<PathBuf>>,
    pub db: Database,
    /// The job store with its caches: every job read and write goes through here.
    pub store: Arc<CachedStore<Database>>,
    /// Collection runs: started, cancelled and watched through here.
    pub runner: engine::runs::Runner,
}

impl AppState {
    /// The state of the current request, for server functions.
    pub fn current() -> Result<Self, ServerFnError> {
        use_context::<Self>()
            .ok_or_else(|| ServerFnError::ServerError("application state missing".into()))
    }
}

/// `Cache-Control: no-cache` (or `no-store`, `max-age=0`, as a browser's reload sends) asks for
/// a fresh answer, bypassing the server's caches; benchmarks measure the cold path this way.
pub fn wants_fresh(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(axum::http::header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|d| matches!(d.trim(), "no-cache" | "no-store" | "max-age=0"))
}

/// Whether the request being served (a page render or a server function) asked for a fresh
/// answer.
pub fn fresh_requested() -> bool {
    use_context::<axum::http::request::Parts>().is_some_and(|parts| wants_fresh(&parts.headers))
}

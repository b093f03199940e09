//! Builds the application state and router, and runs the server. Tests and benchmarks call
//! [`build_state`] and [`router`] to boot exactly what `jobscout serve` runs.

use crate::http::{api, auth, health, metrics, page_cache, runs, security, timing};
use anyhow::Context;
use app::{App, shell, state::AppState};
use axum::{Router, middleware, routing::get};
use engine::store::CachedStore;
use engine::{Config, Database};
use leptos::prelude::*;
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list,
};
use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, OnceLock},
    time::Duration,
};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

/// Opens the database (applying migrations) and assembles the shared state.
pub async fn build_state(config: Config, config_file: Option<PathBuf>) -> anyhow::Result<AppState> {
    let db = Database::open(&config.database).await?;
    // Runs a previous process left unfinished died with it.
    let interrupted = db.mark_interrupted(engine::store::unix_now()).await?;
    if interrupted > 0 {
        tracing::warn!(
            runs = interrupted,
            "runs left unfinished by the last process marked interrupted"
        );
    }
    let store = Arc::new(CachedStore::new(db.clone(), &config.cache));
    let http = engine::sources::HttpClient::new(&engine::sources::HttpOptions::from_config(
        &config.collection,
    ))?;
    let runner = engine::runs::Runner::new(
        db.clone(),
        http,
        config.sources.clone(),
        engine::runs::RunnerOptions {
            concurrency: config.collection.concurrency as usize,
            ..Default::default()
        },
    )
    .with_llm(engine::llm::Extractor::new(db.clone(), &config.llm)?)
    .on_saved({
        // New jobs must show in the next list, not after the cache's TTL.
        let store = store.clone();
        move || store.invalidate()
    });
    Ok(AppState {
        runner,
        leptos_options: leptos_options()?,
        config: Arc::new(config),
        config_file: config_file.map(Arc::new),
        db,
        store,
    })
}

/// Where the compiled site lives. cargo-leptos passes it through `LEPTOS_*` variables (and
/// bakes the output name in at compile time); the defaults match a plain run from the repo root.
fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let mut options = get_configuration(None)
        .context("reading LEPTOS_* settings")?
        .leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "jobscout".into();
    }
    Ok(options)
}

/// The complete HTTP application: operational endpoints, the Leptos pages and server
/// functions, static files, and the middleware every response goes through.
pub fn router(state: AppState) -> Router {
    metrics::handle();
    let routes = route_list();
    let slow = timing::SlowThreshold(Duration::from_millis(state.config.log.slow_request_ms));
    let render_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    // Static files and the 404 page: counted in metrics like any route.
    let fallback = Router::new()
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            security::provide_request_nonce,
            shell,
        ))
        .layer(middleware::from_fn(metrics::track))
        .with_state(state.clone());

    // Checked (with a clear message) before `serve` listens; should it still fail here,
    // nobody gets in rather than everybody.
    let access = auth::from_config(
        state.config.server.addr,
        state.config.server.password_hash.as_deref(),
    )
    .unwrap_or_else(|refusal| {
        tracing::error!(%refusal, "sign-in is misconfigured: refusing every request");
        Some(auth::Auth::locked())
    });
    let sign_in = Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", axum::routing::post(auth::logout))
        .with_state(access.clone());

    Router::new()
        .merge(sign_in)
        .route("/health", get(health::health))
        .route("/metrics", get(metrics::render))
        .route("/api/v1/jobs", get(api::list_jobs))
        .route("/api/v1/jobs/counts", get(api::job_counts))
        .route("/api/v1/jobs/{id}", get(api::job))
        .route("/api/v1/export", get(api::export))
        .route(
            "/api/v1/import",
            axum::routing::post(api::import).layer(axum::extract::DefaultBodyLimit::max(
                api::IMPORT_LIMIT_BYTES,
            )),
        )
        .route("/api/v1/runs", get(runs::list).post(runs::start))
        .route("/api/v1/runs/events", get(runs::events))
        .route("/api/v1/runs/{id}", get(runs::one))
        .route(
            "/api/v1/runs/{id}/cancel",
            axum::routing::post(runs::cancel),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            security::provide_request_nonce,
            render_shell,
        )
        // A route layer sees the matched route pattern, which labels the metrics.
        .route_layer(middleware::from_fn(metrics::track))
        .fallback_service(fallback)
        // Inside compression, so copies are compressed like fresh renders.
        .layer(middleware::from_fn_with_state(
            (
                page_cache::PageCache::new(&state.config.cache),
                state.store.clone(),
            ),
            page_cache::serve,
        ))
        // The default predicate skips SSE, images and tiny bodies. The fastest level: a page
        // of 50 jobs (22 KB of JSON) still shrinks about sixfold, and at the default level
        // compressing it cost more CPU than answering it (2,700 instead of 6,700 requests/s).
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(middleware::from_fn_with_state(access, auth::require))
        .layer(middleware::from_fn(security::same_origin))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn_with_state(slow, timing::track))
        .with_state(state)
}

/// The app's routes, collected once per process. Collecting renders the app in a special mode
/// that must not overlap with real renders, which matters when tests build several routers.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// `jobscout serve`: listens until SIGINT/SIGTERM, then gives in-flight requests
/// `server.shutdown_grace_secs` to finish.
pub async fn serve(config: Config, config_file: Option<PathBuf>) -> anyhow::Result<()> {
    let addr = config.server.addr;
    auth::from_config(addr, config.server.password_hash.as_deref()).map_err(anyhow::Error::msg)?;
    let grace = Duration::from_secs(config.server.shutdown_grace_secs);
    let signals = ShutdownSignals::install()?;
    let state = build_state(config, config_file).await?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("server.addr: cannot listen on {addr}"))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    tracing::info!(db = %state.db.path().display(), "Jobscout is listening on http://{addr}");
    // Companies and searches with a schedule are collected again when due.
    let scheduler = engine::runs::schedule::spawn(
        state.runner.clone(),
        state.db.clone(),
        engine::runs::schedule::TICK,
    );

    let shutdown = Arc::new(tokio::sync::Notify::new());
    // A make-service that clones the finished router per connection (an `Arc`): handing
    // `axum::serve` the router itself rebuilds its route table for every connection, some
    // 70 KB that each open connection (an SSE stream) keeps.
    // With the peer's address, which limits sign-in attempts per client.
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown({
        let shutdown = shutdown.clone();
        async move {
            signals.recv().await;
            tracing::info!("shutting down");
            shutdown.notify_waiters();
        }
    });
    let deadline = async {
        shutdown.notified().await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = server => result.context("serving HTTP")?,
        () = deadline => tracing::warn!("requests still open after {grace:?}; stopping anyway"),
    }
    scheduler.abort();
    state.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// SIGINT and SIGTERM, registered when created: a signal that arrives right after the server
/// announces its address must already be caught, not kill the process.
struct ShutdownSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    fn install() -> anyhow::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt()).context("installing SIGINT handler")?,
                terminate: signal(SignalKind::terminate()).context("installing SIGTERM handler")?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn recv(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {},
            _ = self.terminate.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

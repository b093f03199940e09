//! Runs over HTTP: start one, cancel it, read them, and `GET /api/v1/runs/events`, one
//! Server-Sent Events stream per browser tab for every run: a snapshot first, then what changed
//! (only the companies that changed, gathered at most five times a second, less often with
//! hundreds of streams open, and encoded once: every stream writes the same bytes), event ids
//! for `Last-Event-ID`, heartbeats. A slow client never slows a run: one that falls behind is
//! sent the current state, never a backlog.

use super::errors::ApiError;
use app::state::AppState;
use axum::{
    Json,
    body::{Body, Bytes},
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use engine::runs::{sse_event, update};
use model::{Run, RunTrigger};
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Runs listed by `GET /api/v1/runs`, and sent in the first event of a stream.
const RECENT: u32 = 20;

/// A stream with nothing to say sends a comment this often, so that proxies and browsers keep
/// it open and a closed tab is noticed.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(15);
const HEARTBEAT: &[u8] = b":heartbeat\n\n";

/// `GET /api/v1/runs`: the recent runs, newest first, with their companies.
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Run>>, ApiError> {
    Ok(Json(state.db.recent_runs(RECENT).await?))
}

/// `GET /api/v1/runs/{id}`.
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Run>, ApiError> {
    state
        .db
        .run(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no run {id}")))
}

/// What to collect: some companies by id, or every enabled one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    #[serde(default)]
    companies: Vec<i64>,
    #[serde(default)]
    all: bool,
}

/// `POST /api/v1/runs` `{"companies": [1, 2]}` or `{"all": true}` → 202 with the run, which
/// proceeds in the background. A company already being collected joins its run.
pub async fn start(
    State(state): State<AppState>,
    Json(request): Json<StartRequest>,
) -> Result<Response, ApiError> {
    let ids = (!request.all).then_some(request.companies.as_slice());
    let run = state.runner.start_ids(ids, RunTrigger::Api).await?;
    Ok((StatusCode::ACCEPTED, Json(run)).into_response())
}

/// `POST /api/v1/runs/{id}/cancel` → 202, or 404 when it is not running.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    if state.runner.cancel(id) {
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(ApiError::NotFound(format!("run {id} is not running")))
    }
}

/// `GET /api/v1/runs/events`.
pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let resumed: Option<u64> = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let (snapshot, updates) = state.runner.follow();
    // The recent runs without their companies (a page shows those from the server's history),
    // the running ones whole and live.
    let mut runs: Vec<Run> = state.db.recent_run_headers(RECENT).await?;
    for run in &mut runs {
        if let Some(live) = snapshot.runs.get(&run.id) {
            *run = if live.status.is_finished() {
                live.header()
            } else {
                Run::clone(live)
            };
        }
    }
    let runs: Vec<_> = runs.iter().map(|run| update(run, |_| true)).collect();
    let first = sse_event(
        "snapshot",
        snapshot.version,
        &json!({ "version": snapshot.version, "runs": runs, "resumed_from": resumed }).to_string(),
    );
    let runner = state.runner.clone();
    let changes = futures_util::stream::unfold(
        (updates, snapshot.version),
        move |(mut updates, mut sent)| {
            let runner = runner.clone();
            async move {
                loop {
                    let Ok(received) = tokio::time::timeout(HEARTBEAT_EVERY, updates.recv()).await
                    else {
                        return Some((Bytes::from_static(HEARTBEAT), (updates, sent)));
                    };
                    match received {
                        Ok(update) if update.version <= sent => continue,
                        Ok(update) => {
                            sent = update.version;
                            // The publication's own bytes: shared, not copied, by every stream.
                            return Some((update.event.clone(), (updates, sent)));
                        }
                        // Behind by more than the backlog: the current state, not the backlog
                        // (the running runs whole, the others as they ended).
                        Err(RecvError::Lagged(_)) => {
                            let (now, fresh) = runner.follow();
                            let whole: Vec<_> = now
                                .runs
                                .values()
                                .map(|run| update(run, |_| !run.status.is_finished()))
                                .collect();
                            let json = json!({ "version": now.version, "runs": whole });
                            sent = now.version;
                            let event = sse_event("runs", now.version, &json.to_string());
                            return Some((event, (fresh, sent)));
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            }
        },
    );
    let stream = futures_util::StreamExt::map(
        futures_util::StreamExt::chain(futures_util::stream::once(async move { first }), changes),
        Ok::<_, std::convert::Infallible>,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

//! Runs over HTTP: start one, cancel it, read them, and `GET /api/v1/runs/events`, one
//! Server-Sent Events stream per browser tab for every run: a snapshot first, then each change
//! (only the companies that changed), event ids for `Last-Event-ID`, heartbeats. A slow client
//! never slows a run: it reads the latest state whenever it is ready, never a backlog.

use super::errors::ApiError;
use app::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use engine::runs::Snapshot;
use model::{Run, RunTrigger};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Runs listed by `GET /api/v1/runs`, and sent in the first event of a stream.
const RECENT: u32 = 20;

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

/// One run as an update: its fields, and only the companies that changed since `before`.
fn update(run: &Run, before: Option<&Run>) -> serde_json::Value {
    let items: Vec<_> = run
        .items
        .iter()
        .filter(|item| {
            before
                .and_then(|b| b.items.iter().find(|i| i.id == item.id))
                .is_none_or(|old| old != *item)
        })
        .collect();
    json!({
        "id": run.id,
        "scope": run.scope,
        "trigger": run.trigger,
        "status": run.status,
        "started_at": model::time::rfc3339(run.started_at),
        "finished_at": run.finished_at.map(model::time::rfc3339),
        "counts": run.counts,
        "error": run.error,
        "items": items,
    })
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
    let mut progress = state.runner.subscribe();
    // The runs of this process (live) over the recent ones from the database.
    let snapshot: Snapshot = progress.borrow_and_update().clone();
    let mut runs: Vec<Run> = state.db.recent_runs(RECENT).await?;
    for run in &mut runs {
        if let Some(live) = snapshot.runs.get(&run.id) {
            *run = Run::clone(live);
        }
    }
    let first = Event::default()
        .event("snapshot")
        .id(snapshot.version.to_string())
        .json_data(json!({ "version": snapshot.version, "runs": runs, "resumed_from": resumed }))
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let sent: HashMap<i64, Arc<Run>> = snapshot.runs.clone().into_iter().collect();
    let changes =
        futures_util::stream::unfold((progress, sent), |(mut progress, mut sent)| async move {
            progress.changed().await.ok()?;
            let now = progress.borrow_and_update().clone();
            let updates: Vec<_> = now
                .runs
                .values()
                .filter(|run| sent.get(&run.id).is_none_or(|old| !Arc::ptr_eq(old, run)))
                .map(|run| update(run, sent.get(&run.id).map(Arc::as_ref)))
                .collect();
            sent = now.runs.clone().into_iter().collect();
            let event = Event::default()
                .event("runs")
                .id(now.version.to_string())
                .json_data(json!({ "version": now.version, "runs": updates }))
                .ok()?;
            Some((Ok::<_, std::convert::Infallible>(event), (progress, sent)))
        });
    let stream = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok(first) }),
        changes,
    );
    Ok(Sse::new(stream)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("heartbeat"),
        )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Phase, RunCounts, RunItem, RunScope, RunStatus};

    fn item(id: i64, phase: Phase) -> RunItem {
        RunItem {
            id,
            company_id: Some(id),
            label: format!("Company {id}"),
            phase,
            status: RunStatus::Running,
            started_at: Some(1),
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn an_update_names_only_the_companies_that_changed() {
        let before = Run {
            id: 7,
            scope: RunScope::All,
            trigger: RunTrigger::Ui,
            status: RunStatus::Running,
            started_at: 1,
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            items: (1..=3).map(|i| item(i, Phase::Fetching)).collect(),
        };
        let mut after = before.clone();
        after.items[1].phase = Phase::Saving;
        let sent = update(&after, Some(&before));
        let items = sent["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["id"], 2);
        assert_eq!(items[0]["phase"], "saving");
        assert_eq!(update(&after, None)["items"].as_array().unwrap().len(), 3);
    }
}

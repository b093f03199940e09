//! The JSON API, `/api/v1`: the same list, search and filters as the Jobs page, one job, counts,
//! and a streamed export of everything.

use super::errors::ApiError;
use app::state::AppState;
use app::state::wants_fresh;
use axum::{
    Json,
    body::Body,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use engine::store::{ExportFormat, unix_now};
use model::filter::{DEFAULT_LIMIT, parse_query_string};
use model::{JobQuery, ParamError};

fn parse(query: Option<&str>, allowed: &[&str]) -> Result<JobQuery, ParamError> {
    let pairs = parse_query_string(query.unwrap_or(""));
    if let Some((name, _)) = pairs.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
        return Err(ParamError {
            param: name.clone(),
            message: format!("unknown parameter; expected one of {}", allowed.join(", ")),
        });
    }
    JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

/// `GET /api/v1/jobs?q=&company=&stage=&...&limit=&cursor=` → `{"items": [...], "next_cursor"}`.
pub async fn list_jobs(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = parse(query.as_deref(), JobQuery::PARAMS)?;
    let page = state
        .store
        .list_jobs(
            &query.filter,
            query.cursor.as_deref(),
            query.limit.unwrap_or(DEFAULT_LIMIT),
            unix_now(),
            wants_fresh(&headers),
        )
        .await?;
    Ok(Json(&*page).into_response())
}

/// `GET /api/v1/jobs/counts?<filters>` → jobs per stage and per company for the filter.
pub async fn job_counts(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let filters: Vec<&str> = JobQuery::PARAMS
        .iter()
        .copied()
        .filter(|p| !matches!(*p, "limit" | "cursor" | "sort"))
        .collect();
    let query = parse(query.as_deref(), &filters)?;
    let counts = state
        .store
        .job_counts(&query.filter, unix_now(), wants_fresh(&headers))
        .await?;
    Ok(Json(&*counts).into_response())
}

/// `GET /api/v1/jobs/{id}` → the job with its history, or 404.
pub async fn job(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ParamError {
            param: "id".into(),
            message: format!("`{id}` is not a job id"),
        })?;
    match state.store.job(id, wants_fresh(&headers)).await? {
        Some(job) => Ok(Json(&*job).into_response()),
        None => Err(ApiError::NotFound(format!("no job with id {id}"))),
    }
}

/// Jobs read per page while exporting.
const EXPORT_PAGE: u32 = 500;

/// `GET /api/v1/export?format=csv|json`: every job, streamed as a download.
pub async fn export(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = parse_query_string(query.as_deref().unwrap_or(""));
    let mut format = ExportFormat::Json;
    for (name, value) in &pairs {
        let err = |message: &str| ParamError {
            param: name.clone(),
            message: message.into(),
        };
        match (name.as_str(), value.as_str()) {
            ("format", "csv") => format = ExportFormat::Csv,
            ("format", "json") => format = ExportFormat::Json,
            ("format", _) => return Err(err("expected csv or json").into()),
            _ => return Err(err("unknown parameter; expected format").into()),
        }
    }
    let db = state.db.clone();
    // (next id to read after, header sent, rows sent, finished)
    let stream = futures_util::stream::unfold(
        (0_i64, false, 0_u64, false),
        move |(after, started, sent, done)| {
            let db = db.clone();
            async move {
                if done {
                    return None;
                }
                if !started {
                    return Some((Ok(format.header()), (after, true, sent, false)));
                }
                match db.jobs_after(after, EXPORT_PAGE).await {
                    Err(error) => {
                        // Headers are gone already; ending the body early is the only signal
                        // left, and the log says why.
                        tracing::error!(%error, "export failed");
                        Some((
                            Err(std::io::Error::other(error.to_string())),
                            (after, true, sent, true),
                        ))
                    }
                    Ok(jobs) if jobs.is_empty() => {
                        Some((Ok(format.footer()), (after, true, sent, true)))
                    }
                    Ok(jobs) => {
                        let mut chunk = String::new();
                        for (i, job) in jobs.iter().enumerate() {
                            chunk.push_str(&format.row(job, sent == 0 && i == 0));
                        }
                        let last = jobs.last().map_or(after, |j| j.id);
                        Some((Ok(chunk), (last, true, sent + jobs.len() as u64, false)))
                    }
                }
            }
        },
    );
    let filename = format!(
        "attachment; filename=\"jobscout-{}.{}\"",
        model::time::date(unix_now()),
        format.extension()
    );
    // Fused: the compression layer polls a body once more after its end, and an unfused
    // `unfold` panics when polled again (every browser asks for gzip or br).
    let mut response = Body::from_stream(futures_util::StreamExt::fuse(stream)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&filename) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Largest import accepted (a JSON export of about 100,000 jobs).
pub const IMPORT_LIMIT_BYTES: usize = 256 * 1024 * 1024;

/// `POST /api/v1/import` with a JSON export as the body → what was inserted and updated.
/// The file's stages, stars, notes and archive are applied to the jobs it names.
pub async fn import(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Json<model::ImportCounts>, ApiError> {
    let jobs: Vec<model::Job> = serde_json::from_slice(&body).map_err(|e| ParamError {
        param: "body".into(),
        message: format!("not a Jobscout JSON export: {e}"),
    })?;
    let counts = state.db.import_jobs(&jobs, unix_now()).await;
    // Even a failed import may have committed its first batches.
    state.store.invalidate();
    Ok(Json(counts?))
}

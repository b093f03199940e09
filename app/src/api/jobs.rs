//! The Jobs page's server functions: the list (a page at a time), counts, one job, and the
//! user's changes. The list takes the page's own query string, so the URL, the JSON API and
//! the UI share one parser and one meaning.

#[cfg(feature = "ssr")]
use super::errors::{Refusal, refuse};
use leptos::prelude::*;
use model::{Job, JobChange, JobCounts, JobSummary, Page};

/// One page of the list for `query` (the Jobs page's query string, `cursor` included).
#[server(input = server_fn::codec::GetUrl)]
pub async fn list_jobs(query: String) -> Result<Page<JobSummary>, ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    let query = super::errors::parse_job_query(&query)?;
    let page = state
        .store
        .list_jobs(
            &query.filter,
            query.cursor.as_deref(),
            query.limit.unwrap_or(model::filter::DEFAULT_LIMIT),
            engine::store::unix_now(),
            crate::state::fresh_requested(),
        )
        .await
        .map_err(|e| store_error("Loading jobs", e))?;
    Ok((*page).clone())
}

/// Jobs per stage and per company for the filter in `query`.
#[server(input = server_fn::codec::GetUrl)]
pub async fn count_jobs(query: String) -> Result<JobCounts, ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    let query = super::errors::parse_job_query(&query)?;
    let counts = state
        .store
        .job_counts(
            &query.filter,
            engine::store::unix_now(),
            crate::state::fresh_requested(),
        )
        .await
        .map_err(|e| store_error("Counting jobs", e))?;
    Ok((*counts).clone())
}

/// One job with its stage history; `None` when there is no such job.
#[server(input = server_fn::codec::GetUrl)]
pub async fn get_job(id: i64) -> Result<Option<Job>, ServerFnError> {
    use super::errors::store_error;
    if id <= 0 {
        return Err(refuse(Refusal::Invalid, format!("`{id}` is not a job id")));
    }
    let state = crate::state::AppState::current()?;
    let job = state
        .store
        .job(id, crate::state::fresh_requested())
        .await
        .map_err(|e| store_error("Loading the job", e))?;
    Ok(job.map(|job| (*job).clone()))
}

/// Applies one change (stage, star, notes, archive) to one job or many; answers how many jobs
/// it reached.
#[server(input = server_fn::codec::Json)]
pub async fn change_jobs(ids: Vec<i64>, change: JobChange) -> Result<u64, ServerFnError> {
    use super::errors::store_error;
    if ids.iter().any(|id| *id <= 0) {
        return Err(refuse(Refusal::Invalid, "job ids are positive numbers"));
    }
    let state = crate::state::AppState::current()?;
    state
        .store
        .change_jobs(&ids, &change, engine::store::unix_now())
        .await
        .map_err(|e| store_error("Saving your change", e))
}

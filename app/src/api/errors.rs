//! The one place where server-side failures become messages the UI can show.

use leptos::prelude::ServerFnError;

/// Logs the full error on the server and gives the browser a short message without internals.
#[cfg(feature = "ssr")]
pub fn internal(context: &str, err: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %err, "{context} failed");
    ServerFnError::ServerError(format!("{context} failed. Details are in the server log."))
}

/// Why a request was refused, as the HTTP status the browser sees.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
pub enum Refusal {
    /// 422: a value the user gave cannot be used.
    Invalid,
    /// 404: the thing asked for does not exist.
    NotFound,
    /// 409: the request conflicts with what is happening (a run already collecting).
    Conflict,
}

/// The user's own request cannot be done: the message says why, and the status is a 4xx, not
/// the 500 server functions answer by default.
#[cfg(feature = "ssr")]
pub fn refuse(kind: Refusal, message: impl Into<String>) -> ServerFnError {
    use axum::http::StatusCode;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(match kind {
            Refusal::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::Conflict => StatusCode::CONFLICT,
        });
    }
    ServerFnError::ServerError(message.into())
}

/// A store error: the user's own mistakes (a value out of range) are told as they are; the
/// rest are logged and summarized.
#[cfg(feature = "ssr")]
pub fn store_error(context: &str, err: engine::store::StoreError) -> ServerFnError {
    use engine::store::StoreError;
    match err.root() {
        StoreError::Invalid(message) => refuse(Refusal::Invalid, message.clone()),
        StoreError::InvalidCursor => refuse(Refusal::Invalid, err.root().to_string()),
        // The person running Jobscout can fix these: say what happened, not "see the log".
        StoreError::DiskFull | StoreError::ReadOnly => {
            tracing::error!(error = %err, "{context} failed");
            ServerFnError::ServerError(format!("{context} failed: {}", err.root()))
        }
        _ => internal(context, err),
    }
}

/// Parses a Jobs page query string, naming the parameter at fault.
#[cfg(feature = "ssr")]
pub fn parse_job_query(query: &str) -> Result<model::JobQuery, ServerFnError> {
    let pairs = model::filter::parse_query_string(query);
    model::JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))).map_err(|e| {
        refuse(
            Refusal::Invalid,
            format!("The address has a bad filter: {e}"),
        )
    })
}

/// The text to show a person for a failed server function.
pub fn user_message(err: &ServerFnError) -> String {
    match err {
        ServerFnError::ServerError(message) => message.clone(),
        ServerFnError::Request(_) => {
            "Jobscout's server could not be reached. Is it still running?".to_string()
        }
        other => other.to_string(),
    }
}

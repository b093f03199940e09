//! How every `/api/v1` failure becomes an HTTP answer: one place, one JSON shape
//! (`{"error": {"status", "message", "param"?}}`), specific 4xx for the caller's mistakes, a
//! logged 500 with a generic message for ours.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use engine::store::StoreError;
use model::ParamError;
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    /// A query parameter that could not be accepted.
    Param(ParamError),
    NotFound(String),
    /// The request conflicts with the current state (nothing to run).
    Conflict(String),
    Store(StoreError),
}

impl From<engine::runs::StartError> for ApiError {
    fn from(error: engine::runs::StartError) -> Self {
        match error {
            engine::runs::StartError::Store(e) => ApiError::Store(e),
            engine::runs::StartError::UnknownCompany(id) => {
                ApiError::NotFound(format!("no company {id}"))
            }
            engine::runs::StartError::UnknownSearch(id) => {
                ApiError::NotFound(format!("no saved search {id}"))
            }
            other => ApiError::Conflict(other.to_string()),
        }
    }
}

impl From<ParamError> for ApiError {
    fn from(error: ParamError) -> Self {
        ApiError::Param(error)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::Store(error)
    }
}

fn body(status: StatusCode, message: &str, param: Option<&str>) -> Response {
    let mut error = json!({"status": status.as_u16(), "message": message});
    if let Some(param) = param {
        error["param"] = json!(param);
    }
    (status, Json(json!({ "error": error }))).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Param(e) => body(StatusCode::BAD_REQUEST, &e.to_string(), Some(&e.param)),
            ApiError::NotFound(what) => body(StatusCode::NOT_FOUND, &what, None),
            ApiError::Conflict(what) => body(StatusCode::CONFLICT, &what, None),
            ApiError::Store(error) => match error.root() {
                StoreError::InvalidCursor => body(
                    StatusCode::BAD_REQUEST,
                    &StoreError::InvalidCursor.to_string(),
                    Some("cursor"),
                ),
                StoreError::Invalid(message) => {
                    body(StatusCode::UNPROCESSABLE_ENTITY, message, None)
                }
                // Not a bug to hide behind "see the log": the person running Jobscout can fix it.
                fixable @ (StoreError::DiskFull | StoreError::ReadOnly) => {
                    tracing::error!(%error, "store failure");
                    let status = if matches!(fixable, StoreError::DiskFull) {
                        StatusCode::INSUFFICIENT_STORAGE
                    } else {
                        StatusCode::SERVICE_UNAVAILABLE
                    };
                    body(status, &fixable.to_string(), None)
                }
                _ => {
                    tracing::error!(%error, "store failure");
                    body(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "the database could not answer; see the server log",
                        None,
                    )
                }
            },
        }
    }
}

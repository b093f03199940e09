use app::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use model::{Health, HealthStatus};

/// `GET /health`: 200 when the database answers, 503 with the reason when it does not.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let version = env!("CARGO_PKG_VERSION").to_string();
    let checked = async {
        state.db.ping().await?;
        state.db.stats().await
    };
    match checked.await {
        Ok(stats) => (
            StatusCode::OK,
            Json(Health {
                status: HealthStatus::Ok,
                database: "ok".into(),
                version,
                schema_version: stats.schema_version,
            }),
        ),
        Err(err) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: HealthStatus::Degraded,
                database: err.to_string(),
                version,
                schema_version: 0,
            }),
        ),
    }
}

use serde::{Deserialize, Serialize};

/// Overall state reported by `GET /health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
    Degraded,
}

/// Body of `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: HealthStatus,
    /// "ok", or the error the database gave.
    pub database: String,
    pub version: String,
    /// Highest applied migration.
    pub schema_version: i64,
}

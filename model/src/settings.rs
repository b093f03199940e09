use serde::{Deserialize, Serialize};

/// What the Settings page shows: the effective configuration (secrets masked) and the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsSnapshot {
    pub version: String,
    /// Config file that was read, if any.
    pub config_file: Option<String>,
    pub sections: Vec<ConfigSection>,
    pub database: DatabaseInfo,
    pub caches: Vec<CacheInfo>,
    /// This month's LLM calls and spend against the budget.
    pub llm_usage: crate::insights::LlmUsage,
    /// Whether this Jobscout asks for a password (`server.password_hash`), so the reader can
    /// sign out.
    pub sign_in: bool,
}

/// One in-memory cache: what it holds and how often it answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheInfo {
    pub name: String,
    pub entries: u64,
    pub weighted_bytes: u64,
    pub hits: u64,
    pub misses: u64,
}

impl CacheInfo {
    /// Share of requests answered from the cache, when there were any.
    pub fn hit_rate(&self) -> Option<f64> {
        let total = self.hits + self.misses;
        (total > 0).then(|| self.hits as f64 / total as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigSection {
    pub name: String,
    pub entries: Vec<ConfigEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigEntry {
    /// Dotted key as written in `config.yaml` (`collection.concurrency`).
    pub key: String,
    /// The value rendered as text.
    pub value: String,
}

/// Facts about the SQLite database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseInfo {
    pub path: String,
    pub size_bytes: u64,
    pub wal_bytes: u64,
    pub page_size: i64,
    pub page_count: i64,
    pub schema_version: i64,
    pub sqlite_version: String,
}

/// Whether the LLM server answers and serves the configured model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LlmHealth {
    pub reachable: bool,
    pub serves_model: bool,
    /// The configured model's context length as the server reports it.
    pub max_model_len: Option<u32>,
    pub models: Vec<String>,
    pub latency_ms: u64,
    pub error: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    /// Jobs in the file.
    pub jobs: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

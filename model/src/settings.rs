use serde::{Deserialize, Serialize};

/// What the Settings page shows: the effective configuration (secrets masked) and the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsSnapshot {
    pub version: String,
    /// Config file that was read, if any.
    pub config_file: Option<String>,
    pub sections: Vec<ConfigSection>,
    pub database: DatabaseInfo,
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

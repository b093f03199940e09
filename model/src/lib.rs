//! Plain data types shared by the browser (wasm) and the server. serde only: no I/O here.

pub mod health;

pub use health::{Health, HealthStatus};
pub mod settings;

pub use settings::{ConfigEntry, ConfigSection, DatabaseInfo, SettingsSnapshot};

//! Jobscout's server-side logic. Nothing here knows about HTTP or the UI: the server and the
//! `app` crate's server functions call into it.

pub mod config;
pub mod llm;
pub mod runs;
pub mod sources;
pub mod store;

pub use config::Config;
pub use store::Database;

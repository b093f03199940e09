//! Storage: the SQLite database behind a reader pool and a single-connection writer pool.

mod db;

pub use db::{Database, StoreError};

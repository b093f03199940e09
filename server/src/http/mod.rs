//! HTTP concerns outside the Leptos app: operational endpoints and middleware.

pub mod api;
pub mod auth;
pub mod errors;
pub mod health;
pub mod metrics;
pub mod page_cache;
pub mod runs;
pub mod security;
pub mod timing;

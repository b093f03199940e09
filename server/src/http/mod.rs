//! HTTP concerns outside the Leptos app: operational endpoints and middleware.

pub mod api;
pub mod errors;
pub mod health;
pub mod metrics;
pub mod runs;
pub mod security;
pub mod timing;

//! HTTP concerns outside the Leptos app: operational endpoints and middleware.

pub mod health;
pub mod metrics;
pub mod security;
pub mod timing;

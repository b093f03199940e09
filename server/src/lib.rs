//! The `jobscout` binary's library: command line, wiring and the HTTP router. Split from
//! `main.rs` so integration tests and benchmarks boot exactly what users run.

pub mod cli;
pub mod collect;
mod http;
pub mod seed;
pub mod startup;
pub mod telemetry;

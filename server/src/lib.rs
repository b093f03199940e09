//! The `jobscout` binary's library: command line, wiring and the HTTP router. Split from
//! `main.rs` so integration tests and benchmarks boot exactly what users run.
// The release build (without `erase_components`) computes the layouts of deeply nested view
// types here; the default limit of 128 is too low for the Jobs page.
#![recursion_limit = "512"]

pub mod cli;
pub mod collect;
pub mod http;
pub mod seed;
pub mod startup;
pub mod telemetry;

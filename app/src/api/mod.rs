//! Server functions, grouped by domain. Each validates its input, calls `engine`, and maps
//! errors through [`errors`] so the UI gets one consistent message shape.

pub mod companies;
pub mod errors;
pub mod insights;
pub mod jobs;
pub mod runs;
pub mod searches;
pub mod settings;

//! Server functions, grouped by domain. Each validates its input, calls `engine`, and maps
//! errors through [`errors`] so the UI gets one consistent message shape.

pub mod errors;
pub mod settings;

//! The local LLM served by vLLM (OpenAI-compatible API): the client, the health check the
//! Settings page shows, and extraction of jobs from careers pages that carry neither an ATS
//! board nor JSON-LD (cleaned text, chunks that fit the context, structured output, an
//! exact-match cache, usage and a monthly budget).

pub mod chunk;
pub mod client;
pub mod extract;
mod health;
pub mod pages;
pub mod schema;
pub mod text;

pub use client::{LlmClient, LlmError};
pub use extract::{Extractor, Page};
pub use health::health;

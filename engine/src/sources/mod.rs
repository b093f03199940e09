//! Collecting jobs from where they are published. So far: recognising a pasted careers URL.

pub mod detect;
pub mod fields;
pub mod html;
pub mod salary;

pub use detect::{Detected, Provider, detect};

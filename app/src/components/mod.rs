//! Building blocks shared by the pages.

mod empty_state;
mod header;
mod shortcuts;

pub use empty_state::EmptyState;
pub use header::Header;
pub use shortcuts::ShortcutsOverlay;

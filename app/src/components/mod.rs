//! Building blocks shared by the pages.

pub mod chart;
mod empty_state;
mod header;
pub mod live;
mod shortcuts;
mod status;
mod toast;

pub use empty_state::EmptyState;
pub use header::Header;
pub use live::{LiveRuns, RunIndicator};
pub use shortcuts::ShortcutsOverlay;
pub use status::StatusBadge;
pub use toast::{ToastAction, ToastKind, ToastRegion, Toasts};

//! Structured logs through `tracing`, filtered by `RUST_LOG` or `log.level`.

use tracing_subscriber::{EnvFilter, fmt};

/// Checks `log.level` so a typo stops startup like any other bad setting.
pub fn filter(level: &str) -> anyhow::Result<EnvFilter> {
    if let Ok(from_env) = EnvFilter::try_from_default_env() {
        return Ok(from_env);
    }
    EnvFilter::try_new(level)
        .map_err(|e| anyhow::anyhow!("invalid configuration: `log.level`: {e}"))
}

/// Installs the global subscriber once; later calls (tests booting several servers) are no-ops.
pub fn init(filter: EnvFilter) {
    use std::io::IsTerminal;
    let _ = fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal())
        .try_init();
}

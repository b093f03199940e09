//! Configuration: built-in defaults, then `config.yaml` (or `--config FILE`), then
//! `JOBSCOUT_<SECTION>__<KEY>` environment variables, then command-line flags.
//!
//! Every layer is merged as a YAML tree before one strict deserialization, so an unknown key or a
//! wrongly typed value anywhere is reported once, with its dotted path, whichever layer it came from.

mod layers;
mod settings;

pub use layers::{ConfigError, DEFAULT_CONFIG_FILE, Overrides, config_file, load};
pub use settings::*;

/// Renders any serializable value (e.g. [`Config::redacted`]) as YAML.
pub fn to_yaml(value: &impl serde::Serialize) -> Result<String, serde_norway::Error> {
    serde_norway::to_string(value)
}

use super::Config;
use serde_norway::{Mapping, Value};
use std::path::{Path, PathBuf};

const ENV_PREFIX: &str = "JOBSCOUT_";
const ENV_SEPARATOR: &str = "__";
/// Read when no `--config` is given and the file exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "config.yaml";

/// Values given on the command line; they win over the file and the environment.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub db_path: Option<PathBuf>,
    pub addr: Option<String>,
}

/// Why the configuration could not be loaded. `Display` is one line that names the problem.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid YAML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error(
        "config file {path} must hold a mapping of sections (server, database, ...) at the top level"
    )]
    NotAMapping { path: PathBuf },
    #[error("invalid configuration: `{key}`{origin}: {message}")]
    Key {
        key: String,
        origin: String,
        message: String,
    },
}

impl ConfigError {
    /// The dotted key the error is about, when it is about one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Key { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// The config file that [`load`] reads: `--config` when given, else `config.yaml` in the
/// working directory if it exists.
pub fn config_file(explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => {
            let implicit = Path::new(DEFAULT_CONFIG_FILE);
            implicit.exists().then(|| implicit.to_path_buf())
        }
    }
}

/// Loads the configuration from all layers. `file` is `--config` (see [`config_file`] for the
/// default). `env` is usually `std::env::vars()`.
pub fn load(
    file: Option<&Path>,
    env: impl IntoIterator<Item = (String, String)>,
    overrides: &Overrides,
) -> Result<Config, ConfigError> {
    let defaults = serde_norway::to_value(Config::default()).expect("defaults serialize");
    let mut tree = Value::Mapping(Mapping::new());
    // Where each explicitly set key came from, to point the user at the right layer.
    let mut origins: Vec<(String, String)> = Vec::new();

    if let Some(path) = config_file(file).as_deref() {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let parsed: Value = serde_norway::from_str(&text).map_err(|e| ConfigError::Syntax {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        match parsed {
            Value::Null => {}
            Value::Mapping(_) => tree = parsed,
            _ => {
                return Err(ConfigError::NotAMapping {
                    path: path.to_path_buf(),
                });
            }
        }
    }

    let mut env: Vec<(String, String)> = env.into_iter().collect();
    env.sort();
    for (name, raw) in env {
        let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        // Variables without a section separator (e.g. JOBSCOUT_CONFIG) belong to the CLI.
        if !rest.contains(ENV_SEPARATOR) {
            continue;
        }
        let path: Vec<String> = rest
            .split(ENV_SEPARATOR)
            .map(str::to_ascii_lowercase)
            .collect();
        let value = env_value(&defaults, &path, &raw);
        origins.push((path.join("."), format!(" (from {name})")));
        set_path(&mut tree, &path, value);
    }

    if let Some(db) = &overrides.db_path {
        let path = ["database".to_string(), "path".to_string()];
        set_path(
            &mut tree,
            &path,
            Value::String(db.to_string_lossy().into_owned()),
        );
        origins.push(("database.path".into(), " (from --db)".into()));
    }
    if let Some(addr) = &overrides.addr {
        let path = ["server".to_string(), "addr".to_string()];
        set_path(&mut tree, &path, Value::String(addr.clone()));
        origins.push(("server.addr".into(), " (from --addr)".into()));
    }

    let origin_of = |key: &str| {
        origins
            .iter()
            .rev()
            .find(|(k, _)| key == k || key.starts_with(&format!("{k}.")))
            .map(|(_, o)| o.clone())
            .unwrap_or_default()
    };

    let config: Config = serde_path_to_error::deserialize(tree).map_err(|err| {
        let (key, message) = describe(err);
        ConfigError::Key {
            origin: origin_of(&key),
            key,
            message,
        }
    })?;
    config
        .validate()
        .map_err(|(key, message)| ConfigError::Key {
            origin: origin_of(&key),
            key,
            message,
        })?;
    Ok(config)
}

/// Environment values are YAML scalars (`10`, `true`, `2.5`), except where the key is a string
/// setting: an API key of `12345` must stay a string.
fn env_value(defaults: &Value, path: &[String], raw: &str) -> Value {
    let mut node = defaults;
    for part in path {
        match node.get(part.as_str()) {
            Some(next) => node = next,
            None => {
                return serde_norway::from_str(raw).unwrap_or_else(|_| Value::String(raw.into()));
            }
        }
    }
    if node.is_string() {
        Value::String(raw.to_string())
    } else {
        serde_norway::from_str(raw).unwrap_or_else(|_| Value::String(raw.into()))
    }
}

fn set_path(tree: &mut Value, path: &[String], value: Value) {
    let (last, parents) = path.split_last().expect("non-empty path");
    let mut node = tree;
    for part in parents {
        if !node.is_mapping() {
            *node = Value::Mapping(Mapping::new());
        }
        let map = node.as_mapping_mut().expect("mapping");
        node = map
            .entry(Value::String(part.clone()))
            .or_insert_with(|| Value::Mapping(Mapping::new()));
    }
    if !node.is_mapping() {
        *node = Value::Mapping(Mapping::new());
    }
    node.as_mapping_mut()
        .expect("mapping")
        .insert(Value::String(last.clone()), value);
}

/// Turns a serde error into (dotted key, reason); the path already ends at an unknown key.
fn describe(err: serde_path_to_error::Error<serde_norway::Error>) -> (String, String) {
    let key = err.path().to_string();
    let message = err.inner().to_string();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((_, expected)) = rest.split_once('`')
    {
        let expected = expected.trim_start_matches(", ").replace('`', "");
        return (key, format!("unknown key ({expected})"));
    }
    (key, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn load_yaml(yaml: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(yaml.as_bytes()).unwrap();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        load(Some(file.path()), env, &Overrides::default())
    }

    #[test]
    fn partial_file_keeps_defaults_for_the_rest() {
        let config = load_yaml("collection:\n  concurrency: 3\n", &[]).unwrap();
        assert_eq!(config.collection.concurrency, 3);
        assert_eq!(config.collection.retries, 2);
        assert_eq!(config.cache.jobs_ttl_secs, 600);
        assert_eq!(config.llm.model, "Qwen/Qwen3-4B-Instruct-2507-FP8");
    }

    #[test]
    fn empty_file_is_all_defaults() {
        assert_eq!(load_yaml("", &[]).unwrap(), Config::default());
    }

    #[test]
    fn the_shipped_config_yaml_is_exactly_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config.yaml");
        let config = load(Some(&path), std::iter::empty(), &Overrides::default()).unwrap();
        assert_eq!(config, Config::default());
    }

    #[test]
    fn env_overrides_file_and_flags_override_env() {
        let env = [
            ("JOBSCOUT_COLLECTION__CONCURRENCY", "7"),
            ("JOBSCOUT_DATABASE__PATH", "/tmp/from-env.db"),
            ("JOBSCOUT_LLM__API_KEY", "12345"),
            ("JOBSCOUT_CONFIG", "ignored-by-the-loader"),
        ];
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"collection:\n  concurrency: 3\n").unwrap();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        let overrides = Overrides {
            db_path: Some("/tmp/from-flag.db".into()),
            addr: None,
        };
        let config = load(Some(file.path()), env, &overrides).unwrap();
        assert_eq!(config.collection.concurrency, 7);
        assert_eq!(config.database.path, PathBuf::from("/tmp/from-flag.db"));
        assert_eq!(config.llm.api_key, "12345", "string settings stay strings");
    }

    #[test]
    fn unknown_key_is_named() {
        let err = load_yaml("server:\n  adress: 127.0.0.1:4000\n", &[]).unwrap_err();
        assert_eq!(err.key(), Some("server.adress"));
        let line = err.to_string();
        assert!(line.contains("unknown key"), "{line}");
        assert!(line.contains("addr"), "lists the valid keys: {line}");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn unknown_section_is_named() {
        let err = load_yaml("servr: {}\n", &[]).unwrap_err();
        assert_eq!(err.key(), Some("servr"));
    }

    #[test]
    fn wrong_type_is_named() {
        let err = load_yaml("collection:\n  concurrency: lots\n", &[]).unwrap_err();
        assert_eq!(err.key(), Some("collection.concurrency"));
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn bad_env_value_names_the_variable() {
        let err = load_yaml("", &[("JOBSCOUT_SERVER__ADDR", "not-an-address")]).unwrap_err();
        assert_eq!(err.key(), Some("server.addr"));
        assert!(err.to_string().contains("JOBSCOUT_SERVER__ADDR"), "{err}");
    }

    #[test]
    fn unknown_env_key_is_rejected() {
        let err = load_yaml("", &[("JOBSCOUT_CACHE__JOBS_TTL", "5")]).unwrap_err();
        assert_eq!(err.key(), Some("cache.jobs_ttl"));
    }

    #[test]
    fn out_of_range_value_is_named() {
        let err = load_yaml("collection:\n  concurrency: 0\n", &[]).unwrap_err();
        assert_eq!(err.key(), Some("collection.concurrency"));
        let err = load_yaml("llm:\n  base_url: localhost:8000\n", &[]).unwrap_err();
        assert_eq!(err.key(), Some("llm.base_url"));
    }

    #[test]
    fn syntax_error_and_missing_file_are_reported() {
        let err = load_yaml("server: [unclosed\n", &[]).unwrap_err();
        assert!(matches!(err, ConfigError::Syntax { .. }), "{err}");
        let err = load(
            Some(Path::new("/nonexistent/jobscout.yaml")),
            [],
            &Overrides::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read config file /nonexistent/jobscout.yaml")
        );
    }

    #[test]
    fn top_level_must_be_a_mapping() {
        let err = load_yaml("- just\n- a list\n", &[]).unwrap_err();
        assert!(matches!(err, ConfigError::NotAMapping { .. }));
    }

    #[test]
    fn nested_source_keys_load_and_validate() {
        let config = load_yaml(
            "sources:\n  lever:\n    base_url: http://127.0.0.1:4000\n",
            &[],
        )
        .unwrap();
        assert_eq!(config.sources.lever.base_url, "http://127.0.0.1:4000");
        assert_eq!(config.sources.ashby.base_url, "https://api.ashbyhq.com");
        let err = load_yaml("", &[("JOBSCOUT_SOURCES__ASHBY__BASE_URL", "ftp://x")]).unwrap_err();
        assert_eq!(err.key(), Some("sources.ashby.base_url"));
        let err = load_yaml("sources:\n  lever:\n    base_ur: x\n", &[]).unwrap_err();
        assert_eq!(err.key(), Some("sources.lever.base_ur"));
    }

    #[test]
    fn settings_sections_flatten_nested_keys() {
        let sections = Config::default().sections();
        let sources = sections.iter().find(|s| s.name == "sources").unwrap();
        assert!(
            sources
                .entries
                .iter()
                .any(|e| e.key == "sources.greenhouse.base_url"
                    && e.value == "https://boards-api.greenhouse.io")
        );
    }

    #[test]
    fn redacted_masks_the_api_key() {
        let mut config = Config::default();
        assert_eq!(config.redacted()["llm"]["api_key"], "");
        config.llm.api_key = "secret".into();
        assert_eq!(config.redacted()["llm"]["api_key"], "••••••");
    }
}

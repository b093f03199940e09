use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The effective configuration. Field docs mirror the comments in `config.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub cache: CacheConfig,
    pub collection: CollectionConfig,
    pub llm: LlmConfig,
    pub sources: SourcesConfig,
    pub log: LogConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address the HTTP server listens on.
    pub addr: SocketAddr,
    /// Seconds in-flight requests get to finish after SIGINT/SIGTERM.
    pub shutdown_grace_secs: u64,
    /// argon2id hash of the sign-in password (`jobscout hash-password`); required before
    /// listening on an address other machines can reach, and asked for whenever set.
    pub password_hash: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            shutdown_grace_secs: 10,
            password_hash: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// SQLite file; created (with its directory) on first start.
    pub path: PathBuf,
    /// Connections in the read pool. Writes always go through one dedicated connection.
    pub reader_connections: u32,
    /// How long a connection waits on a lock before giving up, in milliseconds.
    pub busy_timeout_ms: u64,
    /// SQLite page cache of each reader connection, in KiB. Readers touch pages all over the
    /// file (any job can be opened), so their caches fill to this bound and stay there.
    pub cache_size_kib: u32,
    /// SQLite page cache of the writer connection, in KiB: a batch of new jobs dirties
    /// thousands of index pages, and a cache smaller than that spills them mid-transaction.
    pub writer_cache_size_kib: u32,
    /// Bytes of the file SQLite may memory-map, in MiB (0 disables mmap).
    pub mmap_size_mib: u32,
    /// Where SQLite keeps temporary tables and indexes.
    pub temp_store: TempStore,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            path: PathBuf::from("./data/jobscout.db"),
            reader_connections: 4,
            busy_timeout_ms: 5_000,
            cache_size_kib: 8_192,
            writer_cache_size_kib: 65_536,
            mmap_size_mib: 256,
            temp_store: TempStore::Memory,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TempStore {
    Default,
    File,
    Memory,
}

impl TempStore {
    pub fn as_pragma(self) -> &'static str {
        match self {
            TempStore::Default => "DEFAULT",
            TempStore::File => "FILE",
            TempStore::Memory => "MEMORY",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Time to live of cached job lists, searches and job details, in seconds.
    pub jobs_ttl_secs: u64,
    /// Time to live of cached insights (charts, aggregates), in seconds.
    pub analytics_ttl_secs: u64,
    /// Time to live of cached dashboard counts and of rendered Jobs pages, in seconds.
    pub dashboard_ttl_secs: u64,
    /// Upper bound on the memory all caches together may hold, in MiB.
    pub max_mib: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            jobs_ttl_secs: 600,
            analytics_ttl_secs: 300,
            dashboard_ttl_secs: 60,
            max_mib: 16,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CollectionConfig {
    /// Companies fetched at the same time, across all runs.
    pub concurrency: u32,
    /// Requests per second allowed to any one host.
    pub per_host_rps: f64,
    /// Timeout of one HTTP request, in seconds.
    pub request_timeout_secs: u64,
    /// Attempts after the first for a failed request (429, 5xx, timeouts).
    pub retries: u32,
    /// User-Agent sent with every request.
    pub user_agent: String,
    /// Loopback, private or link-local networks collection may reach (CIDR, e.g.
    /// `10.0.0.0/8`); by default only public addresses.
    pub allowed_networks: Vec<String>,
}

impl Default for CollectionConfig {
    fn default() -> Self {
        Self {
            concurrency: 10,
            per_host_rps: 2.0,
            request_timeout_secs: 30,
            retries: 2,
            user_agent: concat!("Jobscout/", env!("CARGO_PKG_VERSION")).to_string(),
            allowed_networks: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmConfig {
    /// OpenAI-compatible base URL of the vLLM server (ending in /v1).
    pub base_url: String,
    /// Model name as served by vLLM.
    pub model: String,
    /// Bearer token for the server; empty sends none.
    pub api_key: String,
    /// The model's context window in tokens (vLLM `--max-model-len`).
    pub context_tokens: u32,
    /// Timeout of one completion request, in seconds.
    pub timeout_secs: u64,
    /// LLM requests in flight at once, across all runs (apart from the HTTP limits).
    pub concurrency: u32,
    /// Monthly spending limit in US dollars; 0 means unlimited.
    pub monthly_budget_usd: f64,
    /// Price charged per million tokens (prompt and completion), used against the budget.
    pub price_per_million_tokens_usd: f64,
}

impl Default for LlmConfig {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8000/v1".to_string(),
            model: "Qwen/Qwen3-4B-Instruct-2507-FP8".to_string(),
            api_key: String::new(),
            context_tokens: 8192,
            timeout_secs: 120,
            concurrency: 4,
            monthly_budget_usd: 10.0,
            price_per_million_tokens_usd: 0.2,
        }
    }
}

/// Where each provider's public API lives. The defaults are the real hosts; tests and the demo
/// point them at `jobscout-sim`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourcesConfig {
    pub greenhouse: SourceConfig,
    pub lever: SourceConfig,
    pub lever_eu: SourceConfig,
    pub ashby: SourceConfig,
    pub workable: SourceConfig,
    pub smartrecruiters: SourceConfig,
    /// `{company}` is replaced by the board's name (Recruitee boards live on their own host).
    pub recruitee: SourceConfig,
    /// Public job boards queried by saved searches.
    pub remotive: SourceConfig,
    pub remoteok: SourceConfig,
    pub arbeitnow: SourceConfig,
}

impl Default for SourcesConfig {
    fn default() -> Self {
        let at = |url: &str| SourceConfig {
            base_url: url.to_string(),
        };
        Self {
            greenhouse: at("https://boards-api.greenhouse.io"),
            lever: at("https://api.lever.co"),
            lever_eu: at("https://api.eu.lever.co"),
            ashby: at("https://api.ashbyhq.com"),
            workable: at("https://apply.workable.com"),
            smartrecruiters: at("https://api.smartrecruiters.com"),
            recruitee: at("https://{company}.recruitee.com"),
            remotive: at("https://remotive.com"),
            remoteok: at("https://remoteok.com"),
            arbeitnow: at("https://www.arbeitnow.com"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Scheme and host (and optional path prefix) the provider's API paths are appended to.
    pub base_url: String,
}

impl SourcesConfig {
    /// Where a provider's API lives (careers sites have none: their own URL is the board).
    pub fn base_url(&self, provider: crate::sources::Provider) -> &str {
        use crate::sources::Provider::*;
        match provider {
            Greenhouse => &self.greenhouse.base_url,
            Lever => &self.lever.base_url,
            LeverEu => &self.lever_eu.base_url,
            Ashby => &self.ashby.base_url,
            Workable => &self.workable.base_url,
            SmartRecruiters => &self.smartrecruiters.base_url,
            Recruitee => &self.recruitee.base_url,
            JsonLd | Llm => "",
        }
    }

    fn all(&self) -> [(&'static str, &SourceConfig); 10] {
        [
            ("greenhouse", &self.greenhouse),
            ("lever", &self.lever),
            ("lever_eu", &self.lever_eu),
            ("ashby", &self.ashby),
            ("workable", &self.workable),
            ("smartrecruiters", &self.smartrecruiters),
            ("recruitee", &self.recruitee),
            ("remotive", &self.remotive),
            ("remoteok", &self.remoteok),
            ("arbeitnow", &self.arbeitnow),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// tracing env-filter directive; `RUST_LOG` wins when set.
    pub level: String,
    /// Requests slower than this many milliseconds are logged as warnings.
    pub slow_request_ms: u64,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".to_string(),
            slow_request_ms: 100,
        }
    }
}

impl Config {
    /// Rules serde cannot express. Each failure names its key.
    pub(crate) fn validate(&self) -> Result<(), (String, String)> {
        fn fail(key: &str, why: impl Into<String>) -> Result<(), (String, String)> {
            Err((key.to_string(), why.into()))
        }
        let d = &self.database;
        if d.path.as_os_str().is_empty() {
            return fail("database.path", "must not be empty");
        }
        if d.reader_connections == 0 || d.reader_connections > 64 {
            return fail("database.reader_connections", "must be between 1 and 64");
        }
        let c = &self.collection;
        if c.concurrency == 0 || c.concurrency > 1_000 {
            return fail("collection.concurrency", "must be between 1 and 1000");
        }
        if !(c.per_host_rps.is_finite() && c.per_host_rps > 0.0) {
            return fail("collection.per_host_rps", "must be a positive number");
        }
        if c.request_timeout_secs == 0 {
            return fail("collection.request_timeout_secs", "must be at least 1");
        }
        if c.retries > 10 {
            return fail("collection.retries", "must be at most 10");
        }
        if c.user_agent.trim().is_empty() {
            return fail("collection.user_agent", "must not be blank");
        }
        if let Err(why) = crate::sources::egress::Egress::from_config(&c.allowed_networks) {
            return fail("collection.allowed_networks", why);
        }
        let l = &self.llm;
        if !(l.base_url.starts_with("http://") || l.base_url.starts_with("https://")) {
            return fail("llm.base_url", "must be an http:// or https:// URL");
        }
        if l.model.trim().is_empty() {
            return fail("llm.model", "must not be blank");
        }
        if l.context_tokens < 1024 {
            return fail("llm.context_tokens", "must be at least 1024");
        }
        if l.timeout_secs == 0 {
            return fail("llm.timeout_secs", "must be at least 1");
        }
        if !(1..=256).contains(&l.concurrency) {
            return fail("llm.concurrency", "must be between 1 and 256");
        }
        if !(l.monthly_budget_usd.is_finite() && l.monthly_budget_usd >= 0.0) {
            return fail(
                "llm.monthly_budget_usd",
                "must be zero or a positive number",
            );
        }
        if !(l.price_per_million_tokens_usd.is_finite() && l.price_per_million_tokens_usd >= 0.0) {
            return fail(
                "llm.price_per_million_tokens_usd",
                "must be zero or a positive number",
            );
        }
        for (name, source) in self.sources.all() {
            let url = source.base_url.trim_end_matches('/');
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.ends_with(':') {
                return fail(
                    &format!("sources.{name}.base_url"),
                    "must be an http:// or https:// URL",
                );
            }
        }
        for (key, ttl) in [
            ("cache.jobs_ttl_secs", self.cache.jobs_ttl_secs),
            ("cache.analytics_ttl_secs", self.cache.analytics_ttl_secs),
            ("cache.dashboard_ttl_secs", self.cache.dashboard_ttl_secs),
        ] {
            if ttl > 86_400 {
                return fail(key, "must be at most 86400 (one day)");
            }
        }
        Ok(())
    }

    /// The effective settings as (section, [(dotted key, value)]) with secrets masked, in the
    /// order of `config.yaml`, for the Settings page.
    pub fn sections(&self) -> Vec<model::ConfigSection> {
        let serde_json::Value::Object(root) = self.redacted() else {
            unreachable!("a struct")
        };
        root.into_iter()
            .map(|(name, section)| {
                let mut entries = Vec::new();
                flatten(&name, section, &mut entries);
                model::ConfigSection { name, entries }
            })
            .collect()
    }

    /// The configuration as a tree with secrets masked, for the Settings page and logs.
    pub fn redacted(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("config serializes");
        if !self.llm.api_key.is_empty() {
            value["llm"]["api_key"] = serde_json::Value::String("••••••".into());
        }
        if self.server.password_hash.is_some() {
            value["server"]["password_hash"] = serde_json::Value::String("••••••".into());
        }
        value
    }
}

/// Nested settings (`sources.greenhouse.base_url`) become one dotted key each.
fn flatten(prefix: &str, value: serde_json::Value, out: &mut Vec<model::ConfigEntry>) {
    match value {
        serde_json::Value::Object(fields) => {
            for (key, child) in fields {
                flatten(&format!("{prefix}.{key}"), child, out);
            }
        }
        serde_json::Value::String(s) => out.push(model::ConfigEntry {
            key: prefix.to_string(),
            value: s,
        }),
        other => out.push(model::ConfigEntry {
            key: prefix.to_string(),
            value: other.to_string(),
        }),
    }
}

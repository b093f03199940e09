//! The health check the Settings page shows: whether the LLM server answers, which models it
//! serves, and the configured model's context length.

use crate::config::LlmConfig;
use model::settings::LlmHealth;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// How long the Settings page waits for the LLM server.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Deserialize)]
struct Models {
    data: Vec<ServedModel>,
}

#[derive(Deserialize)]
struct ServedModel {
    id: String,
    #[serde(default)]
    max_model_len: Option<u32>,
}

/// Asks `GET {base_url}/models`: whether the server answers, whether it serves the configured
/// model, and that model's context length.
pub async fn health(client: &reqwest::Client, config: &LlmConfig) -> LlmHealth {
    let started = Instant::now();
    let url = format!("{}/models", config.base_url.trim_end_matches('/'));
    let mut request = client.get(&url).timeout(HEALTH_TIMEOUT);
    if !config.api_key.is_empty() {
        request = request.bearer_auth(&config.api_key);
    }
    let answer = async {
        let response = request
            .send()
            .await
            .map_err(|e| format!("cannot reach {url}: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{url} answered HTTP {status}"));
        }
        response
            .json::<Models>()
            .await
            .map_err(|e| format!("{url} answered something that is not a model list: {e}"))
    }
    .await;
    let latency_ms = started.elapsed().as_millis() as u64;
    match answer {
        Ok(models) => {
            let configured = models.data.iter().find(|m| m.id == config.model);
            LlmHealth {
                reachable: true,
                serves_model: configured.is_some(),
                max_model_len: configured.and_then(|m| m.max_model_len),
                models: models.data.iter().map(|m| m.id.clone()).collect(),
                latency_ms,
                error: configured.is_none().then(|| {
                    format!(
                        "the server does not serve the configured model {}",
                        config.model
                    )
                }),
            }
        }
        Err(error) => LlmHealth {
            reachable: false,
            serves_model: false,
            max_model_len: None,
            models: Vec::new(),
            latency_ms,
            error: Some(error),
        },
    }
}

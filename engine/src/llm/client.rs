//! A small client for vLLM's OpenAI-compatible API: chat completions with a JSON Schema as
//! `response_format`, token counts from `/tokenize`, the served context from `/v1/models`.
//! Connection errors, timeouts, 429 and 5xx are retried with backoff (and `Retry-After`);
//! a 400 never is: the same request would be refused again.

use crate::config::LlmConfig;
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// Attempts per request (the first and two retries).
const ATTEMPTS: u32 = 3;
/// First backoff; doubled each retry, with up to 50 % jitter.
const BACKOFF: Duration = Duration::from_millis(250);
/// The longest `Retry-After` honoured; a server asking for longer is treated as down.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// `/tokenize` and `/v1/models` are quick on a healthy server.
const QUICK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// No answer: refused connection, timeout, or errors on every attempt.
    #[error("LLM unavailable: {0}")]
    Unavailable(String),
    /// The server refused the request itself (4xx): retrying would not help.
    #[error("the LLM server refused the request (HTTP {status}): {message}")]
    Refused { status: u16, message: String },
    /// The answer was cut off by the output limit.
    #[error("the LLM's answer was cut off after {tokens} tokens (finish_reason \"length\")")]
    Truncated { tokens: u32 },
    /// The answer is not the JSON the schema asks for.
    #[error("the LLM answered something that is not the expected JSON: {0}")]
    Invalid(String),
    /// Extraction is paused until next month or a larger budget.
    #[error("LLM budget reached: ${spent:.2} of ${budget:.2} spent this month")]
    OverBudget { spent: f64, budget: f64 },
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Message {
    pub role: &'static str,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: "system",
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: "user",
            content: content.into(),
        }
    }
}

/// A finished completion.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub content: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

/// Talks to one vLLM server. Cheap to clone.
#[derive(Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    /// `…/v1`, without a trailing slash.
    api: String,
    /// The server's root, where vLLM serves `/tokenize`.
    root: String,
    model: String,
    api_key: String,
    timeout: Duration,
}

impl LlmClient {
    pub fn new(config: &LlmConfig) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| LlmError::Unavailable(format!("cannot build an HTTP client: {e}")))?;
        let api = config.base_url.trim_end_matches('/').to_owned();
        let root = api
            .strip_suffix("/v1")
            .unwrap_or(api.as_str())
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            http,
            api,
            root,
            model: config.model.clone(),
            api_key: config.api_key.clone(),
            timeout: Duration::from_secs(config.timeout_secs),
        })
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// A completion constrained to `schema` (temperature 0, at most `max_tokens` generated).
    /// `finish_reason: "length"` is [`LlmError::Truncated`].
    pub async fn complete(
        &self,
        messages: &[Message],
        schema_name: &str,
        schema: &Value,
        max_tokens: u32,
    ) -> Result<Completion, LlmError> {
        // `response_format` is the structured-output field vLLM keeps; `guided_json` was removed
        // (vLLM ≥ 0.12 ignores it and answers prose), so it is never sent.
        let body = json!({
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": max_tokens,
            "stream": false,
            "response_format": {
                "type": "json_schema",
                "json_schema": { "name": schema_name, "schema": schema, "strict": true },
            },
        });
        let url = format!("{}/chat/completions", self.api);
        let answer: ChatAnswer = self.post(&url, &body, self.timeout).await?;
        let choice = answer
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| LlmError::Invalid("no choices in the answer".into()))?;
        let completion_tokens = answer.usage.as_ref().map_or(0, |u| u.completion_tokens);
        if choice.finish_reason.as_deref() == Some("length") {
            return Err(LlmError::Truncated {
                tokens: completion_tokens,
            });
        }
        Ok(Completion {
            content: choice.message.content.unwrap_or_default(),
            prompt_tokens: answer.usage.as_ref().map_or(0, |u| u.prompt_tokens),
            completion_tokens,
        })
    }

    /// The exact prompt length of `messages` in tokens (chat template included), or `None`
    /// when the server has no `/tokenize` (then callers estimate).
    pub async fn count_tokens(&self, messages: &[Message]) -> Option<usize> {
        let body =
            json!({ "model": self.model, "messages": messages, "add_generation_prompt": true });
        self.tokenize(&body).await
    }

    /// The exact length of plain `text` in tokens, or `None` without `/tokenize`.
    pub async fn count_text(&self, text: &str) -> Option<usize> {
        let body = json!({ "model": self.model, "prompt": text, "add_special_tokens": false });
        self.tokenize(&body).await
    }

    async fn tokenize(&self, body: &Value) -> Option<usize> {
        #[derive(Deserialize)]
        struct Count {
            count: usize,
        }
        let url = format!("{}/tokenize", self.root);
        match self.post::<Count>(&url, body, QUICK_TIMEOUT).await {
            Ok(count) => Some(count.count),
            Err(error) => {
                tracing::debug!(%error, "no exact token count");
                None
            }
        }
    }

    /// The context length the server reports for the model (`max_model_len`), if any.
    pub async fn max_model_len(&self) -> Option<u32> {
        #[derive(Deserialize)]
        struct Models {
            data: Vec<Model>,
        }
        #[derive(Deserialize)]
        struct Model {
            id: String,
            max_model_len: Option<u32>,
        }
        let mut request = self
            .http
            .get(format!("{}/models", self.api))
            .timeout(QUICK_TIMEOUT);
        if !self.api_key.is_empty() {
            request = request.bearer_auth(&self.api_key);
        }
        let models: Models = request.send().await.ok()?.json().await.ok()?;
        models
            .data
            .into_iter()
            .find(|m| m.id == self.model)
            .and_then(|m| m.max_model_len)
    }

    /// POSTs `body` and reads a `T`, retrying what may succeed on a later attempt.
    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        body: &Value,
        timeout: Duration,
    ) -> Result<T, LlmError> {
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            let mut request = self.http.post(url).json(body).timeout(timeout);
            if !self.api_key.is_empty() {
                request = request.bearer_auth(&self.api_key);
            }
            let wait = match request.send().await {
                Err(e) => {
                    last = describe(&e);
                    None
                }
                Ok(response) => {
                    let status = response.status();
                    let retry_after = retry_after(response.headers());
                    let text = response.text().await.unwrap_or_default();
                    if status.is_success() {
                        return serde_json::from_str(&text)
                            .map_err(|e| LlmError::Invalid(format!("{url}: {e}")));
                    }
                    let message = error_message(&text);
                    if status.as_u16() != 429 && !status.is_server_error() {
                        return Err(LlmError::Refused {
                            status: status.as_u16(),
                            message,
                        });
                    }
                    last = format!("HTTP {status}: {message}");
                    if retry_after.is_some_and(|d| d > MAX_RETRY_AFTER) {
                        break;
                    }
                    retry_after
                }
            };
            if attempt + 1 < ATTEMPTS {
                tokio::time::sleep(wait.unwrap_or_else(|| backoff(attempt))).await;
            }
        }
        Err(LlmError::Unavailable(last))
    }
}

#[derive(Deserialize)]
struct ChatAnswer {
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: AnswerMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct AnswerMessage {
    content: Option<String>,
}

#[derive(Deserialize)]
struct Usage {
    prompt_tokens: u32,
    completion_tokens: u32,
}

/// The message of a vLLM error body, in either shape it has used: the OpenAI one,
/// `{"error": {"message": …, "type": …, "code": …}}`, and the older flat one,
/// `{"object": "error", "message": …, "type": …, "code": …}`. Anything else is quoted.
pub fn error_message(body: &str) -> String {
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let message = value
        .get("error")
        .and_then(|e| e.get("message").or(Some(e)))
        .or_else(|| value.get("message"))
        .and_then(Value::as_str);
    match message {
        Some(m) => m.to_owned(),
        None => {
            let text: String = body.trim().chars().take(200).collect();
            if text.is_empty() {
                "(empty body)".into()
            } else {
                text
            }
        }
    }
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "the request timed out".into()
    } else if error.is_connect() {
        "cannot connect to the LLM server".into()
    } else {
        error.to_string()
    }
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF * 2u32.pow(attempt);
    // Jitter from the clock's nanoseconds: enough to spread retries of concurrent calls.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    base + base.mul_f64(f64::from(nanos % 500) / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_are_understood() {
        let current = r#"{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"BadRequestError","param":"input_tokens","code":400}}"#;
        let legacy = r#"{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404}"#;
        assert_eq!(
            error_message(current),
            "This model's maximum context length is 8192 tokens."
        );
        assert_eq!(error_message(legacy), "The model `x` does not exist.");
        assert_eq!(error_message(r#"{"error":"plain"}"#), "plain");
        assert_eq!(error_message("Bad Gateway"), "Bad Gateway");
        assert_eq!(error_message(""), "(empty body)");
    }

    #[test]
    fn the_root_is_the_base_url_without_v1() {
        let client = LlmClient::new(&LlmConfig {
            base_url: "http://127.0.0.1:8000/v1/".into(),
            ..LlmConfig::default()
        })
        .unwrap();
        assert_eq!(client.api, "http://127.0.0.1:8000/v1");
        assert_eq!(client.root, "http://127.0.0.1:8000");
    }
}

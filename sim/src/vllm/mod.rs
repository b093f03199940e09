//! An OpenAI-compatible stand-in for a vLLM server: `GET /v1/models` (with vLLM's
//! `max_model_len`), `GET /health`, `POST /tokenize`, `GET /metrics` and
//! `POST /v1/chat/completions` with structured output through `response_format` (`json_schema`
//! or `json_object`) or vLLM's `structured_outputs`. The removed `guided_json` field is ignored
//! as vLLM ≥ 0.12 ignores it: the answer is then unconstrained prose. Answers are deterministic,
//! derived from the page text (see [`facts`]); token counts come from [`tokens`]; a prompt that
//! does not fit the context gets vLLM's HTTP 400.

pub mod facts;
pub mod schema;
pub mod tokens;

use crate::world::World;
use axum::{
    Json,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How the stand-in model behaves.
#[derive(Debug, Clone)]
pub struct LlmOptions {
    /// The served model name; requests naming another model get 404.
    pub model: String,
    /// Context window (`--max-model-len`).
    pub max_model_len: usize,
    /// Time to first token, per request.
    pub latency: Duration,
    /// Time per generated token.
    pub per_token: Duration,
    /// Requests generated at once (vLLM's `--max-num-seqs`); the rest wait in a queue.
    pub concurrency: usize,
    /// When set, `/v1/*` requires `Authorization: Bearer <key>` (vLLM's `--api-key`).
    pub api_key: Option<String>,
    /// Answer errors in the flat body older vLLM versions used.
    pub legacy_errors: bool,
}

impl Default for LlmOptions {
    fn default() -> Self {
        Self {
            model: "Qwen/Qwen3-4B-Instruct-2507-FP8".into(),
            max_model_len: 8192,
            latency: Duration::ZERO,
            per_token: Duration::ZERO,
            concurrency: 16,
            api_key: None,
            legacy_errors: false,
        }
    }
}

/// The model's state: its options, its queue and the counters `/metrics` reports.
pub struct Llm {
    pub options: LlmOptions,
    slots: Semaphore,
    running: AtomicU64,
    waiting: AtomicU64,
    prompt_tokens: AtomicU64,
    generation_tokens: AtomicU64,
    succeeded: AtomicU64,
    started_at: i64,
}

impl Llm {
    pub fn new(options: LlmOptions) -> Self {
        Self {
            slots: Semaphore::new(options.concurrency.max(1)),
            options,
            running: AtomicU64::new(0),
            waiting: AtomicU64::new(0),
            prompt_tokens: AtomicU64::new(0),
            generation_tokens: AtomicU64::new(0),
            succeeded: AtomicU64::new(0),
            started_at: now(),
        }
    }

    /// vLLM's error body: `{"error": {...}}` now, a flat object in older versions.
    pub fn error(
        &self,
        status: StatusCode,
        kind: &str,
        message: &str,
        param: Option<&str>,
    ) -> Response {
        let body = if self.options.legacy_errors {
            json!({"object": "error", "message": message, "type": kind, "param": param, "code": status.as_u16()})
        } else {
            json!({"error": {"message": message, "type": kind, "param": param, "code": status.as_u16()}})
        };
        (status, Json(body)).into_response()
    }

    pub fn bad_request(&self, message: &str, param: Option<&str>) -> Response {
        self.error(StatusCode::BAD_REQUEST, "BadRequestError", message, param)
    }

    /// `None` when the request may proceed; else the 401 vLLM sends.
    pub fn check_key(&self, headers: &HeaderMap) -> Option<Response> {
        let key = self.options.api_key.as_deref()?;
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        (sent != Some(key)).then(|| {
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": "Unauthorized"})),
            )
                .into_response()
        })
    }

    pub fn models(&self) -> Value {
        let model = &self.options.model;
        json!({
            "object": "list",
            "data": [{
                "id": model,
                "object": "model",
                "created": self.started_at,
                "owned_by": "vllm",
                "root": model,
                "parent": null,
                "max_model_len": self.options.max_model_len,
                "permission": [{
                    "id": format!("modelperm-{:016x}", self.started_at),
                    "object": "model_permission",
                    "created": self.started_at,
                    "allow_create_engine": false,
                    "allow_sampling": true,
                    "allow_logprobs": true,
                    "allow_search_indices": false,
                    "allow_view": true,
                    "allow_fine_tuning": false,
                    "organization": "*",
                    "group": null,
                    "is_blocking": false
                }]
            }]
        })
    }

    pub fn metrics(&self) -> String {
        let model = &self.options.model;
        let line = |name: &str, kind: &str, value: u64| {
            format!("# TYPE vllm:{name} {kind}\nvllm:{name}{{model_name=\"{model}\"}} {value}\n")
        };
        [
            line(
                "num_requests_running",
                "gauge",
                self.running.load(Ordering::Relaxed),
            ),
            line(
                "num_requests_waiting",
                "gauge",
                self.waiting.load(Ordering::Relaxed),
            ),
            line(
                "prompt_tokens_total",
                "counter",
                self.prompt_tokens.load(Ordering::Relaxed),
            ),
            line(
                "generation_tokens_total",
                "counter",
                self.generation_tokens.load(Ordering::Relaxed),
            ),
            line(
                "request_success_total",
                "counter",
                self.succeeded.load(Ordering::Relaxed),
            ),
        ]
        .concat()
    }

    pub fn tokenize(&self, request: TokenizeRequest) -> Response {
        let ids = match (&request.prompt, &request.messages) {
            (Some(prompt), None) => tokens::ids(prompt),
            (None, Some(messages)) => {
                let texts: Vec<String> = messages.iter().map(Message::text).collect();
                tokens::chat(
                    messages
                        .iter()
                        .map(|m| m.role.as_str())
                        .zip(texts.iter().map(String::as_str)),
                    request.add_generation_prompt.unwrap_or(true),
                )
            }
            _ => {
                return self.bad_request(
                    "Either `prompt` or `messages` must be given, not both.",
                    None,
                );
            }
        };
        Json(json!({
            "count": ids.len(),
            "max_model_len": self.options.max_model_len,
            "tokens": ids,
            "token_strs": null
        }))
        .into_response()
    }

    /// One chat completion, queued behind the concurrency limit like vLLM's scheduler.
    pub async fn chat(&self, world: &RwLock<World>, base: &str, request: ChatRequest) -> Response {
        if let Some(model) = &request.model
            && model != &self.options.model
        {
            return self.error(
                StatusCode::NOT_FOUND,
                "NotFoundError",
                &format!("The model `{model}` does not exist."),
                Some("model"),
            );
        }
        if request.messages.is_empty() {
            return self.bad_request(
                "messages: the list must contain at least one message",
                Some("messages"),
            );
        }
        if request.stream == Some(true) {
            return self.bad_request(
                "this simulator does not stream; send `stream: false`",
                Some("stream"),
            );
        }
        let output = match Output::requested(&request) {
            Ok(output) => output,
            Err(message) => {
                return self.bad_request(&message, Some("response_format"));
            }
        };
        let texts: Vec<String> = request.messages.iter().map(Message::text).collect();
        let prompt_tokens = tokens::chat(
            request
                .messages
                .iter()
                .map(|m| m.role.as_str())
                .zip(texts.iter().map(String::as_str)),
            true,
        )
        .len();
        let context = self.options.max_model_len;
        let max_tokens = request.max_completion_tokens.or(request.max_tokens);
        match max_tokens {
            Some(out) if prompt_tokens + out > context => {
                return self.bad_request(&format!(
                        "This model's maximum context length is {context} tokens. However, you requested {out} output tokens and your prompt contains at least {prompt_tokens} input tokens, for a total of at least {} tokens. Please reduce the length of the input prompt or the number of requested output tokens.",
                        prompt_tokens + out
                    ),
                    Some("input_tokens"),
                );
            }
            None if prompt_tokens >= context => {
                return self.bad_request(&format!(
                        "This model's maximum context length is {context} tokens. However, your request has {prompt_tokens} input tokens. Please reduce the length of the input messages."
                    ),
                    Some("input_tokens"),
                );
            }
            _ => {}
        }
        let budget = max_tokens.unwrap_or(context - prompt_tokens);

        // What the model reads: the user's turns, not the instructions around them.
        let page: String = request
            .messages
            .iter()
            .filter(|m| m.role == "user")
            .map(Message::text)
            .collect::<Vec<_>>()
            .join("\n");
        let mut jobs = {
            let world = world.read().expect("world");
            facts::find(&world, base, &page)
        };
        if jobs.is_empty() {
            jobs.push(facts::JobFacts::from_text(&page));
        }
        let full = output.render(&jobs);
        let full_tokens = tokens::count(&full);
        let (content, finish_reason) = if full_tokens > budget {
            (tokens::truncate(&full, budget).to_owned(), "length")
        } else {
            (full, "stop")
        };
        let completion_tokens = tokens::count(&content);

        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = self.slots.acquire().await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        self.running.fetch_add(1, Ordering::Relaxed);
        let delay = self.options.latency + self.options.per_token * completion_tokens as u32;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        self.running.fetch_sub(1, Ordering::Relaxed);
        drop(permit);
        self.prompt_tokens
            .fetch_add(prompt_tokens as u64, Ordering::Relaxed);
        self.generation_tokens
            .fetch_add(completion_tokens as u64, Ordering::Relaxed);
        let serial = self.succeeded.fetch_add(1, Ordering::Relaxed);

        Json(json!({
            "id": format!("chatcmpl-{:032x}", (u128::from(serial) << 64) | u128::from(tokens::ids(&content).iter().sum::<u64>())),
            "object": "chat.completion",
            "created": now(),
            "model": self.options.model,
            "choices": [{
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "refusal": null,
                    "annotations": null,
                    "audio": null,
                    "function_call": null,
                    "tool_calls": [],
                    "reasoning_content": null
                },
                "logprobs": null,
                "finish_reason": finish_reason,
                "stop_reason": null
            }],
            "service_tier": null,
            "system_fingerprint": null,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "completion_tokens": completion_tokens,
                "prompt_tokens_details": null
            },
            "prompt_logprobs": null,
            "kv_transfer_params": null
        }))
        .into_response()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[derive(Debug, Deserialize)]
pub struct ChatRequest {
    pub model: Option<String>,
    #[serde(default)]
    pub messages: Vec<Message>,
    pub max_tokens: Option<usize>,
    pub max_completion_tokens: Option<usize>,
    pub stream: Option<bool>,
    pub response_format: Option<Value>,
    pub structured_outputs: Option<Value>,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub role: String,
    #[serde(default)]
    pub content: Value,
}

impl Message {
    /// The text of a message: a string, or the text parts of a content array.
    fn text(&self) -> String {
        match &self.content {
            Value::String(s) => s.clone(),
            Value::Array(parts) => parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenizeRequest {
    pub prompt: Option<String>,
    pub messages: Option<Vec<Message>>,
    pub add_generation_prompt: Option<bool>,
}

/// The form the answer must take.
enum Output {
    Schema(Value),
    AnyJson,
    Prose,
}

impl Output {
    fn requested(request: &ChatRequest) -> Result<Self, String> {
        if let Some(format) = &request.response_format {
            return match format.get("type").and_then(Value::as_str) {
                Some("json_schema") => format
                    .get("json_schema")
                    .and_then(|s| s.get("schema"))
                    .cloned()
                    .map(Output::Schema)
                    .ok_or_else(|| "response_format: `json_schema` with a `schema` is required when type is \"json_schema\"".into()),
                Some("json_object") => Ok(Output::AnyJson),
                Some("text") => Ok(Output::Prose),
                other => Err(format!(
                    "response_format: unknown type {}; expected \"text\", \"json_object\" or \"json_schema\"",
                    other.map_or_else(|| "(none)".to_owned(), |t| format!("{t:?}"))
                )),
            };
        }
        if let Some(schema) = request
            .structured_outputs
            .as_ref()
            .and_then(|s| s.get("json"))
        {
            return Ok(Output::Schema(schema.clone()));
        }
        Ok(Output::Prose)
    }

    fn render(&self, jobs: &[facts::JobFacts]) -> String {
        match self {
            Output::Schema(schema) => schema::generate(schema, jobs).to_string(),
            Output::AnyJson => json!({
                "jobs": jobs.iter().map(|j| json!({"title": j.title, "location": j.location, "url": j.url})).collect::<Vec<_>>()
            })
            .to_string(),
            Output::Prose => {
                let mut text = String::from("Sure! Here is what I found on the page:\n\n");
                for job in jobs {
                    text.push_str(&format!("- **{}**", job.title));
                    if !job.location.is_empty() {
                        text.push_str(&format!(", {}", job.location));
                    }
                    text.push('\n');
                }
                text.push_str("\nLet me know if you need anything else.");
                text
            }
        }
    }
}

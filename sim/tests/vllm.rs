//! The vLLM stand-in over real HTTP: models, health, tokenize, structured chat completions
//! derived from page text, vLLM's context-overflow 400, truncation, faults and queueing.

use serde_json::{Value, json};
use sim::providers::plain_text;
use sim::vllm::LlmOptions;
use sim::world::{Provider, WorldSpec};
use sim::{Options, Sim};
use std::time::Duration;

const MODEL: &str = "Qwen/Qwen3-4B-Instruct-2507-FP8";

async fn start(llm: LlmOptions) -> Sim {
    let spec = WorldSpec {
        seed: 11,
        companies: 16,
        jobs_per_company: 14,
        now: 1_790_000_000,
    };
    let options = Options {
        llm,
        ..Options::default()
    };
    Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap()
}

async fn post(sim: &Sim, path: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", sim.base_url()))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn get_text(sim: &Sim, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("{}{path}", sim.base_url()))
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The plain-HTML careers company and its jobs, as the world holds them.
fn html_company(sim: &Sim) -> sim::world::Company {
    let world = sim.state.world.read().unwrap();
    world
        .companies
        .iter()
        .find(|c| c.provider == Provider::Html)
        .unwrap()
        .clone()
}

fn job_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "location": {"type": ["string", "null"]},
            "salary_min": {"type": ["integer", "null"]},
            "salary_max": {"type": ["integer", "null"]},
            "currency": {"type": ["string", "null"]},
            "employment_type": {"enum": ["full_time", "part_time", "contract", "internship", "temporary", null]}
        },
        "required": ["title", "location", "salary_min", "salary_max", "currency", "employment_type"],
        "additionalProperties": false
    })
}

fn chat(page: &str, schema: Value, max_tokens: Option<u64>) -> Value {
    let mut body = json!({
        "model": MODEL,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": "Extract the job posting from the page. Answer with JSON only."},
            {"role": "user", "content": page}
        ],
        "response_format": {"type": "json_schema", "json_schema": {"name": "job", "schema": schema, "strict": true}}
    });
    if let Some(max) = max_tokens {
        body["max_tokens"] = json!(max);
    }
    body
}

fn content(answer: &Value) -> &str {
    answer["choices"][0]["message"]["content"].as_str().unwrap()
}

#[tokio::test]
async fn models_health_and_metrics_answer_like_vllm() {
    let sim = start(LlmOptions::default()).await;
    let (status, models) = get_text(&sim, "/v1/models").await;
    assert_eq!(status, 200);
    let models: Value = serde_json::from_str(&models).unwrap();
    assert_eq!(models["object"], "list");
    assert_eq!(models["data"][0]["id"], MODEL);
    assert_eq!(models["data"][0]["max_model_len"], 8192);
    assert_eq!(get_text(&sim, "/health").await, (200, String::new()));
    let (_, metrics) = get_text(&sim, "/metrics").await;
    assert!(metrics.contains(&format!(
        "vllm:num_requests_running{{model_name=\"{MODEL}\"}} 0"
    )));
}

#[tokio::test]
async fn extracts_a_detail_page_with_the_true_values() {
    let sim = start(LlmOptions::default()).await;
    let company = html_company(&sim);
    let job = company
        .jobs
        .iter()
        .find(|j| j.listed && j.salary.is_some() && j.id % 10 != 3)
        .expect("a short page with a salary");
    let (status, html) =
        get_text(&sim, &format!("/careers/{}/jobs/{}", company.slug, job.id)).await;
    assert_eq!(status, 200);
    let page = plain_text(&html);
    let request = chat(&page, job_schema(), Some(700));

    let (status, answer) = post(&sim, "/v1/chat/completions", &request).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["object"], "chat.completion");
    assert_eq!(answer["choices"][0]["finish_reason"], "stop");
    let extracted: Value = serde_json::from_str(content(&answer)).unwrap();
    let salary = job.salary.as_ref().unwrap();
    assert_eq!(extracted["title"], job.title.trim());
    assert_eq!(extracted["salary_min"], salary.min);
    assert_eq!(extracted["salary_max"], salary.max);
    assert_eq!(extracted["currency"], salary.currency);
    assert!(extracted["employment_type"].is_string());

    // usage agrees with /tokenize on the same messages, and with the content's length.
    let (_, tokenized) = post(
        &sim,
        "/tokenize",
        &json!({"model": MODEL, "messages": request["messages"]}),
    )
    .await;
    let usage = &answer["usage"];
    assert_eq!(usage["prompt_tokens"], tokenized["count"]);
    assert_eq!(tokenized["max_model_len"], 8192);
    let completion = usage["completion_tokens"].as_u64().unwrap();
    assert!(completion > 5 && completion < 200, "{usage}");
    assert_eq!(
        usage["total_tokens"].as_u64().unwrap(),
        usage["prompt_tokens"].as_u64().unwrap() + completion
    );
    // The same page gives the same answer.
    let (_, again) = post(&sim, "/v1/chat/completions", &request).await;
    assert_eq!(content(&again), content(&answer));
}

#[tokio::test]
async fn a_list_page_gives_one_record_per_listed_job() {
    let sim = start(LlmOptions::default()).await;
    let company = html_company(&sim);
    let (_, html) = get_text(&sim, &format!("/careers/{}/", company.slug)).await;
    let schema = json!({
        "type": "object",
        "properties": {"jobs": {"type": "array", "items": {
            "type": "object",
            "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
            "required": ["title", "url"]
        }}},
        "required": ["jobs"]
    });
    let (status, answer) = post(
        &sim,
        "/v1/chat/completions",
        &chat(&plain_text(&html), schema, None),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let extracted: Value = serde_json::from_str(content(&answer)).unwrap();
    let mut titles: Vec<String> = extracted["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    let mut expected: Vec<String> = company
        .jobs
        .iter()
        .filter(|j| j.listed)
        .map(|j| j.title.trim().to_owned())
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(titles, expected);
    assert!(
        extracted["jobs"][0]["url"]
            .as_str()
            .unwrap()
            .contains(&format!("/careers/{}/jobs/", company.slug))
    );
}

#[tokio::test]
async fn a_page_beyond_the_context_gets_vllms_400() {
    let sim = start(LlmOptions::default()).await;
    let company = html_company(&sim);
    let long = company
        .jobs
        .iter()
        .find(|j| j.id % 10 == 3)
        .expect("a long page");
    let (_, html) = get_text(&sim, &format!("/careers/{}/jobs/{}", company.slug, long.id)).await;
    let (status, error) = post(
        &sim,
        "/v1/chat/completions",
        &chat(&plain_text(&html), job_schema(), Some(512)),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error["error"]["type"], "BadRequestError");
    assert_eq!(error["error"]["code"], 400);
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("This model's maximum context length is 8192 tokens. However, you requested 512 output tokens and your prompt contains at least "),
        "{message}"
    );
    // Without max_tokens, the prompt alone is too long.
    let (status, error) = post(
        &sim,
        "/v1/chat/completions",
        &chat(&plain_text(&html), job_schema(), None),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("input tokens")
    );
}

#[tokio::test]
async fn too_few_output_tokens_end_with_length_and_broken_json() {
    let sim = start(LlmOptions::default()).await;
    let (status, answer) = post(
        &sim,
        "/v1/chat/completions",
        &chat("Night Baker\nWe bake bread.", job_schema(), Some(6)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["choices"][0]["finish_reason"], "length");
    assert_eq!(answer["usage"]["completion_tokens"], 6);
    assert!(serde_json::from_str::<Value>(content(&answer)).is_err());
}

#[tokio::test]
async fn guided_json_is_ignored_as_vllm_ignores_it() {
    let sim = start(LlmOptions::default()).await;
    let body = json!({
        "model": MODEL,
        "messages": [{"role": "user", "content": "Night Baker\nWe bake bread."}],
        "guided_json": job_schema()
    });
    let (status, answer) = post(&sim, "/v1/chat/completions", &body).await;
    assert_eq!(status, 200);
    assert!(serde_json::from_str::<Value>(content(&answer)).is_err());
    assert!(content(&answer).contains("Night Baker"));
    // vLLM's own field is honoured.
    let body = json!({
        "model": MODEL,
        "messages": [{"role": "user", "content": "Night Baker\nWe bake bread."}],
        "structured_outputs": {"json": job_schema()}
    });
    let (_, answer) = post(&sim, "/v1/chat/completions", &body).await;
    let extracted: Value = serde_json::from_str(content(&answer)).unwrap();
    assert_eq!(extracted["title"], "Night Baker");
    assert_eq!(extracted["salary_min"], Value::Null);
}

#[tokio::test]
async fn errors_unknown_model_key_and_legacy_shape() {
    let sim = start(LlmOptions {
        api_key: Some("s3cret".into()),
        legacy_errors: true,
        ..LlmOptions::default()
    })
    .await;
    let client = reqwest::Client::new();
    let url = format!("{}/v1/chat/completions", sim.base_url());
    let body = json!({"model": "gpt-5", "messages": [{"role": "user", "content": "x"}]});
    let denied = client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(denied.status(), 401);
    let missing = client
        .post(&url)
        .bearer_auth("s3cret")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let error: Value = missing.json().await.unwrap();
    assert_eq!(error["object"], "error");
    assert_eq!(error["message"], "The model `gpt-5` does not exist.");
    let bad = client
        .post(&url)
        .bearer_auth("s3cret")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let (_, config) = get_text(&sim, "/_sim/config").await;
    assert!(config.contains("api_key: s3cret"));
}

#[tokio::test]
async fn faults_apply_and_calls_are_counted() {
    let sim = start(LlmOptions::default()).await;
    sim.state
        .set_faults(vec![sim::faults::Fault::parse("vllm=503@1").unwrap()]);
    let request = chat("Night Baker", job_schema(), None);
    let (first, _) = {
        let response = reqwest::Client::new()
            .post(format!("{}/v1/chat/completions", sim.base_url()))
            .json(&request)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), ())
    };
    assert_eq!(first, 503);
    let (second, _) = post(&sim, "/v1/chat/completions", &request).await;
    assert_eq!(second, 200);
    let host = format!("127.0.0.1:{}", sim.addr.port());
    let counters = sim.state.counters();
    assert_eq!(counters[&(host, "POST /v1/chat/completions".to_owned())], 2);
}

#[tokio::test]
async fn requests_beyond_the_concurrency_wait_in_a_queue() {
    let sim = start(LlmOptions {
        concurrency: 1,
        latency: Duration::from_millis(600),
        ..LlmOptions::default()
    })
    .await;
    let request = chat("Night Baker", job_schema(), None);
    let calls: Vec<_> = (0..3)
        .map(|_| {
            let (url, body) = (
                format!("{}/v1/chat/completions", sim.base_url()),
                request.clone(),
            );
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let (_, metrics) = get_text(&sim, "/metrics").await;
    assert!(
        metrics.contains(
            "vllm:num_requests_running{model_name=\"Qwen/Qwen3-4B-Instruct-2507-FP8\"} 1"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "vllm:num_requests_waiting{model_name=\"Qwen/Qwen3-4B-Instruct-2507-FP8\"} 2"
        ),
        "{metrics}"
    );
    for call in calls {
        assert_eq!(call.await.unwrap(), 200);
    }
}

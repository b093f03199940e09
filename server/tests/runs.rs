//! Runs over HTTP against the simulator: start in the background, live progress over SSE to
//! several subscribers (snapshot first, then changes, event ids), cancel, clear errors.

mod common;

use common::TestApp;
use serde_json::{Value, json};
use sim::world::{Provider, WorldSpec};
use std::time::Duration;

async fn setup(faults: &[&str]) -> (sim::Sim, TestApp, usize) {
    let spec = WorldSpec {
        seed: 4,
        companies: 8,
        jobs_per_company: 5,
        now: engine::store::unix_now(),
    };
    let options = sim::Options {
        faults: faults
            .iter()
            .map(|f| sim::faults::Fault::parse(f).unwrap())
            .collect(),
        ..sim::Options::default()
    };
    let sim = sim::Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap();
    let base = sim.base_url();
    let app = TestApp::spawn_with(|config| {
        for source in [
            &mut config.sources.greenhouse,
            &mut config.sources.lever,
            &mut config.sources.ashby,
        ] {
            source.base_url = base.clone();
        }
        config.collection.per_host_rps = 200.0;
        config.collection.allowed_networks = vec!["127.0.0.0/8".into()];
    })
    .await;
    let shells: Vec<_> = sim.state.world.read().unwrap().companies.clone();
    let mut added = 0;
    for c in &shells {
        let provider = match c.provider {
            Provider::Greenhouse => "greenhouse",
            Provider::Lever => "lever",
            Provider::Ashby => "ashby",
            _ => continue,
        };
        app.state
            .db
            .add_company(
                &engine::store::NewCompany {
                    name: c.name.clone(),
                    provider: provider.into(),
                    board_token: c.slug.clone(),
                    careers_url: None,
                },
                1,
            )
            .await
            .unwrap();
        added += 1;
    }
    (sim, app, added)
}

/// Reads SSE events (`event`, `id`, parsed `data`) until `done` says stop.
async fn read_events(
    app: &TestApp,
    last_event_id: Option<&str>,
    mut done: impl FnMut(&str, &Value) -> bool,
) -> Vec<(String, String, Value)> {
    let mut request = app.client.get(app.url("/api/v1/runs/events"));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let mut response = request.send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert!(
        response.headers().get("content-encoding").is_none(),
        "SSE is never compressed"
    );
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("events in time")
            .unwrap()
            .expect("stream open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut name, mut id, mut data) = (String::new(), String::new(), String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().into();
                } else if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().into();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if data.is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(&data).unwrap();
            let stop = done(&name, &value);
            events.push((name, id, value));
            if stop {
                return events;
            }
        }
    }
}

fn finished(value: &Value, run: i64) -> bool {
    value["runs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == run && r["status"] == "succeeded" && r["finished_at"].is_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_started_over_http_streams_its_progress_to_every_subscriber() {
    let (_sim, app, companies) = setup(&["*=latency:300"]).await;
    assert!(companies >= 3);
    let response = app
        .client
        .post(app.url("/api/v1/runs"))
        .json(&json!({ "all": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        202,
        "answered at once, before any company is done"
    );
    let run: Value = response.json().await.unwrap();
    let id = run["id"].as_i64().unwrap();
    assert_eq!(run["status"], "running");

    let subscribe = || read_events(&app, None, |_, value| finished(value, id));
    let (first, second) = tokio::join!(subscribe(), subscribe());
    for events in [&first, &second] {
        let (name, event_id, snapshot) = &events[0];
        assert_eq!(name, "snapshot");
        assert!(event_id.parse::<u64>().is_ok());
        assert!(
            snapshot["runs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == id)
        );
        assert!(events.len() >= 2, "updates follow the snapshot");
        let ids: Vec<u64> = events
            .iter()
            .map(|(_, id, _)| id.parse().unwrap())
            .collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "event ids increase: {ids:?}"
        );
        let (_, _, last) = events.last().unwrap();
        let run = last["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap();
        assert!(run["counts"]["new"].as_u64().unwrap() > 0);
    }
    // After the run, the list and the run itself tell the same story; jobs are listed.
    let done: Value = app
        .get(&format!("/api/v1/runs/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "succeeded");
    // The run as a tab builds it from its stream (the snapshot, then each update merged in:
    // compact, and without the names once sent) is the run as it ended.
    let ended: model::Run = serde_json::from_value(done.clone()).unwrap();
    for events in [&first, &second] {
        let mut streamed: Option<model::Run> = None;
        for (_, _, value) in events {
            let runs = value["runs"].as_array().unwrap();
            for run in runs.iter().filter(|run| run["id"] == id) {
                let run: model::Run = serde_json::from_value(run.clone()).unwrap();
                match &mut streamed {
                    Some(known) => known.merge(run),
                    None => streamed = Some(run),
                }
            }
        }
        assert_eq!(streamed.as_ref(), Some(&ended));
    }
    let listed: Value = app.get("/api/v1/runs").await.json().await.unwrap();
    assert_eq!(listed[0]["id"], id);
    let jobs: Value = app
        .get("/api/v1/jobs?limit=200")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        jobs["items"].as_array().unwrap().len() as u64,
        done["counts"]["new"].as_u64().unwrap(),
        "the new jobs are listed at once (caches invalidated)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_clear_errors_over_http() {
    let (_sim, app, _) = setup(&["*=latency:2000"]).await;
    let run: Value = app
        .client
        .post(app.url("/api/v1/runs"))
        .json(&json!({ "all": true }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = run["id"].as_i64().unwrap();
    let cancel = app
        .client
        .post(app.url(&format!("/api/v1/runs/{id}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 202);
    let events = read_events(&app, Some("0"), |_, value| {
        value["runs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id && r["status"] == "cancelled")
    })
    .await;
    assert_eq!(events[0].2["resumed_from"], 0);

    let again = app
        .client
        .post(app.url(&format!("/api/v1/runs/{id}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    let unknown = app
        .client
        .post(app.url("/api/v1/runs"))
        .json(&json!({ "companies": [999] }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["message"], "no company 999");
    let nothing = app
        .client
        .post(app.url("/api/v1/runs"))
        .json(&json!({ "companies": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(nothing.status(), 409);
    let bad = app
        .client
        .post(app.url("/api/v1/runs"))
        .json(&json!({ "every": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422, "unknown fields are refused");
}

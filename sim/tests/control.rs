//! Faults, the per-host rate limit and world changes, through the control API.

use serde_json::{Value, json};
use sim::{Options, Sim, faults::Fault, world::WorldSpec};
use std::time::Duration;

fn spec() -> WorldSpec {
    WorldSpec {
        seed: 3,
        companies: 8,
        jobs_per_company: 12,
        now: 1_790_000_000,
    }
}

async fn start(faults: &[&str], rate_limit: Option<u32>) -> Sim {
    let faults = faults.iter().map(|f| Fault::parse(f).unwrap()).collect();
    let options = Options {
        faults,
        rate_limit,
        ..Options::default()
    };
    Sim::start_with(spec(), "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

/// Sends a request and decodes its JSON answer.
async fn json_of<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    request.send().await.unwrap().json().await.unwrap()
}

fn token(sim: &Sim, provider: sim::world::Provider) -> String {
    let world = sim.state.world.read().unwrap();
    world
        .companies
        .iter()
        .find(|c| c.provider == provider)
        .unwrap()
        .slug
        .clone()
}

#[tokio::test]
async fn counted_429_carries_retry_after_then_clears() {
    let sim = start(&["greenhouse=429:7@2"], None).await;
    let url = format!(
        "{}/v1/boards/{}/jobs",
        sim.base_url(),
        token(&sim, sim::world::Provider::Greenhouse)
    );
    for _ in 0..2 {
        let response = client().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "7");
    }
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        200,
        "the fault was used up"
    );
    // Other providers are untouched.
    let lever = format!(
        "{}/v0/postings/{}?mode=json",
        sim.base_url(),
        token(&sim, sim::world::Provider::Lever)
    );
    assert_eq!(client().get(&lever).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn faults_set_through_the_api_break_bodies_in_the_real_ways() {
    let sim = start(&[], None).await;
    let url = format!(
        "{}/v1/boards/{}/jobs",
        sim.base_url(),
        token(&sim, sim::world::Provider::Greenhouse)
    );
    let set = |fault: Value| {
        let sim_url = format!("{}/_sim/faults", sim.base_url());
        async move {
            let c = client();
            c.delete(&sim_url).send().await.unwrap();
            assert_eq!(
                c.post(&sim_url).json(&fault).send().await.unwrap().status(),
                204
            );
        }
    };

    set(json!({"provider": "greenhouse", "kind": "status", "status": 503})).await;
    assert_eq!(client().get(&url).send().await.unwrap().status(), 503);

    set(json!({"provider": "greenhouse", "kind": "malformed_json"})).await;
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.json::<Value>().await.is_err(), "body is not JSON");

    set(json!({"provider": "greenhouse", "kind": "wrong_content_type"})).await;
    let response = client().get(&url).send().await.unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );

    set(json!({"provider": "greenhouse", "kind": "truncated"})).await;
    let result = async { client().get(&url).send().await?.bytes().await }.await;
    assert!(
        result.is_err(),
        "a truncated body is an error, not a short success"
    );

    set(json!({"provider": "greenhouse", "kind": "reset"})).await;
    let result = async { client().get(&url).send().await?.bytes().await }.await;
    assert!(result.is_err(), "the connection is dropped");

    set(json!({"provider": "greenhouse", "kind": "hang"})).await;
    let err = client().get(&url).send().await.unwrap_err();
    assert!(err.is_timeout(), "{err}");

    set(json!({"provider": "greenhouse", "kind": "huge", "mib": 3})).await;
    let body = client()
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(body.len() > 3 * 1024 * 1024);
    assert!(
        serde_json::from_slice::<Value>(&body).is_ok(),
        "huge but valid"
    );

    set(json!({"provider": "greenhouse", "kind": "latency", "ms": 300})).await;
    let started = std::time::Instant::now();
    assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    set(json!({"provider": "greenhouse", "kind": "slow_drip", "interval_ms": 5})).await;
    let body: Value = json_of(client().get(&url)).await;
    assert_eq!(body["meta"]["total"], 12, "dripped slowly, arrives whole");

    let listed: Vec<Value> = json_of(client().get(format!("{}/_sim/faults", sim.base_url()))).await;
    assert_eq!(listed.len(), 1);
    let bad = client()
        .post(format!("{}/_sim/faults", sim.base_url()))
        .body("{\"kind\":\"nope\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn per_host_rate_limit_answers_429_and_is_reported() {
    let sim = start(&[], Some(5)).await;
    let url = format!(
        "{}/v0/postings/{}?mode=json",
        sim.base_url(),
        token(&sim, sim::world::Provider::Lever)
    );
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(client().get(&url).send().await.unwrap().status().as_u16());
    }
    let limited = statuses.iter().filter(|s| **s == 429).count();
    // 20 requests inside (at most) two one-second windows: at least 10 over the limit.
    assert!(limited >= 10, "{statuses:?}");
    let report: Value = json_of(client().get(format!("{}/_sim/requests", sim.base_url()))).await;
    assert_eq!(report["rate_limited"][sim.addr.to_string()], limited as u64);
}

#[tokio::test]
async fn world_changes_between_runs() {
    let sim = start(&[], None).await;
    let slug = token(&sim, sim::world::Provider::Ashby);
    let board_url = format!("{}/posting-api/job-board/{slug}", sim.base_url());
    let jobs = |body: Value| body["jobs"].as_array().unwrap().clone();
    let before = jobs(json_of(client().get(&board_url)).await);
    assert_eq!(before.len(), 12);

    let added: Value = json_of(
        client()
            .post(format!("{}/_sim/world/{slug}/jobs", sim.base_url()))
            .json(&json!({"count": 3})),
    )
    .await;
    assert_eq!(added["added"].as_array().unwrap().len(), 3);
    let id = sim
        .state
        .world
        .read()
        .unwrap()
        .company(sim::world::Provider::Ashby, &slug)
        .unwrap()
        .jobs[0]
        .id;
    let edit = client()
        .patch(format!("{}/_sim/world/{slug}/jobs/{id}", sim.base_url()))
        .json(&json!({"title": "Renamed Role"}))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 204);
    let second = sim
        .state
        .world
        .read()
        .unwrap()
        .company(sim::world::Provider::Ashby, &slug)
        .unwrap()
        .jobs[1]
        .id;
    let removed = client()
        .delete(format!(
            "{}/_sim/world/{slug}/jobs/{second}",
            sim.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);

    let after = jobs(json_of(client().get(&board_url)).await);
    assert_eq!(after.len(), 14);
    assert_eq!(after[0]["title"], "Renamed Role");
    let ids: std::collections::HashSet<&str> =
        after.iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 14, "new jobs have new ids");

    assert_eq!(
        client()
            .delete(format!("{}/_sim/world/{slug}", sim.base_url()))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        client().get(&board_url).send().await.unwrap().status(),
        404,
        "a removed board answers 404"
    );
}

//! `/api/v1` over real HTTP: the list with filters and cursors, search, one job, counts, errors
//! that name the parameter, the cache and its bypass, and the export.

mod common;

use common::{TestApp, seeded};
use engine::store::{JobChange, unix_now};
use model::Stage;
use serde_json::Value;

async fn json(app: &TestApp, path: &str) -> (u16, Value) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn lists_pages_by_cursor_until_the_end() {
    let app = seeded().await;
    let mut titles = Vec::new();
    let mut path = "/api/v1/jobs?limit=4".to_owned();
    loop {
        let (status, page) = json(&app, &path).await;
        assert_eq!(status, 200, "{page}");
        titles.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|j| j["title"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/jobs?limit=4&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(
        titles,
        [
            "Baker 1",
            "Baker 2",
            "Baker 3",
            "Baker 4",
            "Baker 5",
            "Rust Engineer"
        ]
    );
    let (_, page) = json(&app, "/api/v1/jobs?limit=1").await;
    let first = &page["items"][0];
    assert_eq!(first["stage"], "inbox");
    assert_eq!(first["remote"], "remote");
    assert!(first["posted_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn searches_with_highlights_and_filters() {
    let app = seeded().await;
    let (status, page) = json(&app, "/api/v1/jobs?q=rust%20eng").await;
    assert_eq!(status, 200);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["highlight"]["title"],
        "\u{E000}Rust\u{E001} \u{E000}Engineer\u{E001}"
    );
    let (_, page) = json(&app, "/api/v1/jobs?q=baker&remote=onsite").await;
    assert!(page["items"].as_array().unwrap().is_empty());
    let (_, counts) = json(&app, "/api/v1/jobs/counts?q=baker").await;
    assert_eq!(counts["total"], 5);
}

#[tokio::test]
async fn bad_requests_name_the_parameter() {
    let app = seeded().await;
    for (path, param) in [
        ("/api/v1/jobs?colour=red", "colour"),
        ("/api/v1/jobs?stage=later", "stage"),
        ("/api/v1/jobs?limit=100000", "limit"),
        ("/api/v1/jobs?cursor=forged", "cursor"),
        ("/api/v1/jobs/counts?limit=5", "limit"),
        ("/api/v1/jobs/abc", "id"),
        ("/api/v1/export?format=xml", "format"),
    ] {
        let (status, body) = json(&app, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["param"], param, "{path}: {body}");
    }
    let (status, body) = json(&app, "/api/v1/jobs/99999").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["message"], "no job with id 99999");
}

#[tokio::test]
async fn cached_reads_follow_writes_and_no_cache_bypasses() {
    let app = seeded().await;
    let (_, page) = json(&app, "/api/v1/jobs?limit=1").await;
    let id = page["items"][0]["id"].as_i64().unwrap();
    let (_, detail) = json(&app, &format!("/api/v1/jobs/{id}")).await;
    assert_eq!(detail["stage"], "inbox");

    // A change through the store is seen at once.
    app.state
        .store
        .change_jobs(&[id], &JobChange::Stage(Stage::Applied), unix_now())
        .await
        .unwrap();
    let (_, detail) = json(&app, &format!("/api/v1/jobs/{id}")).await;
    assert_eq!(detail["stage"], "applied");
    assert_eq!(detail["history"][0]["to"], "applied");

    let (_, cached) = json(&app, "/api/v1/jobs?limit=1").await;
    assert_eq!(cached["items"][0]["starred"], false);
    // A write behind the cache's back (as if by another process): the cached page stays,
    // `Cache-Control: no-cache` reads the database.
    app.state
        .db
        .change_jobs(&[id], &JobChange::Starred(true), unix_now())
        .await
        .unwrap();
    let (_, cached) = json(&app, "/api/v1/jobs?limit=1").await;
    assert_eq!(cached["items"][0]["starred"], false);
    let fresh: Value = app
        .client
        .get(app.url("/api/v1/jobs?limit=1"))
        .header("cache-control", "no-cache")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fresh["items"][0]["starred"], true);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("jobscout_cache_requests_total{cache=\"job_pages\",result=\"hit\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn exports_everything_as_csv_and_json() {
    let app = seeded().await;
    let csv = app.get("/api/v1/export?format=csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert!(lines[0].starts_with("id,title,company,"));
    assert!(lines[1].contains("\"Acme, Inc.\""));
    // Compressed, as a browser asks for it, the streamed body still ends cleanly.
    let raw = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
        .get(app.url("/api/v1/export?format=csv"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-encoding"], "gzip");
    assert!(raw.bytes().await.unwrap().starts_with(&[0x1f, 0x8b]));
    let all: Value = app.get("/api/v1/export").await.json().await.unwrap();
    assert_eq!(all.as_array().unwrap().len(), 6);
    assert_eq!(all[5]["title"], "Rust Engineer");
}

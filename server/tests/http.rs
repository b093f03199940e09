//! The HTTP surface of `jobscout serve`: pages, operational endpoints and middleware.

mod common;

use common::{TestApp, seeded};
use engine::store::{JobChange, unix_now};
use reqwest::StatusCode;

#[tokio::test]
async fn health_reports_database_and_version() {
    let app = TestApp::spawn().await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["schema_version"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn home_page_is_server_rendered_with_navigation() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    for (label, href) in [
        ("Jobs", "/"),
        ("Companies", "/companies"),
        ("Searches", "/searches"),
        ("Runs", "/runs"),
        ("Insights", "/insights"),
        ("Settings", "/settings"),
    ] {
        assert!(
            html.contains(&format!("href=\"{href}\"")),
            "nav link to {href}"
        );
        assert!(html.contains(label), "nav label {label}");
    }
    assert!(
        html.contains("/pkg/jobscout.js"),
        "hydration script is referenced"
    );
    assert!(
        html.contains("/pkg/jobscout.css"),
        "stylesheet is referenced"
    );
    assert!(html.contains("No jobs yet"), "honest empty state");
}

#[tokio::test]
async fn every_page_renders_its_heading() {
    let app = TestApp::spawn().await;
    for (path, heading) in [
        ("/", "Jobs"),
        ("/companies", "Companies"),
        ("/searches", "Searches"),
        ("/runs", "Runs"),
        ("/insights", "Insights"),
        ("/settings", "Settings"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert_eq!(h1_text(&html), heading, "{path} has its h1");
        assert!(
            html.contains(&format!("<title>{heading} · Jobscout</title>")),
            "{path} title"
        );
    }
}

#[tokio::test]
async fn settings_page_shows_effective_config_and_database() {
    let app = TestApp::spawn_with(|c| {
        c.collection.concurrency = 7;
        c.llm.api_key = "super-secret".into();
    })
    .await;
    let html = app.get("/settings").await.text().await.unwrap();
    assert!(html.contains("collection.concurrency"));
    assert!(html.contains(">7<"), "shows the effective value");
    assert!(html.contains("Qwen/Qwen3-4B-Instruct-2507-FP8"));
    assert!(!html.contains("super-secret"), "secrets are masked");
    assert!(html.contains("jobscout.db"), "database file is shown");
}

#[tokio::test]
async fn unknown_path_gets_the_404_page() {
    let app = TestApp::spawn().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found"));
    assert!(
        html.contains("href=\"/companies\""),
        "the 404 page keeps the navigation"
    );
}

#[tokio::test]
async fn documents_carry_a_nonce_csp_that_matches_their_scripts() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(csp.contains("frame-ancestors 'none'"));
    let nonce = csp_nonce(&response);
    let html = response.text().await.unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts >= 1);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every inline script carries this response's nonce"
    );
    let again = app.get("/").await;
    assert_ne!(
        again.headers()["content-security-policy"].to_str().unwrap(),
        csp,
        "fresh per request"
    );
}

#[tokio::test]
async fn responses_carry_timing_and_non_documents_a_strict_csp() {
    let app = TestApp::spawn().await;
    let response = app.get("/health").await;
    let timing = response.headers()["x-response-time"].to_str().unwrap();
    assert!(
        timing.ends_with("ms") && timing.trim_end_matches("ms").parse::<f64>().is_ok(),
        "{timing}"
    );
    assert_eq!(
        response.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn html_is_compressed_when_the_client_accepts_it() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let plain = app.get("/").await;
    assert!(plain.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let app = TestApp::spawn().await;
    app.get("/health").await;
    app.get("/companies").await;
    app.get("/missing-page").await;
    let text = app.get("/metrics").await.text().await.unwrap();
    let has = |route: &str, status: &str| {
        text.lines().any(|l| {
            l.starts_with("http_requests_total{")
                && l.contains(&format!("route=\"{route}\""))
                && l.contains(&format!("status=\"{status}\""))
        })
    };
    assert!(has("/health", "200"), "{text}");
    assert!(has("/companies", "200"), "{text}");
    assert!(has("unmatched", "404"), "{text}");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "latency histogram"
    );
}

/// The text of the page's first `h1`, without Leptos' hydration markers.
fn h1_text(html: &str) -> String {
    let start = html.find("<h1").expect("an h1");
    let open_end = start + html[start..].find('>').unwrap() + 1;
    let close = open_end + html[open_end..].find("</h1>").unwrap();
    html[open_end..close].replace("<!>", "")
}

#[tokio::test]
async fn state_changing_requests_from_another_site_are_refused() {
    let app = TestApp::spawn().await;
    let host = app.addr.to_string();
    let post = |origin: Option<String>, site: Option<&'static str>| {
        let mut request = app
            .client
            .post(app.url("/api/v1/runs"))
            .json(&serde_json::json!({ "companies": [999] }));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let evil = post(Some("https://evil.example".into()), Some("cross-site"))
        .await
        .unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    let null = post(Some("null".into()), None).await.unwrap();
    assert_eq!(null.status(), StatusCode::FORBIDDEN);
    // The app's own pages, and clients that are not browsers, reach the handler (which
    // answers that there is no company 999).
    let own = post(Some(format!("http://{host}")), Some("same-origin"))
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::NOT_FOUND);
    let script = post(None, None).await.unwrap();
    assert_eq!(script.status(), StatusCode::NOT_FOUND);
    // Reading is never refused: a link from another site still opens the app.
    let read = app
        .client
        .get(app.url("/"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
}

/// The nonce a document's CSP allows scripts with.
fn csp_nonce(response: &reqwest::Response) -> String {
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    csp.split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("script-src has a nonce")
        .to_owned()
}

/// The Jobs page searching for bakers, and its nonce; `fresh` asks for no cache.
async fn jobs_page(app: &TestApp, fresh: bool) -> (String, String) {
    let mut request = app.client.get(app.url("/?q=baker"));
    if fresh {
        request = request.header("cache-control", "no-cache");
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let nonce = csp_nonce(&response);
    (response.text().await.unwrap(), nonce)
}

fn starred_rows(html: &str) -> usize {
    html.matches("aria-pressed=\"true\"").count()
}

#[tokio::test]
async fn the_jobs_page_is_kept_until_a_write_and_each_copy_has_its_own_nonce() {
    let app = seeded().await;
    let (first, first_nonce) = jobs_page(&app, false).await;
    let (second, second_nonce) = jobs_page(&app, false).await;
    assert!(first.contains("Baker 1"), "{first}");
    assert_ne!(first_nonce, second_nonce);
    assert!(
        !second.contains(&first_nonce),
        "no trace of the kept page's nonce"
    );
    assert_eq!(
        second.matches(&format!("nonce=\"{second_nonce}\"")).count(),
        second.matches("<script").count(),
        "every script carries the copy's own nonce"
    );
    assert_eq!(
        first.replace(&first_nonce, "N"),
        second.replace(&second_nonce, "N"),
        "the same page"
    );
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("jobscout_cache_requests_total{cache=\"pages_html\",result=\"hit\"}"),
        "{metrics}"
    );

    // The reader's own change is on the next page at once.
    let id = first_baker(&app).await;
    assert_eq!(starred_rows(&second), 0);
    app.state
        .store
        .change_jobs(&[id], &JobChange::Starred(true), unix_now())
        .await
        .unwrap();
    let (after, _) = jobs_page(&app, false).await;
    assert_eq!(starred_rows(&after), 1);

    // Behind the store's back (another process): the kept page stays until its TTL, and
    // `Cache-Control: no-cache` renders from the database.
    app.state
        .db
        .change_jobs(&[id], &JobChange::Starred(false), unix_now())
        .await
        .unwrap();
    assert_eq!(starred_rows(&jobs_page(&app, false).await.0), 1);
    assert_eq!(starred_rows(&jobs_page(&app, true).await.0), 0);
}

/// The id of the first job `GET /api/v1/jobs?q=baker` lists.
async fn first_baker(app: &TestApp) -> i64 {
    let page: serde_json::Value = app
        .get("/api/v1/jobs?q=baker&limit=1")
        .await
        .json()
        .await
        .unwrap();
    page["items"][0]["id"].as_i64().unwrap()
}

/// The starred flags of `GET /api/v1/jobs?q=baker`, read past every cache when `fresh`.
async fn starred_json(app: &TestApp, fresh: bool) -> Vec<bool> {
    let mut request = app.client.get(app.url("/api/v1/jobs?q=baker&limit=5"));
    if fresh {
        request = request.header("cache-control", "no-cache");
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let page: serde_json::Value = response.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["starred"].as_bool().unwrap())
        .collect()
}

#[tokio::test]
async fn the_jobs_json_is_kept_until_a_write() {
    let app = seeded().await;
    let first = starred_json(&app, false).await;
    assert!(!first.is_empty() && first.iter().all(|s| !s), "{first:?}");
    let id = first_baker(&app).await;

    // Behind the store's back: the kept answer stays (until its TTL); `no-cache` reads the
    // database.
    app.state
        .db
        .change_jobs(&[id], &JobChange::Starred(true), unix_now())
        .await
        .unwrap();
    assert_eq!(starred_json(&app, false).await, first);
    assert_eq!(
        starred_json(&app, true)
            .await
            .iter()
            .filter(|s| **s)
            .count(),
        1
    );
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("jobscout_cache_requests_total{cache=\"pages_json\",result=\"hit\"}"),
        "{metrics}"
    );

    // Through the store, the next answer has the change at once.
    app.state
        .store
        .change_jobs(&[id], &JobChange::Starred(false), unix_now())
        .await
        .unwrap();
    app.state
        .store
        .change_jobs(&[id], &JobChange::Starred(true), unix_now())
        .await
        .unwrap();
    let after = starred_json(&app, false).await;
    assert_eq!(after.iter().filter(|s| **s).count(), 1, "{after:?}");
    // A bad parameter is answered, not kept as a page.
    for _ in 0..2 {
        assert_eq!(app.get("/api/v1/jobs?limit=x").await.status(), 400);
    }
}

const PASSWORD: &str = "correct horse battery";

async fn with_password() -> TestApp {
    let hash = server::http::auth::hash_password(PASSWORD).unwrap();
    TestApp::spawn_with(|config| config.server.password_hash = Some(hash)).await
}

async fn sign_in(app: &TestApp, password: &str, next: &str) -> reqwest::Response {
    app.client
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "password={}&next={}",
            password.replace(' ', "+"),
            next.replace('/', "%2F")
        ))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn with_a_password_everything_but_signing_in_needs_a_session() {
    let app = with_password().await;
    let page = app
        .client
        .get(app.url("/companies?x=1"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 303, "a browser is sent to sign in");
    assert_eq!(page.headers()["location"], "/login?next=/companies%3Fx%3D1");
    let api = app.get("/api/v1/jobs").await;
    assert_eq!(api.status(), 401);
    let body: serde_json::Value = api.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sign in")
    );
    assert_eq!(app.get("/api/v1/runs/events").await.status(), 401);
    assert_eq!(app.get("/health").await.status(), 200);

    let form = app.get("/login?next=/companies").await;
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(html.contains(r#"name="next" value="/companies""#), "{html}");
    assert!(html.contains(r#"type="password""#));

    let wrong = sign_in(&app, "not it at all", "/companies").await;
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("That password is not right.")
    );

    let right = sign_in(&app, PASSWORD, "/companies").await;
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], "/companies");
    let cookie = right.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let session = cookie.split(';').next().unwrap().to_owned();
    let signed_in = |path: &str| {
        app.client
            .get(app.url(path))
            .header("cookie", &session)
            .send()
    };
    assert_eq!(signed_in("/api/v1/jobs").await.unwrap().status(), 200);
    assert_eq!(signed_in("/").await.unwrap().status(), 200);

    let out = app
        .client
        .post(app.url("/logout"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        signed_in("/api/v1/jobs").await.unwrap().status(),
        401,
        "signed out"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_and_only_local_paths_followed() {
    let app = with_password().await;
    let away = sign_in(&app, PASSWORD, "//evil.example/").await;
    assert_eq!(
        away.headers()["location"],
        "/",
        "never sent to another site"
    );
    for _ in 0..5 {
        assert_eq!(sign_in(&app, "guess guess", "/").await.status(), 401);
    }
    // Even the right password waits once a client has guessed too often.
    let limited = sign_in(&app, PASSWORD, "/").await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert!(
        limited
            .text()
            .await
            .unwrap()
            .contains("Too many wrong passwords")
    );
}

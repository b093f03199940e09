//! Test harness: boots the real router on 127.0.0.1:0 against a temporary database.
#![allow(dead_code)]

use engine::Config;
use engine::store::{UpsertBatch, unix_now};
use model::{NewJob, Remote};
use std::net::SocketAddr;
use std::sync::OnceLock;

/// One runtime for every test server in the process. Leptos keeps a global executor, so tasks it
/// spawns must land on a runtime that outlives any single test's own (current-thread) runtime.
fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("test-server")
            .build()
            .expect("server runtime")
    })
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: app::state::AppState,
    // Dropped last: the database lives in it.
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Boots with the default configuration, changed by `adjust`, on a fresh database.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::default();
        config.database.path = dir.path().join("jobscout.db");
        adjust(&mut config);
        let state = server::startup::build_state(config, None)
            .await
            .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let router = server::startup::router(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("serve")
        });
        // Sees the wire as it is: no redirects followed, no compression asked for or undone
        // unless a test says so.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_gzip()
            .no_brotli()
            .build()
            .unwrap();
        Self {
            addr,
            client,
            state,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }
}

/// A Greenhouse job at Acme, posted `id` hours ago.
pub fn job(id: usize, title: &str) -> NewJob {
    NewJob {
        source: "greenhouse".into(),
        source_id: Some(id.to_string()),
        url: format!("https://boards.greenhouse.io/acme/jobs/{id}"),
        apply_url: None,
        title: title.into(),
        company: "Acme, Inc.".into(),
        location: Some("Lisbon, Portugal".into()),
        remote: Some(Remote::Remote),
        employment_type: None,
        department: None,
        salary: None,
        posted_at: Some(unix_now() - id as i64 * 3600),
        description_html: "<p>Bake, deliver, repeat.</p>".into(),
        description_text: format!("{title}: bake, deliver, repeat. Notes with \"quotes\", commas."),
    }
}

/// A server with five "Baker N" jobs and one "Rust Engineer", all at Acme, Inc.
pub async fn seeded() -> TestApp {
    let app = TestApp::spawn().await;
    let jobs: Vec<NewJob> = (1..=5)
        .map(|i| job(i, &format!("Baker {i}")))
        .chain([job(6, "Rust Engineer")])
        .collect();
    app.state
        .store
        .upsert_jobs(UpsertBatch {
            company_id: None,
            jobs: &jobs,
            complete: false,
            now: unix_now(),
        })
        .await
        .unwrap();
    app
}

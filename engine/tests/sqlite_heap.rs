//! SQLite's memory statistics turned off the way the server does it: first thing in a process
//! of its own (this test binary holds this one test, so nothing opens a database before it).

use engine::config::DatabaseConfig;
use engine::store::heap::{self, AlreadyInitialized};
use engine::store::{Database, UpsertBatch};
use model::{JobFilter, NewJob};

const NOW: i64 = 1_790_000_000;

fn job(i: usize) -> NewJob {
    let title = format!("Platform engineer {i}");
    NewJob {
        source: "greenhouse".into(),
        source_id: Some(i.to_string()),
        url: format!("https://boards.greenhouse.io/acme/jobs/{i}"),
        apply_url: None,
        title: title.clone(),
        company: "Acme".into(),
        location: Some("Zürich, Switzerland".into()),
        remote: None,
        employment_type: None,
        department: None,
        salary: None,
        posted_at: Some(NOW - i as i64 * 60),
        description_html: format!("<p>{title}</p>"),
        description_text: format!("{title}. {}", "Kubernetes, Rust and Postgres. ".repeat(40)),
    }
}

#[tokio::test]
async fn sqlite_runs_without_memory_statistics() {
    // SAFETY: the test's first statement: nothing in this process has used SQLite yet.
    unsafe { heap::without_memory_statistics() }.expect("nothing has opened a database yet");

    let dir = tempfile::tempdir().unwrap();
    let config = DatabaseConfig {
        path: dir.path().join("jobs.db"),
        ..DatabaseConfig::default()
    };
    let db = Database::open(&config).await.unwrap();
    // Too late now: SQLite is initialized and keeps its settings.
    // SAFETY: the connections are idle between `open` and the first write (the checkpointer
    // calls SQLite only once the WAL passes 4 MB), and SQLite refuses before touching any
    // state.
    assert_eq!(
        unsafe { heap::without_memory_statistics() },
        Err(AlreadyInitialized(libsqlite3_sys::SQLITE_MISUSE))
    );

    let jobs: Vec<NewJob> = (0..300).map(job).collect();
    let counts = db
        .upsert_jobs(UpsertBatch {
            company_id: None,
            jobs: &jobs,
            complete: false,
            now: NOW,
        })
        .await
        .unwrap();
    assert_eq!(counts.inserted, 300);
    let filter = JobFilter {
        q: Some("kubernetes zuri".into()),
        ..JobFilter::default()
    };
    let page = db.list_jobs(&filter, None, 50, NOW).await.unwrap();
    assert_eq!(page.items.len(), 50);
    assert!(page.next_cursor.is_some());

    // Page caches, statements and a search allocated plenty; none of it was counted, so no
    // allocation took the statistics' lock.
    // SAFETY: a plain read of SQLite's counter.
    let counted = unsafe { libsqlite3_sys::sqlite3_memory_used() };
    assert_eq!(counted, 0, "SQLite still counts its allocations");
    db.close().await;
}

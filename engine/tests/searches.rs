//! Saved searches against the simulator's job boards over real HTTP: each board's results,
//! empty results, errors, Arbeitnow's paging cap, hostile query text; then whole searches
//! through the runner and the store, where a result that is already a collected company job
//! is that job, tagged with the search (never a second copy).

use engine::config::{DatabaseConfig, SourceConfig, SourcesConfig};
use engine::runs::{Runner, RunnerOptions};
use engine::sources::boards::{ARBEITNOW_MAX_PAGES, JobBoard, SearchSpec, search};
use engine::sources::{HttpClient, HttpOptions, SourceError};
use engine::store::{Database, NewCompany};
use model::{JobFilter, Remote, RunStatus, RunTrigger, SearchForm};
use sim::world::{Provider as SimProvider, Workplace, WorldSpec};
use sim::{Options, Sim, faults::Fault};
use std::time::Duration;

const NOW: i64 = 1_790_000_000;

async fn start(companies: usize, jobs: usize, faults: &[&str]) -> Sim {
    let spec = WorldSpec {
        seed: 5,
        companies,
        jobs_per_company: jobs,
        now: NOW,
    };
    let options = Options {
        faults: faults.iter().map(|f| Fault::parse(f).unwrap()).collect(),
        ..Options::default()
    };
    Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap()
}

fn sources(sim: &Sim) -> SourcesConfig {
    let at = |url: String| SourceConfig { base_url: url };
    let base = sim.base_url();
    SourcesConfig {
        greenhouse: at(base.clone()),
        remotive: at(base.clone()),
        remoteok: at(base.clone()),
        arbeitnow: at(base.clone()),
        ..SourcesConfig::default()
    }
}

fn http() -> HttpClient {
    HttpClient::new(&HttpOptions {
        timeout: Duration::from_secs(3),
        retries: 0,
        // The simulator listens on loopback.
        egress: engine::sources::egress::Egress::from_config(&["127.0.0.0/8".into()]).unwrap(),
        ..HttpOptions::default()
    })
    .unwrap()
}

fn spec(query: &str, limit: usize) -> SearchSpec {
    SearchSpec {
        query: query.into(),
        location: String::new(),
        remote_only: false,
        limit,
    }
}

/// Listed jobs of the world whose title contains `word`: (all, remote ones).
fn world_titles(sim: &Sim, word: &str) -> (usize, usize) {
    let world = sim.state.world.read().unwrap();
    let jobs: Vec<_> = world
        .companies
        .iter()
        .flat_map(|c| c.jobs.iter().filter(|j| j.listed))
        .filter(|j| {
            j.title
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == word)
        })
        .collect();
    let remote = jobs
        .iter()
        .filter(|j| j.workplace == Workplace::Remote)
        .count();
    (jobs.len(), remote)
}

#[tokio::test]
async fn each_board_answers_the_matching_jobs() {
    let sim = start(12, 30, &[]).await;
    let (all, remote) = world_titles(&sim, "engineer");
    assert!(
        remote > 0 && all > remote,
        "the world has remote and on-site engineers"
    );
    let (http, sources) = (http(), sources(&sim));

    let remotive = search(
        &http,
        &sources,
        JobBoard::Remotive,
        &spec("engineer", 1000),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(remotive.len(), remote, "Remotive lists remote jobs only");
    assert!(
        remotive
            .iter()
            .all(|j| j.remote == Some(Remote::Remote) && j.source == "remotive")
    );
    assert!(
        remotive
            .iter()
            .all(|j| j.title.to_lowercase().contains("engineer"))
    );

    let remoteok = search(
        &http,
        &sources,
        JobBoard::RemoteOk,
        &spec("engineer", 1000),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(remoteok.len(), remote);
    assert!(remoteok.iter().all(|j| j.posted_at.is_some()));

    let arbeitnow = search(
        &http,
        &sources,
        JobBoard::Arbeitnow,
        &spec("engineer", 1000),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        arbeitnow.len(),
        all,
        "Arbeitnow lists every job; the search filters here"
    );
    let remote_only = SearchSpec {
        remote_only: true,
        ..spec("engineer", 1000)
    };
    let arbeitnow_remote = search(&http, &sources, JobBoard::Arbeitnow, &remote_only, NOW)
        .await
        .unwrap();
    assert_eq!(arbeitnow_remote.len(), remote);

    // The result limit holds on every board.
    for board in JobBoard::ALL {
        let some = search(&http, &sources, board, &spec("engineer", 3), NOW)
            .await
            .unwrap();
        assert_eq!(some.len(), 3, "{board:?}");
    }
}

#[tokio::test]
async fn empty_results_hostile_text_and_failures() {
    let sim = start(6, 20, &["remotive=503", "remoteok=malformed"]).await;
    let (http, sources) = (http(), sources(&sim));
    for query in ["zzzz nothing like this", "c++ & \"rust\" (senior) 🚀 100%"] {
        let found = search(&http, &sources, JobBoard::Arbeitnow, &spec(query, 50), NOW)
            .await
            .unwrap();
        assert!(found.is_empty(), "{query}");
    }
    let failed = search(
        &http,
        &sources,
        JobBoard::Remotive,
        &spec("engineer", 50),
        NOW,
    )
    .await;
    assert!(matches!(failed, Err(SourceError::Fetch(_))), "{failed:?}");
    let garbled = search(
        &http,
        &sources,
        JobBoard::RemoteOk,
        &spec("engineer", 50),
        NOW,
    )
    .await;
    assert!(
        matches!(garbled, Err(SourceError::Parse { .. })),
        "{garbled:?}"
    );
}

#[tokio::test]
async fn arbeitnow_reads_at_most_its_page_cap() {
    // 1,500 jobs: 15 pages of 100, more than the cap of 10.
    let sim = start(30, 50, &[]).await;
    let (http, sources) = (http(), sources(&sim));
    let found = search(
        &http,
        &sources,
        JobBoard::Arbeitnow,
        &spec("zzzz", 1000),
        NOW,
    )
    .await
    .unwrap();
    assert!(found.is_empty());
    let pages: u64 = sim
        .state
        .counters()
        .iter()
        .filter(|((_, endpoint), _)| endpoint.contains("job-board-api"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(pages, ARBEITNOW_MAX_PAGES as u64);
}

#[tokio::test]
async fn a_search_run_tags_jobs_already_collected_and_keeps_them_one() {
    let sim = start(8, 30, &[]).await;
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&DatabaseConfig {
        path: dir.path().join("jobs.db"),
        ..DatabaseConfig::default()
    })
    .await
    .unwrap();
    // Follow the Greenhouse company and collect it first.
    let greenhouse = sim
        .state
        .world
        .read()
        .unwrap()
        .companies
        .iter()
        .find(|c| c.provider == SimProvider::Greenhouse)
        .cloned()
        .unwrap();
    db.add_company(
        &NewCompany {
            name: greenhouse.name.clone(),
            provider: "greenhouse".into(),
            board_token: greenhouse.slug.clone(),
            careers_url: None,
        },
        NOW,
    )
    .await
    .unwrap();
    let runner = Runner::new(db.clone(), http(), sources(&sim), RunnerOptions::default());
    let run = runner.start_ids(None, RunTrigger::Cli).await.unwrap();
    assert_eq!(
        runner.wait(run.id).await.unwrap().status,
        RunStatus::Succeeded
    );
    let before = db
        .job_counts(&JobFilter::default(), NOW)
        .await
        .unwrap()
        .total;

    // A remote-only search for that company's name finds its remote jobs on Remotive.
    let form = SearchForm {
        name: "Their remote jobs".into(),
        query: greenhouse.name.clone(),
        providers: vec!["remotive".into()],
        ..SearchForm::default()
    };
    let id = db.add_search(&form, NOW).await.unwrap();
    let run = runner
        .start_searches(Some(&[id]), RunTrigger::Ui)
        .await
        .unwrap();
    let done = runner.wait(run.id).await.unwrap();
    assert_eq!(done.status, RunStatus::Succeeded, "{done:?}");
    let remote = greenhouse
        .jobs
        .iter()
        .filter(|j| j.listed && j.workplace == Workplace::Remote)
        .count() as u64;
    assert!(remote > 0);
    assert_eq!(done.items[0].counts.seen, remote);
    assert_eq!(
        done.items[0].counts.new, 0,
        "every result was already collected from the board"
    );
    assert_eq!(
        db.job_counts(&JobFilter::default(), NOW)
            .await
            .unwrap()
            .total,
        before,
        "no second copies"
    );

    // Tagged: the search filter lists them, and each job says who else found it.
    let tagged = JobFilter {
        search: Some(id),
        ..JobFilter::default()
    };
    let page = db.list_jobs(&tagged, None, 200, NOW).await.unwrap();
    assert_eq!(page.items.len() as u64, remote);
    let job = db.job(page.items[0].id).await.unwrap().unwrap();
    assert_eq!(job.source, "greenhouse");
    assert_eq!(job.found_by.len(), 1);
    assert_eq!(
        (
            job.found_by[0].source.as_str(),
            job.found_by[0].search.as_str()
        ),
        ("remotive", "Their remote jobs")
    );

    // The Searches page's view of it; deleting the search keeps every job.
    let listed = db.saved_searches(NOW).await.unwrap();
    assert_eq!(listed[0].found, remote);
    assert_eq!(
        listed[0].last_run.as_ref().unwrap().status,
        RunStatus::Succeeded
    );
    assert!(db.delete_search(id).await.unwrap());
    assert_eq!(
        db.job_counts(&JobFilter::default(), NOW)
            .await
            .unwrap()
            .total,
        before
    );

    // The rules hold in the store too.
    let bad = SearchForm {
        name: String::new(),
        ..form.clone()
    };
    assert!(db.add_search(&bad, NOW).await.is_err());
    db.add_search(&form, NOW).await.unwrap();
    let twice = db.add_search(&form, NOW).await.unwrap_err().to_string();
    assert!(twice.starts_with("name:"), "{twice}");
}

#[tokio::test]
async fn schedules_start_what_is_due_and_nothing_else() {
    let sim = start(6, 10, &[]).await;
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&DatabaseConfig {
        path: dir.path().join("jobs.db"),
        ..DatabaseConfig::default()
    })
    .await
    .unwrap();
    let slug = sim
        .state
        .world
        .read()
        .unwrap()
        .companies
        .iter()
        .find(|c| c.provider == SimProvider::Greenhouse)
        .unwrap()
        .slug
        .clone();
    let long_ago = engine::store::unix_now() - 3_600;
    let company = db
        .add_company(
            &NewCompany {
                name: "Scheduled".into(),
                provider: "greenhouse".into(),
                board_token: slug,
                careers_url: None,
            },
            long_ago,
        )
        .await
        .unwrap();
    let runner = Runner::new(db.clone(), http(), sources(&sim), RunnerOptions::default());
    // Off by default: nothing is due.
    assert!(engine::runs::schedule::tick(&runner, &db).await.is_empty());
    assert!(
        db.update_company(company, "Scheduled", true, Some(2), long_ago)
            .await
            .is_err(),
        "too often"
    );
    db.update_company(company, "Scheduled", true, Some(30), long_ago)
        .await
        .unwrap();
    let search = SearchForm {
        name: "Hourly".into(),
        query: "engineer".into(),
        providers: vec!["arbeitnow".into()],
        schedule_minutes: Some(60),
        ..SearchForm::default()
    };
    db.add_search(&search, long_ago).await.unwrap();

    let started = engine::runs::schedule::tick(&runner, &db).await;
    assert_eq!(started.len(), 2, "the company and the search were due");
    for run in &started {
        let done = runner.wait(*run).await.unwrap();
        assert_eq!(done.trigger, RunTrigger::Schedule);
        assert_eq!(done.status, RunStatus::Succeeded, "{done:?}");
    }
    // Just collected: not due again until their schedule has passed.
    assert!(engine::runs::schedule::tick(&runner, &db).await.is_empty());
}

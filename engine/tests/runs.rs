//! Runs end to end against the simulator: companies collected concurrently into a real SQLite
//! file, health per company, unchanged boards, faults confined to their company, cancel,
//! interrupted runs, and one run per company.

use engine::config::{DatabaseConfig, SourceConfig, SourcesConfig};
use engine::runs::{Runner, RunnerOptions};
use engine::sources::{HttpClient, HttpOptions};
use engine::store::{CompanyRow, Database, NewCompany};
use model::{JobFilter, Phase, RunScope, RunStatus, RunTrigger};
use sim::world::{Provider as SimProvider, WorldSpec};
use sim::{Options, Sim, faults::Fault};
use std::time::{Duration, Instant};

struct World {
    sim: Sim,
    db: Database,
    runner: Runner,
    companies: Vec<CompanyRow>,
    _dir: tempfile::TempDir,
}

fn provider_name(p: SimProvider) -> &'static str {
    match p {
        SimProvider::Greenhouse => "greenhouse",
        SimProvider::Lever => "lever",
        SimProvider::Ashby => "ashby",
        SimProvider::Workable => "workable",
        SimProvider::SmartRecruiters => "smartrecruiters",
        SimProvider::Recruitee => "recruitee",
        SimProvider::JsonLd => "jsonld",
        SimProvider::Html => "llm",
    }
}

/// A simulator with `n` companies of `jobs` jobs, each registered as a company, and a runner
/// pointed at the simulator.
async fn world(n: usize, jobs: usize, faults: &[&str]) -> World {
    let spec = WorldSpec {
        seed: 21,
        companies: n,
        jobs_per_company: jobs,
        now: 1_790_000_000,
    };
    let options = Options {
        faults: faults.iter().map(|f| Fault::parse(f).unwrap()).collect(),
        ..Options::default()
    };
    let sim = Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&DatabaseConfig {
        path: dir.path().join("jobs.db"),
        ..DatabaseConfig::default()
    })
    .await
    .unwrap();
    let base = sim.base_url();
    let shells: Vec<_> = sim.state.world.read().unwrap().companies.clone();
    for c in shells.iter().filter(|c| c.provider != SimProvider::Html) {
        db.add_company(
            &NewCompany {
                name: c.name.clone(),
                provider: provider_name(c.provider).into(),
                board_token: c.slug.clone(),
                careers_url: Some(format!("{base}/careers/{}/", c.slug)),
            },
            1_790_000_000,
        )
        .await
        .unwrap();
    }
    let at = |url: String| SourceConfig { base_url: url };
    let sources = SourcesConfig {
        greenhouse: at(base.clone()),
        lever: at(base.clone()),
        lever_eu: at(base.clone()),
        ashby: at(base.clone()),
        workable: at(base.clone()),
        smartrecruiters: at(base.clone()),
        recruitee: at(format!("{base}/recruitee/{{company}}")),
        ..SourcesConfig::default()
    };
    let http = HttpClient::new(&HttpOptions {
        timeout: Duration::from_secs(2),
        retries: 1,
        backoff: Duration::from_millis(10),
        // The simulator listens on loopback.
        egress: engine::sources::egress::Egress::from_config(&["127.0.0.0/8".into()]).unwrap(),
        ..HttpOptions::default()
    })
    .unwrap();
    let runner = Runner::new(db.clone(), http, sources, RunnerOptions::default());
    let companies = db.companies().await.unwrap();
    World {
        sim,
        db,
        runner,
        companies,
        _dir: dir,
    }
}

async fn stored_jobs(db: &Database) -> usize {
    let mut total = 0;
    let mut cursor = None;
    loop {
        let page = db
            .list_jobs(&JobFilter::default(), cursor.as_deref(), 200, 1_790_000_000)
            .await
            .unwrap();
        total += page.items.len();
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return total,
        }
    }
}

#[tokio::test]
async fn a_run_collects_every_company_and_a_second_run_finds_them_unchanged() {
    let w = world(7, 20, &[]).await;
    let started = Instant::now();
    let run = w
        .runner
        .start(RunScope::All, RunTrigger::Cli, w.companies.clone())
        .await
        .unwrap();
    assert_eq!(run.status, RunStatus::Running, "start returns at once");
    let done = w.runner.wait(run.id).await.unwrap();
    let took = started.elapsed();
    assert_eq!(done.status, RunStatus::Succeeded, "{:#?}", done.items);
    assert_eq!(done.items.len(), w.companies.len());
    for item in &done.items {
        assert_eq!(
            (item.phase, item.status),
            (Phase::Done, RunStatus::Succeeded),
            "{item:?}"
        );
        assert!(
            item.counts.new > 0 && item.counts.seen == item.counts.new,
            "{item:?}"
        );
        assert!(item.finished_at.is_some());
    }
    let stored = stored_jobs(&w.db).await;
    assert_eq!(done.counts.new as usize, stored);
    assert!(stored >= 100, "{stored}");
    eprintln!(
        "{stored} jobs from {} companies in {took:?}",
        w.companies.len()
    );

    // Again: every board unchanged, nothing new, nothing rewritten, nothing closed.
    let again = w
        .runner
        .start(RunScope::All, RunTrigger::Cli, w.companies.clone())
        .await
        .unwrap();
    let again = w.runner.wait(again.id).await.unwrap();
    assert_eq!(again.status, RunStatus::Succeeded);
    assert_eq!(
        (again.counts.new, again.counts.updated, again.counts.closed),
        (0, 0, 0)
    );
    assert_eq!(again.counts.seen as usize, stored);
    let listed = w.db.recent_runs(5).await.unwrap();
    assert_eq!(listed[0].id, again.id, "newest first");
}

#[tokio::test]
async fn a_failing_company_fails_alone_and_leaves_nothing_half_written() {
    let w = world(7, 10, &["ashby=503", "greenhouse=malformed"]).await;
    let run = w
        .runner
        .start(RunScope::All, RunTrigger::Ui, w.companies.clone())
        .await
        .unwrap();
    let done = w.runner.wait(run.id).await.unwrap();
    assert_eq!(done.status, RunStatus::Partial);
    for item in &done.items {
        let company = w
            .companies
            .iter()
            .find(|c| Some(c.id) == item.company_id)
            .unwrap();
        match company.provider.as_str() {
            "ashby" | "greenhouse" => {
                assert_eq!(item.status, RunStatus::Failed, "{item:?}");
                assert_eq!(item.phase, Phase::Failed);
                let error = item.error.as_deref().unwrap();
                assert!(
                    error.contains("503") || error.contains("unreadable"),
                    "{error}"
                );
                assert_eq!(item.counts.new, 0);
            }
            _ => assert_eq!(item.status, RunStatus::Succeeded, "{item:?}"),
        }
    }
    // 503 was retried once (retries: 1), then given up.
    let ashby: u64 = w
        .sim
        .state
        .counters()
        .into_iter()
        .filter(|((_, e), _)| e.contains("/posting-api"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(ashby, 2, "{:?}", w.sim.state.counters());
    assert_eq!(stored_jobs(&w.db).await as u64, done.counts.new);
}

#[tokio::test]
async fn cancel_stops_a_run_within_a_second_and_keeps_what_was_saved() {
    let w = world(7, 5, &["*=latency:3000"]).await;
    let run = w
        .runner
        .start(RunScope::All, RunTrigger::Ui, w.companies.clone())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    assert!(w.runner.cancel(run.id));
    let done = w.runner.wait(run.id).await.unwrap();
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );
    assert_eq!(done.status, RunStatus::Cancelled);
    assert!(
        done.items.iter().all(|i| i.status == RunStatus::Cancelled),
        "{:#?}",
        done.items
    );
    assert!(
        !w.runner.cancel(run.id),
        "a finished run cannot be cancelled"
    );
}

#[tokio::test]
async fn one_run_per_company_and_unfinished_runs_become_interrupted() {
    let w = world(3, 5, &["*=latency:1500"]).await;
    let one = vec![w.companies[0].clone()];
    let first = w
        .runner
        .start(RunScope::Company, RunTrigger::Ui, one.clone())
        .await
        .unwrap();
    let second = w
        .runner
        .start(RunScope::Company, RunTrigger::Ui, one)
        .await
        .unwrap();
    assert_eq!(
        second.id, first.id,
        "a second request joins the running run"
    );
    w.runner.cancel(first.id);
    w.runner.wait(first.id).await.unwrap();

    // A run the process never finished (it died): marked interrupted at the next start.
    let orphan =
        w.db.create_run(
            RunScope::All,
            RunTrigger::Cli,
            &[(w.companies[1].id, "x".into())],
            1,
        )
        .await
        .unwrap();
    assert_eq!(w.db.mark_interrupted(2).await.unwrap(), 1);
    let orphan = w.db.run(orphan.id).await.unwrap().unwrap();
    assert_eq!(orphan.status, RunStatus::Interrupted);
    assert_eq!(orphan.items[0].phase, Phase::Interrupted);
    assert_eq!(
        w.db.mark_interrupted(3).await.unwrap(),
        0,
        "only unfinished runs"
    );
}

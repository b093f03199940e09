//! The real `jobscout` binary: configuration errors stop it with one clear line, and it shuts
//! down cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn jobscout(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jobscout"));
    command.current_dir(dir).env_remove("RUST_LOG");
    for (name, _) in std::env::vars() {
        if name.starts_with("JOBSCOUT_") {
            command.env_remove(name);
        }
    }
    command
}

fn stderr_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
    assert_eq!(stderr.lines().count(), 1, "exactly one line: {stderr:?}");
    stderr
}

#[test]
fn wrong_type_in_config_file_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "collection:\n  concurrency: many\n",
    )
    .unwrap();
    let output = jobscout(dir.path())
        .args(["--config", "bad.yaml", "config"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let line = stderr_line(&output);
    assert!(
        line.contains("`collection.concurrency`") && line.contains("invalid type"),
        "{line}"
    );
}

#[test]
fn unknown_key_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.yaml"), "database:\n  pth: x.db\n").unwrap();
    let output = jobscout(dir.path()).arg("config").output().unwrap();
    assert!(!output.status.success());
    let line = stderr_line(&output);
    assert!(
        line.contains("`database.pth`") && line.contains("unknown key"),
        "{line}"
    );
}

#[test]
fn bad_environment_override_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let output = jobscout(dir.path())
        .env("JOBSCOUT_CACHE__JOBS_TTL_SECS", "soon")
        .arg("config")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let line = stderr_line(&output);
    assert!(
        line.contains("`cache.jobs_ttl_secs` (from JOBSCOUT_CACHE__JOBS_TTL_SECS)"),
        "{line}"
    );
}

#[test]
fn invalid_log_level_stops_startup() {
    let dir = tempfile::tempdir().unwrap();
    let output = jobscout(dir.path())
        .args(["--db", "j.db", "serve", "--addr", "127.0.0.1:0"])
        .env("JOBSCOUT_LOG__LEVEL", "info,=[")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(stderr_line(&output).contains("`log.level`"));
}

#[test]
fn other_machines_cannot_reach_it_without_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let output = jobscout(dir.path())
        .args(["--db", "j.db", "serve", "--addr", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let line = stderr_line(&output);
    assert!(
        line.contains("server.addr 0.0.0.0:0") && line.contains("jobscout hash-password"),
        "{line}"
    );
    assert!(
        !dir.path().join("j.db").exists(),
        "refused before touching anything"
    );

    // The hash it asks for, from the password on standard input.
    let mut child = jobscout(dir.path())
        .arg("hash-password")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let hash = String::from_utf8(output.stdout).unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    // With it, an address other machines can reach is accepted (SIGTERM after it listens).
    let mut child = jobscout(dir.path())
        .args(["--db", "j.db", "serve", "--addr", "0.0.0.0:0"])
        .env("JOBSCOUT_SERVER__PASSWORD_HASH", hash.trim())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let listening = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("listening on http://0.0.0.0:"));
    sigterm(child.id());
    assert!(listening, "started with a password");
    assert!(child.wait().unwrap().success());
}

#[test]
fn unwritable_database_path_stops_serve() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-file"), "").unwrap();
    let output = jobscout(dir.path())
        .args([
            "--db",
            "a-file/jobscout.db",
            "serve",
            "--addr",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let line = stderr_line(&output);
    assert!(
        line.contains("database.path: cannot create directory a-file"),
        "{line}"
    );
}

#[test]
fn config_command_prints_effective_values_with_db_flag() {
    let dir = tempfile::tempdir().unwrap();
    let output = jobscout(dir.path())
        .args(["--db", "elsewhere.db", "config"])
        .env("JOBSCOUT_LLM__API_KEY", "hunter2")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let yaml = String::from_utf8(output.stdout).unwrap();
    assert!(yaml.contains("path: elsewhere.db"), "{yaml}");
    assert!(!yaml.contains("hunter2"));
}

#[test]
fn serve_creates_the_database_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = jobscout(dir.path())
        .args(["--db", "data/j.db", "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = stdout.lines();
    let addr = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    let health = std::net::TcpStream::connect(&addr);
    assert!(health.is_ok(), "listening on {addr}");
    assert!(dir.path().join("data/j.db").exists());

    sigterm(child.id());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "clean exit: {exit:?}");
}

#[test]
fn seed_creates_realistic_jobs_once() {
    let dir = tempfile::tempdir().unwrap();
    let seed = || {
        jobscout(dir.path())
            .args(["--db", "seeded.db", "seed", "--synthetic", "450"])
            .output()
            .unwrap()
    };
    let first = seed();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report = String::from_utf8_lossy(&first.stdout);
    assert!(
        report.starts_with("450 jobs in 3 companies (450 new, 0 already there)"),
        "{report}"
    );
    // The same day and seed find the same jobs again.
    let again = seed();
    let report = String::from_utf8_lossy(&again.stdout);
    assert!(report.contains("(0 new, 450 already there)"), "{report}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let db = engine::Database::open(&engine::config::DatabaseConfig {
            path: dir.path().join("seeded.db"),
            ..Default::default()
        })
        .await
        .unwrap();
        let all = model::JobFilter {
            closed: model::Inclusion::Include,
            ..Default::default()
        };
        let counts = db
            .job_counts(&all, engine::store::unix_now())
            .await
            .unwrap();
        assert_eq!((counts.total, counts.companies.len()), (450, 3));
        let page = db
            .list_jobs(&all, None, 200, engine::store::unix_now())
            .await
            .unwrap();
        assert!(page.items.iter().any(|j| j.salary.is_some()));
        assert!(page.items.iter().any(|j| j.salary.is_none()));
        let job = db.job(page.items[0].id).await.unwrap().unwrap();
        assert!(job.description_text.len() > 400, "{}", job.description_text);
        assert!(
            !job.description_html.contains("<script"),
            "stored markup is escaped text"
        );
    });
}

#[test]
fn backup_copies_a_database_in_use_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = jobscout(dir.path())
        .args(["--db", "live.db", "seed", "--synthetic", "120"])
        .output()
        .unwrap();
    assert!(seeded.status.success());
    // The server holds the database open (WAL, its connections) during the backup.
    let mut server = jobscout(dir.path())
        .args(["--db", "live.db", "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    while !lines
        .next()
        .expect("the server starts")
        .unwrap()
        .contains("listening on")
    {}
    let backup = || {
        jobscout(dir.path())
            .args(["--db", "live.db", "backup", "copy.db"])
            .output()
            .unwrap()
    };
    let first = backup();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("copy.db"));
    let again = backup();
    assert!(!again.status.success());
    assert!(stderr_line(&again).contains("already exists"));
    server.kill().unwrap();
    server.wait().unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let copy = engine::Database::open(&engine::config::DatabaseConfig {
            path: dir.path().join("copy.db"),
            ..Default::default()
        })
        .await
        .unwrap();
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(copy.reader())
            .await
            .unwrap();
        assert_eq!(check, "ok");
        let all = model::JobFilter {
            closed: model::Inclusion::Include,
            ..Default::default()
        };
        let counts = copy
            .job_counts(&all, engine::store::unix_now())
            .await
            .unwrap();
        assert_eq!(counts.total, 120);
    });
}

#[test]
fn parse_prints_one_normalized_job_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = format!(
        "{}/../fixtures/real/lever-openings-mcp-1.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = jobscout(dir.path())
        .args([
            "parse",
            "--source",
            "lever",
            &fixture,
            "--company",
            "Lever Demo",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_line(&output));
    let jobs: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(jobs.len(), 3);
    assert_eq!(jobs[0]["title"], "AbelsonTaylor Writer");
    assert_eq!(jobs[0]["company"], "Lever Demo");
    assert_eq!(jobs[0]["posted_at"], "2019-03-21T16:33:55Z");
    assert_eq!(jobs[0]["remote"], "hybrid");

    // An unreadable payload, a missing file and an unknown source: non-zero, one clear line.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "[{\"id\": \"x\", \"text\": 5}]").unwrap();
    let output = jobscout(dir.path())
        .args(["parse", "--source", "lever"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let line = stderr_line(&output);
    assert!(
        line.contains("bad.json") && line.contains("lever: unreadable response"),
        "{line}"
    );
    let output = jobscout(dir.path())
        .args(["parse", "--source", "lever", "missing.json"])
        .output()
        .unwrap();
    assert!(stderr_line(&output).contains("cannot read missing.json"));
    let output = jobscout(dir.path())
        .args(["parse", "--source", "workday"])
        .arg(&fixture)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(stderr_line(&output).contains("unknown source \"workday\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn companies_are_added_listed_and_scraped_from_the_terminal() {
    let spec = sim::world::WorldSpec {
        seed: 8,
        companies: 8,
        jobs_per_company: 6,
        now: engine::store::unix_now(),
    };
    let sim = sim::Sim::start(spec, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let slug = |provider| {
        let world = sim.state.world.read().unwrap();
        world
            .companies
            .iter()
            .find(|c| c.provider == provider)
            .unwrap()
            .slug
            .clone()
    };
    let greenhouse = slug(sim::world::Provider::Greenhouse);
    let lever = slug(sim::world::Provider::Lever);
    let dir = tempfile::tempdir().unwrap();
    let config = reqwest::get(format!("{}/_sim/config", sim.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    std::fs::write(dir.path().join("config.yaml"), config).unwrap();
    let path = dir.path().to_owned();
    let run = move |args: Vec<String>| {
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            jobscout(&path)
                .args(["--db", "jobs.db"])
                .args(&args)
                .output()
                .unwrap()
        })
    };
    let out = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();

    let added = run(vec![
        "company".into(),
        "add".into(),
        format!("https://boards.greenhouse.io/{greenhouse}"),
    ])
    .await
    .unwrap();
    assert!(added.status.success(), "{}", stderr_line(&added));
    assert!(out(&added).contains("6 open jobs found"), "{}", out(&added));
    let added = run(vec![
        "company".into(),
        "add".into(),
        format!("jobs.lever.co/{lever}"),
        "--name".into(),
        "Lever Co".into(),
    ])
    .await
    .unwrap();
    assert!(added.status.success(), "{}", stderr_line(&added));
    let refused = run(vec![
        "company".into(),
        "add".into(),
        "https://boards.greenhouse.io/nobody".into(),
    ])
    .await
    .unwrap();
    assert!(!refused.status.success());
    assert!(stderr_line(&refused).contains("Greenhouse has no board named \"nobody\""));
    // Several at once: a bad one is reported, the others are still added.
    let ashby = slug(sim::world::Provider::Ashby);
    let recruitee = slug(sim::world::Provider::Recruitee);
    let several = run(vec![
        "company".into(),
        "add".into(),
        format!("https://jobs.ashbyhq.com/{ashby}"),
        "https://jobs.lever.co/nobody".into(),
        format!("https://{recruitee}.recruitee.com/"),
    ])
    .await
    .unwrap();
    assert!(!several.status.success());
    let errors = String::from_utf8_lossy(&several.stderr);
    assert!(
        errors.contains("1 of 3 URLs could not be added"),
        "{errors}"
    );
    assert_eq!(
        out(&several).matches(" open jobs found").count(),
        2,
        "{}",
        out(&several)
    );

    let listed = run(vec!["company".into(), "list".into()]).await.unwrap();
    let listed = out(&listed);
    assert!(
        listed.contains("Lever Co") && listed.contains(&greenhouse),
        "{listed}"
    );

    let scraped = run(vec!["scrape".into(), "--all".into()]).await.unwrap();
    let table = out(&scraped);
    assert_eq!(scraped.status.code(), Some(0), "{table}");
    assert!(table.contains("succeeded"), "{table}");
    // Greenhouse, Lever and Recruitee list all 6 jobs; Ashby only its listed ones.
    let ashby_listed = {
        let world = sim.state.world.read().unwrap();
        let company = world.companies.iter().find(|c| c.slug == ashby).unwrap();
        company.jobs.iter().filter(|j| j.listed).count()
    };
    let new = format!("{} new", 18 + ashby_listed);
    assert!(table.contains(&new), "{new} in {table}");
    let missing = run(vec!["scrape".into(), "--company".into(), "99".into()])
        .await
        .unwrap();
    assert!(!missing.status.success());
    assert!(stderr_line(&missing).contains("no company 99"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_mid_way_keeps_what_it_committed_and_is_marked_interrupted() {
    let spec = sim::world::WorldSpec {
        seed: 9,
        companies: 14,
        jobs_per_company: 8,
        now: engine::store::unix_now(),
    };
    // Slow answers: single-request boards finish in the first seconds, boards that fetch a
    // detail per job (Workable, SmartRecruiters, careers sites) are still running at the kill.
    let options = sim::Options {
        faults: vec![sim::faults::Fault::parse("*=latency:700").unwrap()],
        ..sim::Options::default()
    };
    let (sim, dir, db_config, expected) = followed_world(spec, options).await;
    let path = dir.path().to_owned();
    let mut child = jobscout(&path)
        .args(["--db", "jobs.db", "scrape", "--all"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let db = engine::Database::open(&db_config).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(db.reader())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let (jobs, distinct): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT source || coalesce(source_id, url)) FROM jobs",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    assert_eq!(jobs, distinct, "no duplicates");
    let (done, open): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE finished_at IS NOT NULL), \
         count(*) FILTER (WHERE finished_at IS NULL) FROM run_items",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    assert!(
        done > 0 && open > 0,
        "killed mid-run: {done} done, {open} open"
    );
    let committed: i64 = sqlx::query_scalar("SELECT coalesce(sum(new), 0) FROM run_items")
        .fetch_one(db.reader())
        .await
        .unwrap();
    assert_eq!(
        jobs, committed,
        "every committed company's jobs, nothing half-written"
    );
    db.close().await;

    // The next start marks the dead run interrupted and collects everything, once.
    sim.state.set_faults(Vec::new());
    let again = tokio::task::spawn_blocking(move || {
        jobscout(&path)
            .args(["--db", "jobs.db", "scrape", "--all"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let db = engine::Database::open(&db_config).await.unwrap();
    let runs = db.recent_runs(5).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].status, model::RunStatus::Interrupted);
    assert!(
        runs[1]
            .items
            .iter()
            .any(|i| i.status == model::RunStatus::Interrupted)
    );
    assert_eq!(runs[0].status, model::RunStatus::Succeeded);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs")
        .fetch_one(db.reader())
        .await
        .unwrap();
    assert_eq!(total as usize, expected);
}

/// The simulator's world with every company but the LLM-only sites followed in a fresh
/// database next to the simulator's config: the simulator, the directory, the database's
/// config, and how many jobs a complete collection stores.
async fn followed_world(
    spec: sim::world::WorldSpec,
    options: sim::Options,
) -> (
    sim::Sim,
    tempfile::TempDir,
    engine::config::DatabaseConfig,
    usize,
) {
    let sim = sim::Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = reqwest::get(format!("{}/_sim/config", sim.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    std::fs::write(dir.path().join("config.yaml"), config).unwrap();
    let db_config = engine::config::DatabaseConfig {
        path: dir.path().join("jobs.db"),
        ..Default::default()
    };
    let shells: Vec<_> = sim.state.world.read().unwrap().companies.clone();
    let mut expected = 0;
    {
        let db = engine::Database::open(&db_config).await.unwrap();
        for c in shells
            .iter()
            .filter(|c| c.provider != sim::world::Provider::Html)
        {
            let provider = match c.provider {
                sim::world::Provider::Greenhouse => "greenhouse",
                sim::world::Provider::Lever => "lever",
                sim::world::Provider::Ashby => "ashby",
                sim::world::Provider::Workable => "workable",
                sim::world::Provider::SmartRecruiters => "smartrecruiters",
                sim::world::Provider::Recruitee => "recruitee",
                _ => "jsonld",
            };
            expected += c
                .jobs
                .iter()
                .filter(|j| j.listed || !matches!(provider, "ashby" | "jsonld"))
                .count();
            db.add_company(
                &engine::store::NewCompany {
                    name: c.name.clone(),
                    provider: provider.into(),
                    board_token: c.slug.clone(),
                    careers_url: Some(format!("{}/careers/{}/", sim.base_url(), c.slug)),
                },
                1,
            )
            .await
            .unwrap();
        }
        db.close().await;
    }
    (sim, dir, db_config, expected)
}

/// A server process that dies with the test, even when an assertion fails first.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `jobscout serve` on the directory's config and database, and the address it listens on;
/// its log is drained in the background.
fn serve_in(dir: &std::path::Path) -> (Server, String) {
    let mut child = jobscout(dir)
        .args(["--config", "config.yaml", "--db", "jobs.db", "serve"])
        .args(["--addr", "127.0.0.1:0"])
        .env("JOBSCOUT_LOG__LEVEL", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (Server(child), addr)
}

/// A JSON answer read past the server's caches.
async fn fresh_json(http: &reqwest::Client, url: &str) -> serde_json::Value {
    http.get(url)
        .header("cache-control", "no-cache")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn sigterm(pid: u32) {
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The database after a kill: SQLite's own check passes and no job is stored twice.
async fn assert_sound(db_config: &engine::config::DatabaseConfig) {
    let db = engine::Database::open(db_config).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(db.reader())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let duplicates: i64 = sqlx::query_scalar(
        "SELECT count(*) - count(DISTINCT source || coalesce(source_id, url)) FROM jobs",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    assert_eq!(duplicates, 0, "no job stored twice");
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_sigkills_during_collection_and_writes_lose_nothing() {
    use leptos::server_fn::ServerFn;
    let kills: u64 = std::env::var("JOBSCOUT_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let spec = sim::world::WorldSpec {
        seed: 21,
        companies: 10,
        jobs_per_company: 6,
        now: engine::store::unix_now(),
    };
    let options = sim::Options {
        faults: vec![sim::faults::Fault::parse("*=latency:120").unwrap()],
        ..sim::Options::default()
    };
    let (sim, dir, db_config, _) = followed_world(spec, options).await;
    let slugs: Vec<String> = sim
        .state
        .world
        .read()
        .unwrap()
        .companies
        .iter()
        .filter(|c| c.provider != sim::world::Provider::Html)
        .map(|c| c.slug.clone())
        .collect();
    let http = reqwest::Client::new();
    let change_url = app::api::jobs::ChangeJobs::PATH;
    // What the server acknowledged: the last notes per job, the job total it reported.
    let mut acked: std::collections::HashMap<i64, String> = Default::default();
    // A write sent but not answered when the server died: either outcome is right.
    let mut in_flight: Option<(i64, String)> = None;
    let mut reported_total = 0u64;
    let mut mid_write = 0;
    let mut rng = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    // Every job, closed and archived included, as the database has it now.
    let total = |base: String| {
        let http = http.clone();
        async move {
            let url = format!("http://{base}/api/v1/jobs/counts?closed=include&archived=include");
            fresh_json(&http, &url).await["total"].as_u64().unwrap()
        }
    };

    for kill in 0..=kills {
        let (mut server, base) = serve_in(dir.path());
        // A clean restart: nothing acknowledged is missing, no run is left running.
        assert!(
            total(base.clone()).await >= reported_total,
            "kill {kill}: jobs lost"
        );
        for (id, notes) in &acked {
            let job = fresh_json(&http, &format!("http://{base}/api/v1/jobs/{id}")).await;
            let stored = job["notes"].as_str().unwrap();
            let sent_last = in_flight
                .as_ref()
                .is_some_and(|(i, n)| i == id && n == stored);
            assert!(
                stored == notes || sent_last,
                "kill {kill}: job {id} has {stored:?}, acknowledged {notes:?}"
            );
        }
        if let Some((id, notes)) = in_flight.take() {
            let job = fresh_json(&http, &format!("http://{base}/api/v1/jobs/{id}")).await;
            if job["notes"] == notes.as_str() {
                acked.insert(id, notes);
            }
        }
        let runs = fresh_json(&http, &format!("http://{base}/api/v1/runs")).await;
        for run in runs.as_array().unwrap() {
            assert_ne!(
                run["status"], "running",
                "kill {kill}: a dead run was not closed"
            );
        }
        if kill == kills {
            // The kills did land mid-collection: many of the recent runs were cut short.
            let interrupted = runs
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["status"] == "interrupted")
                .count();
            eprintln!(
                "{kills} kills: {interrupted} of the last {} runs interrupted, {} jobs' notes \
                 acknowledged, {mid_write} kills during a write",
                runs.as_array().unwrap().len(),
                acked.len()
            );
            assert!(
                kills < 20 || interrupted >= 5,
                "{interrupted} runs interrupted"
            );
            sigterm(server.0.id());
            server.0.wait().unwrap();
            break;
        }

        // New openings on two boards, so this run has something to write; then collect all.
        for slug in slugs
            .iter()
            .cycle()
            .skip(kill as usize % slugs.len())
            .take(2)
        {
            http.post(format!("{}/_sim/world/{slug}/jobs", sim.base_url()))
                .json(&serde_json::json!({"count": 2}))
                .send()
                .await
                .unwrap();
        }
        let started = http
            .post(format!("http://{base}/api/v1/runs"))
            .json(&serde_json::json!({"all": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), 202);

        // The user's writes, one after another, until the kill at a random moment.
        let deadline = Instant::now() + Duration::from_millis(100 + next() % 1400);
        let mut ids: Vec<i64> = Vec::new();
        let mut write = 0;
        while Instant::now() < deadline {
            if ids.is_empty() || write % 8 == 0 {
                let page = fresh_json(&http, &format!("http://{base}/api/v1/jobs?limit=50")).await;
                ids = page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|j| j["id"].as_i64())
                    .collect();
                reported_total = reported_total.max(total(base.clone()).await);
                if ids.is_empty() {
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    continue;
                }
            }
            let id = ids[(next() % ids.len() as u64) as usize];
            let notes = format!("kill {kill}, write {write}");
            in_flight = Some((id, notes.clone()));
            let left = deadline.saturating_duration_since(Instant::now());
            let sent = tokio::time::timeout(
                left,
                http.post(format!("http://{base}{change_url}"))
                    .json(&serde_json::json!({"ids": [id], "change": {"Notes": notes}}))
                    .send(),
            )
            .await;
            match sent {
                Ok(Ok(response)) if response.status() == 200 => {
                    acked.insert(id, notes);
                    in_flight = None;
                }
                Ok(Ok(response)) => panic!("kill {kill}: a write failed: {}", response.status()),
                _ => {
                    mid_write += 1;
                    break;
                }
            }
            write += 1;
        }
        server.0.kill().unwrap(); // SIGKILL
        server.0.wait().unwrap();
        assert_sound(&db_config).await;
    }
    assert!(
        acked.len() > 10,
        "the writes reached many jobs: {}",
        acked.len()
    );
}

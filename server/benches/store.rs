//! Store benchmarks on a seeded database: the job list cold with every kind of filter, a deep
//! page by cursor, full-text search, counts, a cached page, and upserts of new and known jobs.
//!
//! `cargo bench -p server --bench store` seeds `target/bench-db/<N>.db` on first use
//! (`JOBSCOUT_BENCH_JOBS`, default 100000; `JOBSCOUT_BENCH_DB` points at another file). Besides
//! criterion's estimates it prints, per case, the median, p95 and p99 of single calls, which is
//! what `docs/BENCHMARKS.md` quotes.
//!
//! Memory as in the server: mimalloc for Rust, SQLite without its memory statistics
//! (`JOBSCOUT_BENCH_SQLITE_STATS=on` keeps them, to compare).

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};
use engine::config::{CacheConfig, DatabaseConfig};
use engine::store::{CachedStore, Database, UpsertBatch, unix_now};
use model::{Inclusion, JobFilter, NewJob, Remote, Sort, Stage};
use sim::world::{Job, World, WorldSpec};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Samples = Arc<Mutex<BTreeMap<String, Vec<Duration>>>>;

/// Times `iters` calls of `call` one by one, keeping each duration for the percentile table.
async fn timed<F, Fut>(samples: &Samples, name: &str, iters: u64, mut call: F) -> Duration
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut total = Duration::ZERO;
    let mut each = Vec::with_capacity(iters as usize);
    for i in 0..iters {
        let started = Instant::now();
        call(i).await;
        let took = started.elapsed();
        total += took;
        each.push(took);
    }
    samples
        .lock()
        .unwrap()
        .entry(name.to_owned())
        .or_default()
        .extend(each);
    total
}

/// One benchmark case: `call(i)` is the i-th call, timed alone.
fn case<F, Fut>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    runtime: &tokio::runtime::Runtime,
    samples: &Samples,
    name: &str,
    call: F,
) where
    F: FnMut(u64) -> Fut + Clone,
    Fut: Future<Output = ()>,
{
    group.bench_function(name, |b| {
        b.to_async(runtime).iter_custom(|iters| {
            let (samples, call) = (samples.clone(), call.clone());
            async move { timed(&samples, name, iters, call).await }
        })
    });
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn show(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 1000.0 {
        format!("{micros:.1} µs")
    } else {
        format!("{:.2} ms", micros / 1000.0)
    }
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if std::env::var("JOBSCOUT_BENCH_SQLITE_STATS").as_deref() != Ok("on") {
        // SAFETY: first thing in the process: nothing has used SQLite yet.
        unsafe { engine::store::heap::without_memory_statistics() }
            .expect("before any database is opened");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let jobs: usize = std::env::var("JOBSCOUT_BENCH_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let path = std::env::var_os("JOBSCOUT_BENCH_DB").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/bench-db")
                .join(format!("{jobs}.db"))
        },
        PathBuf::from,
    );
    let db = runtime.block_on(async {
        let db = Database::open(&DatabaseConfig {
            path: path.clone(),
            ..DatabaseConfig::default()
        })
        .await
        .expect("open the bench database");
        let have = db
            .job_counts(
                &JobFilter {
                    closed: Inclusion::Include,
                    archived: Inclusion::Include,
                    ..JobFilter::default()
                },
                unix_now(),
            )
            .await
            .unwrap()
            .total as usize;
        if have < jobs {
            eprintln!("seeding {} with {jobs} jobs (once)…", path.display());
            let report = server::seed::seed(&db, jobs, 1, |_| {}).await.unwrap();
            eprintln!("seeded in {:.0} s", report.seconds);
        }
        // A few jobs in the user's hands, as in real use.
        let page = db
            .list_jobs(&JobFilter::default(), None, 40, unix_now())
            .await
            .unwrap();
        let ids: Vec<i64> = page.items.iter().map(|j| j.id).collect();
        let now = unix_now();
        db.change_jobs(
            &ids[..20],
            &engine::store::JobChange::Stage(Stage::Saved),
            now,
        )
        .await
        .unwrap();
        db.change_jobs(&ids[10..30], &engine::store::JobChange::Starred(true), now)
            .await
            .unwrap();
        db
    });
    let now = unix_now();
    let samples: Samples = Arc::default();
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let label = format!("{jobs} jobs");

    // The cursor of page 1,000 (50 a page), found once.
    let deep_cursor = runtime.block_on(async {
        let mut cursor: Option<String> = None;
        for _ in 0..999 {
            let page = db
                .list_jobs(&JobFilter::default(), cursor.as_deref(), 50, now)
                .await
                .unwrap();
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        cursor
    });
    let company = runtime.block_on(db.companies()).unwrap()[3].id;

    let lists: Vec<(&str, JobFilter, Option<String>)> = vec![
        ("list/first_page", JobFilter::default(), None),
        ("list/page_1000", JobFilter::default(), deep_cursor),
        (
            "list/company",
            JobFilter {
                company: Some(company),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "list/stage",
            JobFilter {
                stage: Some(Stage::Saved),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "list/starred",
            JobFilter {
                starred: Some(true),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "list/remote+salary",
            JobFilter {
                remote: Some(Remote::Remote),
                salary_min: Some(120_000.0),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "list/posted_7d+source",
            JobFilter {
                posted_within: Some(7),
                source: Some("lever".into()),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "list/eur_range",
            JobFilter {
                currency: Some("EUR".into()),
                salary_min: Some(60_000.0),
                salary_max: Some(90_000.0),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "list/sort_salary",
            JobFilter {
                sort: Some(Sort::Salary),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "list/archived_only",
            JobFilter {
                archived: Inclusion::Only,
                ..JobFilter::default()
            },
            None,
        ),
        (
            "search/common",
            JobFilter {
                q: Some("engineer ".into()),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "search/rare",
            JobFilter {
                q: Some("tokyo ".into()),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "search/prefix",
            JobFilter {
                q: Some("engin".into()),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "search/two_words",
            JobFilter {
                q: Some("rust berlin".into()),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "search/common+remote",
            JobFilter {
                q: Some("engineer ".into()),
                remote: Some(Remote::Remote),
                ..JobFilter::default()
            },
            None,
        ),
        (
            "search/common_newest",
            JobFilter {
                q: Some("engineer ".into()),
                sort: Some(Sort::Newest),
                ..JobFilter::default()
            },
            None,
        ),
    ];
    let mut group = c.benchmark_group(&label);
    for (name, filter, cursor) in &lists {
        let db = db.clone();
        case(&mut group, &runtime, &samples, name, move |_| {
            let (db, filter, cursor) = (db.clone(), filter.clone(), cursor.clone());
            async move {
                let page = db
                    .list_jobs(&filter, cursor.as_deref(), 50, now)
                    .await
                    .unwrap();
                std::hint::black_box(page);
            }
        });
    }
    let counting = db.clone();
    case(
        &mut group,
        &runtime,
        &samples,
        "counts/default",
        move |_| {
            let db = counting.clone();
            async move {
                std::hint::black_box(db.job_counts(&JobFilter::default(), now).await.unwrap());
            }
        },
    );
    let cached = Arc::new(CachedStore::new(db.clone(), &CacheConfig::default()));
    case(&mut group, &runtime, &samples, "cache/hit", move |_| {
        let cached = cached.clone();
        async move {
            let page = cached
                .list_jobs(&JobFilter::default(), None, 50, now, false)
                .await
                .unwrap();
            std::hint::black_box(page);
        }
    });
    let reading = db.clone();
    case(&mut group, &runtime, &samples, "get/job", move |i| {
        let db = reading.clone();
        async move {
            std::hint::black_box(db.job(1 + (i as i64 * 7919) % 50_000).await.unwrap());
        }
    });

    // Upserts, 200 jobs a batch (one company's board). New jobs come from fresh worlds.
    let batch = |world_seed: u64| -> Vec<NewJob> {
        let spec = WorldSpec {
            seed: world_seed,
            companies: 1,
            jobs_per_company: 0,
            now,
        };
        let shell = &World::generate(&spec).companies[0];
        (0..200)
            .map(|j| {
                server::seed::normalized(
                    shell,
                    &Job::generate(&spec, 0, j, &shell.name),
                    world_seed,
                )
            })
            .collect()
    };
    let known = batch(1_000_000);
    runtime
        .block_on(db.upsert_jobs(UpsertBatch {
            company_id: None,
            jobs: &known,
            complete: false,
            now,
        }))
        .unwrap();
    let next_world = Arc::new(Mutex::new(2_000_000_u64));
    group.sample_size(10);
    group.bench_function("upsert/200_new", |b| {
        b.to_async(&runtime).iter_custom(|iters| {
            let (db, samples, next_world) = (db.clone(), samples.clone(), next_world.clone());
            let batches: Vec<Vec<NewJob>> = (0..iters)
                .map(|_| {
                    let mut n = next_world.lock().unwrap();
                    *n += 1;
                    batch(*n)
                })
                .collect();
            async move {
                timed(&samples, "upsert/200_new", iters, |i| {
                    let (db, jobs) = (db.clone(), batches[i as usize].clone());
                    async move {
                        db.upsert_jobs(UpsertBatch {
                            company_id: None,
                            jobs: &jobs,
                            complete: false,
                            now,
                        })
                        .await
                        .unwrap();
                    }
                })
                .await
            }
        })
    });
    let writing = db.clone();
    case(
        &mut group,
        &runtime,
        &samples,
        "upsert/200_known",
        move |_| {
            let (db, jobs) = (writing.clone(), known.clone());
            async move {
                let batch = UpsertBatch {
                    company_id: None,
                    jobs: &jobs,
                    complete: false,
                    now,
                };
                db.upsert_jobs(batch).await.unwrap();
            }
        },
    );
    group.finish();
    c.final_summary();

    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mut table = format!(
        "\n### Store latency, {label} ({} MB, {:.0} bytes a job)\n\n| case | calls | median | p95 | p99 |\n|---|---:|---:|---:|---:|\n",
        size / 1_000_000,
        size as f64 / jobs as f64
    );
    for (name, durations) in samples.lock().unwrap().iter_mut() {
        durations.sort();
        let line = if name.starts_with("upsert/") {
            let median = percentile(durations, 0.5);
            format!(
                "| {name} | {} | {} ({:.0} jobs/s) | {} | {} |\n",
                durations.len(),
                show(median),
                200.0 / median.as_secs_f64(),
                show(percentile(durations, 0.95)),
                show(percentile(durations, 0.99))
            )
        } else {
            format!(
                "| {name} | {} | {} | {} | {} |\n",
                durations.len(),
                show(percentile(durations, 0.5)),
                show(percentile(durations, 0.95)),
                show(percentile(durations, 0.99))
            )
        };
        table.push_str(&line);
    }
    println!("{table}");
    let out = path.with_extension("md");
    std::fs::write(&out, &table).ok();
    eprintln!("table written to {}", out.display());
}

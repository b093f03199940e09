//! `jobscout seed --synthetic N`: fills the database with realistic synthetic jobs (the
//! simulator's world: companies over every provider, titles, places, salaries in several
//! currencies and periods, descriptions of realistic length) through the same upsert path as
//! collection, for benchmarks and for trying the UI at scale.

use engine::Database;
use engine::store::{NewCompany, UpsertBatch, UpsertCounts, unix_now};
use model::{NewJob, Remote, Salary, SalaryPeriod};
use sim::providers::{escape_html, plain_text};
use sim::world::{Company, Job, Period, Provider, Workplace, World, WorldSpec};
use std::time::Instant;

/// Jobs per synthetic company: 1,000,000 jobs make 5,000 companies.
pub const JOBS_PER_COMPANY: usize = 200;

#[derive(Debug, Clone, Copy, Default)]
pub struct SeedReport {
    pub companies: usize,
    pub counts: UpsertCounts,
    pub seconds: f64,
    /// Of which building the deferred indexes and the search index at the end.
    pub indexing_seconds: f64,
}

fn source_of(provider: Provider) -> &'static str {
    match provider {
        Provider::Greenhouse => "greenhouse",
        Provider::Lever => "lever",
        Provider::Ashby => "ashby",
        Provider::Workable => "workable",
        Provider::SmartRecruiters => "smartrecruiters",
        Provider::Recruitee => "recruitee",
        Provider::JsonLd => "jsonld",
        Provider::Html => "llm",
    }
}

/// A simulated job as a collector would have normalized it. The description is stored as
/// escaped paragraphs of its text: seeding must not bypass the HTML sanitizer with raw markup.
pub fn normalized(company: &Company, job: &Job, seed: u64) -> NewJob {
    let text = plain_text(&job.description_html);
    let html: String = text
        .lines()
        .map(|line| format!("<p>{}</p>", escape_html(line)))
        .collect();
    NewJob {
        source: source_of(company.provider).into(),
        // The simulator numbers jobs the same way in every world; the seed keeps worlds apart.
        source_id: Some(format!("{seed}-{}", job.id)),
        url: format!("https://{}.example/jobs/{}", company.slug, job.id),
        apply_url: Some(format!(
            "https://{}.example/jobs/{}/apply",
            company.slug, job.id
        )),
        title: job.title.trim().to_owned(),
        company: company.name.clone(),
        location: Some(match job.workplace {
            Workplace::Remote => format!("Remote ({})", job.location.country),
            _ => job.location.display(),
        }),
        remote: match job.workplace {
            Workplace::Remote => Some(Remote::Remote),
            Workplace::Hybrid => Some(Remote::Hybrid),
            Workplace::OnSite => Some(Remote::Onsite),
            Workplace::Unspecified => None,
        },
        employment_type: None,
        department: Some(job.department.to_owned()),
        salary: job.salary.as_ref().map(|s| Salary {
            min: Some(s.min as f64),
            max: Some(s.max as f64),
            currency: Some(s.currency.to_owned()),
            period: match s.period {
                Period::Hour => SalaryPeriod::Hour,
                Period::Month => SalaryPeriod::Month,
                Period::Year => SalaryPeriod::Year,
            },
        }),
        posted_at: Some(job.posted_at),
        description_html: html,
        description_text: text,
    }
}

/// One company's upsert, under way on its own task: its counts and its number of jobs.
type Writing = tokio::task::JoinHandle<anyhow::Result<(UpsertCounts, usize)>>;

/// Waits for one company's upsert and adds its counts to the report; returns its jobs.
async fn settle(write: Writing, report: &mut SeedReport) -> anyhow::Result<usize> {
    let (counts, jobs) = write.await??;
    report.counts.inserted += counts.inserted;
    report.counts.updated += counts.updated;
    report.counts.unchanged += counts.unchanged;
    report.counts.rejected += counts.rejected;
    Ok(jobs)
}

/// Seeds `total` jobs from world `seed`. Generation runs on a blocking thread while the writer
/// stores the previous company, so both cores work. Seeding again with the same seed finds the
/// same jobs (unchanged); another seed adds new ones.
pub async fn seed(
    db: &Database,
    total: usize,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let companies = total.div_ceil(JOBS_PER_COMPANY);
    // Posting dates are relative to today (not this second), so seeding again on the same day
    // finds exactly the same jobs.
    let today = unix_now() / 86_400 * 86_400;
    let spec = WorldSpec {
        seed,
        companies,
        jobs_per_company: 0,
        now: today,
    };
    let shells = World::generate(&spec).companies;
    let now = unix_now();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(i64, Vec<NewJob>)>(4);
    let mut ids = Vec::with_capacity(shells.len());
    for shell in &shells {
        let id = db
            .add_company(
                &NewCompany {
                    name: shell.name.clone(),
                    provider: source_of(shell.provider).into(),
                    board_token: shell.slug.clone(),
                    careers_url: Some(format!("https://{}.example/careers", shell.slug)),
                },
                now,
            )
            .await?;
        ids.push(id);
    }
    let producer = tokio::task::spawn_blocking(move || {
        for (index, (shell, id)) in shells.iter().zip(ids).enumerate() {
            let count = JOBS_PER_COMPANY.min(total - index * JOBS_PER_COMPANY);
            let jobs = (0..count)
                .map(|j| {
                    let job = Job::generate(&spec, index as u64, j as u64, &shell.name);
                    normalized(shell, &job, seed)
                })
                .collect();
            if tx.blocking_send((id, jobs)).is_err() {
                return;
            }
        }
    });
    db.bulk_load(true).await?;
    let mut report = SeedReport {
        companies,
        ..SeedReport::default()
    };
    // Two companies in flight: while one is written, the next one's jobs are hashed (the
    // store prepares a batch before it takes the single writer).
    let mut writing = std::collections::VecDeque::new();
    let loaded = async {
        let mut done = 0;
        while let Some((company_id, jobs)) = rx.recv().await {
            if writing.len() == 2
                && let Some(oldest) = writing.pop_front()
            {
                done += settle(oldest, &mut report).await?;
                progress(done);
            }
            let db = db.clone();
            writing.push_back(tokio::spawn(async move {
                let batch = UpsertBatch {
                    company_id: Some(company_id),
                    jobs: &jobs,
                    complete: false,
                    now,
                };
                anyhow::Ok((db.upsert_jobs(batch).await?, jobs.len()))
            }));
        }
        while let Some(write) = writing.pop_front() {
            done += settle(write, &mut report).await?;
            progress(done);
        }
        anyhow::Ok(())
    }
    .await;
    // After a failure no other company is still writing when the indexes come back.
    for unfinished in writing {
        unfinished.abort();
        let _ = unfinished.await;
    }
    // The indexes come back even when the load failed half-way: what was committed stays,
    // searchable.
    drop(rx);
    let indexing = Instant::now();
    let restored = db.bulk_load(false).await;
    report.indexing_seconds = indexing.elapsed().as_secs_f64();
    loaded?;
    restored?;
    producer.await?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

//! Simulated users against a running Jobscout: each one, in a loop, lists jobs (with a filter,
//! sometimes the next page), searches, opens a job, loads the server-rendered Jobs page, or
//! changes a job (star, stage, notes), pausing 100–900 ms between actions like a person
//! clicking quickly. Writes make the server's caches go cold: a star or a stage the lists and
//! counts that depend on it and every kept page and JSON answer, a note the job's details.
//!
//! `cargo bench -p server --bench users -- BASE_URL SECONDS USERS SERVER_PID` (what
//! `scripts/load-users.sh` runs). Prints latency percentiles per action, errors, and the
//! server's RSS sampled every 5 s with its trend, as `RESULT name value` lines.

use app::api::jobs::ChangeJobs;
use leptos::server_fn::ServerFn;
use model::{JobChange, Stage};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ACTIONS: [&str; 5] = ["list", "search", "detail", "page", "write"];
const WORDS: [&str; 10] = [
    "engineer", "rust", "data", "manager", "senior", "design", "sales", "python", "remote",
    "berlin",
];
const FILTERS: [&str; 6] = [
    "",
    "&remote=remote",
    "&stage=inbox",
    "&sort=salary",
    "&starred=true",
    "&posted_within=7",
];

/// A small xorshift generator per user: reproducible, no shared state.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Default)]
struct Tally {
    /// Microseconds per action kind.
    latencies: [Vec<u32>; 5],
    errors: [u64; 5],
    first_errors: Vec<String>,
}

struct User {
    base: String,
    client: reqwest::Client,
    rng: Rng,
    /// Job ids this user has seen in lists, to open and change.
    seen: Vec<i64>,
}

impl User {
    async fn act(&mut self, kind: usize) -> Result<(), String> {
        let base = self.base.clone();
        match kind {
            0 => {
                let filter = FILTERS[self.rng.below(FILTERS.len())];
                let page = self
                    .get_json(&format!("{base}/api/v1/jobs?limit=50{filter}"))
                    .await?;
                self.remember(&page);
                // One in three readers scrolls on to the next page.
                if self.rng.below(3) == 0
                    && let Some(cursor) = page["next_cursor"].as_str()
                {
                    self.get_json(&format!(
                        "{base}/api/v1/jobs?limit=50{filter}&cursor={cursor}"
                    ))
                    .await?;
                }
                Ok(())
            }
            1 => {
                let word = WORDS[self.rng.below(WORDS.len())];
                let page = self
                    .get_json(&format!("{base}/api/v1/jobs?q={word}&limit=20"))
                    .await?;
                self.remember(&page);
                Ok(())
            }
            2 => {
                let id = self.some_job();
                self.get_json(&format!("{base}/api/v1/jobs/{id}"))
                    .await
                    .map(drop)
            }
            3 => {
                let path = if self.rng.below(2) == 0 {
                    "/".to_string()
                } else {
                    format!("/?q={}", WORDS[self.rng.below(WORDS.len())])
                };
                self.get_ok(&format!("{base}{path}")).await
            }
            _ => {
                let id = self.some_job();
                let change = match self.rng.below(3) {
                    0 => JobChange::Starred(self.rng.below(2) == 0),
                    1 => JobChange::Stage(
                        [Stage::Inbox, Stage::Saved, Stage::Applied][self.rng.below(3)],
                    ),
                    _ => JobChange::Notes(format!("call back on day {}", self.rng.below(30))),
                };
                let body = serde_json::to_string(&ChangeJobs {
                    ids: vec![id],
                    change,
                })
                .map_err(|e| e.to_string())?;
                let response = self
                    .client
                    .post(format!("{base}{}", ChangeJobs::PATH))
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                check(response).await.map(drop)
            }
        }
    }

    fn some_job(&mut self) -> i64 {
        if self.seen.is_empty() {
            1 + self.rng.below(1000) as i64
        } else {
            self.seen[self.rng.below(self.seen.len())]
        }
    }

    fn remember(&mut self, page: &serde_json::Value) {
        let ids = page["items"].as_array().into_iter().flatten();
        for id in ids.filter_map(|item| item["id"].as_i64()).take(5) {
            if self.seen.len() < 200 {
                self.seen.push(id);
            } else {
                let slot = self.rng.below(self.seen.len());
                self.seen[slot] = id;
            }
        }
    }

    async fn get_json(&self, url: &str) -> Result<serde_json::Value, String> {
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body = check(response).await?;
        serde_json::from_slice(&body).map_err(|e| format!("{url}: {e}"))
    }

    async fn get_ok(&self, url: &str) -> Result<(), String> {
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        check(response).await.map(drop)
    }
}

async fn check(response: reqwest::Response) -> Result<Vec<u8>, String> {
    let status = response.status();
    let url = response.url().to_string();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(body.to_vec())
    } else {
        Err(format!(
            "{url}: {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ))
    }
}

/// The server's resident memory in kB: (all, anonymous). The rest is the database file mapped
/// by SQLite (`database.mmap_size_mib`), pages the kernel can drop at any time; the anonymous
/// part is the heap (SQLite's page caches, the moka caches, requests), where a leak would show.
fn rss_kb(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("RssAnon:")?))
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}

/// Least-squares slope of (seconds, kB) in MB a minute.
fn trend_mb_per_min(samples: &[(f64, u64)]) -> f64 {
    let n = samples.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mean_t = samples.iter().map(|s| s.0).sum::<f64>() / n;
    let mean_r = samples.iter().map(|s| s.1 as f64).sum::<f64>() / n;
    let cov: f64 = samples
        .iter()
        .map(|s| (s.0 - mean_t) * (s.1 as f64 - mean_r))
        .sum();
    let var: f64 = samples.iter().map(|s| (s.0 - mean_t).powi(2)).sum();
    if var == 0.0 {
        0.0
    } else {
        cov / var * 60.0 / 1024.0
    }
}

#[tokio::main]
async fn main() {
    // `cargo bench` adds `--bench`; everything else is ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [base, seconds, users, pid] = args.as_slice() else {
        eprintln!("usage: users BASE_URL SECONDS USERS SERVER_PID");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("SECONDS");
    let users: usize = users.parse().expect("USERS");
    let pid: u32 = pid.parse().expect("SERVER_PID");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let tally = Arc::new(Mutex::new(Tally::default()));

    let sampler = tokio::spawn(async move {
        let started = Instant::now();
        let mut samples = Vec::new();
        while Instant::now() < deadline {
            if let Some(kb) = rss_kb(pid) {
                samples.push((started.elapsed().as_secs_f64(), kb));
                println!(
                    "rss at {:>4.0} s: {:>6.1} MB ({:.1} MB anonymous)",
                    started.elapsed().as_secs_f64(),
                    kb.0 as f64 / 1024.0,
                    kb.1 as f64 / 1024.0
                );
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        samples
    });

    let mut tasks = Vec::new();
    for n in 0..users {
        let tally = tally.clone();
        let base = base.trim_end_matches('/').to_string();
        tasks.push(tokio::spawn(async move {
            let mut user = User {
                base,
                client: reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .expect("client"),
                rng: Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407)),
                seen: Vec::new(),
            };
            // Users arrive over the first second, not all at once.
            tokio::time::sleep(Duration::from_millis(user.rng.below(1000) as u64)).await;
            while Instant::now() < deadline {
                // list 35 %, search 25 %, detail 15 %, page 13 %, write 12 %.
                let kind = match user.rng.below(100) {
                    0..35 => 0,
                    35..60 => 1,
                    60..75 => 2,
                    75..88 => 3,
                    _ => 4,
                };
                let started = Instant::now();
                let result = user.act(kind).await;
                let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                {
                    let mut tally = tally.lock().expect("tally");
                    tally.latencies[kind].push(micros);
                    if let Err(error) = result {
                        tally.errors[kind] += 1;
                        if tally.first_errors.len() < 5 {
                            tally.first_errors.push(error);
                        }
                    }
                }
                let think = 100 + user.rng.below(800) as u64;
                tokio::time::sleep(Duration::from_millis(think)).await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("user");
    }
    let samples = sampler.await.expect("sampler");

    let mut tally = tally.lock().expect("tally");
    let Tally {
        latencies,
        errors,
        first_errors,
    } = &mut *tally;
    let mut all: Vec<u32> = Vec::new();
    println!("action   requests  errors   p50 ms   p95 ms   p99 ms");
    for (kind, name) in ACTIONS.iter().enumerate() {
        let latencies = &mut latencies[kind];
        latencies.sort_unstable();
        all.extend_from_slice(latencies);
        println!(
            "{name:<8} {:>8} {:>7} {:>8.2} {:>8.2} {:>8.2}",
            latencies.len(),
            errors[kind],
            percentile(latencies, 50.0),
            percentile(latencies, 95.0),
            percentile(latencies, 99.0)
        );
        println!("RESULT users_{name}_p99 {:.2}", percentile(latencies, 99.0));
    }
    all.sort_unstable();
    let errors: u64 = errors.iter().sum();
    for error in first_errors.iter() {
        println!("error: {error}");
    }
    // The first 30 s are warm-up (caches and SQLite's page cache filling).
    let steady: Vec<(f64, u64)> = samples
        .iter()
        .filter(|s| s.0 >= 30.0)
        .map(|s| (s.0, s.1.0))
        .collect();
    let steady_anon: Vec<(f64, u64)> = samples
        .iter()
        .filter(|s| s.0 >= 30.0)
        .map(|s| (s.0, s.1.1))
        .collect();
    let first = steady.first().map_or(0, |s| s.1);
    let last = steady.last().map_or(0, |s| s.1);
    let peak = samples.iter().map(|s| s.1.0).max().unwrap_or(0);
    let anon_first = steady_anon.first().map_or(0, |s| s.1);
    let anon_last = steady_anon.last().map_or(0, |s| s.1);
    println!("RESULT users_requests {}", all.len());
    println!("RESULT users_rps {:.0}", all.len() as f64 / seconds as f64);
    println!("RESULT users_errors {errors}");
    println!("RESULT users_p50 {:.2}", percentile(&all, 50.0));
    println!("RESULT users_p99 {:.2}", percentile(&all, 99.0));
    println!("RESULT users_rss_first_mb {:.1}", first as f64 / 1024.0);
    println!("RESULT users_rss_last_mb {:.1}", last as f64 / 1024.0);
    println!("RESULT users_rss_peak_mb {:.1}", peak as f64 / 1024.0);
    println!(
        "RESULT users_rss_trend_mb_per_min {:.2}",
        trend_mb_per_min(&steady)
    );
    println!(
        "RESULT users_anon_first_mb {:.1}",
        anon_first as f64 / 1024.0
    );
    println!("RESULT users_anon_last_mb {:.1}", anon_last as f64 / 1024.0);
    println!(
        "RESULT users_anon_trend_mb_per_min {:.2}",
        trend_mb_per_min(&steady_anon)
    );
    // Caches filling towards their bounds slow down and stop; a leak keeps its slope. The
    // second half's slope tells them apart.
    let half = seconds as f64 / 2.0;
    let late: Vec<(f64, u64)> = steady_anon
        .iter()
        .copied()
        .filter(|s| s.0 >= half)
        .collect();
    println!(
        "RESULT users_anon_trend_second_half_mb_per_min {:.2}",
        trend_mb_per_min(&late)
    );
}

//! Holds N Server-Sent Events streams on `/api/v1/runs/events` until each has seen run RUN
//! finish (RUN 0: the first run that starts after the stream opened), then prints how many did
//! and how long the slowest took. Used by `scripts/bench-sse.sh`; not part of the app.
//!
//! `cargo run --release --example sse_subscribers -- http://127.0.0.1:3000 1000 0`

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base = args
        .next()
        .ok_or("usage: sse_subscribers BASE_URL N RUN_ID")?;
    let n: usize = args.next().ok_or("N missing")?.parse()?;
    let run: i64 = args.next().ok_or("RUN_ID missing")?.parse()?;
    let client = reqwest::Client::builder().no_gzip().no_brotli().build()?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, url) = (client.clone(), format!("{base}/api/v1/runs/events"));
        tasks.spawn(async move { watch(client, url, run).await });
    }
    let (mut finished, mut events, mut slowest) = (0, 0u64, Duration::ZERO);
    while let Some(result) = tasks.join_next().await {
        if let Ok(Ok((seen, took))) = result {
            finished += 1;
            events += seen;
            slowest = slowest.max(took);
        }
    }
    println!(
        "{finished}/{n} subscribers saw run {run} finish; {events} events in all; last one after {:.1} s (wall {:.1} s)",
        slowest.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Reads one stream until run `run` is reported finished: (events read, time taken).
async fn watch(client: reqwest::Client, url: String, run: i64) -> Result<(u64, Duration), String> {
    let started = Instant::now();
    let mut response = client.get(&url).send().await.map_err(|e| e.to_string())?;
    let (mut buffer, mut events) = (String::new(), 0u64);
    // Runs already known when the stream opened (for RUN 0), and the run being watched.
    let mut known: Vec<i64> = Vec::new();
    let mut target = (run != 0).then_some(run);
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            events += 1;
            let data: String = event
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(str::trim_start)
                .collect();
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&data) else {
                continue;
            };
            let runs = value["runs"].as_array().cloned().unwrap_or_default();
            if event.contains("event: snapshot") {
                known = runs.iter().filter_map(|r| r["id"].as_i64()).collect();
            } else if target.is_none() {
                target = runs
                    .iter()
                    .filter_map(|r| r["id"].as_i64())
                    .find(|id| !known.contains(id));
            }
            let done = target.is_some()
                && runs
                    .iter()
                    .any(|r| r["id"].as_i64() == target && !r["finished_at"].is_null());
            if done {
                return Ok((events, started.elapsed()));
            }
        }
    }
    Err("the stream ended before the run finished".into())
}

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
        "{finished}/{n} subscribers saw run {run} finish; {events} events in all; last one after {:.1} s (wall {:.1} s); CPU {} ms",
        slowest.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        cpu_ms()
    );
    Ok(())
}

/// CPU time this process used (user + system), from /proc: the subscribers share the cores
/// with the server they measure, so the report says what they took.
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; 100 ticks/s.
    (ticks(11) + ticks(12)) * 10
}

#[derive(serde::Deserialize)]
struct Message {
    runs: Vec<RunHead>,
}

#[derive(serde::Deserialize)]
struct RunHead {
    id: i64,
    finished_at: Option<String>,
}

/// Reads one stream until run `run` is reported finished: (events read, time taken).
async fn watch(client: reqwest::Client, url: String, run: i64) -> Result<(u64, Duration), String> {
    let started = Instant::now();
    let mut response = client.get(&url).send().await.map_err(|e| e.to_string())?;
    let (mut buffer, mut events) = (String::new(), 0u64);
    // Runs already known when the stream opened (for RUN 0), and the run being watched.
    let mut known: Vec<i64> = Vec::new();
    let mut target = (run != 0).then_some(run);
    // Where the search for the end of the current event goes on from: an event of tens of
    // kilobytes arrives in several chunks, and searching it again from its start each time
    // cost these readers, which share the cores with the server they measure, more than the
    // parsing.
    let mut searched = 0;
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer[searched..].find("\n\n").map(|at| searched + at) {
            searched = 0;
            let rest = buffer.split_off(end + 2);
            let event = std::mem::replace(&mut buffer, rest);
            events += 1;
            let data: String = event
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(str::trim_start)
                .collect();
            // Only the runs' own fields are read (the companies are skipped unparsed): the
            // thousand readers share two cores with the server they measure.
            let Ok(message) = serde_json::from_str::<Message>(&data) else {
                continue;
            };
            if event.contains("event: snapshot") {
                known = message.runs.iter().map(|r| r.id).collect();
            } else if target.is_none() {
                target = message
                    .runs
                    .iter()
                    .map(|r| r.id)
                    .find(|id| !known.contains(id));
            }
            let done = message
                .runs
                .iter()
                .any(|r| Some(r.id) == target && r.finished_at.is_some());
            if done {
                return Ok((events, started.elapsed()));
            }
        }
        // The end is not in what came so far; the next search starts at its last byte (a
        // "\n\n" may straddle two chunks).
        searched = buffer.len().saturating_sub(1);
        while !buffer.is_char_boundary(searched) {
            searched -= 1;
        }
    }
    Err("the stream ended before the run finished".into())
}

//! `jobscout company add|list` and `jobscout scrape`: what the Companies and Runs pages do,
//! from a terminal. Both use the same engine as the UI.

use anyhow::{Context, bail};
use engine::Config;
use engine::runs::{Runner, RunnerOptions};
use engine::sources::{HttpClient, HttpOptions, validate::validate};
use engine::store::{CompanyRow, Database, NewCompany, unix_now};
use model::{RunScope, RunStatus, RunTrigger};
use std::io::Write;

fn http(config: &Config) -> anyhow::Result<HttpClient> {
    Ok(HttpClient::new(&HttpOptions::from_config(
        &config.collection,
    ))?)
}

/// Adds every URL in turn (a failed one is reported and the rest still added); fails when
/// any failed. `name` applies to a single URL.
pub async fn company_add_all(
    config: &Config,
    db: &Database,
    urls: &[String],
    name: Option<&str>,
) -> anyhow::Result<()> {
    if let [url] = urls {
        return company_add(config, db, url, name).await;
    }
    if name.is_some() {
        bail!("--name names one company: give it with a single URL");
    }
    let mut failed = 0;
    for url in urls {
        if let Err(error) = company_add(config, db, url, None).await {
            eprintln!("{error:#}");
            failed += 1;
        }
    }
    if failed > 0 {
        bail!("{failed} of {} URLs could not be added", urls.len());
    }
    Ok(())
}

/// Recognises the URL, checks its board with one fetch, and adds the company.
pub async fn company_add(
    config: &Config,
    db: &Database,
    url: &str,
    name: Option<&str>,
) -> anyhow::Result<()> {
    let http = http(config)?;
    let found = validate(&http, &config.sources, url, name, unix_now())
        .await
        .with_context(|| format!("cannot add {url}"))?;
    let id = db
        .add_company(
            &NewCompany {
                name: found.name.clone(),
                provider: found.provider.as_str().into(),
                board_token: found.board_token.clone(),
                careers_url: Some(found.careers_url.clone()),
            },
            unix_now(),
        )
        .await?;
    println!(
        "company {id}: {} ({} board {:?}), {} open jobs found{}",
        found.name,
        found.provider.label(),
        found.board_token,
        found.jobs,
        if found.needs_llm {
            "; its pages need the LLM extractor"
        } else {
            ""
        }
    );
    for note in &found.notes {
        println!("  {note}");
    }
    Ok(())
}

pub async fn company_list(db: &Database) -> anyhow::Result<()> {
    let companies = db.companies().await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:>5}  {:<30}  {:<16}  {:<7}  board",
        "id", "name", "provider", "enabled"
    )?;
    for c in companies {
        writeln!(
            out,
            "{:>5}  {:<30}  {:<16}  {:<7}  {}",
            c.id,
            c.name,
            c.provider,
            if c.enabled { "yes" } else { "no" },
            c.board_token
        )?;
    }
    Ok(())
}

/// Runs a collection in the foreground with a progress line, then prints a table. The exit
/// code says how it went: 0 succeeded, 1 failed, 2 partial, 130 cancelled (Ctrl-C).
pub async fn scrape(config: &Config, db: &Database, ids: &[i64], all: bool) -> anyhow::Result<i32> {
    let known = db.companies().await?;
    let companies: Vec<CompanyRow> = if all {
        known.into_iter().filter(|c| c.enabled).collect()
    } else {
        let mut chosen = Vec::new();
        for id in ids {
            match known.iter().find(|c| c.id == *id) {
                Some(c) => chosen.push(c.clone()),
                None => bail!("no company {id} (see `jobscout company list`)"),
            }
        }
        chosen
    };
    if companies.is_empty() {
        bail!("no companies to collect: add one with `jobscout company add URL`, or pass --all");
    }
    let runner = Runner::new(
        db.clone(),
        http(config)?,
        config.sources.clone(),
        RunnerOptions {
            concurrency: config.collection.concurrency as usize,
            ..RunnerOptions::default()
        },
    )
    .with_llm(engine::llm::Extractor::new(db.clone(), &config.llm)?);
    let scope = match (all, companies.len()) {
        (true, _) => RunScope::All,
        (false, 1) => RunScope::Company,
        _ => RunScope::Companies,
    };
    let run = runner.start(scope, RunTrigger::Cli, companies).await?;
    let mut progress = runner.subscribe();
    let mut cancelled = false;
    loop {
        let state = progress.borrow_and_update().runs.get(&run.id).cloned();
        if let Some(state) = state {
            let done = state
                .items
                .iter()
                .filter(|i| i.finished_at.is_some())
                .count();
            let total = state.items.len().max(1);
            let width = 30;
            let filled = done * width / total;
            eprint!(
                "\r[{}{}] {done}/{total} companies, {} new, {} updated ",
                "#".repeat(filled),
                " ".repeat(width - filled),
                state.items.iter().map(|i| i.counts.new).sum::<u64>(),
                state.items.iter().map(|i| i.counts.updated).sum::<u64>(),
            );
            if state.status.is_finished() {
                break;
            }
        }
        tokio::select! {
            changed = progress.changed() => if changed.is_err() { break },
            _ = tokio::signal::ctrl_c(), if !cancelled => {
                cancelled = true;
                runner.cancel(run.id);
            }
        }
    }
    eprintln!();
    let run = runner.wait(run.id).await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<30}  {:<11}  {:>6}  {:>6}  {:>7}  {:>6}  error",
        "company", "status", "seen", "new", "updated", "closed"
    )?;
    for item in &run.items {
        writeln!(
            out,
            "{:<30}  {:<11}  {:>6}  {:>6}  {:>7}  {:>6}  {}",
            item.label,
            item.status.as_str(),
            item.counts.seen,
            item.counts.new,
            item.counts.updated,
            item.counts.closed,
            item.error.as_deref().unwrap_or("")
        )?;
        for note in &item.notes {
            writeln!(out, "{:<30}  {note}", "")?;
        }
    }
    writeln!(
        out,
        "run {}: {} — {} seen, {} new, {} updated, {} closed",
        run.id,
        run.status.as_str(),
        run.counts.seen,
        run.counts.new,
        run.counts.updated,
        run.counts.closed
    )?;
    Ok(match run.status {
        RunStatus::Succeeded => 0,
        RunStatus::Partial => 2,
        RunStatus::Cancelled => 130,
        _ => 1,
    })
}

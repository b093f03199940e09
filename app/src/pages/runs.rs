//! The Runs page: every run of the recent past, the running ones live (per company: phase,
//! counts, errors; for the run: progress, rate, ETA, cancel), from the server's history and
//! the tab's progress stream.

use super::PageHeading;
use crate::api::{
    errors::user_message,
    runs::{cancel_run, recent_runs},
};
use crate::components::{EmptyState, LiveRuns, StatusBadge, Toasts, live::progress};
use crate::format::{age, exact, now_secs};
use leptos::{prelude::*, task::spawn_local};
use model::{Phase, Run, RunItem};
use std::collections::BTreeMap;

#[component]
pub fn RunsPage() -> impl IntoView {
    let history = Resource::new(
        || (),
        |_| async move { recent_runs().await.map_err(|e| user_message(&e)) },
    );
    let live = LiveRuns::get();
    view! {
        <PageHeading title="Runs" description="What Jobscout is collecting now, and how past collections went." />
        <p class="-mt-4 mb-4 text-xs text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="live-status">
            {move || if live.connected.get() { "Live: progress updates as it happens." } else { "Connecting to live progress…" }}
        </p>
        <Suspense fallback=|| view! { <div aria-busy="true" aria-label="Loading runs" class="h-40 rounded-lg bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div> }>
            {move || Suspend::new(async move {
                match history.await {
                    Err(message) => view! {
                        <p role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                            {format!("Runs could not be loaded: {message}")}
                        </p>
                    }.into_any(),
                    Ok(history) => {
                        // The stream's state wins over the page's first read.
                        let history = StoredValue::new(history);
                        let runs = move || {
                            let mut all: BTreeMap<i64, Run> = history.with_value(|h| h.iter().map(|r| (r.id, r.clone())).collect());
                            live.runs.with(|live| {
                                for (id, run) in live {
                                    // The stream sends past runs without their companies:
                                    // those stay as the history read them.
                                    let items = match all.get_mut(id) {
                                        Some(known) if run.items.is_empty() => std::mem::take(&mut known.items),
                                        _ => run.items.clone(),
                                    };
                                    all.insert(*id, Run { items, ..run.clone() });
                                }
                            });
                            all.into_values().rev().collect::<Vec<_>>()
                        };
                        view! {
                            <Show
                                when=move || !runs().is_empty()
                                fallback=|| view! {
                                    <EmptyState
                                        title="No collection runs yet"
                                        message="When Jobscout collects jobs, each company's progress shows here live, followed by a history of every run and its health."
                                        action=("See companies", "/companies")
                                    />
                                }
                            >
                                // Keyed by content: a run is redrawn when anything in it changed.
                                <ol class="space-y-4" aria-label="Runs, newest first">
                                    <For
                                        each=runs
                                        key=|run| serde_json::to_string(run).unwrap_or_default()
                                        let:run
                                    >
                                        <RunCard run />
                                    </For>
                                </ol>
                            </Show>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn duration(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3_600 => format!("{} min {} s", s / 60, s % 60),
        s => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
    }
}

#[component]
fn RunCard(run: Run) -> impl IntoView {
    let toasts = Toasts::get();
    let id = run.id;
    let now = now_secs();
    let p = progress(&run, now);
    let running = !run.status.is_finished();
    let elapsed = run.finished_at.unwrap_or(now) - run.started_at;
    let cancelling = RwSignal::new(false);
    let cancel = move |_| {
        cancelling.set(true);
        spawn_local(async move {
            if let Err(err) = cancel_run(id).await {
                toasts.error(user_message(&err));
                cancelling.set(false);
            }
        });
    };
    let what = match run.scope {
        model::RunScope::Company => "One company",
        model::RunScope::Companies => "Chosen companies",
        model::RunScope::All => "All companies",
        model::RunScope::Search => "Saved search",
    };
    let by = match run.trigger {
        model::RunTrigger::Ui => "from the app",
        model::RunTrigger::Cli => "from the command line",
        model::RunTrigger::Schedule => "on schedule",
        model::RunTrigger::Api => "through the API",
    };
    let percent = (p.done * 100).checked_div(p.total).unwrap_or(100);
    let rate = p
        .per_minute
        .map(|r| format!("{r:.1} companies/min"))
        .unwrap_or_default();
    let eta = p
        .eta_secs
        .map(|s| format!("about {} left", duration(s)))
        .unwrap_or_default();
    let items = run.items.clone();
    view! {
        <li id=format!("run-{id}") class="rounded-lg border border-slate-200 p-4 dark:border-slate-800" data-run-id=id data-status=run.status.as_str()>
            <div class="flex flex-wrap items-center gap-x-3 gap-y-1">
                <h2 class="text-base font-semibold">{format!("Run {id}")}</h2>
                <StatusBadge status=run.status />
                <span class="text-sm text-slate-600 dark:text-slate-400">{format!("{what}, {by}")}</span>
                <time class="text-sm tabular-nums text-slate-600 dark:text-slate-400" datetime=model::time::rfc3339(run.started_at) title=exact(run.started_at)>
                    {format!("started {} ago", age(run.started_at, now))}
                </time>
                {running.then(|| view! {
                    <button
                        type="button"
                        class="ml-auto rounded-md border border-red-300 px-2 py-0.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                        disabled=move || cancelling.get()
                        on:click=cancel
                    >
                        {move || if cancelling.get() { "Cancelling…" } else { "Cancel" }}
                    </button>
                })}
            </div>
            <div class="mt-3">
                <div
                    class="h-2 overflow-hidden rounded bg-slate-100 dark:bg-slate-800"
                    role="progressbar"
                    aria-label=format!("Run {id} progress")
                    aria-valuemin="0"
                    aria-valuemax=p.total
                    aria-valuenow=p.done
                >
                    <div class="h-full bg-indigo-600" style:width=format!("{percent}%")></div>
                </div>
                <p class="mt-1 text-sm tabular-nums text-slate-700 dark:text-slate-300" data-testid="run-summary">
                    {format!(
                        "{}/{} companies · {} seen, {} new, {} updated, {} closed · {}",
                        p.done, p.total, run.counts.seen, run.counts.new, run.counts.updated, run.counts.closed, duration(elapsed.max(0))
                    )}
                    {(!rate.is_empty()).then(|| format!(" · {rate}"))}
                    {(!eta.is_empty()).then(|| format!(" · {eta}"))}
                </p>
                {run.error.clone().map(|e| view! { <p class="mt-1 text-sm text-red-700 dark:text-red-300">{e}</p> })}
            </div>
            <details class="mt-3" open=running>
                <summary class="cursor-pointer text-sm font-medium">{format!("Companies ({})", items.len())}</summary>
                <div class="relative mt-2 overflow-x-auto" tabindex="0" role="region" aria-label=format!("Companies of run {id}")>
                    <table class="w-full min-w-[560px] text-sm">
                        <thead>
                            <tr class="text-left text-slate-600 dark:text-slate-400">
                                <th scope="col" class="py-1 pr-3 font-medium">"Company"</th>
                                <th scope="col" class="py-1 pr-3 font-medium">"Phase"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"Seen"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"New"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"Updated"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"Closed"</th>
                                <th scope="col" class="py-1 font-medium">"Problems"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {items.into_iter().map(|item| view! { <ItemRow item /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </li>
    }
}

fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Queued => "Queued",
        Phase::Fetching => "Fetching",
        Phase::Extracting => "Extracting",
        Phase::Saving => "Saving",
        Phase::Done => "Done",
        Phase::Failed => "Failed",
        Phase::Cancelled => "Cancelled",
        Phase::Interrupted => "Interrupted",
    }
}

#[component]
fn ItemRow(item: RunItem) -> impl IntoView {
    let problems: Vec<String> = item
        .error
        .iter()
        .cloned()
        .chain(item.notes.iter().cloned())
        .collect();
    view! {
        <tr class="border-t border-slate-200 align-top dark:border-slate-800" data-phase=item.phase.as_str()>
            <th scope="row" class="py-1 pr-3 text-left font-normal">{item.label.clone()}</th>
            <td class="py-1 pr-3">
                {if item.status.is_finished() {
                    view! { <StatusBadge status=item.status /> }.into_any()
                } else {
                    view! { <span>{phase_label(item.phase)}</span> }.into_any()
                }}
            </td>
            <td class="py-1 pr-3 text-right tabular-nums">{item.counts.seen}</td>
            <td class="py-1 pr-3 text-right tabular-nums">{item.counts.new}</td>
            <td class="py-1 pr-3 text-right tabular-nums">{item.counts.updated}</td>
            <td class="py-1 pr-3 text-right tabular-nums">{item.counts.closed}</td>
            <td class="py-1 text-red-700 dark:text-red-300">
                {(!problems.is_empty()).then(|| view! {
                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                })}
            </td>
        </tr>
    }
}

//! The Insights page: headline counts, new jobs per day (7 / 30 / 90 days), the stage funnel,
//! salary spreads per currency, top companies with what they pay, source health, LLM usage.

use super::PageHeading;
use crate::api::{errors::user_message, insights::get_insights};
use crate::components::EmptyState;
use crate::components::chart::{Bar, BarChart, HBarChart};
use crate::format::salary_amount;
use leptos::prelude::*;
use model::Insights;

#[component]
pub fn InsightsPage() -> impl IntoView {
    let insights = Resource::new(
        || (),
        |_| async move { get_insights().await.map_err(|e| user_message(&e)) },
    );
    view! {
        <PageHeading title="Insights" description="How your search is going." />
        <Suspense fallback=|| view! { <div aria-busy="true" aria-label="Loading insights" class="h-64 rounded-lg bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div> }>
            {move || Suspend::new(async move {
                match insights.await {
                    Ok(data) if data.active_jobs == 0 && data.companies_tracked == 0 => view! {
                        <EmptyState
                            title="Not enough data yet"
                            message="Once jobs are collected, this page charts new jobs per day, your application funnel, salaries by currency and the health of each source."
                            action=("Follow a company", "/companies")
                        />
                    }.into_any(),
                    Ok(data) => view! { <InsightsView data /> }.into_any(),
                    Err(message) => view! {
                        <p role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                            {format!("Insights could not be computed: {message}")}
                        </p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

const CARD: &str = "min-w-0 rounded-lg border border-slate-200 p-4 dark:border-slate-800";

#[component]
fn InsightsView(data: Insights) -> impl IntoView {
    let headline = [
        ("Active jobs", data.active_jobs, "/"),
        ("Companies tracked", data.companies_tracked, "/companies"),
        (
            "New in the last 7 days",
            data.new_last_7_days,
            "/?posted_within=7",
        ),
        ("Applications in flight", data.in_flight, "/?stage=applied"),
    ];
    let days = RwSignal::new(30usize);
    let per_day = data.new_per_day.clone();
    let funnel: Vec<Bar> = data
        .stages
        .iter()
        .map(|(stage, n)| Bar {
            label: stage.label().into(),
            value: *n as f64,
            shown: n.to_string(),
        })
        .collect();
    view! {
        <div class="space-y-6">
            <dl class="grid grid-cols-2 gap-3 md:grid-cols-4">
                {headline.into_iter().map(|(label, value, href)| view! {
                    <div class=CARD>
                        <dt class="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
                        <dd class="mt-1 text-2xl font-semibold tabular-nums">
                            <a href=href class="hover:underline">{value}</a>
                        </dd>
                    </div>
                }).collect_view()}
            </dl>

            <section class=CARD aria-labelledby="per-day-heading">
                <div class="flex flex-wrap items-center justify-between gap-2">
                    <h2 id="per-day-heading" class="text-base font-semibold">"New jobs per day"</h2>
                    <div role="group" aria-label="Period" class="flex gap-1 text-sm">
                        {[7usize, 30, 90].into_iter().map(|n| view! {
                            <button
                                type="button"
                                class="rounded-md border border-slate-300 px-2 py-0.5 aria-pressed:bg-slate-900 aria-pressed:text-white dark:border-slate-700 dark:aria-pressed:bg-slate-100 dark:aria-pressed:text-slate-900"
                                aria-pressed=move || (days.get() == n).to_string()
                                on:click=move |_| days.set(n)
                            >
                                {format!("{n} days")}
                            </button>
                        }).collect_view()}
                    </div>
                </div>
                {move || {
                    let n = days.get();
                    let bars: Vec<Bar> = per_day[per_day.len().saturating_sub(n)..]
                        .iter()
                        .map(|d| {
                            let date = model::time::date(d.day);
                            Bar { label: date[5..].to_string(), value: d.count as f64, shown: d.count.to_string() }
                        })
                        .collect();
                    let every = (n / 7).max(1);
                    view! { <BarChart id="per-day".to_string() title=format!("New jobs per day, last {n} days") unit="jobs" bars label_every=every /> }
                }}
            </section>

            <div class="grid gap-6 lg:grid-cols-2">
                <section class=CARD aria-labelledby="funnel-heading">
                    <h2 id="funnel-heading" class="text-base font-semibold">"Your pipeline"</h2>
                    <HBarChart id="funnel".to_string() title="Jobs per stage".to_string() unit="jobs" bars=funnel />
                </section>
                <section class=CARD aria-labelledby="salary-heading">
                    <h2 id="salary-heading" class="text-base font-semibold">"Salaries by currency"</h2>
                    <p class="text-xs text-slate-600 dark:text-slate-400">"Yearly midpoints of active jobs that state a salary, annualized from hourly or monthly pay; each currency on its own."</p>
                    {if data.salaries.is_empty() {
                        view! { <p class="mt-3 text-sm text-slate-600 dark:text-slate-400">"Too few jobs state a salary yet."</p> }.into_any()
                    } else {
                        data.salaries.iter().take(3).map(|spread| {
                            let bars: Vec<Bar> = spread.buckets.iter().map(|(low, n)| Bar {
                                label: salary_amount(*low),
                                value: *n as f64,
                                shown: n.to_string(),
                            }).collect();
                            let title = format!("{}: {} jobs, median {} a year", spread.currency, spread.jobs, salary_amount(spread.median));
                            view! {
                                <h3 class="mt-3 text-sm font-medium">{title.clone()}</h3>
                                <BarChart id=format!("salary-{}", spread.currency) title unit="jobs" bars label_every=2 />
                            }
                        }).collect_view().into_any()
                    }}
                </section>
            </div>

            <section class=CARD aria-labelledby="companies-pay-heading">
                <h2 id="companies-pay-heading" class="text-base font-semibold">"Top companies and what they pay"</h2>
                <div class="relative mt-2 overflow-x-auto" tabindex="0" role="region" aria-label="Top companies table">
                    <table class="w-full min-w-[520px] text-sm">
                        <thead>
                            <tr class="text-left text-slate-600 dark:text-slate-400">
                                <th scope="col" class="py-1 pr-3 font-medium">"Company"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"Active jobs"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"With salary"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"Lowest"</th>
                                <th scope="col" class="py-1 pr-3 text-right font-medium">"Median"</th>
                                <th scope="col" class="py-1 text-right font-medium">"Highest"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {data.top_companies.into_iter().map(|c| {
                                let money = move |v: Option<f64>, currency: &Option<String>| match (v, currency) {
                                    (Some(v), Some(cur)) => format!("{} {cur}", salary_amount(v)),
                                    _ => "–".to_string(),
                                };
                                let href = c.company_id.map_or_else(|| format!("/?q={}", c.company), |id| format!("/?company={id}"));
                                view! {
                                    <tr class="border-t border-slate-200 dark:border-slate-800">
                                        <th scope="row" class="py-1 pr-3 text-left font-normal"><a href=href class="hover:underline">{c.company.clone()}</a></th>
                                        <td class="py-1 pr-3 text-right tabular-nums">{c.active_jobs}</td>
                                        <td class="py-1 pr-3 text-right tabular-nums">{c.with_salary}</td>
                                        <td class="py-1 pr-3 text-right tabular-nums">{money(c.low, &c.currency)}</td>
                                        <td class="py-1 pr-3 text-right tabular-nums">{money(c.median, &c.currency)}</td>
                                        <td class="py-1 text-right tabular-nums">{money(c.high, &c.currency)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>

            <div class="grid gap-6 lg:grid-cols-2">
                <section class=CARD aria-labelledby="sources-heading">
                    <h2 id="sources-heading" class="text-base font-semibold">"Source health"</h2>
                    <p class="text-xs text-slate-600 dark:text-slate-400">"Each company's latest collection, by source."</p>
                    <div class="relative mt-2 overflow-x-auto" tabindex="0" role="region" aria-label="Source health table">
                        <table class="w-full text-sm">
                            <thead>
                                <tr class="text-left text-slate-600 dark:text-slate-400">
                                    <th scope="col" class="py-1 pr-3 font-medium">"Source"</th>
                                    <th scope="col" class="py-1 pr-3 text-right font-medium">"Companies"</th>
                                    <th scope="col" class="py-1 pr-3 text-right font-medium">"Succeeded"</th>
                                    <th scope="col" class="py-1 pr-3 text-right font-medium">"Partial"</th>
                                    <th scope="col" class="py-1 pr-3 text-right font-medium">"Failed"</th>
                                    <th scope="col" class="py-1 text-right font-medium">"Never run"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {data.sources.into_iter().map(|s| view! {
                                    <tr class="border-t border-slate-200 align-top dark:border-slate-800">
                                        <th scope="row" class="py-1 pr-3 text-left font-normal">
                                            {s.provider.clone()}
                                            {s.last_error.map(|e| view! { <p class="text-xs text-red-700 dark:text-red-300">{e}</p> })}
                                        </th>
                                        <td class="py-1 pr-3 text-right tabular-nums">{s.companies}</td>
                                        <td class="py-1 pr-3 text-right tabular-nums">{s.succeeded}</td>
                                        <td class="py-1 pr-3 text-right tabular-nums">{s.partial}</td>
                                        <td class="py-1 pr-3 text-right tabular-nums">{s.failed}</td>
                                        <td class="py-1 text-right tabular-nums">{s.never}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
                <section class=CARD aria-labelledby="llm-heading">
                    <h2 id="llm-heading" class="text-base font-semibold">"LLM extraction this month"</h2>
                    <LlmUsageView usage=data.llm />
                </section>
            </div>
        </div>
    }
}

#[component]
pub fn LlmUsageView(usage: model::insights::LlmUsage) -> impl IntoView {
    let state = usage.budget_state();
    let hit_rate = if usage.calls == 0 {
        "–".to_string()
    } else {
        format!(
            "{:.0} %",
            usage.cache_hits as f64 * 100.0 / usage.calls as f64
        )
    };
    let budget = if usage.budget_usd > 0.0 {
        format!(
            "${:.2} of ${:.2} ({state})",
            usage.spent_usd, usage.budget_usd
        )
    } else {
        format!("${:.2} (no budget set)", usage.spent_usd)
    };
    let percent = if usage.budget_usd > 0.0 {
        (usage.spent_usd / usage.budget_usd * 100.0).min(100.0)
    } else {
        0.0
    };
    view! {
        <dl class="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm tabular-nums" data-testid="llm-usage">
            <dt class="text-slate-600 dark:text-slate-400">"Calls"</dt><dd>{usage.calls}</dd>
            <dt class="text-slate-600 dark:text-slate-400">"Cache hit rate"</dt><dd>{hit_rate}</dd>
            <dt class="text-slate-600 dark:text-slate-400">"Prompt tokens"</dt><dd>{usage.prompt_tokens}</dd>
            <dt class="text-slate-600 dark:text-slate-400">"Completion tokens"</dt><dd>{usage.completion_tokens}</dd>
            <dt class="text-slate-600 dark:text-slate-400">"Failed calls"</dt><dd>{usage.errors}</dd>
            <dt class="text-slate-600 dark:text-slate-400">"Spent"</dt><dd>{budget}</dd>
        </dl>
        {(state == "over").then(|| view! {
            <p role="status" data-testid="llm-paused" class="mt-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                "The monthly budget is spent: LLM extraction is paused until next month or a larger "
                <code>"llm.monthly_budget_usd"</code>
                ". Careers pages that need it are listed on their run."
            </p>
        })}
        {(state == "approaching").then(|| view! {
            <p role="status" class="mt-2 text-sm text-amber-800 dark:text-amber-300">
                "Over 80 % of the monthly budget is spent; extraction pauses when it is all spent."
            </p>
        })}
        {(usage.budget_usd > 0.0).then(|| view! {
            <div class="mt-2 h-2 overflow-hidden rounded bg-slate-100 dark:bg-slate-800" role="progressbar" aria-label="Monthly LLM budget used" aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{percent:.0}")>
                <div class=format!("h-full {}", if state == "over" || state == "approaching" { "bg-red-600" } else if state == "moderate" { "bg-amber-500" } else { "bg-emerald-600" }) style:width=format!("{percent:.0}%")></div>
            </div>
        })}
    }
}

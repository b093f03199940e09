//! The Jobs page: a filterable, searchable list that loads page after page as the reader
//! scrolls, with the selected job's detail beside it (`/jobs/:id`, its own page below ~1024 px).
//! Everything the reader chose lives in the URL, so reload, back and shared links show the same.

mod actions;
mod bulk;
mod detail;
mod filters;
mod keys;
mod list;
mod row;

pub use detail::JobDetail;

use crate::api::{
    errors::user_message,
    jobs::{count_jobs, list_jobs},
};
use crate::components::EmptyState;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;
use model::filter::parse_query_string;
use model::{JobCounts, JobQuery, JobSummary, Page};
use std::collections::BTreeSet;

/// Everything the list, its rows, the detail panel and the shortcuts share.
#[derive(Clone, Copy)]
pub struct JobsState {
    /// The query string of the current filter (no cursor), or why the URL could not be read.
    pub query: Memo<Result<String, String>>,
    /// Every row loaded so far, in list order.
    pub rows: RwSignal<Vec<JobSummary>>,
    /// Where the next page starts; `None` when the list is complete.
    pub next: RwSignal<Option<String>>,
    pub loading_more: RwSignal<bool>,
    pub more_error: RwSignal<Option<String>>,
    /// Bumped whenever the list is replaced, so a page fetched for an older filter is dropped.
    pub generation: RwSignal<u64>,
    /// The row the keyboard is on (an index into `rows`).
    pub cursor: RwSignal<Option<usize>>,
    /// Rows ticked for a bulk action.
    pub selected: RwSignal<BTreeSet<i64>>,
    /// Bumped when rows leave the list (archived), which shifts the index of every row below.
    pub removals: RwSignal<u64>,
    /// Bumped after every saved change, so counts and the open job are read again.
    pub changes: RwSignal<u64>,
    /// When the reader last opened Jobscout before this visit (from the browser's storage).
    pub last_visit: RwSignal<Option<i64>>,
    /// Held here because event handlers may run outside the owner that provides contexts.
    pub toasts: crate::components::Toasts,
}

impl JobsState {
    pub fn get() -> Self {
        expect_context::<JobsState>()
    }

    /// The current filter's query string, empty when the URL could not be read. Untracked:
    /// everything built from it is rebuilt anyway when the filter changes the list.
    pub fn query_string(&self) -> String {
        self.query.get_untracked().unwrap_or_default()
    }

    /// `path` with the current filter attached, so leaving and returning keeps it (untracked,
    /// like [`JobsState::query_string`]).
    pub fn href(&self, path: &str) -> String {
        let query = self.query_string();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }

    /// Replaces the list with a freshly loaded first page.
    fn reset(&self, page: Page<JobSummary>) {
        self.generation.update(|g| *g += 1);
        self.rows.set(page.items);
        self.next.set(page.next_cursor);
        self.more_error.set(None);
        self.loading_more.set(false);
        self.cursor.set(None);
        self.selected.set(BTreeSet::new());
    }
}

/// The canonical query string for the URL's search part, or a message naming the bad parameter.
fn canonical_query(search: &str) -> Result<String, String> {
    let pairs = parse_query_string(search.trim_start_matches('?'));
    let mut query = JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .map_err(|e| format!("The address has a filter Jobscout cannot read: {e}."))?;
    query.cursor = None;
    Ok(query.to_query_string())
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let location = use_location();
    let query = Memo::new(move |_| canonical_query(&location.search.get()));
    let state = JobsState {
        query,
        rows: RwSignal::new(Vec::new()),
        next: RwSignal::new(None),
        loading_more: RwSignal::new(false),
        more_error: RwSignal::new(None),
        generation: RwSignal::new(0),
        cursor: RwSignal::new(None),
        selected: RwSignal::new(BTreeSet::new()),
        changes: RwSignal::new(0),
        removals: RwSignal::new(0),
        last_visit: RwSignal::new(None),
        toasts: crate::components::Toasts::get(),
    };
    provide_context(state);
    keys::remember_visit(state);
    keys::install(state);

    // Bumped by "N new jobs — show": the list is read again from the top.
    let refresh = RwSignal::new(0u64);
    let fresh_jobs = fresh_jobs();
    let first_page = Resource::new(
        move || (query.get(), refresh.get()),
        |(query, _)| async move {
            match query {
                Ok(query) => list_jobs(query).await.map_err(|e| user_message(&e)),
                Err(message) => Err(message),
            }
        },
    );
    // Counts ignore sort and are read again after each change the reader makes.
    let counts = Resource::new(
        move || (query.get(), state.changes.get()),
        |(query, _)| async move {
            match query {
                Ok(query) => count_jobs(query).await.map_err(|e| user_message(&e)),
                Err(message) => Err(message),
            }
        },
    );
    let detail_open = move || location.pathname.get().starts_with("/jobs/");

    view! {
        <Title text="Jobs" />
        <div class="lg:grid lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] lg:gap-6">
            <section
                aria-labelledby="jobs-heading"
                class=move || if detail_open() { "hidden lg:block" } else { "" }
            >
                <div class="mb-3 flex items-baseline justify-between gap-3">
                    <h1 id="jobs-heading" class="text-xl font-semibold tracking-tight">"Jobs"</h1>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            counts.await.ok().map(|c: JobCounts| view! {
                                <p class="text-sm tabular-nums text-slate-600 dark:text-slate-400" data-testid="job-total">
                                    {format!("{} {}", c.total, if c.total == 1 { "job" } else { "jobs" })}
                                </p>
                            })
                        })}
                    </Transition>
                </div>
                <Show when=move || { fresh_jobs.count.get() > 0 }>
                    <button
                        type="button"
                        class="sticky top-14 z-20 mb-2 w-full rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow hover:bg-indigo-700"
                        data-testid="new-jobs"
                        on:click=move |_| {
                            fresh_jobs.seen();
                            refresh.update(|r| *r += 1);
                            state.changes.update(|c| *c += 1);
                            window().scroll_to_with_x_and_y(0.0, 0.0);
                        }
                    >
                        {move || {
                            let n = fresh_jobs.count.get();
                            format!("{n} new {} — show", if n == 1 { "job" } else { "jobs" })
                        }}
                    </button>
                </Show>
                <filters::FilterBar counts />
                <bulk::BulkBar />
                <Transition fallback=list::ListSkeleton>
                    {move || Suspend::new(async move {
                        match first_page.await {
                            Ok(page) => {
                                state.reset(page);
                                view! { <JobsOrEmpty /> }.into_any()
                            }
                            Err(message) => view! {
                                <div role="alert" class="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                                    <p>{message}</p>
                                    <a href="/" class="mt-2 inline-block font-medium underline">"Show all jobs"</a>
                                </div>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <leptos_router::components::Outlet />
        </div>
    }
    // Erased here: the release build nests these view types too deep otherwise.
    .into_any()
}

/// Jobs added by collection runs since the list was last read: offered as "N new jobs —
/// show" rather than inserted under the reader's eyes.
#[derive(Clone, Copy)]
struct FreshJobs {
    count: Memo<u64>,
    /// Each run's new-job count when the list was last read.
    baseline: StoredValue<std::collections::HashMap<i64, u64>>,
    live: crate::components::LiveRuns,
}

impl FreshJobs {
    fn seen(&self) {
        let current = self
            .live
            .runs
            .with_untracked(|runs| runs.iter().map(|(id, r)| (*id, r.counts.new)).collect());
        self.baseline.set_value(current);
    }
}

fn fresh_jobs() -> FreshJobs {
    let live = crate::components::LiveRuns::get();
    let baseline = StoredValue::new(std::collections::HashMap::<i64, u64>::new());
    let count = Memo::new(move |_| {
        live.runs.with(|runs| {
            baseline.update_value(|base| {
                for (id, run) in runs {
                    // A run first seen now counts from here; one seen before, from then.
                    base.entry(*id).or_insert(run.counts.new);
                }
            });
            baseline.with_value(|base| {
                runs.iter()
                    .map(|(id, run)| {
                        run.counts
                            .new
                            .saturating_sub(base.get(id).copied().unwrap_or(0))
                    })
                    .sum()
            })
        })
    });
    FreshJobs {
        count,
        baseline,
        live,
    }
}

/// The list, or what to do when it is empty: add companies (nothing collected yet) or loosen
/// the filters (nothing matches).
#[component]
fn JobsOrEmpty() -> impl IntoView {
    let state = JobsState::get();
    move || {
        if !state.rows.with(Vec::is_empty) {
            return view! { <list::JobList /> }.into_any();
        }
        if state.query_string().is_empty() {
            view! {
                <EmptyState
                    title="No jobs yet"
                    message="Jobscout collects openings from the companies you follow. Add a company by pasting its careers page URL, then run a collection."
                    action=("Add a company", "/companies")
                />
            }
            .into_any()
        } else {
            view! {
                <EmptyState
                    title="No jobs match these filters"
                    message="Try fewer words, or clear the filters to see every job."
                    action=("Clear filters", "/")
                />
            }
            .into_any()
        }
    }
}

/// What the right-hand side shows when no job is open (wide screens only).
#[component]
pub fn NoJobSelected() -> impl IntoView {
    view! {
        <aside class="hidden lg:block">
            <div class="sticky top-16 rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                <p>"Select a job to read it here."</p>
                <p class="mt-2">
                    "Keys: " <kbd class="kbd">"j"</kbd> " " <kbd class="kbd">"k"</kbd> " move, "
                    <kbd class="kbd">"o"</kbd> " open, " <kbd class="kbd">"s"</kbd> " star, "
                    <kbd class="kbd">"1"</kbd> "–" <kbd class="kbd">"6"</kbd> " stage, "
                    <kbd class="kbd">"e"</kbd> " archive, " <kbd class="kbd">"/"</kbd> " search."
                </p>
            </div>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_query;

    #[test]
    fn the_url_is_read_into_one_canonical_form() {
        assert_eq!(canonical_query("").unwrap(), "");
        assert_eq!(
            canonical_query("?stage=applied&q=rust").unwrap(),
            "q=rust&stage=applied"
        );
        assert_eq!(
            canonical_query("?q=&cursor=abc").unwrap(),
            "",
            "cursor never sticks"
        );
        let err = canonical_query("?stage=later").unwrap_err();
        assert!(err.contains("`stage`"), "{err}");
    }
}

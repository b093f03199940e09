//! One job as one compact row: title, company, location, remote, salary, age, stage, star.

use super::{JobsState, actions};
use crate::format::{age, exact, now_secs, salary};
use leptos::prelude::*;
use model::job::marked_runs;
use model::{JobChange, JobSummary, Remote, Stage};

/// Row heights in pixels: fixed, so the list can render only the rows near the viewport and
/// still know where every other row is. A search adds a line for the matching snippet.
pub const ROW_HEIGHT: f64 = 60.0;
pub const SEARCH_ROW_HEIGHT: f64 = 84.0;

/// Text with the search's matches in `<mark>`: built from text nodes, never parsed as HTML.
#[component]
pub fn Marked(text: String) -> impl IntoView {
    marked_runs(&text)
        .into_iter()
        .map(|(marked, run)| {
            let run = run.to_string();
            if marked {
                view! { <mark class="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-700/60">{run}</mark> }.into_any()
            } else {
                run.into_any()
            }
        })
        .collect_view()
}

pub fn stage_class(stage: Stage) -> &'static str {
    match stage {
        Stage::Inbox => "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
        Stage::Saved => "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
        Stage::Applied => "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
        Stage::Interviewing => "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300",
        Stage::Offer => "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
        Stage::Closed => "bg-slate-200 text-slate-600 dark:bg-slate-800 dark:text-slate-400",
    }
}

pub fn remote_label(remote: Remote) -> &'static str {
    match remote {
        Remote::Remote => "Remote",
        Remote::Hybrid => "Hybrid",
        Remote::Onsite => "On-site",
    }
}

#[component]
pub fn JobRow(
    job: JobSummary,
    index: usize,
    /// Rows loaded so far (grows as pages arrive; the row itself is kept).
    #[prop(into)]
    total: Signal<usize>,
    searching: bool,
) -> impl IntoView {
    let state = JobsState::get();
    let id = job.id;
    let href = state.href(&format!("/jobs/{id}"));
    let is_cursor = move || state.cursor.get() == Some(index);
    let selected = move || state.selected.with(|s| s.contains(&id));
    let is_new = move || {
        state
            .last_visit
            .get()
            .is_some_and(|visit| job.first_seen_at > visit)
    };
    let now = now_secs();
    let posted = job.posted_at.unwrap_or(job.first_seen_at);
    let title_text = job.title.clone();
    let (title, snippet) = match job.highlight {
        Some(h) => (h.title, Some(h.snippet)),
        None => (job.title.clone(), None),
    };
    let height = if searching {
        SEARCH_ROW_HEIGHT
    } else {
        ROW_HEIGHT
    };
    let starred = job.starred;
    let stage = job.stage;
    let meta = [
        Some(job.company.clone()),
        job.location.clone(),
        job.salary.as_ref().map(salary).filter(|s| !s.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");

    view! {
        <li
            class=move || {
                let faded = if job.closed_at.is_some() || job.archived { " opacity-60" } else { "" };
                let cursor = if is_cursor() { " bg-indigo-50 dark:bg-indigo-950" } else { "" };
                format!("flex items-center gap-3 border-b border-slate-200 px-2 dark:border-slate-800{faded}{cursor}")
            }
            style:height=format!("{height}px")
            aria-setsize=move || total.get()
            aria-posinset=index + 1
            data-job-id=id
            data-cursor=move || is_cursor().to_string()
        >
            <input
                type="checkbox"
                class="size-4 shrink-0 accent-indigo-600"
                aria-label=format!("Select {title_text}")
                prop:checked=selected
                on:change=move |_| state.selected.update(|s| {
                    if !s.remove(&id) {
                        s.insert(id);
                    }
                })
            />
            <div class="min-w-0 flex-1">
                <div class="flex items-center gap-2">
                    <Show when=is_new>
                        <span class="size-2 shrink-0 rounded-full bg-indigo-600" title="New since your last visit"></span>
                        <span class="sr-only">"New: "</span>
                    </Show>
                    <a
                        href=href
                        class="truncate font-medium text-slate-900 hover:underline dark:text-slate-100"
                        on:click=move |_| state.cursor.set(Some(index))
                    >
                        <Marked text=title />
                    </a>
                    {job.closed_at.map(|_| view! {
                        <span class="shrink-0 rounded bg-slate-200 px-1.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">"Closed"</span>
                    })}
                </div>
                <p class="truncate text-sm text-slate-600 dark:text-slate-400">
                    {job.remote.map(|r| view! {
                        <span class="mr-1.5 rounded border border-slate-300 px-1 text-xs dark:border-slate-700">{remote_label(r)}</span>
                    })}
                    <span class="tabular-nums">{meta}</span>
                </p>
                {snippet.map(|s| view! {
                    <p class="truncate text-xs text-slate-500 dark:text-slate-400"><Marked text=s /></p>
                })}
            </div>
            <time
                class="hidden shrink-0 text-xs tabular-nums text-slate-500 sm:block dark:text-slate-400"
                datetime=model::time::rfc3339(posted)
                title=exact(posted)
            >
                {age(posted, now)}
            </time>
            <span class=format!("hidden shrink-0 rounded px-1.5 py-0.5 text-xs sm:inline {}", stage_class(stage))>
                {stage.label()}
            </span>
            <button
                type="button"
                class="shrink-0 rounded px-1 text-lg leading-none text-slate-400 hover:text-amber-500 aria-pressed:text-amber-500"
                aria-pressed=starred.to_string()
                aria-label=format!("Star {}", job.title)
                title="Star (s)"
                on:click=move |_| actions::apply(state, vec![id], JobChange::Starred(!starred))
            >
                {if starred { "★" } else { "☆" }}
            </button>
        </li>
    }
    // Erased here: the release build nests these view types too deep otherwise.
    .into_any()
}

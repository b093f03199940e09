//! One job in full (`/jobs/:id`): beside the list on wide screens, its own page on narrow ones.
//! Stage, star and archive save at once; notes save themselves a moment after typing stops.

use super::row::{remote_label, stage_class};
use super::{JobsState, actions};
use crate::api::{
    errors::user_message,
    jobs::{change_jobs, get_job},
};
use crate::format::{exact, salary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::{Job, JobChange, MAX_NOTES_CHARS, Stage};
use std::time::Duration;

/// Quiet time after the last keystroke before notes are saved.
const NOTES_DEBOUNCE: Duration = Duration::from_millis(700);

#[component]
pub fn JobDetail() -> impl IntoView {
    let state = JobsState::get();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<i64>().ok())
            .filter(|id| *id > 0)
    });
    let job = Resource::new(
        move || (id.get(), state.changes.get()),
        |(id, _)| async move {
            match id {
                None => Err("That is not a job address.".to_string()),
                Some(id) => match get_job(id).await {
                    Ok(Some(job)) => Ok(job),
                    Ok(None) => Err(format!("There is no job {id}. It may have been removed.")),
                    Err(err) => Err(user_message(&err)),
                },
            }
        },
    );
    view! {
        <aside
            aria-label="Job details"
            class="lg:sticky lg:top-16 lg:max-h-[calc(100vh-5rem)] lg:overflow-y-auto lg:rounded-lg lg:border lg:border-slate-200 lg:p-5 dark:lg:border-slate-800"
        >
            <a href=move || { state.query.track(); state.href("/") } class="mb-3 inline-block text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                "← All jobs"
                <span class="sr-only">" (Escape)"</span>
            </a>
            <Transition fallback=DetailSkeleton>
                {move || Suspend::new(async move {
                    match job.await {
                        Ok(job) => view! { <JobView job /> }.into_any(),
                        Err(message) => view! {
                            <Title text="Job not found" />
                            <p role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">{message}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </aside>
    }
}

#[component]
fn DetailSkeleton() -> impl IntoView {
    view! {
        <div aria-busy="true" aria-label="Loading the job" class="space-y-3">
            <div class="h-6 w-3/4 rounded bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800"></div>
            <div class="h-4 w-1/2 rounded bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div>
            <div class="h-40 rounded bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div>
        </div>
    }
}

#[component]
fn JobView(job: Job) -> impl IntoView {
    let state = JobsState::get();
    let id = job.id;
    let stage = RwSignal::new(job.stage);
    let starred = RwSignal::new(job.starred);
    let archived = job.archived_at.is_some();
    let facts = [
        job.location.clone(),
        job.remote.map(|r| remote_label(r).to_string()),
        job.employment_type.map(|t| t.as_str().replace('_', " ")),
        job.department.clone(),
        job.salary.as_ref().map(salary).filter(|s| !s.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let apply_href = job.apply_url.clone().unwrap_or_else(|| job.url.clone());
    let dates = [
        Some(("Posted", job.posted_at)),
        Some(("First seen", Some(job.first_seen_at))),
        Some(("Last seen", Some(job.last_seen_at))),
        job.applied_at.map(|a| ("Applied", Some(a))),
        job.closed_at.map(|c| ("Closed", Some(c))),
    ]
    .into_iter()
    .flatten()
    .filter_map(|(label, at)| at.map(|at| (label, at)))
    .collect::<Vec<_>>();

    view! {
        <Title text=job.title.clone() />
        <article class="space-y-4" data-job-id=id>
            <header>
                <h2 class="text-lg font-semibold leading-snug">{job.title.clone()}</h2>
                <p class="text-sm text-slate-700 dark:text-slate-300">{job.company.clone()}</p>
                <p class="mt-1 text-sm tabular-nums text-slate-600 dark:text-slate-400">{facts.join(" · ")}</p>
                <div class="mt-2 flex flex-wrap gap-1 text-xs">
                    {job.closed_at.map(|at| view! {
                        <span class="rounded bg-slate-200 px-1.5 py-0.5 text-slate-700 dark:bg-slate-800 dark:text-slate-300" title=exact(at)>"Closed: no longer on the board"</span>
                    })}
                    {archived.then(|| view! {
                        <span class="rounded bg-slate-200 px-1.5 py-0.5 text-slate-700 dark:bg-slate-800 dark:text-slate-300">"Archived"</span>
                    })}
                </div>
            </header>
            <div class="flex flex-wrap items-center gap-2 text-sm">
                <a
                    href=apply_href
                    target="_blank"
                    rel="noopener noreferrer"
                    class="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700"
                >
                    "Apply"
                    <span class="sr-only">" (opens the posting in a new tab)"</span>
                </a>
                <label class="sr-only" for="detail-stage">"Stage"</label>
                <select
                    id="detail-stage"
                    class=move || format!("rounded-md border border-slate-300 px-2 py-1.5 dark:border-slate-700 {}", stage_class(stage.get()))
                    title="Stage (1–6)"
                    on:change=move |ev| {
                        if let Ok(next) = event_target_value(&ev).parse::<Stage>() {
                            stage.set(next);
                            actions::apply(state, vec![id], JobChange::Stage(next));
                        }
                    }
                >
                    {Stage::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str() selected=move || stage.get() == s>{s.label()}</option> }
                    }).collect_view()}
                </select>
                <button
                    type="button"
                    class="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700 aria-pressed:border-amber-400 aria-pressed:bg-amber-50 dark:aria-pressed:bg-amber-950"
                    aria-pressed=move || starred.get().to_string()
                    title="Star (s)"
                    on:click=move |_| {
                        let next = !starred.get_untracked();
                        starred.set(next);
                        actions::apply(state, vec![id], JobChange::Starred(next));
                    }
                >
                    {move || if starred.get() { "★ Starred" } else { "☆ Star" }}
                </button>
                <button
                    type="button"
                    class="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700"
                    title="Archive (e)"
                    on:click=move |_| actions::apply(state, vec![id], JobChange::Archived(!archived))
                >
                    {if archived { "Unarchive" } else { "Archive" }}
                </button>
            </div>
            <Notes id notes=job.notes.clone() />
            <section aria-labelledby="description-heading">
                <h3 id="description-heading" class="sr-only">"Description"</h3>
                // Sanitized when collected (no scripts, styles, handlers or javascript: links),
                // and the page's CSP refuses inline script besides.
                <div class="job-description text-sm leading-relaxed" inner_html=job.description_html.clone()></div>
            </section>
            <section aria-labelledby="timeline-heading" class="text-sm">
                <h3 id="timeline-heading" class="font-semibold">"Timeline"</h3>
                <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 tabular-nums">
                    {dates.into_iter().map(|(label, at)| view! {
                        <dt class="text-slate-600 dark:text-slate-400">{label}</dt>
                        <dd><time datetime=model::time::rfc3339(at)>{exact(at)}</time></dd>
                    }).collect_view()}
                </dl>
                {(!job.history.is_empty()).then(|| view! {
                    <h4 class="mt-3 font-medium">"Stage history"</h4>
                    <ol class="mt-1 space-y-1" data-testid="stage-history">
                        {job.history.iter().rev().map(|change| view! {
                            <li class="tabular-nums">
                                <time datetime=model::time::rfc3339(change.at)>{exact(change.at)}</time>
                                {format!(": {} → {}", change.from.map_or("new", |s| s.label()), change.to.label())}
                            </li>
                        }).collect_view()}
                    </ol>
                })}
            </section>
            <section class="text-sm text-slate-600 dark:text-slate-400">
                <p>
                    "Source: " {job.source.clone()} " · "
                    <a href=job.url.clone() target="_blank" rel="noopener noreferrer" class="underline">"original posting"</a>
                </p>
                {(!job.found_by.is_empty()).then(|| view! {
                    <p class="mt-1" data-testid="found-by">
                        "Also found by: "
                        {job.found_by.iter().map(|f| view! {
                            <a href=f.url.clone() target="_blank" rel="noopener noreferrer" class="mr-2 underline">
                                {format!("{} (search “{}”)", f.source, f.search)}
                            </a>
                        }).collect_view()}
                    </p>
                })}
                {(!job.duplicates.is_empty()).then(|| view! {
                    <p class="mt-1">
                        "Also found on: "
                        {job.duplicates.iter().map(|d| view! {
                            <a href=state.href(&format!("/jobs/{}", d.id)) class="mr-2 underline">{d.source.clone()}</a>
                        }).collect_view()}
                    </p>
                })}
            </section>
        </article>
    }
    // Erased here: the release build nests these view types too deep otherwise.
    .into_any()
}

/// Notes that save themselves: a moment after typing stops, and when the field loses focus.
#[component]
fn Notes(id: i64, notes: String) -> impl IntoView {
    #[derive(Clone, PartialEq)]
    enum Saving {
        Idle,
        Pending,
        Saved,
        Failed(String),
    }
    let text = RwSignal::new(notes.clone());
    let saved_text = StoredValue::new(notes);
    let status = RwSignal::new(Saving::Idle);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let save = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
            timer.set_value(None);
        }
        let value = text.get_untracked();
        if value == saved_text.get_value() {
            return;
        }
        status.set(Saving::Pending);
        leptos::task::spawn_local(async move {
            match change_jobs(vec![id], JobChange::Notes(value.clone())).await {
                Ok(_) => {
                    saved_text.set_value(value);
                    status.set(Saving::Saved);
                }
                Err(err) => status.set(Saving::Failed(user_message(&err))),
            }
        });
    };
    let too_long = move || text.with(|t| t.chars().count() > MAX_NOTES_CHARS);
    view! {
        <div class="text-sm">
            <div class="flex items-baseline justify-between">
                <label id="notes-label" for="job-notes" class="font-semibold">"Notes"</label>
                <span class="text-xs text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="notes-status">
                    {move || match status.get() {
                        Saving::Idle => String::new(),
                        Saving::Pending => "Saving…".into(),
                        Saving::Saved => "Saved".into(),
                        Saving::Failed(message) => format!("Not saved: {message}"),
                    }}
                </span>
            </div>
            <textarea
                id="job-notes"
                rows="4"
                class="mt-1 w-full rounded-md border border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900"
                placeholder="Contacts, dates, what to ask…"
                aria-invalid=move || too_long().to_string()
                aria-describedby="notes-help"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    if too_long() {
                        return;
                    }
                    if let Some(handle) = timer.get_value() {
                        handle.clear();
                    }
                    timer.set_value(set_timeout_with_handle(save, NOTES_DEBOUNCE).ok());
                }
                on:blur=move |_| {
                    if !too_long() {
                        save();
                    }
                }
            ></textarea>
            <p id="notes-help" class="text-xs text-slate-600 dark:text-slate-400">
                {move || if too_long() {
                    format!("Notes are limited to {MAX_NOTES_CHARS} characters; shorten them to save.")
                } else {
                    "Saved automatically.".to_string()
                }}
            </p>
        </div>
    }
}

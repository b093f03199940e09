//! The Searches page: saved searches over public job boards (Remotive, RemoteOK, Arbeitnow),
//! each also a filter over every collected job. Create, edit (problems shown next to their
//! fields), delete (jobs stay), run one or all, and see what is new since you last looked.

use super::PageHeading;
use crate::api::errors::user_message;
use crate::api::searches::{
    delete_search, list_searches, mark_search_viewed, run_searches, save_search,
};
use crate::components::{EmptyState, LiveRuns, StatusBadge, Toasts};
use crate::format::{age, exact, now_secs};
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_router::{NavigateOptions, hooks::use_navigate};
use model::search::{MAX_RESULT_LIMIT, SEARCH_BOARDS};
use model::{FieldError, SavedSearch, SearchForm};

#[component]
pub fn SearchesPage() -> impl IntoView {
    let version = RwSignal::new(0u64);
    let live = LiveRuns::get();
    let finished = Memo::new(move |_| {
        live.runs
            .with(|runs| runs.values().filter(|r| r.status.is_finished()).count())
    });
    let searches = Resource::new(
        move || (version.get(), finished.get()),
        |_| async move { list_searches().await.map_err(|e| user_message(&e)) },
    );
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    let creating = RwSignal::new(false);
    let toasts = Toasts::get();
    let run_all = move |_| {
        spawn_local(async move {
            match run_searches(Vec::new()).await {
                Ok(run) => toasts.info(format!("Running every enabled search (run {run}).")),
                Err(err) => toasts.error(user_message(&err)),
            }
        });
    };
    view! {
        <PageHeading title="Searches" description="Saved searches over public job boards and over the jobs you have collected." />
        <div class="mb-4 flex flex-wrap gap-2">
            <button
                type="button"
                class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700"
                on:click=move |_| creating.set(true)
            >
                "New search"
            </button>
            <button type="button" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" on:click=run_all>
                "Run all"
            </button>
        </div>
        <Show when=move || creating.get()>
            <SearchEditor
                id=None
                initial=SearchForm::default()
                done=Callback::new(move |saved: bool| {
                    creating.set(false);
                    if saved {
                        reload.run(());
                    }
                })
            />
        </Show>
        <Transition fallback=|| view! { <div aria-busy="true" aria-label="Loading searches" class="h-40 rounded-lg bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div> }>
            {move || Suspend::new(async move {
                match searches.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState
                            title="No saved searches yet"
                            message="A saved search finds openings beyond the companies you follow, on public job boards such as Remotive, RemoteOK and Arbeitnow, and tells you what is new since you last looked."
                        />
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="space-y-3" aria-label="Saved searches">
                            {list.into_iter().map(|search| view! { <SearchCard search reload /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(message) => view! {
                        <p role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                            {format!("Searches could not be loaded: {message}")}
                        </p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SearchCard(search: SavedSearch, reload: Callback<()>) -> impl IntoView {
    let toasts = Toasts::get();
    let navigate = use_navigate();
    let id = search.id;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let now = now_secs();
    let form = search.form.clone();
    let boards: Vec<&str> = SEARCH_BOARDS
        .iter()
        .filter(|(key, _)| form.providers.iter().any(|p| p == key))
        .map(|(_, label)| *label)
        .collect();
    let summary = format!(
        "“{}”{}{} · {} · up to {} results{}{}",
        form.query,
        if form.location.is_empty() {
            String::new()
        } else {
            format!(" in {}", form.location)
        },
        if form.remote_only {
            ", remote only"
        } else {
            ""
        },
        boards.join(", "),
        form.result_limit,
        form.schedule_minutes
            .and_then(|m| model::company::SCHEDULES.iter().find(|(s, _)| *s == m))
            .map(|(_, label)| format!(" · runs {label}"))
            .unwrap_or_default(),
        if form.enabled { "" } else { " · paused" },
    );
    let mut matching = search.matching_query();
    matching.filter.new_since = Some(search.last_viewed_at.unwrap_or(0));
    let new_href = format!("/?{}", matching.to_query_string());
    let open_new = move |ev: ev::MouseEvent| {
        ev.prevent_default();
        let href = new_href.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            // Counting "new" from now on; a failure to note it only leaves the count as it was.
            let _ = mark_search_viewed(id).await;
            navigate(&href, NavigateOptions::default());
        });
    };
    let run = move |_| {
        spawn_local(async move {
            match run_searches(vec![id]).await {
                Ok(run) => {
                    toasts.info(format!("Running the search (run {run})."));
                    reload.run(());
                }
                Err(err) => toasts.error(user_message(&err)),
            }
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            match delete_search(id).await {
                Ok(()) => {
                    toasts.info("Search deleted. The jobs it found stay in your list.");
                    reload.run(());
                }
                Err(err) => toasts.error(user_message(&err)),
            }
        });
    };
    let button = "rounded-md border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    let name = search.form.name.clone();
    view! {
        <li class="rounded-lg border border-slate-200 p-4 dark:border-slate-800" data-search-id=id>
            <Show
                when=move || editing.get()
                fallback=move || {
                    let summary = summary.clone();
                    let name = name.clone();
                    let last = search.last_run.clone();
                    let open_new = open_new.clone();
                    view! {
                        <div class="flex flex-wrap items-start justify-between gap-2">
                            <div>
                                <h2 class="text-base font-semibold">{name.clone()}</h2>
                                <p class="text-sm text-slate-600 dark:text-slate-400">{summary}</p>
                            </div>
                            <div class="flex flex-wrap gap-1">
                                <button type="button" class=button on:click=run>"Run now"</button>
                                <button type="button" class=button on:click=move |_| editing.set(true)>"Edit"</button>
                                <button type="button" class=format!("{button} text-red-700 dark:text-red-300") on:click=move |_| confirming.set(true)>"Delete"</button>
                            </div>
                        </div>
                        <div class="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                            <a href=format!("/?search={id}") class="font-medium text-indigo-700 hover:underline dark:text-indigo-300" data-testid="found">
                                {format!("{} jobs found", search.found)}
                            </a>
                            <a href="#" class="font-medium text-indigo-700 hover:underline dark:text-indigo-300" on:click=open_new data-testid="new-matching">
                                {format!("{} new matching since you last looked", search.new_matching)}
                            </a>
                            {match last {
                                None => view! { <span class="text-slate-600 dark:text-slate-400">"Never run"</span> }.into_any(),
                                Some(last) => view! {
                                    <span class="flex items-center gap-2">
                                        <StatusBadge status=last.status />
                                        <span class="tabular-nums text-slate-600 dark:text-slate-400">
                                            {format!("{} seen, {} new", last.counts.seen, last.counts.new)}
                                            {last.finished_at.map(|at| view! { <time datetime=model::time::rfc3339(at) title=exact(at)>{format!(" · {} ago", age(at, now))}</time> })}
                                        </span>
                                    </span>
                                    {last.error.map(|e| view! { <p class="w-full text-red-700 dark:text-red-300">{e}</p> })}
                                }.into_any(),
                            }}
                        </div>
                        <Show when=move || confirming.get()>
                            <div role="alertdialog" aria-label="Confirm deletion" class="mt-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm dark:border-red-800 dark:bg-red-950">
                                <p>"Delete this search? The jobs it found stay in your list."</p>
                                <div class="mt-2 flex gap-2">
                                    <button type="button" class="rounded-md bg-red-700 px-2 py-0.5 font-medium text-white" on:click=remove>"Delete search"</button>
                                    <button type="button" class=button on:click=move |_| confirming.set(false)>"Keep it"</button>
                                </div>
                            </div>
                        </Show>
                    }
                }
            >
                <SearchEditor
                    id=Some(id)
                    initial=form.clone()
                    done=Callback::new(move |saved: bool| {
                        editing.set(false);
                        if saved {
                            reload.run(());
                        }
                    })
                />
            </Show>
        </li>
    }
}

/// The create / edit form. The same rules run here before sending and on the server; each
/// problem is shown next to its field.
#[component]
fn SearchEditor(id: Option<i64>, initial: SearchForm, done: Callback<bool>) -> impl IntoView {
    let toasts = Toasts::get();
    let form = RwSignal::new(initial);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let problem = move |field: &'static str| {
        move || {
            problems.with(|p| {
                p.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        }
    };
    let prefix = StoredValue::new(id.map_or_else(|| "new".to_string(), |id| id.to_string()));
    let field_id = move |name: &str| format!("search-{}-{name}", prefix.get_value());
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let current = form.get_untracked();
        let found = current.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match save_search(id, current).await {
                Ok(_) => {
                    problems.set(Vec::new());
                    toasts.info(if id.is_some() {
                        "Search saved."
                    } else {
                        "Search created. Run it to find jobs."
                    });
                    done.run(true);
                }
                Err(err) => {
                    let message = user_message(&err);
                    // "field: message" belongs next to that field; anything else above the form.
                    let (field, text) = match message.split_once(": ") {
                        Some((field, text))
                            if ["name", "query", "location", "providers", "result_limit"]
                                .contains(&field) =>
                        {
                            (field.to_string(), text.to_string())
                        }
                        _ => ("form".to_string(), message),
                    };
                    problems.set(vec![FieldError {
                        field,
                        message: text,
                    }]);
                }
            }
            busy.set(false);
        });
    };
    let input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";
    let text_field = move |name: &'static str,
                           label: &'static str,
                           placeholder: &'static str,
                           get: fn(&SearchForm) -> String,
                           set: fn(&mut SearchForm, String)| {
        let id = field_id(name);
        let error_id = format!("{id}-error");
        view! {
            <div>
                <label for=id.clone() class="text-sm font-medium">{label}</label>
                <input
                    id=id
                    type="text"
                    placeholder=placeholder
                    class=input
                    aria-invalid=move || problem(name)().is_some().to_string()
                    aria-describedby=error_id.clone()
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                />
                <p id=error_id class="mt-1 text-sm text-red-700 dark:text-red-300">{problem(name)}</p>
            </div>
        }
    };
    let limit_id = field_id("result_limit");
    let providers_error = format!("{}-error", field_id("providers"));
    let providers_error_id = providers_error.clone();
    view! {
        <form on:submit=on_submit class="mb-4 rounded-lg border border-indigo-200 p-4 dark:border-indigo-900" aria-label=if id.is_some() { "Edit search" } else { "New search" } novalidate>
            <p role="alert" class="mb-2 text-sm text-red-700 dark:text-red-300">{problem("form")}</p>
            <div class="grid gap-3 md:grid-cols-3">
                {text_field("name", "Name", "Rust jobs in Europe", |f| f.name.clone(), |f, v| f.name = v)}
                {text_field("query", "Looking for", "rust engineer", |f| f.query.clone(), |f, v| f.query = v)}
                {text_field("location", "Where (optional)", "Germany", |f| f.location.clone(), |f, v| f.location = v)}
            </div>
            <div class="mt-3 flex flex-wrap items-start gap-6 text-sm">
                <fieldset aria-describedby=providers_error_id>
                    <legend class="font-medium">"Job boards"</legend>
                    <div class="mt-1 flex flex-wrap gap-3">
                        {SEARCH_BOARDS.iter().map(|(key, label)| {
                            let key = *key;
                            view! {
                                <label class="flex items-center gap-1">
                                    <input
                                        type="checkbox"
                                        class="accent-indigo-600"
                                        prop:checked=move || form.with(|f| f.providers.iter().any(|p| p == key))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            form.update(|f| {
                                                f.providers.retain(|p| p != key);
                                                if on {
                                                    f.providers.push(key.to_string());
                                                }
                                            });
                                        }
                                    />
                                    {*label}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p id=providers_error class="mt-1 text-red-700 dark:text-red-300">{problem("providers")}</p>
                </fieldset>
                <div>
                    <label for=limit_id.clone() class="font-medium">"Results per run"</label>
                    <input
                        id=limit_id.clone()
                        type="number"
                        min="1"
                        max=MAX_RESULT_LIMIT
                        class=format!("{input} w-28 tabular-nums")
                        aria-invalid=move || problem("result_limit")().is_some().to_string()
                        aria-describedby=format!("{limit_id}-error")
                        prop:value=move || form.with(|f| f.result_limit.to_string())
                        on:input=move |ev| form.update(|f| f.result_limit = event_target_value(&ev).trim().parse().unwrap_or(0))
                    />
                    <p id=format!("{limit_id}-error") class="mt-1 text-red-700 dark:text-red-300">{problem("result_limit")}</p>
                </div>
                <div>
                    <label for=format!("{limit_id}-schedule") class="font-medium">"Run on its own"</label>
                    <select
                        id=format!("{limit_id}-schedule")
                        class=format!("{input} w-40")
                        on:change=move |ev| form.update(|f| f.schedule_minutes = event_target_value(&ev).parse().ok())
                    >
                        <option value="" selected=move || form.with(|f| f.schedule_minutes.is_none())>"Only when asked"</option>
                        {model::company::SCHEDULES.iter().map(|(minutes, label)| {
                            let minutes = *minutes;
                            view! { <option value=minutes.to_string() selected=move || form.with(|f| f.schedule_minutes == Some(minutes))>{*label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="space-y-1 pt-5">
                    <label class="flex items-center gap-2">
                        <input type="checkbox" class="accent-indigo-600" prop:checked=move || form.with(|f| f.remote_only) on:change=move |ev| form.update(|f| f.remote_only = event_target_checked(&ev)) />
                        "Remote only"
                    </label>
                    <label class="flex items-center gap-2">
                        <input type="checkbox" class="accent-indigo-600" prop:checked=move || form.with(|f| f.enabled) on:change=move |ev| form.update(|f| f.enabled = event_target_checked(&ev)) />
                        "Included in “Run all”"
                    </label>
                </div>
            </div>
            <div class="mt-4 flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60" disabled=move || busy.get()>
                    {if id.is_some() { "Save search" } else { "Create search" }}
                </button>
                <button type="button" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700" on:click=move |_| done.run(false)>"Cancel"</button>
            </div>
        </form>
    }
}

//! The Companies page: follow a company by pasting its careers URL (recognised as you type,
//! checked with one fetch when added), see each one's open jobs and last collection, rename,
//! pause, collect now, or stop following (its jobs stay).

use super::PageHeading;
use crate::api::companies::{
    add_company, collect_companies, delete_company, list_companies, recognise_url, update_company,
};
use crate::api::errors::user_message;
use crate::components::{EmptyState, StatusBadge, ToastAction, ToastKind, Toasts};
use crate::format::{age, exact, now_secs};
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_router::{NavigateOptions, hooks::use_navigate};
use model::CompanyOverview;
use std::time::Duration;

/// Pause after typing before the URL is recognised.
const RECOGNISE_DEBOUNCE: Duration = Duration::from_millis(250);

#[component]
pub fn CompaniesPage() -> impl IntoView {
    // Bumped after every change, so the list is read again.
    let version = RwSignal::new(0u64);
    // A run finishing changes job counts and health: read the list again then too.
    let live = crate::components::LiveRuns::get();
    let finished = Memo::new(move |_| {
        live.runs
            .with(|runs| runs.values().filter(|r| r.status.is_finished()).count())
    });
    let companies = Resource::new(
        move || (version.get(), finished.get()),
        |_| async move { list_companies().await.map_err(|e| user_message(&e)) },
    );
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <PageHeading title="Companies" description="The career boards Jobscout watches for you." />
        <AddCompany reload />
        <Transition fallback=|| view! { <div aria-busy="true" aria-label="Loading companies" class="h-40 rounded-lg bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div> }>
            {move || Suspend::new(async move {
                match companies.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState
                            title="No companies yet"
                            message="Paste a company's careers page URL above. Jobscout reads Greenhouse, Lever, Ashby, Workable, SmartRecruiters and Recruitee boards, and any careers page with structured job data."
                        />
                    }.into_any(),
                    Ok(list) => view! { <CompanyTable list reload /> }.into_any(),
                    Err(message) => view! {
                        <p role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                            {format!("Companies could not be loaded: {message}")}
                        </p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Starts runs and reports them in a toast that leads to the Runs page. Built once per list:
/// the contexts it needs are read while components are built, never inside event handlers.
#[derive(Clone, Copy)]
struct Launcher {
    toasts: Toasts,
    reload: Callback<()>,
    /// Leads to the Runs page; shared rather than owned, since the toast outlives the list.
    go_to_run: StoredValue<std::sync::Arc<dyn Fn(i64) + Send + Sync>>,
}

impl Launcher {
    fn new(reload: Callback<()>) -> Self {
        let navigate = use_navigate();
        Launcher {
            toasts: Toasts::get(),
            reload,
            go_to_run: StoredValue::new(std::sync::Arc::new(move |run: i64| {
                navigate(&format!("/runs#run-{run}"), NavigateOptions::default())
            })),
        }
    }

    fn start(self, ids: Vec<i64>, what: String) {
        spawn_local(async move {
            match collect_companies(ids).await {
                Ok(run) => {
                    let watch = ToastAction {
                        label: "Watch",
                        run: {
                            let go = self.go_to_run.get_value();
                            std::sync::Arc::new(move || go(run))
                        },
                    };
                    self.toasts.show(
                        ToastKind::Info,
                        format!("Collecting {what} (run {run})."),
                        Some(watch),
                    );
                    self.reload.run(());
                }
                Err(err) => self.toasts.error(user_message(&err)),
            }
        });
    }
}

#[component]
fn AddCompany(reload: Callback<()>) -> impl IntoView {
    let toasts = Toasts::get();
    let url = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let recognised = RwSignal::new(None::<Result<String, String>>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // A recognition answer for text the user has since changed is dropped.
    let asked = StoredValue::new(0u64);

    let on_url = move |ev: ev::Event| {
        url.set(event_target_value(&ev));
        error.set(None);
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let text = url.get_untracked();
        if text.trim().is_empty() {
            recognised.set(None);
            return;
        }
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    let answer = recognise_url(text).await.map_err(|e| user_message(&e));
                    if asked.get_value() == ticket {
                        recognised.set(Some(answer));
                    }
                })
            },
            RECOGNISE_DEBOUNCE,
        );
        timer.set_value(handle.ok());
    };
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let text = url.get_untracked();
        if text.trim().is_empty() {
            error.set(Some("Paste a careers page or job board URL.".into()));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match add_company(text, name.get_untracked()).await {
                Ok((_, found)) => {
                    let mut message = format!(
                        "Added {}: {}, {} open {}.",
                        found.name,
                        found.provider_label,
                        found.jobs,
                        if found.jobs == 1 { "job" } else { "jobs" }
                    );
                    if found.needs_llm {
                        message.push_str(" Its pages will be read by the LLM extractor.");
                    }
                    toasts.info(message);
                    url.set(String::new());
                    name.set(String::new());
                    recognised.set(None);
                    reload.run(());
                }
                Err(err) => error.set(Some(user_message(&err))),
            }
            busy.set(false);
        });
    };
    let field = "w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";
    view! {
        <form on:submit=on_submit class="mb-6 rounded-lg border border-slate-200 p-4 dark:border-slate-800" aria-labelledby="add-company-heading">
            <h2 id="add-company-heading" class="text-base font-semibold">"Follow a company"</h2>
            <div class="mt-3 grid gap-3 md:grid-cols-[2fr_1fr_auto] md:items-start">
                <div>
                    <label for="company-url" class="text-sm font-medium">"Careers page or job board URL"</label>
                    <input
                        id="company-url"
                        name="url"
                        type="text"
                        inputmode="url"
                        autocomplete="off"
                        placeholder="https://boards.greenhouse.io/acme"
                        class=field
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        aria-describedby="company-url-help"
                        prop:value=move || url.get()
                        on:input=on_url
                    />
                    <p id="company-url-help" class="mt-1 min-h-5 text-sm" aria-live="polite">
                        {move || match (error.get(), recognised.get()) {
                            (Some(message), _) => view! { <span role="alert" class="text-red-700 dark:text-red-300">{message}</span> }.into_any(),
                            (None, Some(Ok(what))) => view! { <span class="text-slate-700 dark:text-slate-300" data-testid="recognised">{format!("Recognised: {what}")}</span> }.into_any(),
                            (None, Some(Err(why))) => view! { <span class="text-amber-800 dark:text-amber-300">{why}</span> }.into_any(),
                            (None, None) => view! { <span class="text-slate-600 dark:text-slate-400">"Greenhouse, Lever, Ashby, Workable, SmartRecruiters, Recruitee, or any careers page."</span> }.into_any(),
                        }}
                    </p>
                </div>
                <div>
                    <label for="company-name" class="text-sm font-medium">"Name " <span class="font-normal text-slate-600 dark:text-slate-400">"(optional)"</span></label>
                    <input
                        id="company-name"
                        name="name"
                        type="text"
                        autocomplete="organization"
                        maxlength="200"
                        class=field
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </div>
                <button
                    type="submit"
                    class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60 md:mt-5"
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "Checking the board…" } else { "Add company" }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn CompanyTable(list: Vec<CompanyOverview>, reload: Callback<()>) -> impl IntoView {
    let launcher = Launcher::new(reload);
    let enabled = list.iter().filter(|c| c.enabled).count();
    view! {
        <section aria-labelledby="companies-heading">
            <div class="mb-2 flex items-center justify-between gap-3">
                <h2 id="companies-heading" class="text-base font-semibold">
                    {format!("{} companies, {enabled} collected", list.len())}
                </h2>
                <button
                    type="button"
                    class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800"
                    disabled=enabled == 0
                    on:click=move |_| launcher.start(Vec::new(), "every enabled company".into())
                >
                    "Run all"
                </button>
            </div>
            <div class="relative overflow-x-auto" tabindex="0" role="region" aria-label="Companies table">
                <table class="w-full min-w-[640px] text-sm">
                    <thead>
                        <tr class="border-b border-slate-200 text-left text-slate-600 dark:border-slate-800 dark:text-slate-400">
                            <th scope="col" class="py-2 pr-3 font-medium">"Company"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Open jobs"</th>
                            <th scope="col" class="py-2 pr-3 font-medium">"Last collection"</th>
                            <th scope="col" class="py-2 pr-3 font-medium">"Collect"</th>
                            <th scope="col" class="py-2 font-medium"><span class="sr-only">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().map(|company| view! { <CompanyRow company launcher /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn CompanyRow(company: CompanyOverview, launcher: Launcher) -> impl IntoView {
    let Launcher { toasts, reload, .. } = launcher;
    let id = company.id;
    let name = RwSignal::new(company.name.clone());
    let enabled = RwSignal::new(company.enabled);
    let schedule = RwSignal::new(company.schedule_minutes);
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let edit_error = RwSignal::new(None::<String>);
    let now = now_secs();
    let save = move |new_name: String, new_enabled: bool, new_schedule: Option<u32>| {
        spawn_local(async move {
            match update_company(id, new_name.clone(), new_enabled, new_schedule).await {
                Ok(()) => {
                    name.set(new_name.trim().to_string());
                    enabled.set(new_enabled);
                    schedule.set(new_schedule);
                    editing.set(false);
                    edit_error.set(None);
                }
                Err(err) => {
                    edit_error.set(Some(user_message(&err)));
                    // The switch shows what is stored, not what was asked for.
                    enabled.set(enabled.get_untracked());
                    schedule.set(schedule.get_untracked());
                }
            }
        });
    };
    let remove = move |_| {
        let company_name = name.get_untracked();
        spawn_local(async move {
            match delete_company(id).await {
                Ok(()) => {
                    toasts.info(format!(
                        "Stopped following {company_name}. Its jobs stay in your list."
                    ));
                    reload.run(());
                }
                Err(err) => toasts.error(user_message(&err)),
            }
            confirming.set(false);
        });
    };
    let jobs_href = format!("/?company={id}");
    let open_jobs = company.open_jobs;
    let button = "rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    view! {
        <tr class="border-b border-slate-200 align-top dark:border-slate-800" data-company-id=id>
            <td class="py-2 pr-3">
                <Show
                    when=move || editing.get()
                    fallback=move || view! {
                        <a href=jobs_href.clone() class="font-medium hover:underline">{move || name.get()}</a>
                    }
                >
                    <form
                        class="flex gap-1"
                        on:submit=move |ev: ev::SubmitEvent| {
                            ev.prevent_default();
                            let input = document().get_element_by_id(&format!("rename-{id}"));
                            let value = input
                                .and_then(|el| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok())
                                .map(|el| el.value())
                                .unwrap_or_default();
                            save(value, enabled.get_untracked(), schedule.get_untracked());
                        }
                    >
                        <label class="sr-only" for=format!("rename-{id}")>"Company name"</label>
                        <input
                            id=format!("rename-{id}")
                            type="text"
                            maxlength="200"
                            class="min-w-0 rounded-md border border-slate-300 px-2 py-0.5 dark:border-slate-700 dark:bg-slate-900"
                            aria-invalid=move || edit_error.with(Option::is_some).to_string()
                            aria-describedby=format!("rename-error-{id}")
                            prop:value=move || name.get_untracked()
                        />
                        <button type="submit" class=button>"Save"</button>
                        <button type="button" class=button on:click=move |_| { editing.set(false); edit_error.set(None); }>"Cancel"</button>
                    </form>
                </Show>
                <p id=format!("rename-error-{id}") class="text-sm text-red-700 dark:text-red-300">{move || edit_error.get()}</p>
                <p class="text-xs text-slate-600 dark:text-slate-400">
                    {format!("{} · {}", company.provider_label, company.board_token)}
                </p>
            </td>
            <td class="py-2 pr-3 text-right tabular-nums">{open_jobs}</td>
            <td class="py-2 pr-3">
                {match company.last_run {
                    None => view! { <span class="text-slate-600 dark:text-slate-400">"Never collected"</span> }.into_any(),
                    Some(last) => {
                        let when = last.finished_at.map(|at| view! {
                            <time class="ml-1 text-xs tabular-nums text-slate-600 dark:text-slate-400" datetime=model::time::rfc3339(at) title=exact(at)>
                                {format!("{} ago", age(at, now))}
                            </time>
                        });
                        view! {
                            <StatusBadge status=last.status />
                            {when}
                            <p class="text-xs tabular-nums text-slate-600 dark:text-slate-400">
                                {format!("{} seen, {} new, {} closed", last.counts.seen, last.counts.new, last.counts.closed)}
                            </p>
                            {last.error.map(|e| view! { <p class="max-w-xs text-xs text-red-700 dark:text-red-300">{e}</p> })}
                        }.into_any()
                    }
                }}
            </td>
            <td class="py-2 pr-3">
                <label class="flex items-center gap-2">
                    <input
                        type="checkbox"
                        role="switch"
                        class="size-4 accent-indigo-600"
                        prop:checked=move || enabled.get()
                        on:change=move |ev| save(name.get_untracked(), event_target_checked(&ev), schedule.get_untracked())
                    />
                    <span>{move || if enabled.get() { "On" } else { "Paused" }}</span>
                    <span class="sr-only">{format!(" collection for {}", company.name)}</span>
                </label>
                <label class="sr-only" for=format!("schedule-{id}")>{format!("Schedule for {}", company.name)}</label>
                <select
                    id=format!("schedule-{id}")
                    class="mt-1 rounded-md border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-700 dark:bg-slate-900"
                    on:change=move |ev| {
                        let minutes = event_target_value(&ev).parse::<u32>().ok();
                        save(name.get_untracked(), enabled.get_untracked(), minutes);
                    }
                >
                    <option value="" selected=move || schedule.get().is_none()>"When asked"</option>
                    {model::company::SCHEDULES.iter().map(|(minutes, label)| {
                        let minutes = *minutes;
                        view! { <option value=minutes.to_string() selected=move || schedule.get() == Some(minutes)>{*label}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td class="py-2">
                <div class="flex flex-wrap justify-end gap-1">
                    <button
                        type="button"
                        class=button
                        on:click=move |_| launcher.start(vec![id], name.get_untracked())
                    >
                        "Run now"
                    </button>
                    <button type="button" class=button on:click=move |_| editing.set(true)>"Rename"</button>
                    <button type="button" class=format!("{button} text-red-700 dark:text-red-300") on:click=move |_| confirming.set(true)>"Delete"</button>
                </div>
                <Show when=move || confirming.get()>
                    <div role="alertdialog" aria-labelledby=format!("confirm-{id}") class="mt-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm dark:border-red-800 dark:bg-red-950">
                        <p id=format!("confirm-{id}")>
                            {move || format!("Stop following {}? Its {open_jobs} open jobs stay in your list, with your stages, stars and notes.", name.get())}
                        </p>
                        <div class="mt-2 flex gap-2">
                            <button type="button" class="rounded-md bg-red-700 px-2 py-0.5 font-medium text-white" on:click=remove>"Delete company"</button>
                            <button type="button" class=button on:click=move |_| confirming.set(false)>"Keep it"</button>
                        </div>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

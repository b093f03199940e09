//! Search and filters. They form a plain GET form, so they work before the page hydrates and
//! without JavaScript; once hydrated, typing searches as you type (debounced, the URL replaced
//! rather than pushed) and every other change navigates at once.

use super::JobsState;
use leptos::{ev, html, prelude::*};
use leptos_router::{NavigateOptions, hooks::use_navigate};
use model::filter::parse_query_string;
use model::{Inclusion, JobCounts, JobQuery, Remote, Sort, Stage};
use std::time::Duration;

/// Pause after the last keystroke before searching: short enough to feel instant, long enough
/// not to search for every letter of a fast typist.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(60);

/// The names this form owns; every other parameter in the URL is kept as it is.
const FORM_PARAMS: &[&str] = &[
    "q",
    "company",
    "remote",
    "posted_within",
    "salary_min",
    "sort",
    "starred",
    "archived",
    "closed",
];

/// The current filter as a query, or the default one when the URL is unreadable.
fn current(state: JobsState) -> JobQuery {
    let query = state.query.get().unwrap_or_default();
    let pairs = parse_query_string(&query);
    JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))).unwrap_or_default()
}

/// The URL for the form's fields over the current filter (parameters the form does not own are
/// kept), or the message for a value the parser refuses.
fn merged_url(current: &str, form: &[(String, String)]) -> Result<String, String> {
    let mut pairs: Vec<(String, String)> = parse_query_string(current)
        .into_iter()
        .filter(|(name, _)| !FORM_PARAMS.contains(&name.as_str()))
        .collect();
    pairs.extend(form.iter().cloned());
    let query = JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .map_err(|e| e.to_string())?;
    let query = query.to_query_string();
    Ok(if query.is_empty() {
        "/".into()
    } else {
        format!("/?{query}")
    })
}

fn form_pairs(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return Vec::new();
    };
    FORM_PARAMS
        .iter()
        .filter_map(|name| {
            data.get(name)
                .as_string()
                .map(|value| ((*name).to_string(), value))
        })
        .collect()
}

#[component]
pub fn FilterBar(counts: Resource<Result<JobCounts, String>>) -> impl IntoView {
    let state = JobsState::get();
    let navigate = use_navigate();
    let form = NodeRef::<html::Form>::new();
    let error = RwSignal::new(None::<String>);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let filter = Memo::new(move |_| current(state).filter);

    let go = {
        let navigate = navigate.clone();
        move |replace: bool| {
            let Some(form) = form.get_untracked() else {
                return;
            };
            let current = state.query.get_untracked().unwrap_or_default();
            match merged_url(&current, &form_pairs(&form)) {
                Ok(url) => {
                    error.set(None);
                    navigate(
                        &url,
                        NavigateOptions {
                            replace,
                            scroll: false,
                            ..Default::default()
                        },
                    );
                }
                Err(message) => error.set(Some(message)),
            }
        }
    };
    let on_input = {
        let go = go.clone();
        move |_: ev::Event| {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let go = go.clone();
            pending.set_value(set_timeout_with_handle(move || go(true), SEARCH_DEBOUNCE).ok());
        }
    };
    let on_change = {
        let go = go.clone();
        move |ev: ev::Event| {
            // The search box reports through `input`; its `change` (on blur) adds nothing.
            let from_search = event_target::<web_sys::Element>(&ev).id() == "job-search";
            if !from_search {
                go(false);
            }
        }
    };
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        go(false);
    };

    let select = "max-w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";
    view! {
        <form
            node_ref=form
            method="get"
            action="/"
            role="search"
            aria-label="Search and filter jobs"
            class="mb-3 space-y-2"
            on:submit=on_submit
            on:change=on_change
        >
            <div class="flex gap-2">
                <input
                    id="job-search"
                    type="search"
                    name="q"
                    autocomplete="off"
                    aria-label="Search jobs"
                    placeholder="Search titles, companies, locations, descriptions  ( / )"
                    class="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
                    prop:value=move || filter.with(|f| f.q.clone().unwrap_or_default())
                    on:input=on_input
                />
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
                    "Search"
                </button>
            </div>
            <div class="flex flex-wrap items-center gap-2 text-sm">
                <label class="sr-only" for="filter-company">"Company"</label>
                <Transition fallback=move || view! {
                    <select id="filter-company" name="company" class=select>
                        <option value="">"All companies"</option>
                    </select>
                }>
                    {move || Suspend::new(async move {
                        let companies = counts.await.map(|c| c.companies).unwrap_or_default();
                        let chosen = filter.with_untracked(|f| f.company);
                        view! {
                            <select id="filter-company" name="company" class=select>
                                <option value="">"All companies"</option>
                                {companies.into_iter().filter_map(|(id, name, n)| {
                                    let id = id?;
                                    Some(view! {
                                        <option value=id.to_string() selected=chosen == Some(id)>{format!("{name} ({n})")}</option>
                                    })
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
                <label class="sr-only" for="filter-remote">"Workplace"</label>
                <select id="filter-remote" name="remote" class=select>
                    <option value="">"Any workplace"</option>
                    {Remote::ALL.iter().map(|r| {
                        let r = *r;
                        view! {
                            <option value=r.as_str() selected=move || filter.with(|f| f.remote == Some(r))>
                                {super::row::remote_label(r)}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <label class="sr-only" for="filter-posted">"Posted within"</label>
                <select id="filter-posted" name="posted_within" class=select>
                    {[(None, "Any time"), (Some(1), "Past day"), (Some(7), "Past week"), (Some(30), "Past month"), (Some(90), "Past 3 months")]
                        .into_iter()
                        .map(|(days, label)| view! {
                            <option
                                value=days.map(|d: u32| d.to_string()).unwrap_or_default()
                                selected=move || filter.with(|f| f.posted_within == days)
                            >
                                {label}
                            </option>
                        })
                        .collect_view()}
                </select>
                <label class="flex items-center gap-1">
                    <span class="text-slate-600 dark:text-slate-400">"Min salary / year"</span>
                    <input
                        type="number"
                        name="salary_min"
                        min="0"
                        step="1000"
                        inputmode="numeric"
                        class=format!("{select} w-28 tabular-nums")
                        prop:value=move || filter.with(|f| f.salary_min.map(|v| v.to_string()).unwrap_or_default())
                    />
                </label>
                <label class="sr-only" for="filter-sort">"Sort"</label>
                <select id="filter-sort" name="sort" class=select>
                    {[(None, "Best order"), (Some(Sort::Newest), "Newest"), (Some(Sort::Salary), "Highest salary"), (Some(Sort::Relevance), "Best match")]
                        .into_iter()
                        .map(|(sort, label)| view! {
                            <option
                                value=sort.map(|s| s.as_str()).unwrap_or_default()
                                selected=move || filter.with(|f| f.sort == sort)
                            >
                                {label}
                            </option>
                        })
                        .collect_view()}
                </select>
                <Check name="starred" value="true" label="Starred" checked=Signal::derive(move || filter.with(|f| f.starred == Some(true))) />
                <Check name="archived" value="include" label="Archived" checked=Signal::derive(move || filter.with(|f| f.archived != Inclusion::Exclude)) />
                <Check name="closed" value="include" label="Closed" checked=Signal::derive(move || filter.with(|f| f.closed != Inclusion::Exclude)) />
            </div>
            {move || error.get().map(|message| view! {
                <p role="alert" class="text-sm text-red-700 dark:text-red-300">{message}</p>
            })}
        </form>
        <StageTabs counts filter />
    }
    // Erased here: the release build nests these view types too deep otherwise.
    .into_any()
}

#[component]
fn Check(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    checked: Signal<bool>,
) -> impl IntoView {
    view! {
        <label class="flex items-center gap-1 rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700">
            <input type="checkbox" name=name value=value class="accent-indigo-600" prop:checked=checked />
            {label}
        </label>
    }
}

/// Counts per stage for the current filter, as links that narrow the list to one stage.
#[component]
fn StageTabs(
    counts: Resource<Result<JobCounts, String>>,
    filter: Memo<model::JobFilter>,
) -> impl IntoView {
    let state = JobsState::get();
    let link = move |stage: Option<Stage>| {
        let query = state.query.get().unwrap_or_default();
        let mut pairs: Vec<(String, String)> = parse_query_string(&query)
            .into_iter()
            .filter(|(n, _)| n != "stage")
            .collect();
        if let Some(stage) = stage {
            pairs.push(("stage".into(), stage.as_str().into()));
        }
        let query = JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .map(|q| q.to_query_string())
            .unwrap_or_default();
        if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{query}")
        }
    };
    let tab = "whitespace-nowrap rounded-md px-2 py-1 text-sm tabular-nums text-slate-600 hover:bg-slate-100 aria-[current=true]:bg-slate-900 aria-[current=true]:text-white dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=true]:bg-slate-100 dark:aria-[current=true]:text-slate-900";
    view! {
        <nav aria-label="Stages" class="-mx-1 mb-3 overflow-x-auto">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let stages = counts.await.map(|c| c.stages).unwrap_or_default();
                    let all: u64 = stages.iter().map(|(_, n)| *n).sum();
                    let count = move |stage: Stage| {
                        stages.iter().find(|(s, _)| *s == stage).map_or(0, |(_, n)| *n)
                    };
                    view! {
                        <ul class="flex gap-1">
                            <li>
                                <a href=move || link(None) class=tab aria-current=move || filter.with(|f| f.stage.is_none()).to_string()>
                                    {format!("All stages {all}")}
                                </a>
                            </li>
                            {Stage::ALL.iter().map(|stage| {
                                let stage = *stage;
                                view! {
                                    <li>
                                        <a
                                            href=move || link(Some(stage))
                                            class=tab
                                            aria-current=move || filter.with(|f| f.stage == Some(stage)).to_string()
                                            data-stage=stage.as_str()
                                        >
                                            {format!("{} {}", stage.label(), count(stage))}
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::merged_url;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_replaces_its_own_fields_and_keeps_the_rest() {
        let url = merged_url(
            "stage=applied&q=old",
            &pairs(&[("q", "rust"), ("remote", "")]),
        )
        .unwrap();
        assert_eq!(url, "/?q=rust&stage=applied");
        // An unticked box is absent from the form: its filter goes.
        let url = merged_url("starred=true&currency=EUR", &pairs(&[("q", "")])).unwrap();
        assert_eq!(url, "/?currency=EUR");
        assert_eq!(merged_url("", &pairs(&[("q", "")])).unwrap(), "/");
        let err = merged_url("", &pairs(&[("salary_min", "lots")])).unwrap_err();
        assert!(err.contains("salary_min"), "{err}");
    }
}

//! The list itself. However far the reader scrolls, only the rows near the viewport are in the
//! DOM (rows have a fixed height, so spacers stand in for the rest); a sentinel after the last
//! loaded row fetches the next keyset page before the reader reaches it.

use super::JobsState;
use super::row::{JobRow, ROW_HEIGHT, SEARCH_ROW_HEIGHT};
use crate::api::{errors::user_message, jobs::list_jobs};
use leptos::{html, prelude::*};
use leptos_use_intersection_observer::{
    UseIntersectionObserverOptions, use_intersection_observer_with_options,
};

/// Rows rendered at once: more than the tallest screen shows, fewer than would slow the page.
const WINDOW: usize = 80;
/// Rows kept rendered above the viewport, so scrolling up never shows a blank.
const OVERSCAN: usize = 20;

/// Loads the page after the last loaded row, unless one is already on its way.
pub fn load_more(state: JobsState) {
    if state.loading_more.get_untracked() {
        return;
    }
    let (Some(cursor), Ok(query)) = (state.next.get_untracked(), state.query.get_untracked())
    else {
        return;
    };
    state.loading_more.set(true);
    state.more_error.set(None);
    let generation = state.generation.get_untracked();
    let query = if query.is_empty() {
        format!("cursor={cursor}")
    } else {
        format!("{query}&cursor={cursor}")
    };
    leptos::task::spawn_local(async move {
        let result = list_jobs(query).await;
        // A page for a filter the reader has since left is dropped.
        if state.generation.get_untracked() != generation {
            return;
        }
        state.loading_more.set(false);
        match result {
            Ok(page) => {
                state.rows.update(|rows| {
                    // A job that moved between pages while the reader scrolled appears once.
                    let known: std::collections::HashSet<i64> = rows.iter().map(|r| r.id).collect();
                    rows.extend(page.items.into_iter().filter(|r| !known.contains(&r.id)));
                });
                state.next.set(page.next_cursor);
            }
            Err(err) => state.more_error.set(Some(user_message(&err))),
        }
    });
}

#[component]
pub fn JobList() -> impl IntoView {
    let state = JobsState::get();
    let searching = state
        .query
        .get_untracked()
        .is_ok_and(|q| q.starts_with("q=") || q.contains("&q="));
    let height = if searching {
        SEARCH_ROW_HEIGHT
    } else {
        ROW_HEIGHT
    };
    // The first rendered row; moves with the scroll position.
    let first = RwSignal::new(0usize);
    let list = NodeRef::<html::Ul>::new();
    let sentinel = NodeRef::<html::Div>::new();

    let handle = window_event_listener(leptos::ev::scroll, move |_| {
        if let Some(list) = list.get_untracked() {
            let top = list.get_bounding_client_rect().top();
            let above = if top < 0.0 {
                (-top / height) as usize
            } else {
                0
            };
            let start = above.saturating_sub(OVERSCAN);
            if start != first.get_untracked() {
                first.set(start);
            }
        }
    });
    on_cleanup(move || handle.remove());

    // Keep the keyboard's row in view, even when it is not rendered yet.
    Effect::new(move |_| {
        if let (Some(index), Some(list)) = (state.cursor.get(), list.get_untracked()) {
            let top = list.get_bounding_client_rect().top() + index as f64 * height;
            let window = window();
            let viewport = window
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(800.0);
            // Below the sticky header (48 px) and above the bottom edge.
            if top < 56.0 || top + height > viewport {
                let y = window.scroll_y().unwrap_or(0.0) + top - viewport / 3.0;
                window.scroll_to_with_x_and_y(0.0, y.max(0.0));
            }
            if index + 10 >= state.rows.with_untracked(Vec::len) {
                load_more(state);
            }
        }
    });

    use_intersection_observer_with_options(
        sentinel,
        move |entries, _| {
            if entries.iter().any(|e| e.is_intersecting()) {
                load_more(state);
            }
        },
        UseIntersectionObserverOptions::default().root_margin("800px 0px"),
    );
    // A page that does not fill the screen leaves the sentinel in view, and the observer only
    // reports changes: ask again after each page while the sentinel is still near.
    Effect::new(move |_| {
        let _ = state.rows.with(Vec::len);
        if let Some(sentinel) = sentinel.get() {
            let top = sentinel.get_bounding_client_rect().top();
            let viewport = window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(800.0);
            if top < viewport + 800.0 {
                load_more(state);
            }
        }
    });

    let total = move || state.rows.with(Vec::len);
    let window_rows = move || {
        let start = first.get();
        state.rows.with(|rows| {
            let end = (start + WINDOW).min(rows.len());
            let start = start.min(end);
            rows[start..end]
                .iter()
                .enumerate()
                .map(|(i, row)| (start + i, row.clone()))
                .collect::<Vec<_>>()
        })
    };

    view! {
        <div style:height=move || format!("{}px", first.get().min(total()) as f64 * height) aria-hidden="true"></div>
        <ul node_ref=list aria-label="Jobs" data-testid="job-list" data-query=state.query_string() class="border-t border-slate-200 dark:border-slate-800">
            <For
                each=window_rows
                // A row is kept while the window slides over it; it is drawn again when it
                // changes, or when a removal above it (archive) shifts every index.
                key=move |(_, row)| (row.id, row.starred, row.stage, row.archived, state.removals.get_untracked())
                let:((index, row))
            >
                <JobRow job=row index total=Signal::derive(total) searching />
            </For>
        </ul>
        <div
            style:height=move || {
                let end = (first.get() + WINDOW).min(total());
                format!("{}px", (total() - end) as f64 * height)
            }
            aria-hidden="true"
        ></div>
        <div node_ref=sentinel class="py-4 text-center text-sm text-slate-600 dark:text-slate-400">
            {move || {
                if let Some(message) = state.more_error.get() {
                    view! {
                        <p role="alert">
                            {format!("The next jobs could not be loaded: {message} ")}
                            <button type="button" class="font-medium underline" on:click=move |_| load_more(state)>"Try again"</button>
                        </p>
                    }.into_any()
                } else if state.loading_more.get() {
                    view! { <p aria-live="polite">"Loading more jobs…"</p> }.into_any()
                } else if state.next.with(Option::is_some) {
                    view! {
                        <button type="button" class="rounded-md border border-slate-300 px-3 py-1 dark:border-slate-700" on:click=move |_| load_more(state)>
                            "Load more jobs"
                        </button>
                    }.into_any()
                } else {
                    view! { <p data-testid="list-end">{format!("All {} jobs shown.", total())}</p> }.into_any()
                }
            }}
        </div>
    }
    // Erased here: the release build nests these view types too deep otherwise.
    .into_any()
}

/// Grey rows in the list's shape while the first page loads.
#[component]
pub fn ListSkeleton() -> impl IntoView {
    view! {
        <ul aria-busy="true" aria-label="Loading jobs" class="border-t border-slate-200 dark:border-slate-800">
            {(0..8).map(|_| view! {
                <li class="flex h-[60px] items-center gap-3 border-b border-slate-200 px-2 dark:border-slate-800">
                    <div class="size-4 rounded bg-slate-200 dark:bg-slate-800"></div>
                    <div class="flex-1 space-y-2">
                        <div class="h-3 w-2/3 rounded bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800"></div>
                        <div class="h-3 w-1/3 rounded bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}

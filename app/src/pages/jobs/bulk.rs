//! The bar that appears when rows are ticked: one stage, star or archive for all of them.

use super::{JobsState, actions};
use leptos::prelude::*;
use model::{JobChange, MAX_BULK, Stage};

#[component]
pub fn BulkBar() -> impl IntoView {
    let state = JobsState::get();
    let count = move || state.selected.with(|s| s.len());
    let ids = move || {
        state
            .selected
            .with_untracked(|s| s.iter().copied().collect::<Vec<_>>())
    };
    let all_ticked = move || {
        let loaded = state.rows.with(Vec::len);
        loaded > 0 && count() >= loaded.min(MAX_BULK)
    };
    let toggle_all = move |_| {
        if all_ticked() {
            state.selected.set(Default::default());
        } else {
            state.selected.set(
                state
                    .rows
                    .with_untracked(|rows| rows.iter().take(MAX_BULK).map(|r| r.id).collect()),
            );
        }
    };
    let button = "rounded-md border border-slate-300 px-2 py-1 hover:bg-white dark:border-slate-700 dark:hover:bg-slate-800";
    view! {
        <div class="mb-2 flex flex-wrap items-center gap-2 text-sm">
            <label class="flex items-center gap-2 px-2">
                <input
                    type="checkbox"
                    class="size-4 accent-indigo-600"
                    prop:checked=all_ticked
                    on:change=toggle_all
                />
                <span class="sr-only">"Select every loaded job"</span>
            </label>
            <Show
                when=move || { count() > 0 }
                fallback=|| view! { <span class="text-slate-500 dark:text-slate-400">"Tick jobs to change many at once."</span> }
            >
                <div role="group" aria-label="Change the selected jobs" class="flex flex-wrap items-center gap-2 rounded-md bg-slate-100 px-2 py-1 dark:bg-slate-900">
                    <span class="font-medium tabular-nums" data-testid="selected-count">{move || format!("{} selected", count())}</span>
                    <label class="sr-only" for="bulk-stage">"Move to stage"</label>
                    <select
                        id="bulk-stage"
                        class="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            if let Ok(stage) = value.parse::<Stage>() {
                                actions::apply(state, ids(), JobChange::Stage(stage));
                            }
                        }
                    >
                        <option value="">"Move to…"</option>
                        {Stage::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                    <button type="button" class=button on:click=move |_| actions::apply(state, ids(), JobChange::Starred(true))>"Star"</button>
                    <button type="button" class=button on:click=move |_| actions::apply(state, ids(), JobChange::Starred(false))>"Unstar"</button>
                    <button type="button" class=button on:click=move |_| actions::apply(state, ids(), JobChange::Archived(true))>"Archive"</button>
                    <button type="button" class=button on:click=move |_| state.selected.set(Default::default())>"Clear"</button>
                </div>
            </Show>
        </div>
    }
    // Erased here: the release build nests these view types too deep otherwise.
    .into_any()
}

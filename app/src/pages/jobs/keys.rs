//! The Jobs page's keyboard: `j`/`k` move, `o`/Enter open, `s` star, `1`–`6` stage, `e`
//! archive, `x` tick, `/` search, Escape closes the open job. And the "new since your last
//! visit" marker, which needs the time of the previous visit from the browser's storage.

use super::{JobsState, actions};
use leptos::{ev, prelude::*};
use leptos_router::{NavigateOptions, hooks::use_navigate};
use model::JobChange;

const LAST_VISIT_KEY: &str = "jobscout.lastVisit";

/// Reads the previous visit's time and records this one (in the browser only).
pub fn remember_visit(state: JobsState) {
    Effect::new(move |_| {
        let Ok(Some(storage)) = window().local_storage() else {
            return;
        };
        let previous = storage
            .get_item(LAST_VISIT_KEY)
            .ok()
            .flatten()
            .and_then(|v| v.parse::<i64>().ok());
        state.last_visit.set(previous);
        let _ = storage.set_item(LAST_VISIT_KEY, &crate::format::now_secs().to_string());
    });
}

/// The job the keys act on: the keyboard's row, else the open one.
fn target(state: JobsState) -> Option<(i64, model::JobSummary)> {
    state.rows.with_untracked(|rows| {
        let row = match state.cursor.get_untracked() {
            Some(index) => rows.get(index),
            None => open_job_id().and_then(|id| rows.iter().find(|r| r.id == id)),
        };
        row.map(|r| (r.id, r.clone()))
    })
}

fn open_job_id() -> Option<i64> {
    let path = window().location().pathname().ok()?;
    path.strip_prefix("/jobs/")?.parse().ok()
}

pub fn install(state: JobsState) {
    let navigate = use_navigate();
    // The key after `g` belongs to the global "go to page" chord, not to this page.
    let after_g = StoredValue::new(false);
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || in_a_field(&event) {
            return;
        }
        let key = event.key();
        if after_g.get_value() {
            after_g.set_value(false);
            return;
        }
        let len = state.rows.with_untracked(Vec::len);
        let open = |id: i64| {
            navigate(
                &state.href(&format!("/jobs/{id}")),
                NavigateOptions {
                    scroll: false,
                    ..Default::default()
                },
            )
        };
        let act = |change: JobChange| {
            let id = target(state).map(|(id, _)| id).or_else(open_job_id);
            if let Some(id) = id {
                actions::apply(state, vec![id], change);
            }
        };
        match key.as_str() {
            "g" => after_g.set_value(true),
            "j" | "ArrowDown" if len > 0 => {
                event.prevent_default();
                state
                    .cursor
                    .update(|c| *c = Some(c.map_or(0, |i| (i + 1).min(len - 1))));
            }
            "k" | "ArrowUp" if len > 0 => {
                event.prevent_default();
                state
                    .cursor
                    .update(|c| *c = Some(c.map_or(0, |i| i.saturating_sub(1))));
            }
            "o" | "Enter" => {
                if let Some((id, _)) = target(state) {
                    event.prevent_default();
                    open(id);
                }
            }
            "x" => {
                if let Some((id, _)) = target(state) {
                    state.selected.update(|s| {
                        if !s.remove(&id) {
                            s.insert(id);
                        }
                    });
                }
            }
            "s" => {
                let starred = target(state).map(|(_, r)| r.starred).unwrap_or(false);
                act(JobChange::Starred(!starred));
            }
            "e" => act(JobChange::Archived(true)),
            "/" => {
                event.prevent_default();
                if let Some(input) = document().get_element_by_id("job-search") {
                    use leptos::wasm_bindgen::JsCast;
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                        let _ = input.focus();
                        input.select();
                    }
                }
            }
            "Escape" if open_job_id().is_some() => {
                navigate(
                    &state.href("/"),
                    NavigateOptions {
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
            other => {
                if let Some(stage) = actions::stage_for_key(other) {
                    act(JobChange::Stage(stage));
                }
            }
        }
    });
    on_cleanup(move || handle.remove());
}

/// Keys typed into a form field are text, not shortcuts (Escape included: it clears search).
fn in_a_field(event: &ev::KeyboardEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}

//! The reader's changes to jobs, applied to the list at once and saved in the background;
//! if the server refuses, the list goes back to what it was and a toast says why. Archiving
//! offers Undo.

use super::JobsState;
use crate::api::{errors::user_message, jobs::change_jobs};
use crate::components::{ToastAction, ToastKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Inclusion, JobChange, JobQuery, Stage, filter::parse_query_string};

/// Whether archived jobs disappear from the current list (the default filter hides them).
fn hides_archived(query: &str) -> bool {
    let pairs = parse_query_string(query);
    JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .map(|q| q.filter.archived == Inclusion::Exclude)
        .unwrap_or(true)
}

/// Applies `change` to `ids`: optimistically in the list, then on the server.
pub fn apply(state: JobsState, ids: Vec<i64>, change: JobChange) {
    if ids.is_empty() {
        return;
    }
    let before = state.rows.get_untracked();
    let hide = hides_archived(&state.query.get_untracked().unwrap_or_default());
    state.rows.update(|rows| {
        for row in rows.iter_mut().filter(|r| ids.contains(&r.id)) {
            match &change {
                JobChange::Stage(stage) => row.stage = *stage,
                JobChange::Starred(starred) => row.starred = *starred,
                JobChange::Archived(archived) => row.archived = *archived,
                JobChange::Notes(_) => {}
            }
        }
        if hide && matches!(change, JobChange::Archived(true)) {
            rows.retain(|r| !ids.contains(&r.id));
        }
    });
    if hide && matches!(change, JobChange::Archived(true)) {
        state.removals.update(|r| *r += 1);
    }
    if matches!(change, JobChange::Archived(true)) {
        state.selected.update(|s| s.retain(|id| !ids.contains(id)));
        // Keep the keyboard on the row that took the archived one's place.
        let len = state.rows.with_untracked(Vec::len);
        state.cursor.update(|c| {
            if let Some(i) = c {
                *i = (*i).min(len.saturating_sub(1));
            }
        });
    }
    let message = describe(&change, ids.len());
    let undo = matches!(change, JobChange::Archived(true)).then(|| {
        let ids = ids.clone();
        let before = before.clone();
        ToastAction {
            label: "Undo",
            run: std::sync::Arc::new(move || {
                state.removals.update(|r| *r += 1);
                state.rows.set(before.clone());
                save(state, ids.clone(), JobChange::Archived(false), None, None);
            }),
        }
    });
    save(state, ids, change, Some(before), message.map(|m| (m, undo)));
}

/// Saves on the server; on failure restores `before` (when given) and reports.
fn save(
    state: JobsState,
    ids: Vec<i64>,
    change: JobChange,
    before: Option<Vec<model::JobSummary>>,
    done: Option<(String, Option<ToastAction>)>,
) {
    let toasts = state.toasts;
    spawn_local(async move {
        match change_jobs(ids, change).await {
            Ok(_) => {
                if let Some((message, action)) = done {
                    toasts.show(ToastKind::Info, message, action);
                }
            }
            Err(err) => {
                if let Some(before) = before {
                    state.removals.update(|r| *r += 1);
                    state.rows.set(before);
                }
                toasts.error(format!("Not saved: {}", user_message(&err)));
            }
        }
        state.changes.update(|c| *c += 1);
    });
}

/// The toast after a change, when one is worth showing (bulk actions and archiving).
fn describe(change: &JobChange, count: usize) -> Option<String> {
    let jobs = if count == 1 {
        "1 job".to_string()
    } else {
        format!("{count} jobs")
    };
    match change {
        JobChange::Archived(true) => Some(format!("Archived {jobs}.")),
        JobChange::Archived(false) => Some(format!("Restored {jobs}.")),
        JobChange::Stage(stage) if count > 1 => Some(format!("Moved {jobs} to {}.", stage.label())),
        JobChange::Starred(true) if count > 1 => Some(format!("Starred {jobs}.")),
        JobChange::Starred(false) if count > 1 => Some(format!("Unstarred {jobs}.")),
        _ => None,
    }
}

/// The stage a number key picks: 1 inbox … 6 closed.
pub fn stage_for_key(key: &str) -> Option<Stage> {
    let index: usize = key.parse().ok()?;
    Stage::ALL.get(index.checked_sub(1)?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_keys_pick_stages_in_pipeline_order() {
        assert_eq!(stage_for_key("1"), Some(Stage::Inbox));
        assert_eq!(stage_for_key("3"), Some(Stage::Applied));
        assert_eq!(stage_for_key("6"), Some(Stage::Closed));
        assert_eq!(stage_for_key("0"), None);
        assert_eq!(stage_for_key("7"), None);
        assert_eq!(stage_for_key("x"), None);
    }

    #[test]
    fn archived_rows_leave_only_lists_that_hide_them() {
        assert!(hides_archived(""));
        assert!(hides_archived("q=rust"));
        assert!(!hides_archived("archived=include"));
        assert!(!hides_archived("archived=only"));
    }
}

use leptos::prelude::*;
use model::RunStatus;

/// A run's (or one company's) health as a quiet coloured label with words, never colour alone.
#[component]
pub fn StatusBadge(status: RunStatus) -> impl IntoView {
    let (label, colours) = match status {
        RunStatus::Queued => (
            "Queued",
            "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
        ),
        RunStatus::Running => (
            "Running",
            "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
        ),
        RunStatus::Succeeded => (
            "Succeeded",
            "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
        ),
        RunStatus::Partial => (
            "Partial",
            "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300",
        ),
        RunStatus::Failed => (
            "Failed",
            "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
        ),
        RunStatus::Cancelled => (
            "Cancelled",
            "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
        ),
        RunStatus::Interrupted => (
            "Interrupted",
            "bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-300",
        ),
    };
    view! {
        <span class=format!("inline-block rounded px-1.5 py-0.5 text-xs font-medium {colours}") data-status=status.as_str()>
            {label}
        </span>
    }
}

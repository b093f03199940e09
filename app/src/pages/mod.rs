//! One module per route.

mod companies;
mod insights;
mod jobs;
mod not_found;
mod runs;
mod searches;
mod settings;

pub use companies::CompaniesPage;
pub use insights::InsightsPage;
pub use jobs::{JobDetail, JobsPage, NoJobSelected};
pub use not_found::NotFoundPage;
pub use runs::RunsPage;
pub use searches::SearchesPage;
pub use settings::SettingsPage;

use leptos::prelude::*;
use leptos_meta::Title;

/// A page's title (in the tab and as the `h1`) with an optional one-line description.
#[component]
fn PageHeading(
    title: &'static str,
    #[prop(optional)] description: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Title text=title />
        <div class="mb-6">
            <h1 class="text-xl font-semibold tracking-tight">{title}</h1>
            {description.map(|d| view! {
                <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{d}</p>
            })}
        </div>
    }
}

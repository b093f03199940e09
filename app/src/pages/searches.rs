use super::PageHeading;
use crate::components::EmptyState;
use leptos::prelude::*;

#[component]
pub fn SearchesPage() -> impl IntoView {
    view! {
        <PageHeading title="Searches" description="Saved searches over public job boards and over the jobs you have collected." />
        <EmptyState
            title="No saved searches yet"
            message="A saved search finds openings beyond the companies you follow, on public job boards such as Remotive, RemoteOK and Arbeitnow, and tells you what is new since you last looked."
        />
    }
}

use super::PageHeading;
use crate::components::EmptyState;
use leptos::prelude::*;

#[component]
pub fn RunsPage() -> impl IntoView {
    view! {
        <PageHeading title="Runs" description="What Jobscout is collecting now, and how past collections went." />
        <EmptyState
            title="No collection runs yet"
            message="When Jobscout collects jobs, each company's progress shows here live, followed by a history of every run and its health."
            action=("See companies", "/companies")
        />
    }
}

use super::PageHeading;
use crate::components::EmptyState;
use leptos::prelude::*;

#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <PageHeading title="Jobs" description="Every opening from the companies and searches you follow, in one list." />
        <EmptyState
            title="No jobs yet"
            message="Jobscout collects openings from the companies you follow. Add a company by pasting its careers page URL, then run a collection."
            action=("Add a company", "/companies")
        />
    }
}

use super::PageHeading;
use crate::components::EmptyState;
use leptos::prelude::*;

#[component]
pub fn InsightsPage() -> impl IntoView {
    view! {
        <PageHeading title="Insights" description="How your search is going." />
        <EmptyState
            title="Not enough data yet"
            message="Once jobs are collected, this page charts new jobs per day, your application funnel, salaries by currency and the health of each source."
            action=("Go to jobs", "/")
        />
    }
}

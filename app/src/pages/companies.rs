use super::PageHeading;
use crate::components::EmptyState;
use leptos::prelude::*;

#[component]
pub fn CompaniesPage() -> impl IntoView {
    view! {
        <PageHeading title="Companies" description="The career boards Jobscout watches for you." />
        <EmptyState
            title="No companies yet"
            message="Companies you follow appear here with their job counts and the health of their last collection. Jobscout reads Greenhouse, Lever, Ashby, Workable, SmartRecruiters and Recruitee boards, and any careers page with structured job data."
        />
    }
}

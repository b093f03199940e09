use super::PageHeading;
use leptos::prelude::*;

/// Shown for any path no route matches; the server answers it with HTTP 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageHeading title="Page not found" />
        <p class="text-sm text-slate-600 dark:text-slate-400">
            "There is no page at this address. It may have moved, or the link may be mistyped."
        </p>
        <a
            href="/"
            class="mt-4 inline-block text-sm font-medium text-indigo-700 underline hover:text-indigo-900 dark:text-indigo-400"
        >
            "Back to jobs"
        </a>
    }
}

use leptos::prelude::*;

/// What a page shows when it has nothing yet: what will be here, and what to do next.
#[component]
pub fn EmptyState(
    title: &'static str,
    /// One or two sentences on what appears here and how to get there.
    message: &'static str,
    /// An optional next step as (label, href).
    #[prop(optional)]
    action: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <section
            class="rounded-lg border border-dashed border-slate-300 px-6 py-12 text-center dark:border-slate-700"
            aria-label=title
        >
            <h2 class="text-base font-semibold">{title}</h2>
            <p class="mx-auto mt-2 max-w-prose text-sm text-slate-600 dark:text-slate-400">
                {message}
            </p>
            {action.map(|(label, href)| view! {
                <a
                    href=href
                    class="mt-4 inline-block rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                >
                    {label}
                </a>
            })}
        </section>
    }
}

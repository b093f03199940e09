//! Jobscout's user interface: the HTML shell, routes, pages, components, and the server
//! functions they call. Server functions stay thin: validate, call `engine`, map errors.

pub mod api;
mod components;
mod format;
mod pages;
#[cfg(feature = "ssr")]
pub mod state;

use components::{Header, LiveRuns, ShortcutsOverlay, ToastRegion, Toasts};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use pages::{
    CompaniesPage, InsightsPage, JobDetail, JobsPage, NoJobSelected, NotFoundPage, RunsPage,
    SearchesPage, SettingsPage,
};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App />
            </body>
        </html>
    }
}

/// The whole application: header, routed page, keyboard-shortcut overlay.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Toasts::provide();
    LiveRuns::provide();
    // Effects run only in the browser, so this flips once hydration has happened: tests and
    // styles can tell a live page from server-rendered HTML.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let shortcuts_open = RwSignal::new(false);

    view! {
        <Stylesheet id="leptos" href="/pkg/jobscout.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Jobscout".to_string() } else { format!("{page} · Jobscout") }
        } />
        <Router>
            <div
                id="app"
                class="flex min-h-screen flex-col"
                data-hydrated=move || hydrated.get().to_string()
            >
                <a
                    href="#main"
                    class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
                >
                    "Skip to content"
                </a>
                <Header shortcuts_open />
                <main id="main" tabindex="-1" class="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
                    // Async SSR: the server sends each page complete, data included, so it reads
                    // the same without JavaScript and never flashes a skeleton on load.
                    <Routes fallback=NotFoundPage>
                        // The list stays mounted while jobs open and close beside it.
                        <ParentRoute path=path!("") view=JobsPage ssr=SsrMode::Async>
                            <Route path=path!("") view=NoJobSelected ssr=SsrMode::Async />
                            <Route path=path!("jobs/:id") view=JobDetail ssr=SsrMode::Async />
                        </ParentRoute>
                        <Route path=path!("/companies") view=CompaniesPage ssr=SsrMode::Async />
                        <Route path=path!("/searches") view=SearchesPage ssr=SsrMode::Async />
                        <Route path=path!("/runs") view=RunsPage ssr=SsrMode::Async />
                        <Route path=path!("/insights") view=InsightsPage ssr=SsrMode::Async />
                        <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    </Routes>
                </main>
                <ShortcutsOverlay open=shortcuts_open />
                <ToastRegion />
            </div>
        </Router>
    }
}

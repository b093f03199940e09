use leptos::prelude::*;
use leptos_router::components::A;

/// The pages in navigation order: (label, path, key after `g` in the shortcut).
pub(crate) const NAV: [(&str, &str, &str); 6] = [
    ("Jobs", "/", "j"),
    ("Companies", "/companies", "c"),
    ("Searches", "/searches", "s"),
    ("Runs", "/runs", "r"),
    ("Insights", "/insights", "i"),
    ("Settings", "/settings", ","),
];

/// The top bar: product name, page navigation and the keyboard-shortcuts button. The nav
/// scrolls sideways on narrow screens rather than hiding behind a menu.
#[component]
pub fn Header(shortcuts_open: RwSignal<bool>) -> impl IntoView {
    view! {
        <header class="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur dark:border-slate-800 dark:bg-slate-950/95">
            <div class="mx-auto flex h-12 max-w-7xl items-center gap-4 px-4">
                <A href="/" attr:class="shrink-0 text-sm font-bold tracking-tight text-indigo-700 dark:text-indigo-400">
                    "Jobscout"
                </A>
                <nav aria-label="Main" class="-mx-1 min-w-0 flex-1 overflow-x-auto">
                    <ul class="flex items-center gap-1 whitespace-nowrap text-sm">
                        {NAV
                            .iter()
                            .map(|(label, href, key)| {
                                let shortcut = if *key == "," { "g ,".to_string() } else { format!("g {key}") };
                                view! {
                                    <li>
                                        <A
                                            href=*href
                                            exact=true
                                            attr:title=format!("{label} ({shortcut})")
                                            attr:class="block rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-700 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-300"
                                        >
                                            {*label}
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <super::RunIndicator />
                <button
                    type="button"
                    class="shrink-0 rounded-md border border-slate-300 px-2 py-0.5 font-mono text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800"
                    title="Keyboard shortcuts (?)"
                    aria-label="Keyboard shortcuts"
                    aria-haspopup="dialog"
                    aria-expanded=move || shortcuts_open.get().to_string()
                    on:click=move |_| shortcuts_open.update(|open| *open = !*open)
                >
                    "?"
                </button>
            </div>
        </header>
    }
}

use super::header::NAV;
use leptos::{ev, html, prelude::*};
use leptos_router::{NavigateOptions, hooks::use_navigate};

/// The `?` overlay listing keyboard shortcuts, and the global key handling behind them:
/// `?` toggles the overlay, `Escape` closes it, `g` then a page key navigates.
#[component]
pub fn ShortcutsOverlay(open: RwSignal<bool>) -> impl IntoView {
    let navigate = use_navigate();
    // Set after `g`, cleared by the next key: a two-key chord without timers.
    let pending_g = RwSignal::new(false);

    let handle = window_event_listener(ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_in_a_field(&event) {
            return;
        }
        let key = event.key();
        if pending_g.get_untracked() {
            pending_g.set(false);
            if let Some((_, href, _)) = NAV.iter().find(|(_, _, k)| *k == key) {
                event.prevent_default();
                open.set(false);
                navigate(href, NavigateOptions::default());
            }
            return;
        }
        match key.as_str() {
            "?" => {
                event.prevent_default();
                open.update(|o| *o = !*o);
            }
            "Escape" if open.get_untracked() => open.set(false),
            "g" => pending_g.set(true),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let close_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(button) = close_button.get()
        {
            let _ = button.focus();
        }
    });

    view! {
        <Show when=move || open.get()>
            <div
                class="fixed inset-0 z-40 flex items-start justify-center bg-slate-900/40 p-4 pt-16"
                on:click=move |_| open.set(false)
            >
                <div
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="shortcuts-title"
                    class="max-h-[80vh] w-full max-w-md overflow-y-auto rounded-lg bg-white p-5 shadow-xl dark:bg-slate-900"
                    on:click=|e| e.stop_propagation()
                >
                    <div class="flex items-center justify-between">
                        <h2 id="shortcuts-title" class="text-base font-semibold">
                            "Keyboard shortcuts"
                        </h2>
                        <button
                            type="button"
                            node_ref=close_button
                            class="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:bg-slate-800"
                            on:click=move |_| open.set(false)
                        >
                            "Close"
                        </button>
                    </div>
                    <dl class="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                        <dt><kbd class="kbd">"?"</kbd></dt>
                        <dd>"Show or hide this list"</dd>
                        <dt><kbd class="kbd">"Esc"</kbd></dt>
                        <dd>"Close this list"</dd>
                        {NAV
                            .iter()
                            .map(|(label, _, key)| {
                                view! {
                                    <dt>
                                        <kbd class="kbd">"g"</kbd>
                                        " "
                                        <kbd class="kbd">{*key}</kbd>
                                    </dt>
                                    <dd>{format!("Go to {label}")}</dd>
                                }
                            })
                            .collect_view()}
                    </dl>
                    <h3 class="mt-4 text-sm font-semibold">"On the Jobs page"</h3>
                    <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                        {JOB_KEYS
                            .iter()
                            .map(|(keys, what)| {
                                view! {
                                    <dt>
                                        {keys.iter().map(|k| view! { <kbd class="kbd">{*k}</kbd> " " }).collect_view()}
                                    </dt>
                                    <dd>{*what}</dd>
                                }
                            })
                            .collect_view()}
                    </dl>
                </div>
            </div>
        </Show>
    }
}

/// The Jobs page's keys (handled by that page), listed here so `?` shows them all.
const JOB_KEYS: [(&[&str], &str); 8] = [
    (&["/"], "Search"),
    (&["j", "k"], "Next / previous job"),
    (&["o"], "Open the job"),
    (&["x"], "Tick the job for a bulk action"),
    (&["s"], "Star or unstar"),
    (
        &["1", "…", "6"],
        "Stage: inbox, saved, applied, interviewing, offer, closed",
    ),
    (&["e"], "Archive (Undo in the message)"),
    (&["Esc"], "Close the open job"),
];

/// Shortcuts must not fire while the user types into a form field.
fn typing_in_a_field(event: &ev::KeyboardEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        .map(|el| {
            let tag = el.tag_name();
            tag == "INPUT" || tag == "TEXTAREA" || tag == "SELECT" || el.is_content_editable()
        })
        .unwrap_or(false)
}

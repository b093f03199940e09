use leptos::prelude::*;
use std::time::Duration;

/// How long a toast stays unless the user acts on it.
const TOAST_LIFETIME: Duration = Duration::from_secs(6);

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Error,
}

/// An action a toast offers, such as "Undo". A plain shared closure, not a `Callback`: the
/// component that offered it (a job's detail, a list) may be gone by the time it is clicked.
#[derive(Clone)]
pub struct ToastAction {
    pub label: &'static str,
    pub run: std::sync::Arc<dyn Fn() + Send + Sync>,
}

#[derive(Clone)]
struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
    action: Option<ToastAction>,
}

/// The results of actions, shown briefly at the bottom of the screen and announced to screen
/// readers. Provided once by the app; any component calls [`Toasts::show`].
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    pub fn provide() -> Self {
        let toasts = Toasts {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        };
        provide_context(toasts);
        toasts
    }

    pub fn get() -> Self {
        expect_context::<Toasts>()
    }

    pub fn info(&self, message: impl Into<String>) {
        self.show(ToastKind::Info, message.into(), None);
    }

    pub fn error(&self, message: impl Into<String>) {
        self.show(ToastKind::Error, message.into(), None);
    }

    pub fn show(&self, kind: ToastKind, message: String, action: Option<ToastAction>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                kind,
                message,
                action,
            });
            // A burst of actions keeps only the latest few on screen.
            if items.len() > 4 {
                items.remove(0);
            }
        });
        let items = self.items;
        set_timeout(
            move || items.update(|items| items.retain(|t| t.id != id)),
            TOAST_LIFETIME,
        );
    }

    fn dismiss(&self, id: u64) {
        self.items.update(|items| items.retain(|t| t.id != id));
    }
}

/// Where toasts appear: a polite live region, so results are announced without stealing focus.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts::get();
    view! {
        <div
            role="status"
            aria-live="polite"
            class="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4"
        >
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                {
                    let id = toast.id;
                    let colours = match toast.kind {
                        ToastKind::Info => "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900",
                        ToastKind::Error => "bg-red-700 text-white",
                    };
                    view! {
                        <div class=format!("pointer-events-auto flex max-w-md items-center gap-3 rounded-md px-4 py-2 text-sm shadow-lg {colours}")>
                            <span>{toast.message}</span>
                            {toast.action.map(|action| view! {
                                <button
                                    type="button"
                                    class="rounded px-2 py-0.5 font-semibold underline underline-offset-2"
                                    on:click=move |_| {
                                        (action.run)();
                                        toasts.dismiss(id);
                                    }
                                >
                                    {action.label}
                                </button>
                            })}
                            <button
                                type="button"
                                aria-label="Dismiss"
                                class="rounded px-1 opacity-80 hover:opacity-100"
                                on:click=move |_| toasts.dismiss(id)
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}

use super::PageHeading;
use crate::api::{
    errors::user_message,
    settings::{get_settings, llm_health},
};
use crate::components::Toasts;
use leptos::prelude::*;
use model::{CacheInfo, DatabaseInfo, SettingsSnapshot};

/// The effective configuration (read-only, secrets masked) and facts about the database.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_settings());
    view! {
        <PageHeading
            title="Settings"
            description="What Jobscout is configured to do. Change settings in config.yaml or with JOBSCOUT_<SECTION>__<KEY> environment variables, then restart."
        />
        <Suspense fallback=SettingsSkeleton>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(snapshot) => view! { <SettingsView snapshot /> }.into_any(),
                    Err(err) => view! {
                        <p role="alert" class="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
                            {format!("Settings could not be loaded: {}", user_message(&err))}
                        </p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsSkeleton() -> impl IntoView {
    view! {
        <div aria-busy="true" aria-label="Loading settings" class="space-y-3">
            {(0..4).map(|_| view! { <div class="h-24 rounded-lg bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"></div> }).collect_view()}
        </div>
    }
}

#[component]
fn SettingsView(snapshot: SettingsSnapshot) -> impl IntoView {
    let source = snapshot
        .config_file
        .map(|f| format!("Read from {f}, environment variables and command-line flags."))
        .unwrap_or_else(|| "No config file was read: built-in defaults, environment variables and command-line flags.".into());
    view! {
        <div class="grid gap-6 lg:grid-cols-[2fr_1fr]">
            <section aria-labelledby="config-heading">
                <h2 id="config-heading" class="text-base font-semibold">"Configuration"</h2>
                <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{source}</p>
                <div class="mt-3 space-y-4">
                    {snapshot.sections.into_iter().map(|section| view! {
                        <table class="w-full table-fixed text-sm">
                            <caption class="pb-1 text-left font-medium capitalize">{section.name}</caption>
                            <tbody>
                                {section.entries.into_iter().map(|entry| view! {
                                    <tr class="border-t border-slate-200 dark:border-slate-800">
                                        <th scope="row" class="w-1/2 py-1 pr-2 text-left font-mono font-normal text-slate-600 dark:text-slate-400">{entry.key}</th>
                                        <td class="break-all py-1 font-mono tabular-nums">{entry.value}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }).collect_view()}
                </div>
            </section>
            <div class="space-y-6">
                {snapshot.sign_in.then(|| view! {
                    <section aria-labelledby="access-heading" class=CARD>
                        <h2 id="access-heading" class="text-base font-semibold">"Access"</h2>
                        <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                            "This Jobscout asks for its password (server.password_hash): other machines can reach it."
                        </p>
                        // A plain form: signing out works before (or without) the app's code.
                        <form method="post" action="/logout" class="mt-3">
                            <button type="submit" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
                                "Sign out"
                            </button>
                        </form>
                    </section>
                })}
                <LlmCard />
                <section aria-labelledby="llm-usage-heading" class=CARD>
                    <h2 id="llm-usage-heading" class="text-base font-semibold">"LLM usage this month"</h2>
                    <super::insights::LlmUsageView usage=snapshot.llm_usage />
                </section>
                <DataCard />
                <DatabaseCard database=snapshot.database version=snapshot.version />
                <CachesCard caches=snapshot.caches />
            </div>
        </div>
    }
}

const CARD: &str = "self-start rounded-lg border border-slate-200 p-4 dark:border-slate-800";

/// The LLM server's health, checked from the browser once the page is up.
#[component]
fn LlmCard() -> impl IntoView {
    // Asked once the page is live (an Effect runs only in the browser), so the server never
    // waits on an LLM server that may be down, and hydration sees the same "Checking…".
    let health = RwSignal::new(None::<Result<model::LlmHealth, String>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            health.set(Some(llm_health().await.map_err(|e| user_message(&e))));
        })
    });
    view! {
        <section aria-labelledby="llm-heading" class=CARD>
            <h2 id="llm-heading" class="text-base font-semibold">"LLM server"</h2>
            {move || {
                    match health.get() {
                        None => view! { <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">"Checking the LLM server…"</p> }.into_any(),
                        Some(Err(message)) => view! { <p role="alert" class="mt-2 text-sm text-red-700 dark:text-red-300">{message}</p> }.into_any(),
                        Some(Ok(h)) => {
                            let (label, colour) = match (h.reachable, h.serves_model) {
                                (true, true) => ("Ready", "text-emerald-700 dark:text-emerald-300"),
                                (true, false) => ("Model missing", "text-amber-800 dark:text-amber-300"),
                                _ => ("Unreachable", "text-red-700 dark:text-red-300"),
                            };
                            view! {
                                <dl class="mt-2 space-y-1 text-sm" data-testid="llm-health">
                                    <div><dt class="inline text-slate-600 dark:text-slate-400">"Status: "</dt><dd class=format!("inline font-medium {colour}")>{label}</dd></div>
                                    <div><dt class="inline text-slate-600 dark:text-slate-400">"Answered in: "</dt><dd class="inline tabular-nums">{format!("{} ms", h.latency_ms)}</dd></div>
                                    {h.max_model_len.map(|n| view! { <div><dt class="inline text-slate-600 dark:text-slate-400">"Context: "</dt><dd class="inline tabular-nums">{format!("{n} tokens")}</dd></div> })}
                                    {(!h.models.is_empty()).then(|| view! { <div><dt class="inline text-slate-600 dark:text-slate-400">"Serves: "</dt><dd class="inline break-all font-mono">{h.models.join(", ")}</dd></div> })}
                                </dl>
                                {h.error.map(|e| view! { <p class="mt-2 text-sm text-red-700 dark:text-red-300">{e}</p> })}
                            }.into_any()
                        }
                    }
                }
            }
        </section>
    }
}

/// Export everything (CSV or JSON), and import a JSON export.
#[component]
fn DataCard() -> impl IntoView {
    let toasts = Toasts::get();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match upload(file).await {
                Ok(counts) => toasts.info(format!(
                    "Imported {} jobs: {} new, {} updated, {} unchanged.",
                    counts.jobs, counts.inserted, counts.updated, counts.unchanged
                )),
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
            input.set_value("");
        });
    };
    let link = "rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
    view! {
        <section aria-labelledby="data-heading" class=CARD>
            <h2 id="data-heading" class="text-base font-semibold">"Your data"</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">"Every job with your stages, stars and notes."</p>
            <div class="mt-3 flex flex-wrap gap-2">
                <a href="/api/v1/export?format=csv" download class=link>"Export CSV"</a>
                <a href="/api/v1/export?format=json" download class=link>"Export JSON"</a>
            </div>
            <label for="import-file" class="mt-4 block text-sm font-medium">"Import a JSON export"</label>
            <input
                id="import-file"
                type="file"
                accept="application/json,.json"
                class="mt-1 block w-full text-sm"
                aria-describedby="import-help"
                disabled=move || busy.get()
                on:change=on_change
            />
            <p id="import-help" class="mt-1 text-sm" aria-live="polite">
                {move || match (busy.get(), error.get()) {
                    (true, _) => view! { <span>"Importing…"</span> }.into_any(),
                    (false, Some(message)) => view! { <span role="alert" class="text-red-700 dark:text-red-300">{message}</span> }.into_any(),
                    (false, None) => view! { <span class="text-slate-600 dark:text-slate-400">"Jobs already here are updated; your stages, stars and notes from the file are applied."</span> }.into_any(),
                }}
            </p>
        </section>
    }
}

/// Sends the file as the body of `POST /api/v1/import`.
#[cfg(feature = "hydrate")]
async fn upload(file: web_sys::File) -> Result<model::ImportCounts, String> {
    use leptos::wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&file);
    let failed = |what: &str| format!("The import could not be sent ({what}).");
    let response = JsFuture::from(window().fetch_with_str_and_init("/api/v1/import", &init))
        .await
        .map_err(|_| failed("is the server running?"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no response"))?;
    let text = JsFuture::from(response.text().map_err(|_| failed("no body"))?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| failed("unexpected answer"))
    } else {
        // The API's error shape: {"error": {"message": ...}}.
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("HTTP {}", response.status()));
        Err(format!("Not imported: {message}"))
    }
}

#[cfg(not(feature = "hydrate"))]
async fn upload(_file: web_sys::File) -> Result<model::ImportCounts, String> {
    Err("Importing needs the page to be loaded in a browser.".into())
}

#[component]
fn DatabaseCard(database: DatabaseInfo, version: String) -> impl IntoView {
    let rows = [
        ("Jobscout version", version),
        ("File", database.path),
        ("Size", human_bytes(database.size_bytes)),
        ("Write-ahead log", human_bytes(database.wal_bytes)),
        (
            "Pages",
            format!("{} × {} B", database.page_count, database.page_size),
        ),
        ("Schema version", database.schema_version.to_string()),
        ("SQLite", database.sqlite_version),
    ];
    view! {
        <section aria-labelledby="db-heading" class=CARD>
            <h2 id="db-heading" class="text-base font-semibold">"Database"</h2>
            <dl class="mt-3 space-y-2 text-sm">
                {rows.into_iter().map(|(label, value)| view! {
                    <div>
                        <dt class="text-slate-600 dark:text-slate-400">{label}</dt>
                        <dd class="break-all font-mono tabular-nums">{value}</dd>
                    </div>
                }).collect_view()}
            </dl>
        </section>
    }
}

#[component]
fn CachesCard(caches: Vec<CacheInfo>) -> impl IntoView {
    view! {
        <section aria-labelledby="caches-heading" class=CARD>
            <h2 id="caches-heading" class="text-base font-semibold">"Caches"</h2>
            <table class="mt-3 w-full text-sm">
                <thead>
                    <tr class="text-left text-slate-600 dark:text-slate-400">
                        <th scope="col" class="py-1 font-normal">"Cache"</th>
                        <th scope="col" class="py-1 text-right font-normal">"Entries"</th>
                        <th scope="col" class="py-1 text-right font-normal">"Size"</th>
                        <th scope="col" class="py-1 text-right font-normal">"Hit rate"</th>
                    </tr>
                </thead>
                <tbody>
                    {caches.into_iter().map(|cache| {
                        let rate = cache
                            .hit_rate()
                            .map_or_else(|| "–".to_string(), |r| format!("{:.0} %", r * 100.0));
                        view! {
                            <tr class="border-t border-slate-200 dark:border-slate-800">
                                <th scope="row" class="py-1 text-left font-mono font-normal">{cache.name}</th>
                                <td class="py-1 text-right font-mono tabular-nums">{cache.entries}</td>
                                <td class="py-1 text-right font-mono tabular-nums">{human_bytes(cache.weighted_bytes)}</td>
                                <td class="py-1 text-right font-mono tabular-nums">{rate}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn bytes_are_humanized() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024), "5.0 MiB");
    }
}

use super::PageHeading;
use crate::api::{errors::user_message, settings::get_settings};
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
                <DatabaseCard database=snapshot.database version=snapshot.version />
                <CachesCard caches=snapshot.caches />
            </div>
        </div>
    }
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
        <section aria-labelledby="db-heading" class="self-start rounded-lg border border-slate-200 p-4 dark:border-slate-800">
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
        <section aria-labelledby="caches-heading" class="self-start rounded-lg border border-slate-200 p-4 dark:border-slate-800">
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

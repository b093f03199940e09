//! Charts as inline SVG: a title and description for screen readers, labelled axes, and the
//! numbers in a table behind each. No chart JavaScript; nothing moves.

use leptos::prelude::*;

/// One bar: its label on the axis, its value, and the words a table shows for it.
#[derive(Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 10.0;

/// Vertical bars over a labelled x axis (every `label_every`-th label is printed).
#[component]
pub fn BarChart(
    id: String,
    title: String,
    /// What the bars count, for the y axis and the table header.
    unit: &'static str,
    bars: Vec<Bar>,
    #[prop(default = 1)] label_every: usize,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = plot_w / bars.len().max(1) as f64;
    let total: f64 = bars.iter().map(|b| b.value).sum();
    let description = format!("{} bars, {} in all, highest {}.", bars.len(), total, max);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let ticks = [0.0, max / 2.0, max];
    view! {
        <figure class="space-y-2">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                class="h-auto w-full text-slate-500 dark:text-slate-400"
                role="img"
                aria-labelledby=labelled_by
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {ticks.into_iter().map(|t| {
                    let y = TOP + plot_h - t / max * plot_h;
                    view! {
                        <line x1=LEFT x2=WIDTH - 8.0 y1=y y2=y stroke="currentColor" stroke-opacity="0.25" />
                        <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end" font-size="11" fill="currentColor">{format_tick(t)}</text>
                    }
                }).collect_view()}
                {bars.iter().enumerate().map(|(i, bar)| {
                    let h = bar.value / max * plot_h;
                    let x = LEFT + i as f64 * step + step * 0.15;
                    view! {
                        <rect x=x y=TOP + plot_h - h width=(step * 0.7).max(1.0) height=h class="fill-indigo-600 dark:fill-indigo-400">
                            <title>{format!("{}: {}", bar.label, bar.shown)}</title>
                        </rect>
                        {(i % label_every.max(1) == 0).then(|| view! {
                            <text x=x + step * 0.35 y=HEIGHT - 10.0 text-anchor="middle" font-size="11" fill="currentColor">{bar.label.clone()}</text>
                        })}
                    }
                }).collect_view()}
                <text x="12" y=TOP + plot_h / 2.0 font-size="11" fill="currentColor" transform=format!("rotate(-90 12 {})", TOP + plot_h / 2.0) text-anchor="middle">{unit}</text>
            </svg>
            <DataTable title unit bars />
        </figure>
    }
}

/// Horizontal bars, one per labelled row (a funnel, a ranking).
#[component]
pub fn HBarChart(id: String, title: String, unit: &'static str, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let row = 26.0;
    let label_w = 110.0;
    let height = row * bars.len() as f64 + 4.0;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <figure class="space-y-2">
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                class="h-auto w-full text-slate-600 dark:text-slate-300"
                role="img"
                aria-labelledby=labelled_by
            >
                <title id=title_id>{title.clone()}</title>
                {bars.iter().enumerate().map(|(i, bar)| {
                    let y = i as f64 * row + 2.0;
                    let w = bar.value / max * (WIDTH - label_w - 70.0);
                    view! {
                        <text x=label_w - 8.0 y=y + 16.0 text-anchor="end" font-size="12" fill="currentColor">{bar.label.clone()}</text>
                        <rect x=label_w y=y + 3.0 width=w.max(1.0) height=row - 8.0 rx="2" class="fill-indigo-600 dark:fill-indigo-400" />
                        <text x=label_w + w + 6.0 y=y + 16.0 font-size="12" fill="currentColor">{bar.shown.clone()}</text>
                    }
                }).collect_view()}
            </svg>
            <DataTable title unit bars />
        </figure>
    }
}

#[component]
fn DataTable(title: String, unit: &'static str, bars: Vec<Bar>) -> impl IntoView {
    view! {
        <details class="text-sm">
            <summary class="cursor-pointer text-slate-600 dark:text-slate-400">"Show the numbers"</summary>
            <table class="mt-2 w-full">
                <caption class="sr-only">{title}</caption>
                <thead>
                    <tr class="text-left text-slate-600 dark:text-slate-400">
                        <th scope="col" class="py-1 font-medium">"Label"</th>
                        <th scope="col" class="py-1 text-right font-medium">{unit}</th>
                    </tr>
                </thead>
                <tbody>
                    {bars.into_iter().map(|bar| view! {
                        <tr class="border-t border-slate-200 dark:border-slate-800">
                            <th scope="row" class="py-1 text-left font-normal">{bar.label}</th>
                            <td class="py-1 text-right tabular-nums">{bar.shown}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

fn format_tick(value: f64) -> String {
    if value >= 10_000.0 {
        format!("{:.0}k", value / 1_000.0)
    } else if value.fract() == 0.0 || value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

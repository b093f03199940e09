//! How the search is going: the Insights page's figures, computed by the store in one read.

use crate::job::Stage;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// Jobs neither closed nor archived.
    pub active_jobs: u64,
    /// Companies whose boards are collected (enabled).
    pub companies_tracked: u64,
    pub new_last_7_days: u64,
    /// Jobs at applied, interviewing or offer.
    pub in_flight: u64,
    /// New jobs per UTC day, oldest first, the last 90 days (days with none included).
    pub new_per_day: Vec<DayCount>,
    /// Jobs per stage (archived ones left out).
    pub stages: Vec<(Stage, u64)>,
    /// Yearly salary spread per currency, most common currency first.
    pub salaries: Vec<SalarySpread>,
    /// Companies with the most active jobs, with what they pay.
    pub top_companies: Vec<CompanyPay>,
    /// Collection health per source.
    pub sources: Vec<SourceHealth>,
    pub llm: LlmUsage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// Unix seconds of the day's start (UTC).
    pub day: i64,
    pub count: u64,
}

/// Active jobs stating a salary in one currency, by yearly midpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalarySpread {
    pub currency: String,
    pub jobs: u64,
    pub median: f64,
    /// (lower bound of the bucket, jobs in it), equal-width buckets.
    pub buckets: Vec<(f64, u64)>,
    pub bucket_width: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyPay {
    pub company_id: Option<i64>,
    pub company: String,
    pub active_jobs: u64,
    /// How many state a salary, in `currency` (the company's most common one).
    pub with_salary: u64,
    pub currency: Option<String>,
    /// Yearly midpoints: lowest, median, highest.
    pub low: Option<f64>,
    pub median: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    pub provider: String,
    pub companies: u64,
    pub succeeded: u64,
    pub partial: u64,
    pub failed: u64,
    pub never: u64,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LlmUsage {
    /// This calendar month (UTC).
    pub calls: u64,
    pub cache_hits: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub errors: u64,
    /// Spent this month at the configured price, and the monthly budget (0 = unlimited).
    pub spent_usd: f64,
    pub budget_usd: f64,
}

impl LlmUsage {
    /// "within" below 60 %, "moderate" to 80 %, "approaching" to 100 %, "over" beyond.
    pub fn budget_state(&self) -> &'static str {
        if self.budget_usd <= 0.0 {
            return "unlimited";
        }
        match self.spent_usd / self.budget_usd {
            r if r < 0.6 => "within",
            r if r < 0.8 => "moderate",
            r if r < 1.0 => "approaching",
            _ => "over",
        }
    }
}

/// The median of `values` (sorted in place); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// A round bucket width giving about `target` buckets over `span`: 1, 2 or 5 × 10ⁿ.
pub fn nice_width(span: f64, target: usize) -> f64 {
    if span <= 0.0 || target == 0 {
        return 1.0;
    }
    let raw = span / target as f64;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|w| *w >= raw)
        .unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_bucket_widths() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(nice_width(100_000.0, 10), 10_000.0);
        assert_eq!(nice_width(130_000.0, 8), 20_000.0);
        assert_eq!(nice_width(7.0, 10), 1.0);
    }

    #[test]
    fn budget_states_follow_the_thresholds() {
        let usage = |spent| LlmUsage {
            spent_usd: spent,
            budget_usd: 10.0,
            ..LlmUsage::default()
        };
        assert_eq!(usage(5.9).budget_state(), "within");
        assert_eq!(usage(6.0).budget_state(), "moderate");
        assert_eq!(usage(8.5).budget_state(), "approaching");
        assert_eq!(usage(10.0).budget_state(), "over");
        assert_eq!(LlmUsage::default().budget_state(), "unlimited");
    }
}

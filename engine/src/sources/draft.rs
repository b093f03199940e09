//! The last step of every source: a job as a provider described it becomes the normalized job
//! of DESIGN §3 (sanitized HTML and its text, salary from the text when no field had one,
//! remote from the location when no field said, canonical URLs, trimmed strings).

use super::fields::{clean, dollar_currency, remote_from_text};
use super::{html, salary};
use crate::store::normalize::canonical_url;
use model::{EmploymentType, NewJob, Remote, Salary};

/// A job as read from a payload, before normalization.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub source: &'static str,
    pub source_id: Option<String>,
    pub url: String,
    pub apply_url: Option<String>,
    pub title: String,
    pub company: String,
    pub location: Option<String>,
    pub remote: Option<Remote>,
    pub employment_type: Option<EmploymentType>,
    pub department: Option<String>,
    pub salary: Option<Salary>,
    pub posted_at: Option<i64>,
    /// Raw (unsanitized) HTML of the description.
    pub description_html: String,
}

impl Draft {
    pub fn finish(self) -> NewJob {
        let description_html = html::sanitize(&self.description_html);
        let description_text = html::to_text(&description_html);
        let location = clean(self.location.as_deref());
        let remote = self
            .remote
            .or_else(|| location.as_deref().and_then(remote_from_text));
        let salary = self.salary.filter(real_salary).or_else(|| {
            let dollar = location.as_deref().and_then(dollar_currency);
            salary::from_text(&description_text, dollar)
        });
        NewJob {
            source: self.source.into(),
            source_id: clean(self.source_id.as_deref()),
            url: canonical_url(&self.url),
            apply_url: clean(self.apply_url.as_deref()).map(|u| canonical_url(&u)),
            title: self.title.trim().to_owned(),
            company: self.company.trim().to_owned(),
            location,
            remote,
            employment_type: self.employment_type,
            department: clean(self.department.as_deref()),
            salary,
            posted_at: self.posted_at,
            description_html,
            description_text,
        }
    }
}

/// A salary worth keeping: some positive amount (zeros and empty values mean "undisclosed"),
/// min ≤ max.
fn real_salary(salary: &Salary) -> bool {
    let positive = |v: Option<f64>| v.is_some_and(|v| v.is_finite() && v > 0.0);
    (positive(salary.min) || positive(salary.max))
        && match (salary.min, salary.max) {
            (Some(min), Some(max)) => min <= max,
            _ => true,
        }
}

/// Builds a salary from optional amounts, dropping zeros; `None` when nothing is left.
pub fn salary(
    min: Option<f64>,
    max: Option<f64>,
    currency: Option<&str>,
    period: model::SalaryPeriod,
) -> Option<Salary> {
    let keep = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > 0.0);
    let (min, max) = (keep(min), keep(max));
    let currency = clean(currency).map(|c| c.to_ascii_uppercase());
    // One amount stays one amount ("from ¥3,600,000"): the other end is never invented.
    let salary = Salary {
        min,
        max,
        currency,
        period,
    };
    real_salary(&salary).then_some(salary)
}

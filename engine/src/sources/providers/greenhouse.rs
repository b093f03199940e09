//! Greenhouse Job Board API: `GET /v1/boards/{token}/jobs?content=true`, the whole board in one
//! response. `content` is entity-escaped HTML (unescaped exactly once here); salary comes from
//! `pay_input_ranges` (cents, detail payloads), a `currency_range` metadata field, or the text.

use super::{decode, number, text};
use crate::sources::draft::{Draft, salary};
use crate::sources::fields::{
    clean, parse_date, remote_from_field, remote_from_text, salary_period,
};
use crate::sources::html::unescape_once;
use crate::sources::{Board, Collected, SourceError};
use model::{Salary, SalaryPeriod};
use serde::Deserialize;
use serde_json::Value;

pub const SOURCE: &str = "greenhouse";

/// A list (`{"jobs": [...]}`) or a single job, as `jobscout parse` may be given either.
#[derive(Deserialize)]
#[serde(untagged)]
enum Payload {
    List { jobs: Vec<GhJob> },
    One(Box<GhJob>),
}

#[derive(Deserialize)]
struct GhJob {
    id: Value,
    title: String,
    absolute_url: Option<String>,
    location: Option<Named>,
    #[serde(default)]
    metadata: Option<Vec<Metadata>>,
    first_published: Option<String>,
    updated_at: Option<String>,
    company_name: Option<String>,
    content: Option<String>,
    #[serde(default)]
    departments: Vec<Named>,
    #[serde(default)]
    offices: Vec<Named>,
    #[serde(default)]
    pay_input_ranges: Vec<PayRange>,
}

#[derive(Deserialize)]
struct Named {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Metadata {
    name: Option<String>,
    value: Option<Value>,
    value_type: Option<String>,
}

#[derive(Deserialize)]
struct PayRange {
    min_cents: Option<Value>,
    max_cents: Option<Value>,
    currency_type: Option<String>,
    title: Option<String>,
}

/// Jobs of a list or detail payload.
pub fn parse(body: &[u8], company: Option<&str>, now: i64) -> Result<Vec<Draft>, SourceError> {
    let jobs = match decode::<Payload>(SOURCE, body)? {
        Payload::List { jobs } => jobs,
        Payload::One(job) => vec![*job],
    };
    Ok(jobs
        .into_iter()
        .map(|job| draft(job, company, now))
        .collect())
}

fn draft(job: GhJob, company: Option<&str>, now: i64) -> Draft {
    let metadata = job.metadata.unwrap_or_default();
    let location = job.location.and_then(|l| l.name).or_else(|| {
        let offices: Vec<String> = job.offices.iter().filter_map(|o| o.name.clone()).collect();
        (!offices.is_empty()).then(|| offices.join("; "))
    });
    // "Location Type": "On-Site", "Working Model Eligibility": ["1-In Office"].
    let remote = metadata
        .iter()
        .filter(|m| {
            m.name.as_deref().is_some_and(|n| {
                let n = n.to_lowercase();
                n.contains("location type")
                    || n.contains("workplace")
                    || n.contains("working model")
            })
        })
        .filter_map(|m| match &m.value {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(items)) => items.first().and_then(|v| v.as_str()).map(str::to_owned),
            _ => None,
        })
        .find_map(|v| remote_from_field(&v).or_else(|| remote_from_text(&v)));
    let salary = job
        .pay_input_ranges
        .iter()
        .find_map(pay_range)
        .or_else(|| metadata.iter().find_map(currency_range));
    Draft {
        source: SOURCE,
        source_id: text(Some(&job.id)),
        url: job.absolute_url.clone().unwrap_or_default(),
        apply_url: None,
        title: job.title,
        company: clean(job.company_name.as_deref())
            .or_else(|| company.map(str::to_owned))
            .unwrap_or_default(),
        location,
        remote,
        employment_type: None,
        department: job.departments.into_iter().find_map(|d| d.name),
        salary,
        posted_at: job
            .first_published
            .or(job.updated_at)
            .and_then(|d| parse_date(&d, now)),
        description_html: job.content.map(|c| unescape_once(&c)).unwrap_or_default(),
    }
}

/// `{min_cents: 22280000, max_cents: 29000000, currency_type: "USD", title: "Annual Salary:"}`.
fn pay_range(range: &PayRange) -> Option<Salary> {
    let cents = |v: &Option<Value>| number(v.as_ref()).map(|c| c / 100.0);
    salary(
        cents(&range.min_cents),
        cents(&range.max_cents),
        range.currency_type.as_deref(),
        period_from_words(range.title.as_deref().unwrap_or("")),
    )
}

/// A custom field of type `currency_range`: `{unit: "USD", min_value: "81000.0", ...}`.
fn currency_range(field: &Metadata) -> Option<Salary> {
    if field.value_type.as_deref() != Some("currency_range") {
        return None;
    }
    let value = field.value.as_ref()?;
    salary(
        number(value.get("min_value")),
        number(value.get("max_value")),
        value.get("unit").and_then(Value::as_str),
        period_from_words(field.name.as_deref().unwrap_or("")),
    )
}

/// "Hourly Pay", "Monthly", else yearly (Greenhouse ranges are annual unless they say).
fn period_from_words(words: &str) -> SalaryPeriod {
    salary_period(words).unwrap_or(SalaryPeriod::Year)
}

/// The whole board: one request.
pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    let url = format!(
        "{}/v1/boards/{}/jobs?content=true",
        board.base_url,
        board.encoded_token()
    );
    board
        .collect_document(&url, |body| parse(body, board.company, board.now))
        .await
}

/// Greenhouse behind the [`Source`](crate::sources::Source) interface.
pub struct Greenhouse;

impl crate::sources::Source for Greenhouse {
    fn name(&self) -> &'static str {
        SOURCE
    }

    fn parse(
        &self,
        body: &[u8],
        _url: Option<&str>,
        company: Option<&str>,
        now: i64,
    ) -> Result<Vec<Draft>, SourceError> {
        parse(body, company, now)
    }

    fn collect<'a>(
        &'a self,
        board: &'a Board<'a>,
    ) -> impl std::future::Future<Output = Result<Collected, SourceError>> + Send + 'a {
        collect(board)
    }
}

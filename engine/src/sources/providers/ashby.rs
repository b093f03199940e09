//! Ashby Posting API: `GET /posting-api/job-board/{name}?includeCompensation=true`, the whole
//! board at once. `workplaceType` and `isRemote` may be null or absent, addresses empty,
//! compensation empty; unlisted jobs are skipped.

use super::{decode, number};
use crate::sources::draft::{Draft, salary};
use crate::sources::fields::{employment_type, parse_date, remote_from_field, salary_period};
use crate::sources::{Board, Collected, SourceError};
use model::{Remote, Salary};
use serde::Deserialize;
use serde_json::Value;

pub const SOURCE: &str = "ashby";

#[derive(Deserialize)]
struct Payload {
    jobs: Vec<AshbyJob>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AshbyJob {
    id: String,
    title: String,
    department: Option<String>,
    team: Option<String>,
    employment_type: Option<String>,
    location: Option<String>,
    published_at: Option<String>,
    is_listed: Option<bool>,
    is_remote: Option<bool>,
    workplace_type: Option<String>,
    job_url: Option<String>,
    apply_url: Option<String>,
    description_html: Option<String>,
    compensation: Option<Compensation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Compensation {
    #[serde(default)]
    summary_components: Vec<Component>,
    #[serde(default)]
    compensation_tiers: Vec<Tier>,
}

#[derive(Deserialize)]
struct Tier {
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    compensation_type: Option<String>,
    interval: Option<String>,
    currency_code: Option<String>,
    min_value: Option<Value>,
    max_value: Option<Value>,
}

pub fn parse(body: &[u8], company: &str, now: i64) -> Result<Vec<Draft>, SourceError> {
    let payload: Payload = decode(SOURCE, body)?;
    Ok(payload
        .jobs
        .into_iter()
        .filter(|job| job.is_listed != Some(false))
        .map(|job| draft(job, company, now))
        .collect())
}

fn draft(job: AshbyJob, company: &str, now: i64) -> Draft {
    let remote = job
        .workplace_type
        .as_deref()
        .and_then(remote_from_field)
        .or(match job.is_remote {
            Some(true) => Some(Remote::Remote),
            _ => None,
        });
    let salary = job.compensation.as_ref().and_then(|c| {
        c.summary_components
            .iter()
            .chain(c.compensation_tiers.iter().flat_map(|t| &t.components))
            .find_map(component_salary)
    });
    Draft {
        source: SOURCE,
        source_id: Some(job.id),
        url: job.job_url.unwrap_or_default(),
        apply_url: job.apply_url,
        title: job.title,
        company: company.to_owned(),
        location: job.location,
        remote,
        employment_type: job.employment_type.as_deref().and_then(employment_type),
        department: job.department.or(job.team),
        salary,
        posted_at: job.published_at.and_then(|d| parse_date(&d, now)),
        description_html: job.description_html.unwrap_or_default(),
    }
}

/// A `Salary` component: `{interval: "1 YEAR", currencyCode: "USD", minValue, maxValue}`.
fn component_salary(component: &Component) -> Option<Salary> {
    if !component
        .compensation_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("salary"))
    {
        return None;
    }
    let period = salary_period(component.interval.as_deref().unwrap_or(""))?;
    salary(
        number(component.min_value.as_ref()),
        number(component.max_value.as_ref()),
        component.currency_code.as_deref(),
        period,
    )
}

pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    let url = format!(
        "{}/posting-api/job-board/{}?includeCompensation=true",
        board.base_url,
        board.encoded_token()
    );
    board
        .collect_document(&url, |body| parse(body, &board.company_name(), board.now))
        .await
}

/// Ashby behind the [`Source`](crate::sources::Source) interface.
pub struct Ashby;

impl crate::sources::Source for Ashby {
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
        parse(body, company.unwrap_or(""), now)
    }

    fn collect<'a>(
        &'a self,
        board: &'a Board<'a>,
    ) -> impl std::future::Future<Output = Result<Collected, SourceError>> + Send + 'a {
        collect(board)
    }
}

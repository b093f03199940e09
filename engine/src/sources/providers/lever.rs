//! Lever Postings API v0: `GET /v0/postings/{site}?mode=json&skip=&limit=` (US and EU hosts),
//! a bare array, `createdAt` in epoch milliseconds, `workplaceType` spelled `on-site` or
//! `onsite`, `salaryRange` with an interval, and no company name.

use super::{decode, number};
use crate::sources::draft::{Draft, salary};
use crate::sources::fields::{employment_type, from_epoch_ms, remote_from_field, salary_period};
use crate::sources::{Board, Collected, SourceError};
use model::Salary;
use serde::Deserialize;
use serde_json::Value;

pub const SOURCE: &str = "lever";
/// Postings per request; a page with fewer is the last.
const PAGE: usize = 100;
/// Pages per board: 20,000 postings, far beyond any real board.
const MAX_PAGES: usize = 200;

#[derive(Deserialize)]
#[serde(untagged)]
enum Payload {
    List(Vec<Posting>),
    One(Box<Posting>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Posting {
    id: String,
    text: String,
    #[serde(default)]
    categories: Categories,
    created_at: Option<Value>,
    hosted_url: Option<String>,
    apply_url: Option<String>,
    workplace_type: Option<String>,
    salary_range: Option<SalaryRange>,
    description: Option<String>,
    #[serde(default)]
    lists: Vec<List>,
    additional: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Categories {
    location: Option<String>,
    commitment: Option<String>,
    team: Option<String>,
    department: Option<String>,
    #[serde(default)]
    all_locations: Vec<String>,
}

#[derive(Deserialize)]
struct List {
    text: Option<String>,
    content: Option<String>,
}

#[derive(Deserialize)]
struct SalaryRange {
    currency: Option<String>,
    interval: Option<String>,
    min: Option<Value>,
    max: Option<Value>,
}

pub fn parse(body: &[u8], company: &str) -> Result<Vec<Draft>, SourceError> {
    let postings = match decode::<Payload>(SOURCE, body)? {
        Payload::List(list) => list,
        Payload::One(one) => vec![*one],
    };
    Ok(postings.into_iter().map(|p| draft(p, company)).collect())
}

fn draft(posting: Posting, company: &str) -> Draft {
    let lists: String = posting
        .lists
        .iter()
        .map(|list| {
            let items = list.content.as_deref().unwrap_or("");
            format!(
                "<h3>{}</h3><ul>{items}</ul>",
                crate::sources::html_escape(list.text.as_deref().unwrap_or(""))
            )
        })
        .collect();
    let description = format!(
        "{}{lists}{}",
        posting.description.as_deref().unwrap_or(""),
        posting.additional.as_deref().unwrap_or("")
    );
    let categories = posting.categories;
    let location = categories.location.or_else(|| {
        (!categories.all_locations.is_empty()).then(|| categories.all_locations.join("; "))
    });
    let created = match &posting.created_at {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    Draft {
        source: SOURCE,
        source_id: Some(posting.id),
        url: posting.hosted_url.unwrap_or_default(),
        apply_url: posting.apply_url,
        title: posting.text,
        company: company.to_owned(),
        location,
        remote: posting
            .workplace_type
            .as_deref()
            .and_then(remote_from_field),
        employment_type: categories.commitment.as_deref().and_then(commitment),
        department: categories.department.or(categories.team),
        salary: posting.salary_range.as_ref().and_then(salary_range),
        posted_at: created.and_then(from_epoch_ms),
        description_html: description,
    }
}

/// "Regular Full Time (Salary)", "Full-time", "Contract", "Intern".
fn commitment(text: &str) -> Option<model::EmploymentType> {
    employment_type(text).or_else(|| {
        let lower = text.to_lowercase();
        [
            ("full", model::EmploymentType::FullTime),
            ("part", model::EmploymentType::PartTime),
            ("contract", model::EmploymentType::Contract),
            ("intern", model::EmploymentType::Internship),
            ("temp", model::EmploymentType::Temporary),
        ]
        .into_iter()
        .find(|(word, _)| lower.contains(word))
        .map(|(_, kind)| kind)
    })
}

/// `{"currency":"USD","interval":"per-year-salary","min":144000,"max":193000}`.
fn salary_range(range: &SalaryRange) -> Option<Salary> {
    // "one-time" and unknown intervals are not a salary.
    let period = salary_period(range.interval.as_deref().unwrap_or("per-year-salary"))?;
    salary(
        number(range.min.as_ref()),
        number(range.max.as_ref()),
        range.currency.as_deref(),
        period,
    )
}

/// Every page of the board; a failed page fails the fetch (an incomplete board closes nothing).
/// A board of several pages is compared whole with the previous fetch, so a change on any page
/// is seen.
pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    let company = board.company_name();
    let mut drafts = Vec::new();
    let mut pages: Vec<Vec<u8>> = Vec::new();
    let mut complete = false;
    for page in 0..MAX_PAGES {
        let url = format!(
            "{}/v0/postings/{}?mode=json&skip={}&limit={PAGE}",
            board.base_url,
            board.encoded_token(),
            page * PAGE
        );
        let fetched = board.fetch_page(&url).await?;
        let found = parse(&fetched.body, &company)?;
        let last = found.len() < PAGE;
        drafts.extend(found);
        pages.push(fetched.body);
        if last {
            complete = true;
            break;
        }
    }
    Ok(Collected::from_pages(
        drafts,
        &pages,
        complete,
        board.previous,
    ))
}

/// Lever behind the [`Source`](crate::sources::Source) interface.
pub struct Lever;

impl crate::sources::Source for Lever {
    fn name(&self) -> &'static str {
        SOURCE
    }

    fn parse(
        &self,
        body: &[u8],
        _url: Option<&str>,
        company: Option<&str>,
        _now: i64,
    ) -> Result<Vec<Draft>, SourceError> {
        parse(body, company.unwrap_or(""))
    }

    fn collect<'a>(
        &'a self,
        board: &'a Board<'a>,
    ) -> impl std::future::Future<Output = Result<Collected, SourceError>> + Send + 'a {
        collect(board)
    }
}

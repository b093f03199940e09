//! Recruitee: `GET https://{company}.recruitee.com/api/offers/`, the whole board at once, with
//! dates like `2026-03-01 10:00:00 UTC` and salaries as strings.

use super::{decode, number, sections, text};
use crate::sources::draft::{Draft, salary};
use crate::sources::fields::{employment_type, parse_date, salary_period};
use crate::sources::{Board, Collected, SourceError};
use model::Remote;
use serde::Deserialize;
use serde_json::Value;

pub const SOURCE: &str = "recruitee";

#[derive(Deserialize)]
#[serde(untagged)]
enum Payload {
    List { offers: Vec<Offer> },
    One { offer: Box<Offer> },
}

#[derive(Deserialize)]
struct Offer {
    id: Value,
    title: String,
    status: Option<String>,
    company_name: Option<String>,
    department: Option<String>,
    careers_url: Option<String>,
    careers_apply_url: Option<String>,
    published_at: Option<String>,
    created_at: Option<String>,
    location: Option<String>,
    remote: Option<bool>,
    hybrid: Option<bool>,
    on_site: Option<bool>,
    employment_type_code: Option<String>,
    salary: Option<RecruiteeSalary>,
    description: Option<String>,
    requirements: Option<String>,
}

#[derive(Deserialize)]
struct RecruiteeSalary {
    min: Option<Value>,
    max: Option<Value>,
    currency: Option<String>,
    period: Option<String>,
}

pub fn parse(body: &[u8], company: &str, now: i64) -> Result<Vec<Draft>, SourceError> {
    let offers = match decode::<Payload>(SOURCE, body)? {
        Payload::List { offers } => offers,
        Payload::One { offer } => vec![*offer],
    };
    Ok(offers
        .into_iter()
        .filter(|o| o.status.as_deref().is_none_or(|s| s == "published"))
        .map(|o| draft(o, company, now))
        .collect())
}

fn draft(offer: Offer, company: &str, now: i64) -> Draft {
    let remote = match (offer.remote, offer.hybrid, offer.on_site) {
        (Some(true), _, _) => Some(Remote::Remote),
        (_, Some(true), _) => Some(Remote::Hybrid),
        (_, _, Some(true)) => Some(Remote::Onsite),
        _ => None,
    };
    let salary = offer.salary.as_ref().and_then(|s| {
        let period = salary_period(s.period.as_deref()?)?;
        salary(
            number(s.min.as_ref()),
            number(s.max.as_ref()),
            s.currency.as_deref(),
            period,
        )
    });
    Draft {
        source: SOURCE,
        source_id: text(Some(&offer.id)),
        url: offer.careers_url.unwrap_or_default(),
        apply_url: offer.careers_apply_url,
        title: offer.title,
        company: offer.company_name.unwrap_or_else(|| company.to_owned()),
        location: offer.location,
        remote,
        employment_type: offer
            .employment_type_code
            .as_deref()
            .and_then(employment_type),
        department: offer.department,
        salary,
        posted_at: offer
            .published_at
            .or(offer.created_at)
            .and_then(|d| parse_date(&d, now)),
        description_html: sections([
            (None, offer.description.as_deref().unwrap_or("")),
            (
                Some("Requirements"),
                offer.requirements.as_deref().unwrap_or(""),
            ),
        ]),
    }
}

/// `base_url` holds `{company}` (each board is its own host).
pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    let base = board.base_url.replace("{company}", &board.encoded_token());
    let url = format!("{base}/api/offers/");
    board
        .collect_document(&url, |body| parse(body, &board.company_name(), board.now))
        .await
}

/// Recruitee behind the [`Source`](crate::sources::Source) interface.
pub struct Recruitee;

impl crate::sources::Source for Recruitee {
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

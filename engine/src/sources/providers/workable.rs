//! Workable: `POST /api/v3/accounts/{account}/jobs` pages of 10 chained by `nextPage` tokens,
//! then `GET /api/v2/accounts/{account}/jobs/{shortcode}` for each job's description (split
//! into description, requirements and benefits).

use super::{decode, sections};
use crate::sources::draft::Draft;
use crate::sources::fields::{employment_type, parse_date, remote_from_field};
use crate::sources::{Board, Collected, SourceError};
use model::Remote;
use serde::Deserialize;
use serde_json::{Value, json};

pub const SOURCE: &str = "workable";
/// Pages per board (10 jobs each).
const MAX_PAGES: usize = 500;

#[derive(Deserialize)]
#[serde(untagged)]
enum Payload {
    List {
        results: Vec<WorkableJob>,
        #[serde(rename = "nextPage")]
        next_page: Option<String>,
    },
    One(Box<WorkableJob>),
}

#[derive(Deserialize)]
struct WorkableJob {
    shortcode: String,
    title: String,
    remote: Option<bool>,
    location: Option<Location>,
    published: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    department: Value,
    workplace: Option<String>,
    description: Option<String>,
    requirements: Option<String>,
    benefits: Option<String>,
}

#[derive(Deserialize)]
struct Location {
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    display: Option<String>,
}

/// A list page or a detail; `account` and `base` build the public job URL.
pub fn parse(
    body: &[u8],
    account: &str,
    base: &str,
    company: &str,
    now: i64,
) -> Result<(Vec<Draft>, Option<String>), SourceError> {
    let (jobs, next) = match decode::<Payload>(SOURCE, body)? {
        Payload::List { results, next_page } => (results, next_page),
        Payload::One(job) => (vec![*job], None),
    };
    let drafts = jobs
        .into_iter()
        .map(|job| draft(job, account, base, company, now))
        .collect();
    Ok((drafts, next))
}

fn draft(job: WorkableJob, account: &str, base: &str, company: &str, now: i64) -> Draft {
    let location = job.location.and_then(|l| {
        l.display.or_else(|| {
            let parts: Vec<String> = [l.city, l.region, l.country]
                .into_iter()
                .flatten()
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        })
    });
    let department = match &job.department {
        Value::Array(items) => items.iter().find_map(|d| d.as_str()).map(str::to_owned),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let url = format!("{base}/{account}/j/{}/", job.shortcode);
    Draft {
        source: SOURCE,
        source_id: Some(job.shortcode),
        apply_url: Some(format!("{url}apply/")),
        url,
        title: job.title,
        company: company.to_owned(),
        location,
        remote: job
            .workplace
            .as_deref()
            .and_then(remote_from_field)
            .or(job.remote.filter(|r| *r).map(|_| Remote::Remote)),
        employment_type: job.kind.as_deref().and_then(employment_type),
        department,
        salary: None,
        posted_at: job.published.and_then(|d| parse_date(&d, now)),
        description_html: sections([
            (None, job.description.as_deref().unwrap_or("")),
            (
                Some("Requirements"),
                job.requirements.as_deref().unwrap_or(""),
            ),
            (Some("Benefits"), job.benefits.as_deref().unwrap_or("")),
        ]),
    }
}

pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    let account = board.encoded_token();
    let company = board.company_name();
    let list_url = format!("{}/api/v3/accounts/{account}/jobs", board.base_url);
    let mut drafts = Vec::new();
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    let mut complete = false;
    for _ in 0..MAX_PAGES {
        let body = match &token {
            None => json!({ "query": "" }),
            Some(token) => json!({ "query": "", "token": token }),
        };
        let fetched = board
            .http
            .post_json(&list_url, &body)
            .await
            .map_err(|e| board.board_error(e))?;
        let (found, next) = parse(&fetched.body, &account, board.base_url, &company, board.now)?;
        drafts.extend(found);
        pages.push(fetched.body);
        match next {
            Some(next) => token = Some(next),
            None => {
                complete = true;
                break;
            }
        }
    }
    let collected = Collected::from_pages(Vec::new(), &pages, complete, board.previous);
    if collected.unchanged {
        return Ok(collected);
    }
    // Descriptions live only in the detail.
    let detail = |shortcode: String| {
        let url = format!(
            "{}/api/v2/accounts/{account}/jobs/{shortcode}",
            board.base_url
        );
        let (account, company) = (&account, &company);
        async move {
            let fetched = board.http.get(&url).await?;
            let (found, _) = parse(&fetched.body, account, board.base_url, company, board.now)?;
            Ok(found.into_iter().next())
        }
    };
    Ok(collected.with_details(board, drafts, detail).await)
}

/// Workable behind the [`Source`](crate::sources::Source) interface.
pub struct Workable;

impl crate::sources::Source for Workable {
    fn name(&self) -> &'static str {
        SOURCE
    }

    fn parse(
        &self,
        body: &[u8],
        url: Option<&str>,
        company: Option<&str>,
        now: i64,
    ) -> Result<Vec<Draft>, SourceError> {
        // The public job URL needs the account: `https://apply.workable.com/{account}/`.
        let parsed = url.and_then(|u| url::Url::parse(u).ok());
        let name = company.unwrap_or("");
        let account = parsed
            .as_ref()
            .and_then(|u| {
                u.path_segments()?
                    .find(|s| !s.is_empty())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| name.to_lowercase().replace(' ', "-"));
        let base = parsed
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|| "https://apply.workable.com".into());
        parse(body, &account, &base, name, now).map(|(jobs, _)| jobs)
    }

    fn collect<'a>(
        &'a self,
        board: &'a Board<'a>,
    ) -> impl std::future::Future<Output = Result<Collected, SourceError>> + Send + 'a {
        collect(board)
    }
}

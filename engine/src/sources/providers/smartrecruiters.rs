//! SmartRecruiters Posting API: `GET /v1/companies/{company}/postings?limit=&offset=` pages,
//! then `GET …/postings/{id}` for each description (`jobAd.sections`). An unknown company is
//! a 200 with no postings, not a 404. `department.id` is a string in lists and a number in
//! details.

use super::decode;
use crate::sources::draft::Draft;
use crate::sources::fields::{employment_type, parse_date};
use crate::sources::{Board, Collected, SourceError};
use model::Remote;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const SOURCE: &str = "smartrecruiters";
const PAGE: usize = 100;
const MAX_PAGES: usize = 100;

#[derive(Deserialize)]
#[serde(untagged)]
enum Payload {
    List {
        #[serde(rename = "totalFound")]
        total_found: Option<u64>,
        content: Vec<Posting>,
    },
    One(Box<Posting>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Posting {
    id: String,
    name: String,
    company: Option<Company>,
    released_date: Option<String>,
    location: Option<Location>,
    department: Option<Labelled>,
    type_of_employment: Option<Labelled>,
    posting_url: Option<String>,
    apply_url: Option<String>,
    job_ad: Option<JobAd>,
}

#[derive(Deserialize)]
struct Company {
    identifier: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    remote: Option<bool>,
    hybrid: Option<bool>,
    full_location: Option<String>,
}

#[derive(Deserialize)]
struct Labelled {
    label: Option<String>,
}

#[derive(Deserialize)]
struct JobAd {
    #[serde(default)]
    sections: BTreeMap<String, Section>,
}

#[derive(Deserialize)]
struct Section {
    title: Option<String>,
    text: Option<String>,
}

/// A list page (with its total) or a detail.
pub fn parse(
    body: &[u8],
    company: &str,
    now: i64,
) -> Result<(Vec<Draft>, Option<u64>), SourceError> {
    let (postings, total) = match decode::<Payload>(SOURCE, body)? {
        Payload::List {
            total_found,
            content,
        } => (content, total_found),
        Payload::One(posting) => (vec![*posting], None),
    };
    Ok((
        postings
            .into_iter()
            .map(|p| draft(p, company, now))
            .collect(),
        total,
    ))
}

/// The order a posting reads in.
const SECTIONS: [&str; 4] = [
    "companyDescription",
    "jobDescription",
    "qualifications",
    "additionalInformation",
];

fn draft(posting: Posting, company: &str, now: i64) -> Draft {
    let location = posting.location.as_ref().and_then(|l| {
        l.full_location.clone().or_else(|| {
            let parts: Vec<String> = [&l.city, &l.region, &l.country]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        })
    });
    let remote = posting.location.as_ref().and_then(|l| {
        if l.remote == Some(true) {
            Some(Remote::Remote)
        } else if l.hybrid == Some(true) {
            Some(Remote::Hybrid)
        } else {
            None
        }
    });
    let identifier = posting
        .company
        .as_ref()
        .and_then(|c| c.identifier.clone())
        .unwrap_or_else(|| company.to_owned());
    let url = posting.posting_url.clone().unwrap_or_else(|| {
        format!(
            "https://jobs.smartrecruiters.com/{identifier}/{}",
            posting.id
        )
    });
    let description = posting.job_ad.as_ref().map_or_else(String::new, |ad| {
        super::sections(SECTIONS.iter().filter_map(|key| {
            let section = ad.sections.get(*key)?;
            Some((
                section.title.as_deref(),
                section.text.as_deref().unwrap_or(""),
            ))
        }))
    });
    Draft {
        source: SOURCE,
        source_id: Some(posting.id),
        url,
        apply_url: posting.apply_url,
        title: posting.name,
        company: posting
            .company
            .and_then(|c| c.name)
            .unwrap_or_else(|| company.to_owned()),
        location,
        remote,
        employment_type: posting
            .type_of_employment
            .and_then(|t| t.label)
            .as_deref()
            .and_then(employment_type),
        department: posting.department.and_then(|d| d.label),
        salary: None,
        posted_at: posting.released_date.and_then(|d| parse_date(&d, now)),
        description_html: description,
    }
}

pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    let company = board.company_name();
    let base = format!(
        "{}/v1/companies/{}/postings",
        board.base_url,
        board.encoded_token()
    );
    let mut drafts = Vec::new();
    let mut pages = Vec::new();
    let mut complete = false;
    for page in 0..MAX_PAGES {
        let url = format!("{base}?limit={PAGE}&offset={}", page * PAGE);
        let fetched = board.fetch_page(&url).await?;
        let (found, total) = parse(&fetched.body, &company, board.now)?;
        let got = found.len();
        drafts.extend(found);
        pages.push(fetched.body);
        if got < PAGE || total.is_some_and(|t| drafts.len() as u64 >= t) {
            complete = true;
            break;
        }
    }
    let collected = Collected::from_pages(Vec::new(), &pages, complete, board.previous);
    if collected.unchanged {
        return Ok(collected);
    }
    let detail = |id: String| {
        let (base, company) = (&base, &company);
        async move {
            let fetched = board.http.get(&format!("{base}/{id}")).await?;
            let (found, _) = parse(&fetched.body, company, board.now)?;
            Ok(found.into_iter().next())
        }
    };
    Ok(collected.with_details(board, drafts, detail).await)
}

/// SmartRecruiters behind the [`Source`](crate::sources::Source) interface.
pub struct SmartRecruiters;

impl crate::sources::Source for SmartRecruiters {
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
        parse(body, company.unwrap_or(""), now).map(|(jobs, _)| jobs)
    }

    fn collect<'a>(
        &'a self,
        board: &'a Board<'a>,
    ) -> impl std::future::Future<Output = Result<Collected, SourceError>> + Send + 'a {
        collect(board)
    }
}

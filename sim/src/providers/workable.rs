//! Workable: `POST /api/v3/accounts/{account}/jobs` (cursor pages of 10, `nextPage` sent back
//! as `token`) and `GET /api/v2/accounts/{account}/jobs/{shortcode}`.

use crate::dates::iso_z;
use crate::world::{Company, Employment, Job, Workplace};
use serde_json::{Value, json};

/// Workable's fixed page size; a `limit` in the request is rejected.
pub const PAGE_SIZE: usize = 10;

/// The opaque cursor for the page starting at `offset`.
pub fn token(offset: usize) -> String {
    format!("c{offset:08x}")
}

pub fn parse_token(token: &str) -> Option<usize> {
    usize::from_str_radix(token.strip_prefix('c')?, 16).ok()
}

/// One page of the job list, filtered by `query` on the title as Workable's search does.
pub fn page(company: &Company, query: &str, offset: usize) -> Value {
    let needle = query.trim().to_lowercase();
    let matching: Vec<&Job> = company
        .jobs
        .iter()
        .filter(|j| needle.is_empty() || j.title.to_lowercase().contains(&needle))
        .collect();
    let results: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(PAGE_SIZE)
        .map(|job| summary(company, job))
        .collect();
    let mut value = json!({ "total": matching.len(), "results": results });
    if offset + PAGE_SIZE < matching.len() {
        value["nextPage"] = json!(token(offset + PAGE_SIZE));
    }
    value
}

fn summary(company: &Company, job: &Job) -> Value {
    let location = json!({
        "country": job.location.country,
        "countryCode": job.location.country_code,
        "city": job.location.city,
        "region": job.location.region.unwrap_or(job.location.city),
    });
    let mut display = location.clone();
    display["display"] = json!(format!("{}, {}", job.location.city, job.location.country));
    let mut listed = location;
    listed["hidden"] = json!(false);
    json!({
        "id": job.id % 10_000_000,
        "shortcode": job.shortcode,
        "title": job.title,
        "remote": job.workplace == Workplace::Remote,
        "location": display,
        "locations": [listed],
        "state": "published",
        "isInternal": false,
        "code": null,
        "published": iso_z(job.posted_at - job.posted_at.rem_euclid(86_400)),
        "type": match job.employment {
            Employment::FullTime => "full",
            Employment::PartTime => "part",
            Employment::Contract => "contract",
            Employment::Internship => "internship",
            Employment::Temporary => "temporary",
        },
        "language": "en",
        "department": [job.department],
        "accountUid": format!("{:08x}-0000-4000-8000-{:012x}", company.slug.len(), company.jobs.len()),
        "approvalStatus": "approved",
        "workplace": match job.workplace {
            Workplace::Remote => "remote",
            Workplace::Hybrid => "hybrid",
            _ => "on_site",
        },
    })
}

/// The detail: the list fields plus the description split into three HTML parts.
pub fn detail(company: &Company, job: &Job) -> Value {
    let mut value = summary(company, job);
    let html = &job.description_html;
    let (description, rest) = html
        .split_once("<h3>What we&#39;re looking for</h3>")
        .unwrap_or((html, ""));
    let map = value.as_object_mut().expect("object");
    map.insert("description".into(), json!(description));
    map.insert("requirements".into(), json!(rest));
    map.insert("benefits".into(), json!(""));
    value
}

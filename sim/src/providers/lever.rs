//! Lever Postings API v0: `/v0/postings/{site}?mode=json&skip=&limit=`, a bare JSON array.

use super::plain_text;
use crate::world::{Company, Employment, Job, Period, Workplace};
use serde_json::{Value, json};

pub fn list(company: &Company, base: &str, skip: usize, limit: Option<usize>) -> Value {
    let jobs = company
        .jobs
        .iter()
        .skip(skip)
        .take(limit.unwrap_or(usize::MAX));
    Value::Array(jobs.map(|job| posting(company, job, base)).collect())
}

pub fn posting(company: &Company, job: &Job, base: &str) -> Value {
    let location = match job.workplace {
        Workplace::Remote => format!("Remote - {}", job.location.country),
        _ => job.location.display(),
    };
    let commitment = match job.employment {
        Employment::FullTime => "Full-time",
        Employment::PartTime => "Part-time",
        Employment::Contract => "Contract",
        Employment::Internship => "Intern",
        Employment::Temporary => "Temporary",
    };
    // Lever's docs say `on-site` but live responses also say `onsite`: serve both.
    let workplace = match job.workplace {
        Workplace::OnSite if job.id.is_multiple_of(2) => "onsite",
        Workplace::OnSite => "on-site",
        Workplace::Hybrid => "hybrid",
        Workplace::Remote => "remote",
        Workplace::Unspecified => "unspecified",
    };
    let (opening, body) = split_description(&job.description_html);
    let mut value = json!({
        "additionalPlain": "Equal opportunity employer.\n",
        "additional": "<div>Equal opportunity employer.</div>",
        "categories": {
            "commitment": commitment,
            "department": job.department,
            "location": location,
            "team": job.department,
            "allLocations": [location],
        },
        "createdAt": job.posted_at * 1000 + (job.id % 1000) as i64,
        "descriptionPlain": plain_text(&job.description_html),
        "description": job.description_html,
        "id": job.uuid,
        "lists": [{ "text": "What you'll do", "content": "<li>Build things</li><li>Ship them</li>" }],
        "text": job.title,
        "country": job.location.country_code,
        "workplaceType": workplace,
        "opening": opening,
        "openingPlain": plain_text(opening),
        "descriptionBody": body,
        "descriptionBodyPlain": plain_text(body),
        "hostedUrl": format!("{base}/lever-jobs/{}/{}", company.slug, job.uuid),
        "applyUrl": format!("{base}/lever-jobs/{}/{}/apply", company.slug, job.uuid),
    });
    if let Some(salary) = &job.salary {
        let interval = match salary.period {
            Period::Year => "per-year-salary",
            Period::Month => "per-month-salary",
            Period::Hour => "per-hour-wage",
        };
        let map = value.as_object_mut().expect("object");
        map.insert(
            "salaryRange".into(),
            json!({ "currency": salary.currency, "interval": interval, "min": salary.min, "max": salary.max }),
        );
        let text = format!(
            "{} {}–{} {}",
            salary.currency, salary.min, salary.max, interval
        );
        map.insert(
            "salaryDescription".into(),
            Value::String(format!("<div>{text}</div>")),
        );
        map.insert("salaryDescriptionPlain".into(), Value::String(text));
    }
    value
}

/// Lever splits a posting into an opening paragraph and the body.
fn split_description(html: &str) -> (&str, &str) {
    match html.find("</p>") {
        Some(end) => html.split_at(end + 4),
        None => ("", html),
    }
}

pub fn not_found() -> Value {
    json!({ "ok": false, "error": "Document not found" })
}

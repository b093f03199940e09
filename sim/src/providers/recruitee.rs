//! Recruitee: `GET https://{company}.recruitee.com/api/offers/`; the simulator serves each
//! board under `/recruitee/{company}/api/offers/`.

use super::plain_text;
use crate::dates::recruitee;
use crate::world::{Company, Employment, Job, Period, Workplace};
use serde_json::{Value, json};

pub fn offers(company: &Company, base: &str) -> Value {
    let offers: Vec<Value> = company
        .jobs
        .iter()
        .map(|job| offer(company, job, base))
        .collect();
    json!({ "offers": offers })
}

fn offer(company: &Company, job: &Job, base: &str) -> Value {
    let slug = job
        .title
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    let careers_url = format!("{base}/recruitee/{}/o/{slug}", company.slug);
    let html = &job.description_html;
    let (description, requirements) = html
        .split_once("<h3>What we&#39;re looking for</h3>")
        .unwrap_or((html, ""));
    let salary = match &job.salary {
        Some(s) => json!({
            "min": s.min.to_string(),
            "max": s.max.to_string(),
            "currency": s.currency,
            "period": match s.period { Period::Hour => "hour", Period::Month => "month", Period::Year => "year" },
        }),
        None => json!({ "min": null, "max": null, "currency": null, "period": null }),
    };
    json!({
        // Recruitee's offer ids are unique across every board (a database id): the world's
        // ids without their common prefix, unique for up to 10,000 companies.
        "id": job.id.saturating_sub(4_000_000_000),
        "guid": job.shortcode.to_lowercase(),
        "slug": slug,
        "title": job.title,
        "status": "published",
        "company_name": company.name,
        "department": job.department,
        "careers_url": careers_url,
        "careers_apply_url": format!("{careers_url}/c/new"),
        "created_at": recruitee(job.posted_at),
        "published_at": recruitee(job.posted_at),
        "updated_at": recruitee(job.updated_at),
        "close_at": null,
        "location": job.location.display(),
        "locations": [{
            "city": job.location.city,
            "country": job.location.country,
            "country_code": job.location.country_code,
            "state": job.location.region,
        }],
        "city": job.location.city,
        "country": job.location.country,
        "country_code": job.location.country_code,
        "remote": job.workplace == Workplace::Remote,
        "hybrid": job.workplace == Workplace::Hybrid,
        "on_site": job.workplace == Workplace::OnSite,
        "employment_type_code": match job.employment {
            Employment::FullTime => "fulltime_permanent",
            Employment::PartTime => "parttime_permanent",
            Employment::Contract => "contract",
            Employment::Internship => "internship",
            Employment::Temporary => "fulltime_fixed_term",
        },
        "experience_code": "mid_level",
        "education_code": "bachelor_degree",
        "category_code": "information_technology",
        "min_hours": 32,
        "max_hours": 40,
        "salary": salary,
        "description": description,
        "requirements": requirements,
        "tags": [job.department],
        "translations": { "en": { "title": job.title, "description": plain_text(description) } },
        "open_questions": [],
    })
}

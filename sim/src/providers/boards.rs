//! Public job-board APIs that saved searches query: Remotive, RemoteOK and Arbeitnow. They
//! list the same jobs the companies' own boards carry, so one opening can be found twice.

use crate::dates::iso_z;
use crate::world::{Company, Employment, Job, Period, Workplace, World};
use serde_json::{Value, json};

/// Arbeitnow's page size.
pub const ARBEITNOW_PAGE: usize = 100;

fn matches(company: &Company, job: &Job, needle: &str) -> bool {
    needle.is_empty()
        || job.title.to_lowercase().contains(needle)
        || company.name.to_lowercase().contains(needle)
        || job.department.to_lowercase().contains(needle)
}

/// Every listed job of the world, newest first (boards sort by publication date).
fn newest_first(world: &World) -> Vec<(&Company, &Job)> {
    let mut jobs: Vec<(&Company, &Job)> = world
        .companies
        .iter()
        .flat_map(|c| c.jobs.iter().filter(|j| j.listed).map(move |j| (c, j)))
        .collect();
    jobs.sort_by_key(|(_, j)| std::cmp::Reverse((j.posted_at, j.id)));
    jobs
}

fn tags(job: &Job) -> Vec<String> {
    let mut tags = vec![job.department.to_lowercase()];
    tags.extend(
        job.title
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_string),
    );
    tags
}

/// `GET /api/remote-jobs?search=&category=&limit=`: remote jobs only.
pub fn remotive(world: &World, base: &str, search: &str, limit: Option<usize>) -> Value {
    let needle = search.trim().to_lowercase();
    let jobs: Vec<Value> = newest_first(world)
        .into_iter()
        .filter(|(c, j)| j.workplace == Workplace::Remote && matches(c, j, &needle))
        .take(limit.unwrap_or(usize::MAX))
        .map(|(company, job)| {
            json!({
                "id": job.id % 10_000_000,
                "url": format!("{base}/remotive/remote-jobs/{}-{}", company.slug, job.id),
                "title": job.title,
                "company_name": company.name,
                "company_logo": format!("{base}/remotive/logos/{}.png", company.slug),
                "category": match job.department { "Engineering" | "Data" => "Software Development", other => other },
                "tags": tags(job),
                "job_type": match job.employment {
                    Employment::FullTime => "full_time",
                    Employment::PartTime => "part_time",
                    Employment::Contract => "contract",
                    Employment::Internship => "internship",
                    Employment::Temporary => "freelance",
                },
                // Remotive writes local times without a zone.
                "publication_date": iso_z(job.posted_at).trim_end_matches(".000Z").to_string(),
                "candidate_required_location": job.location.country,
                // Free text, often empty.
                "salary": job.salary.as_ref().map(|s| format!("{} {} - {} {}", s.currency, s.min, s.max, period(s.period))).unwrap_or_default(),
                "description": job.description_html,
            })
        })
        .collect();
    json!({
        "00-warning": "Remotive's API documentation: please link back to the job URLs.",
        "0-legal-notice": "Remotive API Legal Notice: jobs are delayed by 24 hours.",
        "job-count": jobs.len(),
        "total-job-count": jobs.len(),
        "jobs": jobs,
    })
}

/// `GET /api[?tag=]`: a bare array whose first element is the legal notice, then remote jobs.
pub fn remoteok(world: &World, base: &str, tag: &str) -> Value {
    let tag = tag.trim().to_lowercase();
    let mut out = vec![json!({
        "last_updated": world.companies.iter().flat_map(|c| &c.jobs).map(|j| j.updated_at).max().unwrap_or(0),
        "legal": "API Terms of Service: link back to the job's URL on Remote OK and mention it as the source.",
    })];
    out.extend(
        newest_first(world)
            .into_iter()
            .filter(|(_, j)| j.workplace == Workplace::Remote)
            .filter(|(_, j)| tag.is_empty() || tags(j).contains(&tag))
            .map(|(company, job)| {
                let slug = format!(
                    "remote-{}-{}-{}",
                    job.title.to_lowercase().replace(' ', "-"),
                    company.slug,
                    job.id
                );
                // Annual USD figures only; 0 means "not given".
                let (min, max) = match &job.salary {
                    Some(s) if s.currency == "USD" && s.period == Period::Year => (s.min, s.max),
                    _ => (0, 0),
                };
                json!({
                    "slug": slug,
                    "id": job.id.to_string(),
                    "epoch": job.posted_at,
                    "date": format!("{}+00:00", iso_z(job.posted_at).trim_end_matches(".000Z")),
                    "company": company.name,
                    "company_logo": "",
                    "position": job.title,
                    "tags": tags(job),
                    "logo": "",
                    "description": job.description_html,
                    "location": job.location.country,
                    "salary_min": min,
                    "salary_max": max,
                    "apply_url": format!("{base}/remoteok/l/{}", job.id),
                    "url": format!("{base}/remoteok/remote-jobs/{slug}"),
                })
            }),
    );
    Value::Array(out)
}

/// `GET /api/job-board-api?page=N`: every job (remote or not), 100 a page, Laravel-style links.
pub fn arbeitnow(world: &World, base: &str, page: usize) -> Value {
    let jobs = newest_first(world);
    let last = jobs.len().div_ceil(ARBEITNOW_PAGE).max(1);
    let data: Vec<Value> = jobs
        .iter()
        .skip((page - 1) * ARBEITNOW_PAGE)
        .take(ARBEITNOW_PAGE)
        .map(|(company, job)| {
            let slug = format!(
                "{}-{}-{}",
                job.title.to_lowercase().replace(' ', "-"),
                company.slug,
                job.id
            );
            json!({
                "slug": slug,
                "company_name": company.name,
                "title": job.title,
                "description": job.description_html,
                "remote": job.workplace == Workplace::Remote,
                "url": format!("{base}/arbeitnow/jobs/{slug}"),
                "tags": [job.department],
                "job_types": [match job.employment {
                    Employment::FullTime => "full time",
                    Employment::PartTime => "part time",
                    Employment::Contract => "contract",
                    Employment::Internship => "internship",
                    Employment::Temporary => "temporary",
                }],
                "location": job.location.city,
                "created_at": job.posted_at,
            })
        })
        .collect();
    let url = |p: usize| format!("{base}/api/job-board-api?page={p}");
    json!({
        "data": data,
        "links": {
            "first": url(1),
            "last": Value::Null,
            "prev": if page > 1 { json!(url(page - 1)) } else { Value::Null },
            "next": if page < last { json!(url(page + 1)) } else { Value::Null },
        },
        "meta": {
            "current_page": page,
            "from": (page - 1) * ARBEITNOW_PAGE + 1,
            "path": format!("{base}/api/job-board-api"),
            "per_page": ARBEITNOW_PAGE,
            "to": ((page - 1) * ARBEITNOW_PAGE + data.len()),
            "terms": "This is a free public API for jobs; please link back to the job posting.",
            "info": "Jobs are updated every hour.",
        },
    })
}

fn period(period: Period) -> &'static str {
    match period {
        Period::Hour => "per hour",
        Period::Month => "per month",
        Period::Year => "per year",
    }
}

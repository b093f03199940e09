//! Greenhouse Job Board API: `/v1/boards/{token}/jobs[?content=true]` and
//! `/v1/boards/{token}/jobs/{id}[?pay_transparency=true]`.

use super::escape_html;
use crate::dates::iso_with_offset;
use crate::world::{Company, Job, Period, Workplace};
use serde_json::{Value, json};

/// Greenhouse writes times at US Eastern offsets.
const EASTERN: i64 = -5;

pub fn list(company: &Company, base: &str, content: bool) -> Value {
    let jobs: Vec<Value> = company
        .jobs
        .iter()
        .map(|job| job_json(company, job, base, content))
        .collect();
    json!({ "jobs": jobs, "meta": { "total": company.jobs.len() } })
}

pub fn detail(company: &Company, job: &Job, base: &str, pay_transparency: bool) -> Value {
    let mut value = job_json(company, job, base, true);
    let map = value.as_object_mut().expect("object");
    if pay_transparency {
        let ranges: Vec<Value> = job
            .salary
            .iter()
            .filter(|s| s.period == Period::Year)
            .map(|s| {
                json!({
                    "min_cents": s.min * 100,
                    "max_cents": s.max * 100,
                    "currency_type": s.currency,
                    "title": "Annual Salary:",
                    // Raw HTML here, unlike `content`: the inconsistency is Greenhouse's own.
                    "blurb": "<p>The annual compensation range for this role is listed below. Final offers depend on experience &amp; location.</p>",
                })
            })
            .collect();
        map.insert("pay_input_ranges".into(), Value::Array(ranges));
    }
    map.insert("ai_disclaimer".into(), Value::Null);
    map.insert("include_ai_disclaimer".into(), Value::Null);
    map.insert("ai_opt_out_request_url".into(), Value::Null);
    value
}

fn job_json(company: &Company, job: &Job, base: &str, content: bool) -> Value {
    let location_name = match job.workplace {
        Workplace::Remote => format!("Remote - {}", job.location.country),
        Workplace::Hybrid => format!("{} or Remote", job.location.city),
        _ => job.location.display(),
    };
    let metadata = match job.workplace {
        Workplace::Unspecified => Value::Null,
        w => json!([{
            "id": 4_036_944_008u64,
            "name": "Location Type",
            "value": match w { Workplace::Remote => "Remote", Workplace::Hybrid => "Hybrid", _ => "On-Site" },
            "value_type": "single_select",
        }]),
    };
    let mut value = json!({
        "absolute_url": format!("{base}/greenhouse-jobs/{}/jobs/{}?gh_src=sim&t=careers", company.slug, job.id),
        "data_compliance": [{
            "type": "gdpr",
            "requires_consent": false,
            "requires_processing_consent": false,
            "requires_retention_consent": false,
            "retention_period": null,
            "demographic_data_consent_applies": false,
        }],
        "internal_job_id": job.id - 500_000_000,
        "location": { "name": location_name },
        "metadata": metadata,
        "id": job.id,
        "updated_at": iso_with_offset(job.updated_at, EASTERN),
        "requisition_id": if job.id.is_multiple_of(7) { "See Opening ID".to_string() } else { (job.id % 10_000).to_string() },
        // Real titles sometimes carry trailing spaces.
        "title": if job.id.is_multiple_of(11) { format!("{} ", job.title) } else { job.title.clone() },
        "company_name": company.name,
        "first_published": iso_with_offset(job.posted_at, EASTERN),
        "language": "en",
        "application_deadline": null,
    });
    if content {
        let map = value.as_object_mut().expect("object");
        map.insert(
            "content".into(),
            Value::String(escape_html(&job.description_html)),
        );
        map.insert(
            "departments".into(),
            json!([{ "id": 4_002_062_008u64, "name": job.department, "child_ids": [], "parent_id": null }]),
        );
        map.insert(
            "offices".into(),
            json!([{
                "id": 4_001_219_008u64,
                "name": job.location.city,
                "location": job.location.display(),
                "child_ids": [],
                "parent_id": null,
            }]),
        );
    }
    value
}

/// Greenhouse's JSON encoder writes `&` as `\u0026`; serde_json writes it plainly. Every `&` in
/// JSON text sits inside a string, so rewriting all of them is exact.
pub fn to_wire(value: &Value) -> String {
    serde_json::to_string(value)
        .expect("json")
        .replace('&', "\\u0026")
}

pub fn job_not_found() -> Value {
    json!({ "status": 404, "error": "Job not found" })
}

//! SmartRecruiters Posting API: `GET /v1/companies/{id}/postings?limit=&offset=&q=` and
//! `GET /v1/companies/{id}/postings/{postingId}`.

use crate::dates::iso_z;
use crate::world::{Company, Employment, Job, Workplace};
use serde_json::{Value, json};

pub const MAX_LIMIT: usize = 100;

/// A page of postings. An unknown company is answered by the caller with an empty page and
/// HTTP 200, as the real API does.
pub fn page(company: Option<&Company>, base: &str, q: &str, offset: usize, limit: usize) -> Value {
    let needle = q.trim().to_lowercase();
    let matching: Vec<(&Company, &Job)> = company
        .into_iter()
        .flat_map(|c| c.jobs.iter().map(move |j| (c, j)))
        .filter(|(_, j)| needle.is_empty() || j.title.to_lowercase().contains(&needle))
        .collect();
    let content: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(c, j)| summary(c, j, base))
        .collect();
    json!({ "offset": offset, "limit": limit, "totalFound": matching.len(), "content": content })
}

fn common(company: &Company, job: &Job) -> Value {
    json!({
        "id": job.id.to_string(),
        "name": job.title,
        "uuid": job.uuid,
        "jobAdId": format!("{}-ad", job.uuid),
        "defaultJobAd": true,
        "refNumber": format!("REF{}", job.id % 100_000),
        "company": { "identifier": company.slug, "name": company.name },
        "releasedDate": iso_z(job.posted_at),
        "location": {
            "city": job.location.city,
            "region": job.location.region.unwrap_or(""),
            "country": job.location.country_code.to_lowercase(),
            "remote": job.workplace == Workplace::Remote,
            "hybrid": job.workplace == Workplace::Hybrid,
            "latitude": "52.5200066",
            "longitude": "13.404954",
            "fullLocation": job.location.display(),
        },
        "industry": { "id": "computer_software", "label": "Computer Software" },
        "function": { "id": "engineering", "label": "Engineering" },
        "typeOfEmployment": match job.employment {
            Employment::PartTime => json!({ "id": "part-time", "label": "Part-time" }),
            Employment::Contract => json!({ "id": "contract", "label": "Contract" }),
            Employment::Internship => json!({ "id": "intern", "label": "Intern" }),
            Employment::Temporary => json!({ "id": "temporary", "label": "Temporary" }),
            Employment::FullTime => json!({ "id": "permanent", "label": "Full-time" }),
        },
        "experienceLevel": { "id": "mid_senior_level", "label": "Mid-Senior Level" },
        "customField": [{
            "fieldId": "5d9f91b45d95674b7eff50f4",
            "fieldLabel": "Location - Region",
            "valueId": "68fd9b74-37ce-4e49-be75-2d1ec12dda69",
            "valueLabel": job.location.country,
        }],
        "visibility": "PUBLIC",
        "language": { "code": "en", "label": "English", "labelNative": "English (US)" },
    })
}

fn summary(company: &Company, job: &Job, base: &str) -> Value {
    let mut value = common(company, job);
    let map = value.as_object_mut().expect("object");
    // A quoted string here, an integer in the detail: the real API's own inconsistency.
    map.insert(
        "department".into(),
        json!({ "id": department_id(job).to_string(), "label": job.department }),
    );
    map.insert(
        "ref".into(),
        json!(format!(
            "{base}/v1/companies/{}/postings/{}",
            company.slug, job.id
        )),
    );
    value
}

pub fn detail(company: &Company, job: &Job) -> Value {
    let mut value = common(company, job);
    let html = &job.description_html;
    let (description, qualifications) = html
        .split_once("<h3>What we&#39;re looking for</h3>")
        .unwrap_or((html, ""));
    let posting_url = format!(
        "https://jobs.smartrecruiters.com/{}/{}",
        company.slug, job.id
    );
    let map = value.as_object_mut().expect("object");
    map.insert("jobId".into(), json!(format!("{}-job", job.uuid)));
    map.insert("creator".into(), json!({ "name": "", "avatarUrl": "" }));
    map.insert("postingUrl".into(), json!(posting_url));
    map.insert("applyUrl".into(), json!(format!("{posting_url}?oga=true")));
    map.insert(
        "referralUrl".into(),
        json!(format!("{posting_url}?trid=referral")),
    );
    map.insert("active".into(), json!(true));
    map.insert(
        "department".into(),
        json!({ "id": department_id(job), "label": job.department }),
    );
    map.insert(
        "jobAd".into(),
        json!({ "sections": {
            "companyDescription": { "title": "Company Description", "text": format!("<p>{} builds software.</p>", company.name) },
            "jobDescription": { "title": "Job Description", "text": description },
            "qualifications": { "title": "Qualifications", "text": qualifications },
            "additionalInformation": { "title": "Additional Information", "text": "<p>All your information will be kept confidential.</p>" },
        }}),
    );
    value
}

fn department_id(job: &Job) -> u64 {
    660_000 + job.department.len() as u64
}

pub fn not_found() -> Value {
    json!({ "code": "NOT_FOUND", "message": "Job posting not found" })
}

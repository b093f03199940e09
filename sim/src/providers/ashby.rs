//! Ashby Posting API: `/posting-api/job-board/{name}[?includeCompensation=true]`.

use super::plain_text;
use crate::dates::iso_millis_utc;
use crate::world::{Company, Employment, Job, Period, Workplace};
use serde_json::{Value, json};

pub fn board(company: &Company, base: &str, include_compensation: bool) -> Value {
    let jobs: Vec<Value> = company
        .jobs
        .iter()
        .map(|job| job_json(company, job, base, include_compensation))
        .collect();
    json!({ "jobs": jobs, "apiVersion": "1" })
}

fn job_json(company: &Company, job: &Job, base: &str, include_compensation: bool) -> Value {
    let employment = match job.employment {
        Employment::FullTime => "FullTime",
        Employment::PartTime => "PartTime",
        Employment::Contract => "Contract",
        Employment::Internship => "Intern",
        Employment::Temporary => "Temporary",
    };
    // Ashby leaves both null when the employer did not say.
    let (workplace, is_remote) = match job.workplace {
        Workplace::OnSite => (json!("OnSite"), json!(false)),
        Workplace::Hybrid => (json!("Hybrid"), json!(false)),
        Workplace::Remote => (json!("Remote"), json!(true)),
        Workplace::Unspecified => (Value::Null, Value::Null),
    };
    let address = json!({
        "postalAddress": {
            "addressRegion": job.location.region.unwrap_or(job.location.city),
            "streetAddress": if job.workplace == Workplace::Remote { "Remote" } else { "1 Market Street" },
            "addressCountry": job.location.country,
            "addressLocality": job.location.city,
            "postalCode": format!("{:05}", job.id % 100_000),
        }
    });
    let mut value = json!({
        "id": job.uuid,
        "title": job.title,
        "department": job.department,
        "team": job.department,
        "employmentType": employment,
        "location": job.location.city,
        "shouldDisplayCompensationOnJobPostings": job.salary.is_some(),
        "secondaryLocations": [],
        "publishedAt": iso_millis_utc(job.posted_at, (job.id % 1000) as u32),
        "isListed": job.listed,
        "isRemote": is_remote,
        "workplaceType": workplace,
        "address": address,
        "jobUrl": format!("{base}/ashby-jobs/{}/{}", company.slug, job.uuid),
        "applyUrl": format!("{base}/ashby-jobs/{}/{}/application", company.slug, job.uuid),
        "descriptionHtml": job.description_html,
        "descriptionPlain": plain_text(&job.description_html),
    });
    if include_compensation {
        value
            .as_object_mut()
            .expect("object")
            .insert("compensation".into(), compensation(job));
    }
    value
}

fn compensation(job: &Job) -> Value {
    let Some(salary) = &job.salary else {
        // Present but empty, as real boards send it.
        return json!({
            "compensationTierSummary": null,
            "scrapeableCompensationSalarySummary": null,
            "compensationTiers": [],
            "summaryComponents": [],
        });
    };
    let interval = match salary.period {
        Period::Year => "1 YEAR",
        Period::Month => "1 MONTH",
        Period::Hour => "1 HOUR",
    };
    let summary = format!(
        "{} {} – {}",
        salary.currency,
        short(salary.min),
        short(salary.max)
    );
    let component = json!({
        "compensationType": "Salary",
        "interval": interval,
        "currencyCode": salary.currency,
        "minValue": salary.min,
        "maxValue": salary.max,
    });
    let mut tier_component = component.clone();
    let tier = tier_component.as_object_mut().expect("object");
    tier.insert("id".into(), json!(format!("{}-salary", job.uuid)));
    tier.insert(
        "summary".into(),
        json!(format!("Estimated base salary {summary}")),
    );
    json!({
        "compensationTierSummary": format!("{summary} • Offers Equity"),
        "scrapeableCompensationSalarySummary": summary,
        "compensationTiers": [{
            "id": format!("{}-tier", job.uuid),
            "tierSummary": format!("Estimated base salary {summary}"),
            "title": null,
            "additionalInformation": null,
            "components": [
                tier_component,
                {
                    "id": format!("{}-equity", job.uuid),
                    "summary": "Offers Equity",
                    "compensationType": "EquityPercentage",
                    "interval": "NONE",
                    "currencyCode": null,
                    "minValue": null,
                    "maxValue": null,
                },
            ],
        }],
        "summaryComponents": [component],
    })
}

fn short(amount: u64) -> String {
    if amount >= 1_000 && amount.is_multiple_of(1_000) {
        format!("{}K", amount / 1_000)
    } else {
        amount.to_string()
    }
}

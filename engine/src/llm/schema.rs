//! What the model is asked to fill, as Rust types: their JSON Schemas (schemars) go out as
//! `response_format`, the answers come back through serde, and become drafts normalized like
//! every other source's jobs.

use crate::sources::draft::{Draft, salary};
use crate::sources::fields::{employment_type, parse_date, remote_from_field};
use model::SalaryPeriod;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

/// The jobs a page shows (a job page shows one; a list page with full postings, several).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PageJobs {
    /// Every job posting on the page; empty when the text holds none.
    pub jobs: Vec<ExtractedJob>,
}

/// One posting, as written on the page: nothing guessed, `null` for what it does not say.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ExtractedJob {
    /// The job's title.
    pub title: String,
    /// The hiring company.
    pub company: Option<String>,
    /// The posting's own page (absolute URL).
    pub url: Option<String>,
    /// Where to apply, when it is another page.
    pub apply_url: Option<String>,
    /// Where the job is, as written.
    pub location: Option<String>,
    pub workplace: Option<Workplace>,
    pub employment_type: Option<Employment>,
    pub department: Option<String>,
    /// Lowest pay stated, in whole units of the currency.
    pub salary_min: Option<f64>,
    /// Highest pay stated, in whole units of the currency.
    pub salary_max: Option<f64>,
    /// ISO 4217 code (USD, EUR, …).
    pub salary_currency: Option<String>,
    pub salary_period: Option<Period>,
    /// Date posted, YYYY-MM-DD.
    pub date_posted: Option<String>,
    /// The description, in a few sentences.
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Workplace {
    OnSite,
    Hybrid,
    Remote,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Employment {
    FullTime,
    PartTime,
    Contract,
    Internship,
    Temporary,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// The job links of a list page (the first of two steps for list pages).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PageLinks {
    /// Every link on the page that leads to one job posting.
    pub jobs: Vec<JobLink>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct JobLink {
    pub title: String,
    /// The link's absolute URL, exactly as in the text.
    pub url: String,
}

/// The JSON Schema of `T` as sent: without `$schema` and number `format`s, which
/// structured-output backends do not need and some refuse.
pub fn schema_of<T: JsonSchema>() -> Value {
    let mut value = serde_json::to_value(schemars::schema_for!(T)).expect("a schema is JSON");
    tidy(&mut value);
    value
}

fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("$schema");
            if map.get("format").is_some_and(|f| {
                matches!(
                    f.as_str(),
                    Some("double" | "float" | "int32" | "int64" | "uint")
                )
            }) {
                map.remove("format");
            }
            map.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

impl ExtractedJob {
    /// The draft of this job, read from `page_url`: links resolved against it (and kept to
    /// http(s)), the page itself when the model gave no URL, `company` when the page names
    /// none; `None` without a title.
    pub fn draft(self, page_url: &url::Url, company: &str, now: i64) -> Option<Draft> {
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            return None;
        }
        let link = |u: Option<&str>| -> Option<String> {
            let joined = page_url.join(u?.trim()).ok()?;
            matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
        };
        let period = match self.salary_period {
            Some(Period::Hour) => SalaryPeriod::Hour,
            Some(Period::Day) => SalaryPeriod::Day,
            Some(Period::Week) => SalaryPeriod::Week,
            Some(Period::Month) => SalaryPeriod::Month,
            Some(Period::Year) | None => SalaryPeriod::Year,
        };
        let description = self.description.unwrap_or_default();
        Some(Draft {
            source: "llm",
            source_id: None,
            url: link(self.url.as_deref()).unwrap_or_else(|| page_url.to_string()),
            apply_url: link(self.apply_url.as_deref()),
            title,
            company: self
                .company
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| company.to_owned()),
            location: self.location,
            remote: self.workplace.and_then(|w| {
                remote_from_field(match w {
                    Workplace::OnSite => "on_site",
                    Workplace::Hybrid => "hybrid",
                    Workplace::Remote => "remote",
                })
            }),
            employment_type: self.employment_type.and_then(|e| {
                employment_type(match e {
                    Employment::FullTime => "full_time",
                    Employment::PartTime => "part_time",
                    Employment::Contract => "contract",
                    Employment::Internship => "internship",
                    Employment::Temporary => "temporary",
                })
            }),
            department: self.department,
            salary: salary(
                self.salary_min,
                self.salary_max,
                self.salary_currency.as_deref(),
                period,
            ),
            posted_at: self.date_posted.and_then(|d| parse_date(&d, now)),
            description_html: paragraphs(&description),
        })
    }
}

/// Plain text as HTML paragraphs (escaped; sanitized again with every draft).
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let escaped = p
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!("<p>{escaped}</p>")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_every_field_and_allows_null_for_unknowns() {
        let schema = schema_of::<PageJobs>();
        let text = schema.to_string();
        assert!(
            !text.contains("$schema") && !text.contains("\"double\""),
            "{text}"
        );
        let job = &schema["$defs"]["ExtractedJob"];
        assert_eq!(job["properties"]["title"]["type"], "string");
        assert_eq!(
            job["properties"]["location"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(job["required"], serde_json::json!(["title"]));
        assert!(text.contains("\"on_site\"") && text.contains("\"full_time\""));
    }

    #[test]
    fn an_answer_becomes_a_draft_with_resolved_links() {
        let answer = r#"{"jobs":[{"title":" Baker ","company":null,"url":"/jobs/3",
            "apply_url":"javascript:alert(1)","location":"Lyon, France","workplace":"hybrid",
            "employment_type":"part_time","department":"Kitchen","salary_min":30000,
            "salary_max":0,"salary_currency":"eur","salary_period":"year",
            "date_posted":"2026-03-04","description":"Bread <b>early</b>.\n\nCroissants."}]}"#;
        let page: PageJobs = serde_json::from_str(answer).unwrap();
        let page_url = url::Url::parse("https://bakery.example/careers/").unwrap();
        let draft = page.jobs[0]
            .clone()
            .draft(&page_url, "Bakery", 1_800_000_000)
            .unwrap();
        assert_eq!(draft.title, "Baker");
        assert_eq!(draft.company, "Bakery");
        assert_eq!(draft.url, "https://bakery.example/jobs/3");
        assert_eq!(draft.apply_url, None, "no javascript: links");
        assert_eq!(draft.remote, Some(model::Remote::Hybrid));
        assert_eq!(draft.employment_type, Some(model::EmploymentType::PartTime));
        let salary = draft.salary.clone().unwrap();
        assert_eq!((salary.min, salary.max), (Some(30000.0), None));
        assert_eq!(salary.currency.as_deref(), Some("EUR"));
        assert_eq!(
            draft.posted_at,
            model::time::parse_rfc3339("2026-03-04T00:00:00Z")
        );
        assert_eq!(
            draft.description_html,
            "<p>Bread &lt;b&gt;early&lt;/b&gt;.</p><p>Croissants.</p>"
        );
        let untitled = ExtractedJob {
            title: "  ".into(),
            ..page.jobs[0].clone()
        };
        assert!(untitled.draft(&page_url, "Bakery", 0).is_none());
    }
}

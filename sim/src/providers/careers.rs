//! Companies' own careers sites: a list page linking to job pages. `JsonLd` companies embed
//! schema.org `JobPosting` JSON-LD in the real world's many shapes; `Html` companies have none,
//! which is what the LLM extractor is for (some of those pages exceed an 8K-token context).

use super::escape_html;
use crate::dates::{date, iso_with_offset, unpadded_date};
use crate::world::{Company, Employment, Job, Period, Provider, Workplace};
use serde_json::{Value, json};

pub fn list_page(company: &Company, base: &str) -> String {
    let mut items = String::new();
    for job in company.jobs.iter().filter(|j| j.listed) {
        items.push_str(&format!(
            "<li class=\"opening\"><a href=\"/careers/{slug}/jobs/{id}\">{title}</a> \
             <span class=\"loc\">{loc}</span></li>\n",
            slug = company.slug,
            id = job.id,
            title = escape_html(&job.title),
            loc = escape_html(&job.location.display()),
        ));
    }
    page(
        company,
        &format!("Careers at {}", company.name),
        &format!(
            "<nav><a href=\"/careers/{slug}/\">Jobs</a> <a href=\"/careers/{slug}/about\">About us</a> \
             <a href=\"https://twitter.example/{slug}\">Twitter</a></nav>\
             <h1>Open positions at {name}</h1><p>We are hiring in {count} roles. See also \
             <a href=\"{base}/careers/{slug}/jobs/\">all jobs</a>.</p><ul>\n{items}</ul>",
            slug = company.slug,
            name = escape_html(&company.name),
            count = company.jobs.iter().filter(|j| j.listed).count(),
        ),
        "",
    )
}

pub fn job_page(company: &Company, job: &Job, base: &str) -> String {
    let url = format!("{base}/careers/{}/jobs/{}", company.slug, job.id);
    let ld = match company.provider {
        Provider::JsonLd => script(&json_ld(company, job, &url)),
        _ => String::new(),
    };
    let facts = format!(
        "<dl><dt>Location</dt><dd>{loc}</dd><dt>Department</dt><dd>{dept}</dd>{salary}</dl>",
        loc = escape_html(&workplace_text(job)),
        dept = job.department,
        salary = job
            .salary
            .as_ref()
            .map(|s| format!(
                "<dt>Salary</dt><dd>{} {}–{} per {:?}</dd>",
                s.currency, s.min, s.max, s.period
            )
            .to_lowercase())
            .unwrap_or_default(),
    );
    // One unstructured page in ten carries pages of boilerplate: longer than the LLM's context.
    let filler = if company.provider == Provider::Html && job.id % 10 == 3 {
        long_boilerplate()
    } else {
        String::new()
    };
    page(
        company,
        &format!("{} – {}", job.title, company.name),
        &format!(
            "<article><h1>{title}</h1>{facts}<div class=\"description\">{body}</div>\
             <a class=\"apply\" href=\"{url}/apply\">Apply now</a></article>{filler}",
            title = escape_html(&job.title),
            body = job.description_html,
        ),
        &ld,
    )
}

/// A careers site page; the header carries the company's name, as real sites' do.
fn page(company: &Company, title: &str, body: &str, head_extra: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"name\":\"Careers\"}}</script>\
         {head_extra}</head><body><header><a href=\"/careers/{slug}/\">{name} careers</a></header><main>{body}</main>\
         <footer><p>© Example Corp. <a href=\"/privacy\">Privacy</a> · <a href=\"/imprint\">Imprint</a></p></footer></body></html>",
        escape_html(title),
        slug = company.slug,
        name = escape_html(&company.name),
    )
}

/// JSON inside `<script>` must not contain `</`, or it would close the element early.
fn script(value: &Value) -> String {
    let text = serde_json::to_string(value)
        .expect("json")
        .replace("</", "<\\/");
    format!("<script type=\"application/ld+json\">{text}</script>")
}

fn workplace_text(job: &Job) -> String {
    match job.workplace {
        Workplace::Remote => format!("Remote ({})", job.location.country),
        Workplace::Hybrid => format!("{} (hybrid)", job.location.display()),
        _ => job.location.display(),
    }
}

/// The shapes real sites use, cycled through by job id.
fn json_ld(company: &Company, job: &Job, url: &str) -> Value {
    let variant = job.id % 8;
    let employment = match job.employment {
        Employment::FullTime => "FULL_TIME",
        Employment::PartTime => "PART_TIME",
        Employment::Contract => "CONTRACTOR",
        Employment::Internship => "INTERN",
        Employment::Temporary => "TEMPORARY",
    };
    let mut posting = json!({
        "@context": "https://schema.org",
        "@type": if variant == 6 { json!(["JobPosting"]) } else { json!("JobPosting") },
        "title": job.title,
        "description": job.description_html,
        "identifier": { "@type": "PropertyValue", "name": company.name, "value": job.id.to_string() },
        "datePosted": if variant == 6 { unpadded_date(job.posted_at) } else if variant == 2 { iso_with_offset(job.posted_at, 9) } else { date(job.posted_at) },
        "validThrough": date(job.posted_at + 120 * 86_400),
        "employmentType": if variant == 3 { json!([employment]) } else { json!(employment) },
        "hiringOrganization": { "@type": "Organization", "name": company.name, "sameAs": format!("https://{}.example", company.slug) },
        "url": url,
        "directApply": if variant == 4 { json!("False") } else { json!(true) },
    });
    if variant == 7 {
        // Some generators write `type` instead of `@type`.
        let map = posting.as_object_mut().expect("object");
        map.remove("@type");
        map.insert("type".into(), json!("JobPosting"));
    }
    let address = json!({
        "@type": "PostalAddress",
        "addressLocality": job.location.city,
        "addressRegion": job.location.region,
        "addressCountry": job.location.country_code,
    });
    match job.workplace {
        // Fully remote: no jobLocation, only where applicants may live.
        Workplace::Remote => {
            posting["jobLocationType"] = json!("TELECOMMUTE");
            posting["applicantLocationRequirements"] =
                json!({ "@type": "Country", "name": job.location.country });
        }
        Workplace::Hybrid => {
            posting["jobLocationType"] = json!("TELECOMMUTE");
            posting["jobLocation"] = json!([{ "@type": "Place", "address": address }]);
        }
        _ => posting["jobLocation"] = json!({ "@type": "Place", "address": address }),
    }
    match &job.salary {
        Some(s) => {
            let unit = match s.period {
                Period::Hour => "HOUR",
                Period::Month => "MONTH",
                Period::Year => "YEAR",
            };
            let (min, max) = if variant == 3 {
                (json!(s.min.to_string()), json!(s.max.to_string()))
            } else if variant == 5 {
                (json!(s.min as f64), json!(s.max as f64))
            } else {
                (json!(s.min), json!(s.max))
            };
            posting["baseSalary"] = json!({
                "@type": "MonetaryAmount",
                "currency": s.currency,
                "value": { "@type": "QuantitativeValue", "minValue": min, "maxValue": max, "unitText": unit },
            });
        }
        // Undisclosed salaries, as real sites write them: zeros, empty strings, or null.
        None => match variant {
            0 => {
                posting["baseSalary"] = json!({ "@type": "MonetaryAmount", "currency": "USD", "value": { "@type": "QuantitativeValue", "value": 0, "minValue": 0, "maxValue": 0, "unitText": "YEAR" } })
            }
            1 => {
                posting["baseSalary"] = json!({ "@type": "MonetaryAmount", "currency": "", "value": { "@type": "QuantitativeValue", "unitText": "" } })
            }
            2 => posting["baseSalary"] = Value::Null,
            _ => {}
        },
    }
    match variant {
        1 => json!({
            "@context": "https://schema.org",
            "@graph": [
                { "@type": "WebPage", "url": url, "name": job.title },
                { "@type": "BreadcrumbList", "itemListElement": [] },
                strip_context(posting),
            ]
        }),
        2 => {
            json!([{ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [] }, posting])
        }
        _ => posting,
    }
}

fn strip_context(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.remove("@context");
    }
    value
}

/// About 55 KB of text, some 13,000 tokens: well over an 8,192-token context.
fn long_boilerplate() -> String {
    let paragraph = "<p>Our company history began in a small garage and grew into a global team. \
        We believe in ownership, kindness and craft. This section describes our values, our \
        benefits in every country we operate in, our parental leave policy, our learning budget, \
        our approach to remote work and our office locations in detail.</p>";
    format!(
        "<section class=\"about\"><h2>About us</h2>{}</section>",
        paragraph.repeat(160)
    )
}

/// `/careers/{slug}/robots.txt`-style pages are not simulated; a plain about page is.
pub fn about_page(company: &Company) -> String {
    page(
        company,
        &format!("About {}", company.name),
        "<h1>About us</h1><p>We make things.</p>",
        "",
    )
}

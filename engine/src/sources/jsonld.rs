//! schema.org `JobPosting` in `<script type="application/ld+json">` blocks: several blocks per
//! page, postings inside `@graph` or arrays, `@type` as an array or a bare `type`, and the
//! real-world dirt of `../fixtures/real/jsonld-*` (numbers as strings, zeros and empty strings
//! for "undisclosed", non-padded dates, placeholders, nulls). Careers sites are collected by
//! following job links on the same site; a page without a posting is left for the LLM.

use crate::sources::draft::{Draft, salary};
use crate::sources::fields::{clean, employment_type, parse_date, salary_period};
use crate::sources::providers::{number, text};
use crate::sources::{
    Board, Collected, PlainPage, Previous, SourceError, content_hash, html_escape,
};
use model::{Remote, SalaryPeriod};
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::LazyLock;

pub const SOURCE: &str = "jsonld";

static LD_JSON: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(r#"script[type="application/ld+json" i]"#).expect("selector"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("selector"));

/// Every `JobPosting` object in an HTML page, or in a bare JSON-LD document.
pub fn postings(document: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let trimmed = document.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
            // A bare document may nest its postings (a JSON Feed's `items[]._jobposting`).
            nested_postings(value, None, &mut found, 4);
        }
        return found;
    }
    let page = Html::parse_document(document);
    for script in page.select(&LD_JSON) {
        let json: String = script.text().collect();
        // Some sites wrap the JSON in HTML comments or CDATA markers.
        let json = json
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>")
            .trim();
        if let Ok(value) = serde_json::from_str::<Value>(json) {
            collect_postings(value, &mut found);
        }
    }
    found
}

fn is_posting(value: &Value) -> bool {
    let kind = value.get("@type").or_else(|| value.get("type"));
    match kind {
        Some(Value::String(s)) => s.eq_ignore_ascii_case("JobPosting"),
        Some(Value::Array(kinds)) => kinds.iter().any(|k| {
            k.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("JobPosting"))
        }),
        _ => false,
    }
}

fn collect_postings(value: Value, found: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| collect_postings(v, found)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                collect_postings(graph, found);
            }
            let value = Value::Object(map);
            if is_posting(&value) {
                found.push(value);
            }
        }
        _ => {}
    }
}

/// Postings anywhere in a JSON document; a posting without a `url` takes its container's
/// (a JSON Feed item's `url` beside its `_jobposting`).
fn nested_postings(value: Value, url: Option<&Value>, found: &mut Vec<Value>, depth: usize) {
    if is_posting(&value) {
        let mut value = value;
        if let (Some(map), Some(url)) = (value.as_object_mut(), url) {
            map.entry("url").or_insert_with(|| url.clone());
        }
        found.push(value);
        return;
    }
    if depth == 0 {
        return;
    }
    match value {
        Value::Array(items) => items
            .into_iter()
            .for_each(|v| nested_postings(v, None, found, depth - 1)),
        Value::Object(map) => {
            let url = map.get("url").filter(|u| u.is_string()).cloned();
            for (_, v) in map {
                nested_postings(v, url.as_ref(), found, depth - 1);
            }
        }
        _ => {}
    }
}

/// The jobs of a page (`page_url` stands in for a posting without its own `url`).
pub fn parse(
    document: &[u8],
    page_url: Option<&str>,
    company: Option<&str>,
    now: i64,
) -> Result<Vec<Draft>, SourceError> {
    let document = std::str::from_utf8(document).map_err(|e| SourceError::Parse {
        source_name: SOURCE,
        message: format!("not UTF-8 text: {e}"),
    })?;
    Ok(postings(document)
        .iter()
        .filter_map(|posting| draft(posting, page_url, company, now))
        .collect())
}

/// A `JobPosting` as a draft; `None` without a title.
pub fn draft(
    posting: &Value,
    page_url: Option<&str>,
    company: Option<&str>,
    now: i64,
) -> Option<Draft> {
    let get = |key: &str| posting.get(key).filter(|v| !v.is_null());
    let title = clean(get("title").and_then(Value::as_str))?;
    let organization = match get("hiringOrganization") {
        Some(Value::String(name)) => clean(Some(name)),
        Some(org) => clean(org.get("name").and_then(Value::as_str)),
        None => None,
    };
    let places: Vec<String> = match get("jobLocation") {
        Some(Value::Array(items)) => items.iter().filter_map(place).collect(),
        Some(one) => place(one).into_iter().collect(),
        None => Vec::new(),
    };
    let telecommute = get("jobLocationType")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("TELECOMMUTE"));
    let applicant_area = match get("applicantLocationRequirements") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(area_name)
            .collect::<Vec<_>>()
            .join(", "),
        Some(one) => area_name(one).unwrap_or_default(),
        None => String::new(),
    };
    let location = if !places.is_empty() {
        Some(places.join("; "))
    } else if telecommute {
        Some(if applicant_area.is_empty() {
            "Remote".to_owned()
        } else {
            format!("Remote ({applicant_area})")
        })
    } else {
        None
    };
    // TELECOMMUTE beside an office is remote-eligible rather than fully remote.
    let remote = telecommute.then_some(if places.is_empty() {
        Remote::Remote
    } else {
        Remote::Hybrid
    });
    let employment = match get("employmentType") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find_map(employment_type),
        Some(Value::String(kind)) => kind.split(',').find_map(employment_type),
        _ => None,
    };
    let identifier = match get("identifier") {
        Some(Value::Object(id)) => text(id.get("value")),
        other => text(other),
    };
    let url = clean(get("url").and_then(Value::as_str))
        .or_else(|| page_url.map(str::to_owned))
        .unwrap_or_default();
    let mut description = get("description")
        .and_then(Value::as_str)
        .map(|d| {
            // Some sites entity-escape the HTML inside the JSON, wholly or in part.
            let escaped_tags = ["&lt;br", "&lt;p", "&lt;/", "&lt;li", "&lt;div", "&lt;ul"];
            if escaped_tags.iter().any(|t| d.contains(t)) {
                crate::sources::html::unescape_once(d)
            } else {
                d.to_owned()
            }
        })
        .unwrap_or_default();
    if description.trim().is_empty() {
        // No description, but its parts (TSMC): responsibilities, qualifications and so on.
        description = [
            ("Responsibilities", "responsibilities"),
            ("Qualifications", "qualifications"),
            ("Skills", "skills"),
            ("Experience", "experienceRequirements"),
            ("Education", "educationRequirements"),
            ("Benefits", "jobBenefits"),
        ]
        .iter()
        .filter_map(|(heading, key)| {
            let body = get(key)?.as_str()?;
            Some(format!("<h3>{}</h3>{body}", html_escape(heading)))
        })
        .collect();
    }
    let salary = get("baseSalary")
        .or_else(|| get("estimatedSalary"))
        .and_then(|s| base_salary(s, get("salaryCurrency").and_then(Value::as_str)))
        .or_else(|| {
            // iCIMS writes the whole range into `salaryCurrency`: "USD $190,000.00 - USD
            // $200,000.00 /Yr.". The code says what the marks mean.
            let words = get("salaryCurrency")?.as_str()?;
            let code = words
                .split_whitespace()
                .find(|w| w.len() == 3 && w.chars().all(|c| c.is_ascii_uppercase()))?;
            let marks_only = words.replace(&format!("{code} "), "");
            let mut found = crate::sources::salary::from_text(&marks_only, Some(code))?;
            found.currency = Some(code.to_owned());
            Some(found)
        });
    Some(Draft {
        source: SOURCE,
        // Sites number their postings themselves ("16567"), so an identifier is only unique
        // on its own site: qualified by the host, two sites' job 1 stay two jobs.
        source_id: identifier.map(|id| {
            match url::Url::parse(&url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
            {
                Some(host) => format!("{host}:{id}"),
                None => id,
            }
        }),
        url,
        apply_url: None,
        title,
        company: organization
            .or_else(|| company.map(str::to_owned))
            .unwrap_or_default(),
        location,
        remote,
        employment_type: employment,
        department: None,
        salary,
        posted_at: get("datePosted")
            .and_then(Value::as_str)
            .and_then(|d| parse_date(d, now)),
        description_html: description,
    })
}

/// "Locality, Region, Country" of a `Place` (or a bare string); placeholders dropped.
fn place(value: &Value) -> Option<String> {
    if let Some(name) = value.as_str() {
        return clean(Some(name));
    }
    let address = value.get("address").unwrap_or(value);
    if let Some(line) = address.as_str() {
        return clean(Some(line));
    }
    let field = |key: &str| match address.get(key) {
        Some(Value::Object(o)) => clean(o.get("name").and_then(Value::as_str)),
        Some(v) => clean(v.as_str()),
        None => None,
    };
    let mut parts: Vec<String> = Vec::new();
    for key in ["addressLocality", "addressRegion", "addressCountry"] {
        if let Some(part) = field(key).filter(|p| !parts.contains(p)) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        parts.extend(field("streetAddress"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn area_name(value: &Value) -> Option<String> {
    clean(value.get("name").and_then(Value::as_str).or(value.as_str()))
}

/// `{currency, value: {minValue, maxValue | value, unitText}}`, with strings, floats, zeros
/// and empty strings as real pages write them.
fn base_salary(value: &Value, top_currency: Option<&str>) -> Option<model::Salary> {
    let currency = value
        .get("currency")
        .and_then(Value::as_str)
        .and_then(|c| clean(Some(c)))
        .or_else(|| {
            top_currency
                .map(str::trim)
                .filter(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()))
                .map(str::to_owned)
        });
    let amount = value.get("value").unwrap_or(value);
    let (min, max) = match amount {
        Value::Object(q) => {
            let single = number(q.get("value"));
            (
                number(q.get("minValue")).or(single),
                number(q.get("maxValue")).or(single),
            )
        }
        other => (number(Some(other)), number(Some(other))),
    };
    let unit = amount
        .get("unitText")
        .or_else(|| value.get("unitText"))
        .and_then(Value::as_str)
        .unwrap_or("YEAR")
        .to_uppercase();
    let period = salary_period(&unit).unwrap_or(SalaryPeriod::Year);
    salary(min, max, currency.as_deref(), period)
}

/// Links on the page that look like job pages of the same site.
pub(crate) fn job_links(page: &str, page_url: &url::Url) -> Vec<url::Url> {
    let document = Html::parse_document(page);
    let mut seen = HashSet::new();
    document
        .select(&LINKS)
        .filter_map(|a| page_url.join(a.value().attr("href")?).ok())
        .filter(|link| {
            link.host_str() == page_url.host_str()
                && matches!(link.scheme(), "http" | "https")
                && link.path() != page_url.path()
                && ["job", "position", "opening", "vacanc", "stelle", "role"]
                    .iter()
                    .any(|w| link.path().to_lowercase().contains(w))
        })
        .map(|mut link| {
            link.set_fragment(None);
            link
        })
        .filter(|link| seen.insert(link.to_string()))
        .collect()
}

/// A careers site (`board.token` is its URL): the postings on the page itself, else those of
/// the job pages it links to (at most `max_details`). Pages with no posting are listed in
/// `needs_llm` with their HTML, never dropped. Complete when every linked page was read
/// (and, see [`Collected::is_complete`], once the LLM has read those).
pub async fn collect(board: &Board<'_>) -> Result<Collected, SourceError> {
    let page_url = url::Url::parse(board.token).map_err(|e| SourceError::Parse {
        source_name: SOURCE,
        message: format!("{}: not a URL: {e}", board.token),
    })?;
    let Some(fetched) = board.fetch_board(page_url.as_str()).await? else {
        return Ok(Collected::unchanged());
    };
    let text = String::from_utf8_lossy(&fetched.body).into_owned();
    let previous = Previous {
        validators: fetched.validators.clone(),
        hash: Some(content_hash(&fetched.body)),
    };
    let here = parse(
        text.as_bytes(),
        Some(page_url.as_str()),
        board.company,
        board.now,
    )?;
    if !here.is_empty() {
        let mut collected = Collected::complete(here, fetched);
        collected.previous = previous;
        return Ok(collected);
    }
    let links = job_links(&text, &page_url);
    let mut collected = Collected {
        previous,
        complete: links.len() <= board.max_details,
        ..Collected::default()
    };
    let mut raw = fetched.body;
    let mut drafts = Vec::new();
    for link in links.iter().take(board.max_details) {
        match board.http.get_page(link.as_str()).await {
            Ok(page) => {
                let found = parse(&page.body, Some(link.as_str()), board.company, board.now)?;
                if found.is_empty() {
                    collected.needs_llm.push(PlainPage {
                        url: link.to_string(),
                        html: String::from_utf8_lossy(&page.body).into_owned(),
                        list: false,
                    });
                }
                drafts.extend(found);
                raw.extend_from_slice(format!("\n<!-- jobscout: {link} -->\n").as_bytes());
                raw.extend_from_slice(&page.body);
            }
            // A dead link is not a job (a vanished job is simply gone); anything else leaves
            // the board's state unknown.
            Err(e) if matches!(e.status(), Some(404 | 410)) => {}
            Err(e) => {
                collected.complete = false;
                collected.skipped.push(e.to_string());
            }
        }
    }
    if links.is_empty() {
        // Neither postings nor job links: the LLM lists the page's job links first.
        collected.needs_llm.push(PlainPage {
            url: page_url.to_string(),
            html: text.clone(),
            list: true,
        });
    }
    if links.len() > board.max_details {
        collected.skipped.push(format!(
            "followed the first {} of {} job links",
            board.max_details,
            links.len()
        ));
    }
    collected.jobs = drafts.into_iter().map(Draft::finish).collect();
    collected.raw = raw;
    Ok(collected)
}

/// JsonLd behind the [`Source`](crate::sources::Source) interface.
pub struct JsonLd;

impl crate::sources::Source for JsonLd {
    fn name(&self) -> &'static str {
        SOURCE
    }

    fn parse(
        &self,
        body: &[u8],
        url: Option<&str>,
        company: Option<&str>,
        now: i64,
    ) -> Result<Vec<Draft>, SourceError> {
        parse(body, url, company, now)
    }

    fn collect<'a>(
        &'a self,
        board: &'a Board<'a>,
    ) -> impl std::future::Future<Output = Result<Collected, SourceError>> + Send + 'a {
        collect(board)
    }
}

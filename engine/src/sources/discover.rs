//! What a careers page that is not an ATS address holds, from one fetch (plus a look at a few
//! of its job pages): an embedded ATS board (an iframe, script or link pointing at a known
//! provider), schema.org JSON-LD postings, or only prose for the LLM.

use super::detect::{Detected, Provider, detect};
use super::http::HttpClient;
use super::{SourceError, jsonld};
use scraper::{Html, Selector};
use std::sync::LazyLock;

/// How a site's jobs can be collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovery {
    /// The page embeds a known ATS: collect that board instead.
    Board { provider: Provider, token: String },
    /// JSON-LD postings on the page or on the job pages it links to.
    JsonLd { url: String },
    /// Neither: the LLM extractor's work.
    NeedsLlm { url: String },
}

static EMBEDS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("iframe[src], script[src], a[href], link[href], form[action]")
        .expect("selector")
});

/// Job pages examined for JSON-LD when the list page has none.
const SAMPLED_JOB_PAGES: usize = 3;

/// The first known ATS board the page points at. Embeds (iframes, scripts) win over links.
pub fn embedded_board(page: &str, page_url: &url::Url) -> Option<(Provider, String)> {
    let document = Html::parse_document(page);
    let mut links = Vec::new();
    for element in document.select(&EMBEDS) {
        let value = element.value();
        let Some(target) = value
            .attr("src")
            .or(value.attr("href"))
            .or(value.attr("action"))
        else {
            continue;
        };
        let Ok(target) = page_url.join(target) else {
            continue;
        };
        if target.host_str() == page_url.host_str() {
            continue;
        }
        if let Ok(Detected::Board { provider, token }) = detect(target.as_str()) {
            if matches!(value.name(), "iframe" | "script") {
                return Some((provider, token));
            }
            links.push((provider, token));
        }
    }
    links.into_iter().next()
}

/// Fetches `url` once (and up to three of its job pages) to decide how to collect it.
pub async fn discover(http: &HttpClient, url: &str) -> Result<Discovery, SourceError> {
    let page_url = url::Url::parse(url).map_err(|e| SourceError::Parse {
        source_name: "careers page",
        message: format!("{url}: not a URL: {e}"),
    })?;
    let fetched = http.get_page(page_url.as_str()).await?;
    let final_url = url::Url::parse(&fetched.url).unwrap_or(page_url);
    let page = String::from_utf8_lossy(&fetched.body);
    if let Some((provider, token)) = embedded_board(&page, &final_url) {
        return Ok(Discovery::Board { provider, token });
    }
    let found = Discovery::JsonLd {
        url: final_url.to_string(),
    };
    if !jsonld::postings(&page).is_empty() {
        return Ok(found);
    }
    for link in jsonld::job_links(&page, &final_url)
        .iter()
        .take(SAMPLED_JOB_PAGES)
    {
        if let Ok(job_page) = http.get_page(link.as_str()).await
            && !jsonld::postings(&String::from_utf8_lossy(&job_page.body)).is_empty()
        {
            return Ok(found);
        }
    }
    Ok(Discovery::NeedsLlm {
        url: final_url.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_boards_embedded_in_company_pages() {
        let at = url::Url::parse("https://acme.example/careers").unwrap();
        let iframe = r#"<a href="https://jobs.lever.co/other">x</a>
            <iframe src="https://boards.greenhouse.io/embed/job_board?for=acme"></iframe>"#;
        assert_eq!(
            embedded_board(iframe, &at),
            Some((Provider::Greenhouse, "acme".into())),
            "an embed wins over a link"
        );
        let link = r#"<a href="https://jobs.ashbyhq.com/Acme">Open roles</a>"#;
        assert_eq!(
            embedded_board(link, &at),
            Some((Provider::Ashby, "Acme".into()))
        );
        let own = r#"<a href="/jobs/1">Our job</a><script src="/app.js"></script>"#;
        assert_eq!(embedded_board(own, &at), None);
    }
}

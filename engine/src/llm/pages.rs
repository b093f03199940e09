//! The LLM's part of a collection: the pages a careers site left without structured data
//! ([`Collected::needs_llm`]) read by the extractor. A list page goes in two steps (its job
//! links first, then each job page, at most `max_details`); a job page in one. Pages are
//! read concurrently (the extractor bounds the calls); a page that fails is noted and leaves
//! the collection incomplete, and the others still count.

use super::{Extractor, Page};
use crate::sources::draft::Draft;
use crate::sources::{Board, Collected, PlainPage, jsonld};
use tokio::task::JoinSet;

/// Reads every page in `collected.needs_llm` into `collected.jobs`.
pub async fn read_pages(
    extractor: &Extractor,
    board: &Board<'_>,
    company_id: Option<i64>,
    collected: &mut Collected,
) {
    let company = board.company.unwrap_or(board.token).to_owned();
    let mut pages = Vec::new();
    for page in std::mem::take(&mut collected.needs_llm) {
        if page.list {
            match job_pages(extractor, board, &company, company_id, &page, collected).await {
                Ok(found) => pages.extend(found),
                Err(error) => fail(collected, &page.url, &error),
            }
        } else {
            pages.push(page);
        }
    }
    let mut tasks = JoinSet::new();
    for (index, page) in pages.into_iter().enumerate() {
        let (extractor, company) = (extractor.clone(), company.clone());
        tasks.spawn(async move {
            let result = match url::Url::parse(&page.url) {
                Ok(url) => {
                    extractor
                        .jobs(&Page {
                            url: &url,
                            html: &page.html,
                            company: &company,
                            company_id,
                        })
                        .await
                }
                Err(e) => Err(super::LlmError::Invalid(format!("not a URL: {e}"))),
            };
            (index, page.url, result)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => results.push(result),
            Err(e) => collected
                .skipped
                .push(format!("an LLM page task failed: {e}")),
        }
    }
    // In page order, so a run's jobs come out the same however the calls interleave.
    results.sort_by_key(|(index, _, _)| *index);
    for (_, url, result) in results {
        match result {
            Ok(drafts) => collected.jobs.extend(drafts.into_iter().map(Draft::finish)),
            Err(error) => fail(collected, &url, &error),
        }
    }
}

/// Step one for a list page: the job links the LLM finds, each page fetched (politely, with
/// robots.txt) and read for JSON-LD first; the pages without are returned for step two.
async fn job_pages(
    extractor: &Extractor,
    board: &Board<'_>,
    company: &str,
    company_id: Option<i64>,
    list: &PlainPage,
    collected: &mut Collected,
) -> Result<Vec<PlainPage>, super::LlmError> {
    let url = url::Url::parse(&list.url)
        .map_err(|e| super::LlmError::Invalid(format!("not a URL: {e}")))?;
    let links = extractor
        .links(&Page {
            url: &url,
            html: &list.html,
            company,
            company_id,
        })
        .await?;
    if links.len() > board.max_details {
        collected.complete = false;
        collected.skipped.push(format!(
            "followed the first {} of {} job links",
            board.max_details,
            links.len()
        ));
    }
    let mut pages = Vec::new();
    for link in links.into_iter().take(board.max_details) {
        match board.http.get_page(link.as_str()).await {
            Ok(fetched) => {
                let found =
                    jsonld::parse(&fetched.body, Some(link.as_str()), board.company, board.now)
                        .unwrap_or_default();
                if found.is_empty() {
                    pages.push(PlainPage {
                        url: link.to_string(),
                        html: String::from_utf8_lossy(&fetched.body).into_owned(),
                        list: false,
                    });
                } else {
                    collected.jobs.extend(found.into_iter().map(Draft::finish));
                }
            }
            Err(e) if matches!(e.status(), Some(404 | 410)) => {}
            Err(e) => {
                collected.complete = false;
                collected.skipped.push(e.to_string());
            }
        }
    }
    Ok(pages)
}

fn fail(collected: &mut Collected, url: &str, error: &super::LlmError) {
    collected.complete = false;
    collected.skipped.push(format!("{url}: {error}"));
}

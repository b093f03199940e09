//! Public job-board APIs that saved searches query, key-free: Remotive
//! (`/api/remote-jobs?search=&limit=`, remote jobs only), RemoteOK (`/api?tag=`, a bare array
//! whose first element is a legal notice) and Arbeitnow (`/api/job-board-api?page=N`, every
//! job, 100 a page, no search: filtered here). Each answers normalized jobs like every source.

use super::draft::{Draft, salary};
use super::fields::{employment_type, parse_date};
use super::providers::{decode, number, text};
use super::{HttpClient, SourceError};
use crate::config::SourcesConfig;
use model::{NewJob, Remote, SalaryPeriod};
use serde::Deserialize;
use serde_json::Value;

/// Arbeitnow pages read at most for one search (100 jobs each).
pub const ARBEITNOW_MAX_PAGES: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobBoard {
    Remotive,
    RemoteOk,
    Arbeitnow,
}

impl JobBoard {
    pub const ALL: [JobBoard; 3] = [JobBoard::Remotive, JobBoard::RemoteOk, JobBoard::Arbeitnow];

    pub fn as_str(self) -> &'static str {
        match self {
            JobBoard::Remotive => "remotive",
            JobBoard::RemoteOk => "remoteok",
            JobBoard::Arbeitnow => "arbeitnow",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            JobBoard::Remotive => "Remotive",
            JobBoard::RemoteOk => "RemoteOK",
            JobBoard::Arbeitnow => "Arbeitnow",
        }
    }

    pub fn parse(name: &str) -> Option<JobBoard> {
        JobBoard::ALL.into_iter().find(|b| b.as_str() == name)
    }

    fn base_url(self, sources: &SourcesConfig) -> &str {
        match self {
            JobBoard::Remotive => &sources.remotive.base_url,
            JobBoard::RemoteOk => &sources.remoteok.base_url,
            JobBoard::Arbeitnow => &sources.arbeitnow.base_url,
        }
        .trim_end_matches('/')
    }
}

/// What a saved search asks a board for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSpec {
    pub query: String,
    pub location: String,
    pub remote_only: bool,
    pub limit: usize,
}

impl SearchSpec {
    /// Lowercase words; `+` and `#` belong to words, so "c++" and "c#" are not "c".
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    /// Every query word appears in the title, company or tags; the location (when given)
    /// appears in the job's location; remote when asked.
    fn accepts(&self, job: &NewJob, tags: &[String]) -> bool {
        let haystack = format!("{} {} {}", job.title, job.company, tags.join(" ")).to_lowercase();
        let haystack = Self::words(&haystack);
        let query_ok = Self::words(&self.query)
            .iter()
            .all(|w| haystack.contains(w));
        let place = Self::words(&self.location);
        let location = Self::words(job.location.as_deref().unwrap_or(""));
        let location_ok = place.is_empty() || place.iter().all(|w| location.contains(w));
        let remote_ok = !self.remote_only || job.remote == Some(Remote::Remote);
        query_ok && location_ok && remote_ok
    }
}

/// Queries one board and answers at most `spec.limit` matching jobs.
pub async fn search(
    http: &HttpClient,
    sources: &SourcesConfig,
    board: JobBoard,
    spec: &SearchSpec,
    now: i64,
) -> Result<Vec<NewJob>, SourceError> {
    let base = board.base_url(sources);
    let mut found: Vec<NewJob> = Vec::new();
    let keep = |jobs: Tagged, found: &mut Vec<NewJob>| {
        for (draft, tags) in jobs {
            let job = draft.finish();
            if found.len() < spec.limit && spec.accepts(&job, &tags) {
                found.push(job);
            }
        }
    };
    match board {
        JobBoard::Remotive => {
            let url = format!(
                "{base}/api/remote-jobs?search={}&limit={}",
                encode(&spec.query),
                spec.limit
            );
            keep(remotive(&http.get(&url).await?.body, now)?, &mut found);
        }
        JobBoard::RemoteOk => {
            // RemoteOK searches by one tag: the query's first word; the rest is filtered here.
            let tag = SearchSpec::words(&spec.query)
                .into_iter()
                .next()
                .unwrap_or_default();
            let url = if tag.is_empty() {
                format!("{base}/api")
            } else {
                format!("{base}/api?tag={}", encode(&tag))
            };
            keep(remoteok(&http.get(&url).await?.body)?, &mut found);
        }
        JobBoard::Arbeitnow => {
            let mut next = Some(format!("{base}/api/job-board-api?page=1"));
            let mut pages = 0;
            while let Some(url) = next.take() {
                if pages == ARBEITNOW_MAX_PAGES || found.len() >= spec.limit {
                    break;
                }
                let (jobs, following) = arbeitnow(&http.get(&url).await?.body)?;
                keep(jobs, &mut found);
                pages += 1;
                // Only follow links on the same board (a page may not send us elsewhere).
                next = following.filter(|n| n.starts_with(base));
            }
        }
    }
    Ok(found)
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.trim().bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn tag_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.as_str().map(str::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct RemotiveList {
    jobs: Vec<Value>,
}

/// Remotive: every job is remote; `publication_date` has no zone (UTC); salary is free text.
pub fn remotive(body: &[u8], now: i64) -> Result<Tagged, SourceError> {
    let list: RemotiveList = decode("remotive", body)?;
    Ok(list
        .jobs
        .iter()
        .filter_map(|job| {
            let title = text(job.get("title"))?;
            let company = text(job.get("company_name"))?;
            let salary_text = text(job.get("salary")).unwrap_or_default();
            let description = format!(
                "{}{}",
                text(job.get("description")).unwrap_or_default(),
                if salary_text.is_empty() {
                    String::new()
                } else {
                    format!("<p>Salary: {salary_text}</p>")
                }
            );
            let draft = Draft {
                source: "remotive",
                source_id: text(job.get("id")),
                url: text(job.get("url"))?,
                title,
                company,
                location: text(job.get("candidate_required_location")),
                remote: Some(Remote::Remote),
                employment_type: text(job.get("job_type"))
                    .as_deref()
                    .and_then(employment_type),
                department: text(job.get("category")),
                posted_at: text(job.get("publication_date")).and_then(|d| parse_date(&d, now)),
                description_html: description,
                ..Draft::default()
            };
            Some((draft, tag_list(job.get("tags"))))
        })
        .collect())
}

/// RemoteOK: skip the legal notice; annual USD salaries where both are non-zero.
pub fn remoteok(body: &[u8]) -> Result<Tagged, SourceError> {
    let items: Vec<Value> = decode("remoteok", body)?;
    Ok(items
        .iter()
        .filter(|item| item.get("position").is_some())
        .filter_map(|job| {
            let draft = Draft {
                source: "remoteok",
                source_id: text(job.get("id")),
                url: text(job.get("url"))?,
                apply_url: text(job.get("apply_url")),
                title: text(job.get("position"))?,
                company: text(job.get("company"))?,
                location: text(job.get("location")),
                remote: Some(Remote::Remote),
                salary: salary(
                    number(job.get("salary_min")),
                    number(job.get("salary_max")),
                    Some("USD"),
                    SalaryPeriod::Year,
                ),
                posted_at: number(job.get("epoch")).map(|e| e as i64),
                description_html: text(job.get("description")).unwrap_or_default(),
                ..Draft::default()
            };
            Some((draft, tag_list(job.get("tags"))))
        })
        .collect())
}

#[derive(Deserialize)]
struct ArbeitnowPage {
    data: Vec<Value>,
    #[serde(default)]
    links: ArbeitnowLinks,
}

#[derive(Deserialize, Default)]
struct ArbeitnowLinks {
    next: Option<String>,
}

/// A board's jobs before filtering, each with its tags (matched by the search's words).
pub type Tagged = Vec<(Draft, Vec<String>)>;

/// Arbeitnow: one page and the next page's URL; `remote` is a boolean, `created_at` epoch secs.
pub fn arbeitnow(body: &[u8]) -> Result<(Tagged, Option<String>), SourceError> {
    let page: ArbeitnowPage = decode("arbeitnow", body)?;
    let jobs = page
        .data
        .iter()
        .filter_map(|job| {
            let remote = job.get("remote").and_then(Value::as_bool).unwrap_or(false);
            let job_type = job
                .get("job_types")
                .and_then(Value::as_array)
                .and_then(|t| t.first())
                .and_then(Value::as_str)
                .and_then(employment_type);
            let tags = tag_list(job.get("tags"));
            let draft = Draft {
                source: "arbeitnow",
                source_id: text(job.get("slug")),
                url: text(job.get("url"))?,
                title: text(job.get("title"))?,
                company: text(job.get("company_name"))?,
                location: text(job.get("location")),
                // `false` only says "not fully remote": the location's words decide the rest.
                remote: remote.then_some(Remote::Remote),
                employment_type: job_type,
                department: tags.first().cloned(),
                posted_at: number(job.get("created_at")).map(|e| e as i64),
                description_html: text(job.get("description")).unwrap_or_default(),
                ..Draft::default()
            };
            Some((draft, tags))
        })
        .collect();
    Ok((jobs, page.links.next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(query: &str, location: &str, remote_only: bool) -> SearchSpec {
        SearchSpec {
            query: query.into(),
            location: location.into(),
            remote_only,
            limit: 100,
        }
    }

    #[test]
    fn remoteok_skips_its_legal_notice_and_keeps_usd_salaries() {
        let body = br#"[{"legal":"terms"},{"id":"7","position":"Rust Engineer","company":"Acme","url":"https://remoteok.com/x","epoch":1764300000,"salary_min":120000,"salary_max":0,"tags":["rust"],"location":"Worldwide","description":"<p>Hi</p>"}]"#;
        let jobs = remoteok(body).unwrap();
        assert_eq!(jobs.len(), 1);
        let job = jobs[0].0.clone().finish();
        assert_eq!(
            (job.title.as_str(), job.company.as_str()),
            ("Rust Engineer", "Acme")
        );
        let pay = job.salary.unwrap();
        assert_eq!(
            (pay.min, pay.max, pay.currency.as_deref()),
            (Some(120000.0), None, Some("USD"))
        );
        assert_eq!(job.posted_at, Some(1764300000));
    }

    #[test]
    fn remotive_dates_without_a_zone_are_utc_and_every_job_is_remote() {
        let body = br#"{"job-count":1,"jobs":[{"id":12,"url":"https://remotive.com/j/12","title":"Data Analyst","company_name":"Beta","category":"Data","tags":["sql"],"job_type":"full_time","publication_date":"2026-11-20T10:00:00","candidate_required_location":"Germany","salary":"","description":"<p>x</p>"}]}"#;
        let jobs = remotive(body, 1_800_000_000).unwrap();
        let job = jobs[0].0.clone().finish();
        assert_eq!(job.remote, Some(Remote::Remote));
        assert_eq!(
            job.posted_at,
            model::time::parse_rfc3339("2026-11-20T10:00:00Z")
        );
        assert_eq!(job.source_id.as_deref(), Some("12"));
    }

    #[test]
    fn arbeitnow_pages_link_to_the_next() {
        let body = br#"{"data":[{"slug":"a-1","company_name":"Gamma","title":"Backend Developer","description":"","remote":false,"url":"https://arbeitnow.com/jobs/a-1","tags":["Engineering"],"job_types":["full time"],"location":"Berlin","created_at":1764300000}],"links":{"next":"https://www.arbeitnow.com/api/job-board-api?page=2"}}"#;
        let (jobs, next) = arbeitnow(body).unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(
            next.as_deref(),
            Some("https://www.arbeitnow.com/api/job-board-api?page=2")
        );
        assert!(matches!(
            remotive(b"{oops", 0),
            Err(SourceError::Parse { .. })
        ));
    }

    #[test]
    fn a_search_matches_words_place_and_remote() {
        let job = Draft {
            source: "arbeitnow",
            url: "https://x".into(),
            title: "Senior Rust Engineer".into(),
            company: "Acme".into(),
            location: Some("Berlin, Germany".into()),
            ..Draft::default()
        }
        .finish();
        assert!(spec("rust", "", false).accepts(&job, &[]));
        assert!(spec("RUST senior", "germany", false).accepts(&job, &[]));
        assert!(!spec("c++ (senior)", "", false).accepts(&job, &["c".into()]));
        assert!(!spec("rust", "paris", false).accepts(&job, &[]));
        assert!(!spec("rust", "", true).accepts(&job, &[]), "not remote");
        assert!(
            spec("backend", "", false).accepts(&job, &["backend".into()]),
            "tags count"
        );
    }
}

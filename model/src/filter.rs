//! The job list's filters and sort, and their query-string form. The same parser serves the
//! JSON API (`/api/v1/jobs?...`) and the Jobs page's URL, so a filter shared as a link means the
//! same thing everywhere, and every bad value is reported with the parameter it came from.

use crate::job::{Remote, Stage};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Longest search text accepted; longer input is an error, not silently cut.
pub const MAX_QUERY_CHARS: usize = 500;
/// Page size bounds.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Posting date (or first seen), newest first. The default without a search.
    #[default]
    Newest,
    /// Highest yearly salary first (approximate across currencies); jobs without one last.
    Salary,
    /// Best match first. The default with a search.
    Relevance,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Salary => "salary",
            Sort::Relevance => "relevance",
        }
    }
}

/// Whether archived (or closed) jobs are left out, shown with the rest, or shown alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Inclusion {
    #[default]
    Exclude,
    Include,
    Only,
}

impl Inclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Inclusion::Exclude => "exclude",
            Inclusion::Include => "include",
            Inclusion::Only => "only",
        }
    }
}

/// Everything the Jobs page can filter and sort by. `Default` is the default list: every
/// active job, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobFilter {
    pub q: Option<String>,
    pub company: Option<i64>,
    pub stage: Option<Stage>,
    pub starred: Option<bool>,
    pub remote: Option<Remote>,
    /// Yearly salary bounds, in `currency` when given, else approximate US dollars.
    pub salary_min: Option<f64>,
    pub salary_max: Option<f64>,
    pub currency: Option<String>,
    /// Posted (or first seen) within this many days.
    pub posted_within: Option<u32>,
    pub source: Option<String>,
    /// First seen at or after this time (unix seconds): "new since you last looked".
    pub new_since: Option<i64>,
    /// Found by this saved search.
    pub search: Option<i64>,
    pub archived: Inclusion,
    pub closed: Inclusion,
    /// `None` picks relevance when searching, newest otherwise.
    pub sort: Option<Sort>,
}

impl JobFilter {
    /// The search text, trimmed, when there is any.
    pub fn query(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }

    pub fn effective_sort(&self) -> Sort {
        match (self.sort, self.query()) {
            (Some(Sort::Relevance), None) => Sort::Newest,
            (Some(sort), _) => sort,
            (None, Some(_)) => Sort::Relevance,
            (None, None) => Sort::Newest,
        }
    }
}

/// A list request: the filter, where to continue, how many.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobQuery {
    pub filter: JobFilter,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// A query parameter that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamError {
    pub param: String,
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.param, self.message)
    }
}

impl std::error::Error for ParamError {}

impl JobQuery {
    pub const PARAMS: &'static [&'static str] = &[
        "q",
        "company",
        "stage",
        "starred",
        "remote",
        "salary_min",
        "salary_max",
        "currency",
        "posted_within",
        "source",
        "new_since",
        "search",
        "archived",
        "closed",
        "sort",
        "limit",
        "cursor",
    ];

    /// Parses decoded `(name, value)` pairs. Empty values mean "not set" (what an HTML form
    /// sends for an untouched field); unknown names, repeats and bad values are errors.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ParamError> {
        let mut query = JobQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in pairs {
            let err = |message: String| ParamError {
                param: name.to_owned(),
                message,
            };
            if !Self::PARAMS.contains(&name) {
                return Err(err(format!(
                    "unknown parameter; expected one of {}",
                    Self::PARAMS.join(", ")
                )));
            }
            if seen.contains(&name) {
                return Err(err("given more than once".into()));
            }
            seen.push(name);
            let raw = value;
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let f = &mut query.filter;
            match name {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(err(format!("longer than {MAX_QUERY_CHARS} characters")));
                    }
                    // A trailing space is meaningful to search-as-you-type: the word is finished.
                    f.q = Some(raw.trim_start().to_owned());
                }
                "company" => f.company = Some(parse_id(value).map_err(err)?),
                "stage" => f.stage = Some(value.parse().map_err(err)?),
                "starred" => f.starred = Some(parse_bool(value).map_err(err)?),
                "remote" => f.remote = Some(value.parse().map_err(err)?),
                "salary_min" => f.salary_min = Some(parse_amount(value).map_err(err)?),
                "salary_max" => f.salary_max = Some(parse_amount(value).map_err(err)?),
                "currency" => {
                    if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
                        return Err(err(
                            "expected a three-letter ISO 4217 code such as EUR".into()
                        ));
                    }
                    f.currency = Some(value.to_ascii_uppercase());
                }
                "posted_within" => {
                    f.posted_within = Some(match value.parse::<u32>() {
                        Ok(days) if (1..=3650).contains(&days) => days,
                        _ => return Err(err("expected a number of days from 1 to 3650".into())),
                    })
                }
                "source" => {
                    if value.len() > 40
                        || !value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                    {
                        return Err(err("expected a source name such as greenhouse".into()));
                    }
                    f.source = Some(value.to_ascii_lowercase());
                }
                "new_since" => {
                    f.new_since = Some(match value.parse::<i64>() {
                        Ok(secs) if secs >= 0 => secs,
                        _ => return Err(err("expected a time in seconds since 1970".into())),
                    })
                }
                "search" => f.search = Some(parse_id(value).map_err(err)?),
                "archived" => f.archived = parse_inclusion(value).map_err(err)?,
                "closed" => f.closed = parse_inclusion(value).map_err(err)?,
                "sort" => {
                    f.sort = Some(match value {
                        "newest" => Sort::Newest,
                        "salary" => Sort::Salary,
                        "relevance" => Sort::Relevance,
                        _ => return Err(err("expected newest, salary or relevance".into())),
                    })
                }
                "limit" => {
                    query.limit = Some(match value.parse::<u32>() {
                        Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                        _ => return Err(err(format!("expected a number from 1 to {MAX_LIMIT}"))),
                    })
                }
                "cursor" => {
                    if value.len() > 200 {
                        return Err(err("not a cursor this server issued".into()));
                    }
                    query.cursor = Some(value.to_owned());
                }
                _ => unreachable!("every name in PARAMS is handled"),
            }
        }
        if let (Some(min), Some(max)) = (query.filter.salary_min, query.filter.salary_max)
            && min > max
        {
            return Err(ParamError {
                param: "salary_min".into(),
                message: format!("{min} is more than salary_max {max}"),
            });
        }
        Ok(query)
    }

    /// The query string (without `?`) that [`JobQuery::from_pairs`] reads back to this query;
    /// defaults are left out so URLs stay short.
    pub fn to_query_string(&self) -> String {
        let f = &self.filter;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let (Some(_), Some(q)) = (f.query(), &f.q) {
            pairs.push(("q", q.trim_start().to_owned()));
        }
        if let Some(v) = f.company {
            pairs.push(("company", v.to_string()));
        }
        if let Some(v) = f.stage {
            pairs.push(("stage", v.to_string()));
        }
        if let Some(v) = f.starred {
            pairs.push(("starred", v.to_string()));
        }
        if let Some(v) = f.remote {
            pairs.push(("remote", v.to_string()));
        }
        if let Some(v) = f.salary_min {
            pairs.push(("salary_min", v.to_string()));
        }
        if let Some(v) = f.salary_max {
            pairs.push(("salary_max", v.to_string()));
        }
        if let Some(v) = &f.currency {
            pairs.push(("currency", v.clone()));
        }
        if let Some(v) = f.posted_within {
            pairs.push(("posted_within", v.to_string()));
        }
        if let Some(v) = &f.source {
            pairs.push(("source", v.clone()));
        }
        if let Some(v) = f.new_since {
            pairs.push(("new_since", v.to_string()));
        }
        if let Some(v) = f.search {
            pairs.push(("search", v.to_string()));
        }
        if f.archived != Inclusion::Exclude {
            pairs.push(("archived", f.archived.as_str().into()));
        }
        if f.closed != Inclusion::Exclude {
            pairs.push(("closed", f.closed.as_str().into()));
        }
        if let Some(v) = f.sort {
            pairs.push(("sort", v.as_str().into()));
        }
        if let Some(v) = self.limit {
            pairs.push(("limit", v.to_string()));
        }
        if let Some(v) = &self.cursor {
            pairs.push(("cursor", v.clone()));
        }
        let mut out = String::new();
        for (i, (name, value)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            percent_encode(value, &mut out);
        }
        out
    }
}

fn parse_id(value: &str) -> Result<i64, String> {
    match value.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err("expected a positive id".into()),
    }
}

fn parse_bool(value: &str) -> Result<bool, String> {
    match value {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

fn parse_amount(value: &str) -> Result<f64, String> {
    match value.replace(['_', ','], "").parse::<f64>() {
        Ok(n) if n.is_finite() && (0.0..=100_000_000.0).contains(&n) => Ok(n),
        _ => Err("expected a yearly amount from 0 to 100000000".into()),
    }
}

fn parse_inclusion(value: &str) -> Result<Inclusion, String> {
    match value {
        "exclude" | "false" => Ok(Inclusion::Exclude),
        "include" | "true" => Ok(Inclusion::Include),
        "only" => Ok(Inclusion::Only),
        _ => Err("expected exclude, include or only".into()),
    }
}

/// Percent-encodes everything outside RFC 3986's unreserved set.
fn percent_encode(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Decodes `application/x-www-form-urlencoded` (`+` is a space); invalid escapes stay as
/// written, invalid UTF-8 is replaced.
pub fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a raw query string into decoded pairs.
pub fn parse_query_string(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<JobQuery, ParamError> {
        let pairs = parse_query_string(query);
        JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    #[test]
    fn parses_every_filter() {
        let query = parse("q=rust+%22senior%22&company=3&stage=applied&starred=true&remote=remote&salary_min=80000&salary_max=150000&currency=eur&posted_within=7&source=greenhouse&new_since=1764300000&search=4&archived=include&closed=only&sort=salary&limit=20&cursor=abc").unwrap();
        let f = &query.filter;
        assert_eq!(f.q.as_deref(), Some("rust \"senior\""));
        assert_eq!(
            (f.company, f.stage, f.starred),
            (Some(3), Some(Stage::Applied), Some(true))
        );
        assert_eq!(f.remote, Some(Remote::Remote));
        assert_eq!(
            (f.salary_min, f.salary_max),
            (Some(80_000.0), Some(150_000.0))
        );
        assert_eq!(f.currency.as_deref(), Some("EUR"));
        assert_eq!(
            (f.posted_within, f.source.as_deref()),
            (Some(7), Some("greenhouse"))
        );
        assert_eq!(
            (f.archived, f.closed, f.sort),
            (Inclusion::Include, Inclusion::Only, Some(Sort::Salary))
        );
        assert_eq!(
            (query.limit, query.cursor.as_deref()),
            (Some(20), Some("abc"))
        );
        // and back
        assert_eq!(parse(&query.to_query_string()).unwrap(), query);
    }

    #[test]
    fn names_the_parameter_at_fault() {
        let cases = [
            ("colour=red", "colour"),
            ("stage=later", "stage"),
            ("limit=0", "limit"),
            ("limit=5000", "limit"),
            ("salary_min=-1", "salary_min"),
            ("salary_min=10&salary_max=5", "salary_min"),
            ("currency=euro", "currency"),
            ("company=abc", "company"),
            ("q=a&q=b", "q"),
            ("posted_within=0", "posted_within"),
            ("sort=best", "sort"),
        ];
        for (query, param) in cases {
            assert_eq!(parse(query).unwrap_err().param, param, "{query}");
        }
        assert!(parse(&format!("q={}", "x".repeat(501))).is_err());
    }

    #[test]
    fn empty_values_are_unset_and_sort_follows_the_search() {
        let query = parse("q=&stage=&sort=").unwrap();
        assert_eq!(query, JobQuery::default());
        assert_eq!(query.filter.effective_sort(), Sort::Newest);
        let search = parse("q=rust").unwrap();
        assert_eq!(search.filter.effective_sort(), Sort::Relevance);
        let odd = parse("sort=relevance").unwrap();
        assert_eq!(odd.filter.effective_sort(), Sort::Newest);
    }

    #[test]
    fn decoding_tolerates_bad_escapes() {
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz+%41"), "%zz A");
        assert_eq!(percent_decode("%F0%9F%9A%80"), "🚀");
        assert_eq!(percent_decode("%aé%"), "%aé%");
    }
}

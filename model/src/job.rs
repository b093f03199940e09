//! Jobs as every part of Jobscout sees them: the normalized job a source produces
//! ([`NewJob`], DESIGN §3), the stored job with the user's own state ([`Job`]), the row of a
//! list ([`JobSummary`]), and the small enums they share.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Defines a string-backed enum with its wire names, `ALL`, `as_str` and `FromStr`, so the
/// database, the API and the UI spell every value the same way.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "`{text}` is not one of {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum!(
    /// Where the user is with a job. Every change is logged with its time.
    Stage {
        Inbox = "inbox",
        Saved = "saved",
        Applied = "applied",
        Interviewing = "interviewing",
        Offer = "offer",
        Closed = "closed",
    }
);

impl Stage {
    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Inbox => "Inbox",
            Stage::Saved => "Saved",
            Stage::Applied => "Applied",
            Stage::Interviewing => "Interviewing",
            Stage::Offer => "Offer",
            Stage::Closed => "Closed",
        }
    }
}

wire_enum!(
    /// Where the work happens; `None` on a job means the posting does not say.
    Remote {
        Remote = "remote",
        Hybrid = "hybrid",
        Onsite = "onsite",
    }
);

wire_enum!(
    EmploymentType {
        FullTime = "full_time",
        PartTime = "part_time",
        Contract = "contract",
        Internship = "internship",
        Temporary = "temporary",
    }
);

wire_enum!(
    SalaryPeriod {
        Hour = "hour",
        Day = "day",
        Week = "week",
        Month = "month",
        Year = "year",
    }
);

impl SalaryPeriod {
    /// Paid periods in a year, for comparing salaries stated per hour, month or year.
    pub fn per_year(self) -> f64 {
        match self {
            SalaryPeriod::Hour => 2080.0,
            SalaryPeriod::Day => 260.0,
            SalaryPeriod::Week => 52.0,
            SalaryPeriod::Month => 12.0,
            SalaryPeriod::Year => 1.0,
        }
    }
}

/// A stated pay range in whole units of its currency. Either bound may be missing
/// ("from 60,000"), never both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// ISO 4217 code, or `None` when the posting does not say.
    pub currency: Option<String>,
    pub period: SalaryPeriod,
}

/// What every source produces: one normalized job (DESIGN §3). `jobscout parse` prints these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewJob {
    pub source: String,
    pub source_id: Option<String>,
    pub url: String,
    pub apply_url: Option<String>,
    pub title: String,
    pub company: String,
    pub location: Option<String>,
    pub remote: Option<Remote>,
    pub employment_type: Option<EmploymentType>,
    pub department: Option<String>,
    pub salary: Option<Salary>,
    /// RFC 3339 on the wire, unix seconds here.
    #[serde(with = "crate::serde_time::opt")]
    pub posted_at: Option<i64>,
    pub description_html: String,
    pub description_text: String,
}

/// A job as stored: the provider's fields plus what Jobscout and the user know about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: i64,
    pub company_id: Option<i64>,
    pub source: String,
    pub source_id: Option<String>,
    pub url: String,
    pub apply_url: Option<String>,
    pub title: String,
    pub company: String,
    pub location: Option<String>,
    pub remote: Option<Remote>,
    pub employment_type: Option<EmploymentType>,
    pub department: Option<String>,
    pub salary: Option<Salary>,
    #[serde(with = "crate::serde_time::opt")]
    pub posted_at: Option<i64>,
    pub description_html: String,
    pub description_text: String,
    #[serde(with = "crate::serde_time")]
    pub first_seen_at: i64,
    #[serde(with = "crate::serde_time")]
    pub last_seen_at: i64,
    #[serde(with = "crate::serde_time::opt")]
    pub closed_at: Option<i64>,
    pub stage: Stage,
    pub starred: bool,
    pub notes: String,
    #[serde(with = "crate::serde_time::opt")]
    pub archived_at: Option<i64>,
    #[serde(with = "crate::serde_time::opt")]
    pub applied_at: Option<i64>,
    /// Other jobs with the same fingerprint: the same opening found through another source.
    pub duplicates: Vec<DuplicateRef>,
    pub history: Vec<StageChange>,
    /// The saved searches (and the boards they queried) that also found this job.
    #[serde(default)]
    pub found_by: Vec<FoundBy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundBy {
    pub source: String,
    pub search_id: i64,
    pub search: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateRef {
    pub id: i64,
    pub source: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    pub from: Option<Stage>,
    pub to: Stage,
    #[serde(with = "crate::serde_time")]
    pub at: i64,
}

/// One row of the job list. `highlight` is present when the list is a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: i64,
    pub company_id: Option<i64>,
    pub title: String,
    pub company: String,
    pub location: Option<String>,
    pub remote: Option<Remote>,
    pub employment_type: Option<EmploymentType>,
    pub salary: Option<Salary>,
    pub source: String,
    pub url: String,
    #[serde(with = "crate::serde_time::opt")]
    pub posted_at: Option<i64>,
    #[serde(with = "crate::serde_time")]
    pub first_seen_at: i64,
    #[serde(with = "crate::serde_time::opt")]
    pub closed_at: Option<i64>,
    pub archived: bool,
    pub stage: Stage,
    pub starred: bool,
    pub highlight: Option<Highlight>,
}

/// Search matches marked with the private-use sentinels [`MARK_START`] and [`MARK_END`] (never
/// HTML), so the UI renders text nodes and `<mark>` without trusting any markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub title: String,
    pub snippet: String,
}

pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// Splits highlighted text into `(marked, text)` runs; stray sentinels are dropped.
pub fn marked_runs(text: &str) -> Vec<(bool, &str)> {
    let mut runs = Vec::new();
    let mut marked = false;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c == MARK_START || c == MARK_END {
            if at > start {
                runs.push((marked, &text[start..at]));
            }
            marked = c == MARK_START;
            start = at + c.len_utf8();
        }
    }
    if start < text.len() {
        runs.push((marked, &text[start..]));
    }
    runs
}

/// A page of a keyset-paginated list. `next_cursor` is opaque; `None` on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Longest notes accepted on one job.
pub const MAX_NOTES_CHARS: usize = 20_000;
/// Most jobs one bulk action may touch.
pub const MAX_BULK: usize = 1_000;

/// One change the user makes to one job or many: the columns collection never writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobChange {
    Stage(Stage),
    Starred(bool),
    Notes(String),
    Archived(bool),
}

/// Jobs per stage and per company for the current filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobCounts {
    pub total: u64,
    pub stages: Vec<(Stage, u64)>,
    /// (company id, company name, jobs), most jobs first.
    pub companies: Vec<(Option<i64>, String, u64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_their_wire_names() {
        for stage in Stage::ALL {
            assert_eq!(stage.as_str().parse::<Stage>(), Ok(*stage));
        }
        assert_eq!(
            "later".parse::<Stage>().unwrap_err(),
            "`later` is not one of inbox, saved, applied, interviewing, offer, closed"
        );
        assert_eq!(EmploymentType::FullTime.to_string(), "full_time");
    }

    #[test]
    fn marked_runs_split_on_sentinels() {
        let text = format!("a {MARK_START}rust{MARK_END} job{MARK_END}");
        assert_eq!(
            marked_runs(&text),
            vec![(false, "a "), (true, "rust"), (false, " job")]
        );
        assert_eq!(marked_runs("plain"), vec![(false, "plain")]);
        assert!(marked_runs("").is_empty());
    }
}

//! Companies as the Companies page sees them: each with its open jobs and last collection,
//! and the result of checking a careers URL before adding it.

use crate::run::{RunCounts, RunStatus};
use serde::{Deserialize, Serialize};

/// Schedules offered for companies and searches: (minutes, label). Off is `None`.
pub const SCHEDULES: [(u32, &str); 4] = [
    (60, "every hour"),
    (360, "every 6 hours"),
    (720, "every 12 hours"),
    (1440, "every day"),
];
/// The shortest schedule the database accepts.
pub const MIN_SCHEDULE_MINUTES: u32 = 5;

/// Longest company name accepted.
pub const MAX_COMPANY_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyOverview {
    pub id: i64,
    pub name: String,
    /// Provider key (`greenhouse`, `jsonld`, …) and its label ("Greenhouse").
    pub provider: String,
    pub provider_label: String,
    pub board_token: String,
    pub careers_url: Option<String>,
    pub enabled: bool,
    /// Minutes between scheduled collections; `None`: only when asked.
    pub schedule_minutes: Option<u32>,
    /// Jobs still on the board (not closed).
    pub open_jobs: u64,
    pub last_run: Option<LastCollection>,
}

/// How the company's most recent collection went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastCollection {
    pub run_id: i64,
    pub status: RunStatus,
    #[serde(with = "crate::serde_time::opt")]
    pub finished_at: Option<i64>,
    pub counts: RunCounts,
    pub error: Option<String>,
}

/// What one fetch of a careers URL found, shown before the company is added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyCheck {
    pub provider: String,
    pub provider_label: String,
    pub board_token: String,
    pub careers_url: String,
    pub name: String,
    pub jobs: usize,
    /// The site has neither an ATS board nor JSON-LD: the LLM extractor will read it.
    pub needs_llm: bool,
    pub notes: Vec<String>,
}

//! Collection runs as the UI, the API and `jobscout scrape` see them (DESIGN §3, run health).

use crate::job::wire_enum;
use serde::{Deserialize, Serialize};
use std::fmt;

wire_enum!(
    /// The health of a run, and of each company in it.
    RunStatus {
        Queued = "queued",
        Running = "running",
        Succeeded = "succeeded",
        Partial = "partial",
        Failed = "failed",
        Cancelled = "cancelled",
        /// The process died while it ran.
        Interrupted = "interrupted",
    }
);

impl RunStatus {
    pub fn is_finished(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

wire_enum!(
    /// Where one company of a run is.
    Phase {
        Queued = "queued",
        Fetching = "fetching",
        Extracting = "extracting",
        Saving = "saving",
        Done = "done",
        Failed = "failed",
        Cancelled = "cancelled",
        Interrupted = "interrupted",
    }
);

wire_enum!(
    /// What a run was asked to collect.
    RunScope {
        Company = "company",
        Companies = "companies",
        All = "all",
        Search = "search",
    }
);

wire_enum!(
    /// Who started a run.
    RunTrigger {
        Ui = "ui",
        Cli = "cli",
        Schedule = "schedule",
        Api = "api",
    }
);

/// Jobs seen, new, updated and closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCounts {
    pub seen: u64,
    pub new: u64,
    pub updated: u64,
    pub closed: u64,
}

/// One company (or saved search) of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunItem {
    pub id: i64,
    pub company_id: Option<i64>,
    pub label: String,
    pub phase: Phase,
    pub status: RunStatus,
    #[serde(with = "crate::serde_time::opt")]
    pub started_at: Option<i64>,
    #[serde(with = "crate::serde_time::opt")]
    pub finished_at: Option<i64>,
    pub counts: RunCounts,
    pub error: Option<String>,
    /// Pages left for the LLM, details that failed, bounds reached.
    pub notes: Vec<String>,
}

/// A run and its companies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: i64,
    pub scope: RunScope,
    pub trigger: RunTrigger,
    pub status: RunStatus,
    #[serde(with = "crate::serde_time")]
    pub started_at: i64,
    #[serde(with = "crate::serde_time::opt")]
    pub finished_at: Option<i64>,
    pub counts: RunCounts,
    pub error: Option<String>,
    pub items: Vec<RunItem>,
}

impl Run {
    /// The run's own fields without its companies (copied without touching them: a progress
    /// stream's first event is built this way for every browser tab).
    pub fn header(&self) -> Run {
        Run {
            id: self.id,
            scope: self.scope,
            trigger: self.trigger,
            status: self.status,
            started_at: self.started_at,
            finished_at: self.finished_at,
            counts: self.counts,
            error: self.error.clone(),
            items: Vec::new(),
        }
    }

    /// The status a finished run takes from its items: all succeeded → succeeded, none →
    /// failed, some → partial; cancelled when it was cancelled before every item finished.
    pub fn outcome(items: &[RunItem], cancelled: bool) -> RunStatus {
        let ok = |s: RunStatus| matches!(s, RunStatus::Succeeded);
        let done = items.iter().filter(|i| ok(i.status)).count();
        if cancelled && items.iter().any(|i| i.status == RunStatus::Cancelled) {
            RunStatus::Cancelled
        } else if items.is_empty() || done == items.len() {
            RunStatus::Succeeded
        } else if done == 0 && items.iter().all(|i| i.status == RunStatus::Failed) {
            RunStatus::Failed
        } else {
            RunStatus::Partial
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(status: RunStatus) -> RunItem {
        RunItem {
            id: 1,
            company_id: Some(1),
            label: "Acme".into(),
            phase: Phase::Done,
            status,
            started_at: None,
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn a_run_takes_its_health_from_its_companies() {
        use RunStatus::*;
        let outcome = |statuses: &[RunStatus], cancelled| {
            let items: Vec<RunItem> = statuses.iter().map(|s| item(*s)).collect();
            Run::outcome(&items, cancelled)
        };
        assert_eq!(outcome(&[Succeeded, Succeeded], false), Succeeded);
        assert_eq!(outcome(&[Succeeded, Failed], false), Partial);
        assert_eq!(outcome(&[Succeeded, Partial], false), Partial);
        assert_eq!(outcome(&[Failed, Failed], false), Failed);
        assert_eq!(outcome(&[Succeeded, Cancelled], true), Cancelled);
        assert_eq!(
            outcome(&[Succeeded, Succeeded], true),
            Succeeded,
            "cancelled too late"
        );
        assert_eq!(outcome(&[], false), Succeeded);
        assert!(Interrupted.is_finished() && !Running.is_finished());
        assert_eq!("partial".parse::<RunStatus>(), Ok(Partial));
    }
}

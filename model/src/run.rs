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

/// Jobs seen, new, updated and closed. A missing count reads as zero (a progress stream leaves
/// zeros out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunCounts {
    pub seen: u64,
    pub new: u64,
    pub updated: u64,
    pub closed: u64,
}

/// One company (or saved search) of a run. Every field but the id may be left out where it says
/// nothing (see [`RunItem::compact`]): the missing ones read as queued, empty and zero. A
/// missing label marks a change to an item the reader has (see [`RunItem::change`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunItem {
    pub id: i64,
    #[serde(default)]
    pub company_id: Option<i64>,
    #[serde(default)]
    pub label: String,
    #[serde(default = "queued_phase")]
    pub phase: Phase,
    #[serde(default = "queued_status")]
    pub status: RunStatus,
    #[serde(default, with = "crate::serde_time::opt")]
    pub started_at: Option<i64>,
    #[serde(default, with = "crate::serde_time::opt")]
    pub finished_at: Option<i64>,
    #[serde(default)]
    pub counts: RunCounts,
    #[serde(default)]
    pub error: Option<String>,
    /// Pages left for the LLM, details that failed, bounds reached.
    #[serde(default)]
    pub notes: Vec<String>,
}

fn queued_phase() -> Phase {
    Phase::Queued
}

fn queued_status() -> RunStatus {
    RunStatus::Queued
}

impl RunItem {
    /// A company of a run that has not started: what [`RunItem::compact`] leaves out is
    /// exactly what this one has.
    pub fn queued(id: i64, company_id: Option<i64>, label: impl Into<String>) -> Self {
        RunItem {
            id,
            company_id,
            label: label.into(),
            phase: queued_phase(),
            status: queued_status(),
            started_at: None,
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            notes: Vec::new(),
        }
    }

    /// This item without the fields that say nothing (queued, no times, zero counts, no
    /// error, no notes), for the progress stream: a 1,000-company run is sent to every open tab
    /// when it starts, and a queued company is then its id, company and name, a quarter of its
    /// full form. It reads back as the same item.
    pub fn compact(&self) -> impl Serialize + '_ {
        Compact {
            item: self,
            identity: true,
        }
    }

    /// [`RunItem::compact`] without the company and the label, which never change within a
    /// run: how a progress stream sends a company that changed to readers that have the run.
    /// [`RunItem::merge`] reads it back.
    pub fn change(&self) -> impl Serialize + '_ {
        Compact {
            item: self,
            identity: false,
        }
    }

    /// Takes what a progress stream sent for this item: the sent item as it is, except that a
    /// change (sent without its label) keeps the company and the label known here.
    pub fn merge(&mut self, mut sent: RunItem) {
        if sent.label.is_empty() {
            sent.label = std::mem::take(&mut self.label);
            sent.company_id = self.company_id;
        }
        *self = sent;
    }
}

struct Compact<'a> {
    item: &'a RunItem,
    /// With the company and the label.
    identity: bool,
}

impl Serialize for Compact<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let item = self.item;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &item.id)?;
        if self.identity {
            if let Some(company) = item.company_id {
                map.serialize_entry("company_id", &company)?;
            }
            map.serialize_entry("label", &item.label)?;
        }
        if item.phase != Phase::Queued {
            map.serialize_entry("phase", &item.phase)?;
        }
        if item.status != RunStatus::Queued {
            map.serialize_entry("status", &item.status)?;
        }
        if let Some(at) = item.started_at {
            map.serialize_entry("started_at", &crate::time::rfc3339(at))?;
        }
        if let Some(at) = item.finished_at {
            map.serialize_entry("finished_at", &crate::time::rfc3339(at))?;
        }
        if item.counts != RunCounts::default() {
            map.serialize_entry("counts", &CompactCounts(&item.counts))?;
        }
        if let Some(error) = &item.error {
            map.serialize_entry("error", error)?;
        }
        if !item.notes.is_empty() {
            map.serialize_entry("notes", &item.notes)?;
        }
        map.end()
    }
}

/// Counts without their zeros (most companies of a run add nothing new).
struct CompactCounts<'a>(&'a RunCounts);

impl Serialize for CompactCounts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let RunCounts {
            seen,
            new,
            updated,
            closed,
        } = *self.0;
        let mut map = serializer.serialize_map(None)?;
        for (name, count) in [
            ("seen", seen),
            ("new", new),
            ("updated", updated),
            ("closed", closed),
        ] {
            if count != 0 {
                map.serialize_entry(name, &count)?;
            }
        }
        map.end()
    }
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

    /// Applies a `runs` update of a progress stream to this run: its own fields, and each
    /// company sent (see [`RunItem::merge`]). Companies are kept in id order, as runs list them.
    pub fn merge(&mut self, update: Run) {
        let Run {
            status,
            finished_at,
            counts,
            error,
            items,
            ..
        } = update;
        self.status = status;
        self.finished_at = finished_at;
        self.counts = counts;
        self.error = error;
        for item in items {
            match self.items.binary_search_by_key(&item.id, |i| i.id) {
                Ok(at) => self.items[at].merge(item),
                Err(at) => self.items.insert(at, item),
            }
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

    #[test]
    fn a_compact_item_reads_back_as_the_same_item() {
        let queued = RunItem::queued(7, Some(3), "Acme \"Robotics\"");
        let json = serde_json::to_string(&queued.compact()).unwrap();
        assert_eq!(
            json,
            r#"{"id":7,"company_id":3,"label":"Acme \"Robotics\""}"#
        );
        assert_eq!(serde_json::from_str::<RunItem>(&json).unwrap(), queued);
        let finished = RunItem {
            company_id: None,
            phase: Phase::Failed,
            status: RunStatus::Partial,
            started_at: Some(1_790_000_000),
            finished_at: Some(1_790_000_042),
            counts: RunCounts {
                seen: 50,
                new: 2,
                updated: 1,
                closed: 3,
            },
            error: Some("HTTP 503".into()),
            notes: vec!["needs LLM: https://x.example/jobs/1".into()],
            ..queued.clone()
        };
        let json = serde_json::to_string(&finished.compact()).unwrap();
        assert_eq!(serde_json::from_str::<RunItem>(&json).unwrap(), finished);
        // The full form is what it was, and still reads.
        let full = serde_json::to_value(&finished).unwrap();
        assert!(full["company_id"].is_null() && full["notes"].is_array());
        assert_eq!(serde_json::from_value::<RunItem>(full).unwrap(), finished);
    }

    #[test]
    fn a_change_leaves_out_what_never_changes_and_merges_into_the_item_known() {
        let queued = RunItem::queued(7, Some(3), "Acme");
        let done = RunItem {
            phase: Phase::Done,
            status: RunStatus::Succeeded,
            started_at: Some(1_790_000_000),
            finished_at: Some(1_790_000_002),
            counts: RunCounts {
                seen: 50,
                ..RunCounts::default()
            },
            ..queued.clone()
        };
        let json = serde_json::to_string(&done.change()).unwrap();
        assert_eq!(
            json,
            r#"{"id":7,"phase":"done","status":"succeeded","started_at":"2026-09-21T14:13:20Z","finished_at":"2026-09-21T14:13:22Z","counts":{"seen":50}}"#
        );
        let mut known = queued.clone();
        known.merge(serde_json::from_str(&json).unwrap());
        assert_eq!(known, done, "the company and the label stay");
        // An item sent whole replaces what was known, label and all.
        let renamed = RunItem::queued(7, None, "Acme Robotics");
        known.merge(
            serde_json::from_str(&serde_json::to_string(&renamed.compact()).unwrap()).unwrap(),
        );
        assert_eq!(known, renamed);
    }

    #[test]
    fn a_run_update_merges_only_the_companies_sent_in_id_order() {
        let item = |id: i64, status: RunStatus| RunItem {
            status,
            ..RunItem::queued(id, Some(id), format!("Company {id}"))
        };
        let run = |items: Vec<RunItem>| Run {
            id: 1,
            scope: RunScope::All,
            trigger: RunTrigger::Ui,
            status: RunStatus::Running,
            started_at: 1_000,
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            items,
        };
        let mut known = run(vec![
            item(1, RunStatus::Running),
            item(3, RunStatus::Queued),
        ]);
        let mut update = run(vec![
            item(3, RunStatus::Succeeded),
            item(2, RunStatus::Queued),
        ]);
        update.items[0].label.clear();
        update.counts.new = 5;
        update.status = RunStatus::Partial;
        known.merge(update);
        let ids: Vec<i64> = known.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(known.items[0].status, RunStatus::Running, "untouched");
        assert_eq!(known.items[2].status, RunStatus::Succeeded);
        assert_eq!(
            known.items[2].label, "Company 3",
            "a change keeps the label"
        );
        assert_eq!((known.counts.new, known.status), (5, RunStatus::Partial));
    }

    fn item(status: RunStatus) -> RunItem {
        RunItem {
            phase: Phase::Done,
            status,
            ..RunItem::queued(1, Some(1), "Acme")
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

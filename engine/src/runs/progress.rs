//! Live progress of the runs of this process, for any number of readers.
//!
//! A run of 1,000 companies changes some 3,000 times in a few seconds. Readers never see
//! each change: changes are gathered and published together at most [`INTERVAL`] apart (more
//! when many streams are open, see [`Progress::interval`]), and each publication is encoded
//! once, as the Server-Sent Event every stream writes as it is (the same bytes, not a copy per
//! stream). A run that starts is sent whole; after that a company that changed is sent without
//! what never changes in a run (see [`RunItem::change`]). A stream that falls behind by more
//! than [`BACKLOG`] publications is not sent the backlog: it is sent the current state instead.

use bytes::Bytes;
use model::{Run, RunItem};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

/// The shortest time between two publications: about five updates a second, what a person
/// can follow.
pub const INTERVAL: Duration = Duration::from_millis(200);
/// Open streams per step of [`INTERVAL`]: each publication is written to every stream, on the
/// cores the run itself uses.
const STREAMS_PER_STEP: usize = 200;
/// The longest time between two publications, however many streams are open.
const MAX_STEPS: u32 = 5;

/// Publications kept for streams that are momentarily behind.
const BACKLOG: usize = 16;

/// Finished runs kept in memory (older ones are read from the database).
const KEEP_FINISHED: usize = 20;

/// Every run known to this process, as readers see it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Increases with every publication (the SSE event id).
    pub version: u64,
    pub runs: BTreeMap<i64, Arc<Run>>,
}

/// One publication: what changed since the previous one, encoded once for every stream.
#[derive(Debug)]
pub struct Update {
    pub version: u64,
    /// The `runs` event (see [`sse_event`]) with the version as its id and
    /// `{"version": …, "runs": [run fields with the companies that changed]}` as its data.
    pub event: Bytes,
}

/// A Server-Sent Event named `name` with `id` and `json` as its data: the one encoding of the
/// progress stream's events. JSON as serde writes it has no line breaks, so it is one data line.
pub fn sse_event(name: &str, id: u64, json: &str) -> Bytes {
    debug_assert!(!json.contains('\n') && !json.contains('\r'));
    Bytes::from(format!("event: {name}\nid: {id}\ndata: {json}\n\n"))
}

/// What changed in one run since the last publication.
enum Dirty {
    Whole,
    Items(BTreeSet<i64>),
}

struct Pending {
    runs: BTreeMap<i64, Dirty>,
    last: Instant,
}

/// Gathers changes and publishes them (cheap to share behind an `Arc`).
pub(crate) struct Progress {
    snapshot: watch::Sender<Snapshot>,
    updates: broadcast::Sender<Arc<Update>>,
    pending: Mutex<Pending>,
    scheduled: AtomicBool,
}

impl Progress {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            snapshot: watch::Sender::new(Snapshot::default()),
            updates: broadcast::Sender::new(BACKLOG),
            pending: Mutex::new(Pending {
                runs: BTreeMap::new(),
                last: Instant::now(),
            }),
            scheduled: AtomicBool::new(false),
        })
    }

    pub(crate) fn watch(&self) -> watch::Receiver<Snapshot> {
        self.snapshot.subscribe()
    }

    pub(crate) fn run(&self, id: i64) -> Option<Arc<Run>> {
        self.snapshot.borrow().runs.get(&id).cloned()
    }

    /// The current state, and every publication after it.
    pub(crate) fn follow(&self) -> (Snapshot, broadcast::Receiver<Arc<Update>>) {
        // Under the lock that publications hold, so nothing falls between the two.
        let _pending = self.pending.lock().expect("pending");
        (self.snapshot.borrow().clone(), self.updates.subscribe())
    }

    /// A new or finished run, published at once (waiters and the header indicator care): a
    /// new one whole, a known one with the companies that differ (cancelling ends many).
    pub(crate) fn replace(&self, run: Run) {
        let id = run.id;
        let mut changed = Dirty::Whole;
        self.snapshot.send_if_modified(|snapshot| {
            if let Some(known) = snapshot.runs.get(&id) {
                let mut differ = BTreeSet::new();
                let mut added = false;
                for item in &run.items {
                    match known.items.binary_search_by_key(&item.id, |i| i.id) {
                        Ok(at) if known.items[at] == *item => {}
                        Ok(_) => {
                            differ.insert(item.id);
                        }
                        // Sent as a change, a company readers never had would have no name.
                        Err(_) => added = true,
                    }
                }
                if !added {
                    changed = Dirty::Items(differ);
                }
            }
            snapshot.runs.insert(id, Arc::new(run));
            prune(&mut snapshot.runs);
            false
        });
        let mut pending = self.pending.lock().expect("pending");
        let changed = match (pending.runs.remove(&id), changed) {
            (Some(Dirty::Whole), _) | (_, Dirty::Whole) => Dirty::Whole,
            (Some(Dirty::Items(mut before)), Dirty::Items(now)) => {
                before.extend(now);
                Dirty::Items(before)
            }
            (None, items) => items,
        };
        pending.runs.insert(id, changed);
        self.publish(&mut pending);
    }

    /// One company of a run changed; published with the others within [`INTERVAL`].
    pub(crate) fn item(self: &Arc<Self>, run: i64, fresh: RunItem) {
        let item = fresh.id;
        self.snapshot.send_if_modified(|snapshot| {
            if let Some(current) = snapshot.runs.get_mut(&run) {
                // In place unless a reader holds this version of the run right now.
                let current = Arc::make_mut(current);
                if let Some(slot) = current.items.iter_mut().find(|i| i.id == item) {
                    *slot = fresh;
                }
            }
            false
        });
        {
            let mut pending = self.pending.lock().expect("pending");
            match pending
                .runs
                .entry(run)
                .or_insert_with(|| Dirty::Items(BTreeSet::new()))
            {
                Dirty::Whole => {}
                Dirty::Items(items) => {
                    items.insert(item);
                }
            }
        }
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            let progress = Arc::clone(self);
            tokio::spawn(async move {
                let due = progress.pending.lock().expect("pending").last + progress.interval();
                tokio::time::sleep_until(due).await;
                // Cleared before taking the changes: a change after this schedules anew.
                progress.scheduled.store(false, Ordering::Release);
                let mut pending = progress.pending.lock().expect("pending");
                progress.publish(&mut pending);
            });
        }
    }

    /// The time between publications of company changes: [`INTERVAL`] for up to
    /// [`STREAMS_PER_STEP`] open streams, one more step for each as many more, at most
    /// [`MAX_STEPS`] (a second). With a thousand streams open, five writes a second to each took
    /// a quarter more CPU than the run alone; once a second a person still sees it move. Runs
    /// that start or end are published at once whatever the count.
    fn interval(&self) -> Duration {
        let steps = self.updates.receiver_count() / STREAMS_PER_STEP;
        INTERVAL
            * u32::try_from(steps)
                .unwrap_or(MAX_STEPS)
                .clamp(1, MAX_STEPS)
    }

    /// Serializes what changed once, wakes the readers and sends it to every stream.
    fn publish(&self, pending: &mut Pending) {
        let dirty = std::mem::take(&mut pending.runs);
        pending.last = Instant::now();
        if dirty.is_empty() {
            return;
        }
        let mut version = 0;
        let mut runs = Vec::with_capacity(dirty.len());
        self.snapshot.send_modify(|snapshot| {
            snapshot.version += 1;
            version = snapshot.version;
            for (id, changed) in &dirty {
                if let Some(run) = snapshot.runs.get(id) {
                    runs.push(match changed {
                        Dirty::Whole => update(run, |_| true),
                        Dirty::Items(items) => changes(run, items),
                    });
                }
            }
        });
        let json = json!({ "version": version, "runs": runs }).to_string();
        let event = sse_event("runs", version, &json);
        // No stream open is not an error.
        let _ = self.updates.send(Arc::new(Update { version, event }));
    }
}

/// A run as a stream sends it to a reader that may not have it: its own fields, and those of
/// its companies that `sent` keeps, each in its compact form (what a thousand open tabs are
/// sent when a run starts is mostly queued companies).
pub fn update(run: &Run, sent: impl Fn(&RunItem) -> bool) -> serde_json::Value {
    let items: Vec<_> = run
        .items
        .iter()
        .filter(|i| sent(i))
        .map(RunItem::compact)
        .collect();
    with_items(run, items)
}

/// A run as a stream sends it to readers that have it: its own fields and the companies in
/// `ids`, each as a change (no company, no label).
fn changes(run: &Run, ids: &BTreeSet<i64>) -> serde_json::Value {
    let items: Vec<_> = run
        .items
        .iter()
        .filter(|i| ids.contains(&i.id))
        .map(RunItem::change)
        .collect();
    with_items(run, items)
}

fn with_items(run: &Run, items: Vec<impl serde::Serialize>) -> serde_json::Value {
    json!({
        "id": run.id,
        "scope": run.scope,
        "trigger": run.trigger,
        "status": run.status,
        "started_at": model::time::rfc3339(run.started_at),
        "finished_at": run.finished_at.map(model::time::rfc3339),
        "counts": run.counts,
        "error": run.error,
        "items": items,
    })
}

/// Forgets all but the newest [`KEEP_FINISHED`] finished runs.
fn prune(runs: &mut BTreeMap<i64, Arc<Run>>) {
    let finished: Vec<i64> = runs
        .iter()
        .filter(|(_, run)| run.status.is_finished())
        .map(|(id, _)| *id)
        .collect();
    for id in finished
        .iter()
        .take(finished.len().saturating_sub(KEEP_FINISHED))
    {
        runs.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Phase, RunCounts, RunScope, RunStatus, RunTrigger};

    fn item(id: i64, phase: Phase) -> RunItem {
        RunItem {
            id,
            company_id: Some(id),
            label: format!("Company {id}"),
            phase,
            status: RunStatus::Running,
            started_at: Some(1),
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            notes: Vec::new(),
        }
    }

    fn run(id: i64, items: i64) -> Run {
        Run {
            id,
            scope: RunScope::All,
            trigger: RunTrigger::Ui,
            status: RunStatus::Running,
            started_at: 1,
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            items: (1..=items).map(|i| item(i, Phase::Queued)).collect(),
        }
    }

    /// The data of an update's event, checked to be one `runs` event with the version as id.
    fn data(update: &Update) -> serde_json::Value {
        let text = std::str::from_utf8(&update.event).unwrap();
        let head = format!("event: runs\nid: {}\ndata: ", update.version);
        let json = text
            .strip_prefix(&head)
            .unwrap()
            .strip_suffix("\n\n")
            .unwrap();
        assert!(!json.contains('\n'), "one data line");
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["version"], update.version);
        value
    }

    /// The companies of run `run` an update sent: id, phase and label (empty in a change).
    fn sent(update: &Update, run: i64) -> Vec<(i64, String, String)> {
        data(update)["runs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["id"] == run)
            .flat_map(|r| r["items"].as_array().unwrap().clone())
            .map(|i| {
                // Companies travel compact (a queued one has no phase field): read them back.
                let item: RunItem = serde_json::from_value(i).unwrap();
                (item.id, item.phase.as_str().into(), item.label)
            })
            .collect()
    }

    fn sent_items(update: &Update, run: i64) -> Vec<(i64, String)> {
        sent(update, run)
            .into_iter()
            .map(|(id, phase, _)| (id, phase))
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn changes_are_published_together_with_only_the_companies_that_changed() {
        let progress = Progress::new();
        let (_, mut stream) = progress.follow();
        progress.replace(run(7, 3));
        let first = stream.recv().await.unwrap();
        let whole = sent(&first, 7);
        assert_eq!(whole.len(), 3, "a new run is sent whole");
        assert_eq!(whole[0].2, "Company 1", "with the companies' names");

        progress.item(7, item(2, Phase::Fetching));
        progress.item(7, item(2, Phase::Saving));
        progress.item(7, item(3, Phase::Fetching));
        assert!(stream.try_recv().is_err(), "nothing before the interval");
        let second = stream.recv().await.unwrap();
        assert_eq!(second.version, first.version + 1);
        assert_eq!(
            sent_items(&second, 7),
            vec![(2, "saving".into()), (3, "fetching".into())],
            "each company once, in its latest state"
        );
        assert!(
            sent(&second, 7)
                .iter()
                .all(|(_, _, label)| label.is_empty()),
            "changes leave out the names the readers have"
        );
        assert!(
            data(&second)["runs"][0]["items"][0]
                .get("company_id")
                .is_none()
        );
        let now = progress.run(7).unwrap();
        assert_eq!(now.items[1].phase, Phase::Saving);
        assert_eq!(now.items[0].phase, Phase::Queued);
    }

    #[tokio::test(start_paused = true)]
    async fn many_open_streams_are_sent_fewer_updates() {
        let progress = Progress::new();
        let mut streams: Vec<_> = (0..STREAMS_PER_STEP - 1)
            .map(|_| progress.follow().1)
            .collect();
        assert_eq!(progress.interval(), INTERVAL);
        streams.extend((0..STREAMS_PER_STEP * 2).map(|_| progress.follow().1));
        assert_eq!(progress.interval(), INTERVAL * 2);
        streams.extend((0..STREAMS_PER_STEP * 10).map(|_| progress.follow().1));
        assert_eq!(progress.interval(), Duration::from_secs(1));

        progress.replace(run(7, 2));
        let stream = &mut streams[0];
        let started = stream.recv().await.unwrap();
        let at = Instant::now();
        assert_eq!(sent_items(&started, 7).len(), 2, "a new run at once");
        progress.item(7, item(1, Phase::Fetching));
        let next = stream.recv().await.unwrap();
        assert_eq!(sent_items(&next, 7), vec![(1, "fetching".into())]);
        assert!(at.elapsed() >= Duration::from_secs(1), "{:?}", at.elapsed());
        drop(streams);
        assert_eq!(progress.interval(), INTERVAL);
    }

    #[tokio::test(start_paused = true)]
    async fn a_finished_run_is_sent_with_only_the_companies_it_changed() {
        let progress = Progress::new();
        progress.replace(run(4, 3));
        let (_, mut stream) = progress.follow();
        let mut finished = run(4, 3);
        finished.status = RunStatus::Cancelled;
        finished.items[2].phase = Phase::Cancelled;
        progress.replace(finished);
        let update = stream.recv().await.unwrap();
        assert_eq!(sent_items(&update, 4), vec![(3, "cancelled".into())]);
        assert_eq!(data(&update)["runs"][0]["status"], "cancelled");
    }

    #[tokio::test(start_paused = true)]
    async fn a_run_that_gains_a_company_is_sent_whole() {
        let progress = Progress::new();
        progress.replace(run(4, 2));
        let (_, mut stream) = progress.follow();
        progress.replace(run(4, 3));
        let update = stream.recv().await.unwrap();
        let sent = sent(&update, 4);
        assert_eq!(sent.len(), 3);
        assert_eq!(sent[2].2, "Company 3", "the new company with its name");
    }

    #[tokio::test(start_paused = true)]
    async fn a_reader_that_follows_sees_nothing_twice_and_nothing_lost() {
        let progress = Progress::new();
        progress.replace(run(1, 2));
        let (snapshot, mut stream) = progress.follow();
        assert!(snapshot.runs.contains_key(&1));
        progress.item(1, item(1, Phase::Done));
        let next = stream.recv().await.unwrap();
        assert_eq!(next.version, snapshot.version + 1);
        assert_eq!(sent_items(&next, 1), vec![(1, "done".into())]);
    }

    #[test]
    fn only_the_newest_finished_runs_stay_in_memory() {
        let mut runs = BTreeMap::new();
        for id in 1..=30 {
            let mut r = run(id, 0);
            if id != 3 {
                r.status = RunStatus::Succeeded;
            }
            runs.insert(id, Arc::new(r));
        }
        prune(&mut runs);
        assert_eq!(runs.len(), KEEP_FINISHED + 1);
        assert!(runs.contains_key(&3), "a running run stays");
        assert!(runs.contains_key(&30) && !runs.contains_key(&2));
    }
}

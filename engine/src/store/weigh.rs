//! What a cached entry really holds in memory, for the caches' weights (and so their budget,
//! `cache.max_mib`): the value's own size, every allocation behind it at its capacity rather
//! than its length, the allocator's header on each, the key, and moka's own bookkeeping.
//! Measured on the 100,000-job benchmark database, job details weigh 22 % and list pages 44 %
//! more than weights that counted only their text.

use super::counts::{IdSet, Tally};
use model::{
    DuplicateRef, FoundBy, Highlight, Job, JobCounts, JobSummary, Page, Salary, Stage, StageChange,
};
use std::collections::{BTreeMap, HashMap};
use std::mem::size_of;

/// What the allocator adds to every allocation (glibc: a size header, 16-byte granules).
const PER_ALLOCATION: usize = 16;
/// What moka keeps for each entry beside its key and value: the entry node, its links in the
/// access and write orders, its slot in the hash table and the timer wheel.
const PER_ENTRY: usize = 256;

/// Bytes allocated behind a value, not counting the value itself (`size_of`).
pub(super) trait Heap {
    fn heap(&self) -> usize;
}

/// The weight of one cache entry: the key's text, the value behind its `Arc` (two counters and
/// the value) and everything the value points to, and moka's share.
pub(super) fn entry<V: Heap>(key: &String, value: &V) -> u32 {
    let bytes = PER_ENTRY + key.heap() + allocation(2 * size_of::<usize>() + size_of::<V>());
    u32::try_from(bytes + value.heap()).unwrap_or(u32::MAX)
}

fn allocation(bytes: usize) -> usize {
    if bytes == 0 {
        0
    } else {
        bytes + PER_ALLOCATION
    }
}

/// Types that point to nothing.
macro_rules! flat {
    ($($t:ty),*) => { $(impl Heap for $t { fn heap(&self) -> usize { 0 } })* };
}
flat!(i64, u64, Stage, StageChange);

impl Heap for String {
    fn heap(&self) -> usize {
        allocation(self.capacity())
    }
}

impl<T: Heap> Heap for Option<T> {
    fn heap(&self) -> usize {
        self.as_ref().map_or(0, Heap::heap)
    }
}

impl<T: Heap> Heap for Vec<T> {
    fn heap(&self) -> usize {
        allocation(self.capacity() * size_of::<T>()) + self.iter().map(Heap::heap).sum::<usize>()
    }
}

impl<A: Heap, B: Heap> Heap for (A, B) {
    fn heap(&self) -> usize {
        self.0.heap() + self.1.heap()
    }
}

impl<A: Heap, B: Heap, C: Heap> Heap for (A, B, C) {
    fn heap(&self) -> usize {
        self.0.heap() + self.1.heap() + self.2.heap()
    }
}

impl<K: Heap, V: Heap> Heap for HashMap<K, V> {
    fn heap(&self) -> usize {
        // hashbrown: one table of (key, value) slots and a control byte per slot.
        allocation(self.capacity() * (size_of::<(K, V)>() + 1))
            + self.iter().map(|(k, v)| k.heap() + v.heap()).sum::<usize>()
    }
}

impl<K: Heap, V: Heap> Heap for BTreeMap<K, V> {
    fn heap(&self) -> usize {
        // A node per entry at worst, with its parent link and lengths.
        self.iter()
            .map(|(k, v)| allocation(size_of::<(K, V)>() + 16) + k.heap() + v.heap())
            .sum()
    }
}

impl Heap for Salary {
    fn heap(&self) -> usize {
        self.currency.heap()
    }
}

impl Heap for Highlight {
    fn heap(&self) -> usize {
        self.title.heap() + self.snippet.heap()
    }
}

impl Heap for DuplicateRef {
    fn heap(&self) -> usize {
        self.source.heap() + self.url.heap()
    }
}

impl Heap for FoundBy {
    fn heap(&self) -> usize {
        self.source.heap() + self.search.heap() + self.url.heap()
    }
}

impl Heap for JobSummary {
    fn heap(&self) -> usize {
        self.title.heap()
            + self.company.heap()
            + self.location.heap()
            + self.salary.heap()
            + self.source.heap()
            + self.url.heap()
            + self.highlight.heap()
    }
}

impl<T: Heap> Heap for Page<T> {
    fn heap(&self) -> usize {
        self.items.heap() + self.next_cursor.heap()
    }
}

impl Heap for Job {
    fn heap(&self) -> usize {
        self.source.heap()
            + self.source_id.heap()
            + self.url.heap()
            + self.apply_url.heap()
            + self.title.heap()
            + self.company.heap()
            + self.location.heap()
            + self.department.heap()
            + self.salary.heap()
            + self.description_html.heap()
            + self.description_text.heap()
            + self.notes.heap()
            + self.duplicates.heap()
            + self.history.heap()
            + self.found_by.heap()
    }
}

impl Heap for JobCounts {
    fn heap(&self) -> usize {
        self.stages.heap() + self.companies.heap()
    }
}

impl Heap for IdSet {
    fn heap(&self) -> usize {
        self.words().heap()
    }
}

impl Heap for Tally {
    fn heap(&self) -> usize {
        self.stages.heap() + self.companies.heap() + self.matches.heap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_weighs_what_it_reserved_not_what_it_holds() {
        let mut text = String::with_capacity(4096);
        text.push('a');
        assert!(text.heap() >= 4096);
        assert_eq!(String::new().heap(), 0, "an empty string allocates nothing");
    }

    #[test]
    fn a_vec_weighs_its_slots_and_what_they_point_to() {
        let rows: Vec<(Option<i64>, String, u64)> =
            (0..10).map(|i| (Some(i), "x".repeat(100), 1)).collect();
        let slots = rows.capacity() * size_of::<(Option<i64>, String, u64)>();
        assert!(rows.heap() >= slots + 10 * 100);
        // Truncating keeps the slots; only shrinking gives them back.
        let mut kept = rows.clone();
        kept.truncate(1);
        assert!(kept.heap() >= slots);
        kept.shrink_to_fit();
        assert!(kept.heap() < slots);
    }

    #[test]
    fn an_entry_weighs_more_than_its_text() {
        let history = StageChange {
            from: None,
            to: Stage::Inbox,
            at: 0,
        };
        let job = Job {
            id: 7,
            company_id: Some(1),
            source: "greenhouse".into(),
            source_id: None,
            url: String::new(),
            apply_url: None,
            title: String::new(),
            company: String::new(),
            location: None,
            remote: None,
            employment_type: None,
            department: None,
            salary: None,
            posted_at: None,
            description_html: "<p>".repeat(3000),
            description_text: "word ".repeat(2000),
            first_seen_at: 0,
            last_seen_at: 0,
            closed_at: None,
            stage: Stage::Inbox,
            starred: false,
            notes: "call back".into(),
            archived_at: None,
            applied_at: None,
            duplicates: Vec::new(),
            history: vec![history; 4],
            found_by: Vec::new(),
        };
        let text = 9000 + 10_000 + 9 + "greenhouse".len();
        let weight = entry(&"job 7".to_owned(), &job) as usize;
        assert!(weight >= text + size_of::<Job>() + 4 * size_of::<StageChange>() + PER_ENTRY);
        assert!(
            weight < text + 4096,
            "{weight}: no more than the value's overheads"
        );
    }
}

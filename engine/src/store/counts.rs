//! Counts per stage and per company for a filter, in two parts so that a cache can keep the
//! expensive one across the user's stage changes:
//! - a [`Tally`]: the counts as the database held them at one point of the stage history
//!   (grouping every job the filter holds: tens of milliseconds for a common search);
//! - the [`StageMove`]s since that point: the few jobs the user moved from one stage to another
//!   that the filter holds (one small query over the history and those jobs; for a search, the
//!   tally remembers which jobs matched, since asking the search index again about a few jobs
//!   costs about as much as the search itself).
//!
//! [`Tally::counts`] lays the moves over the tally. Only the stage history changes a job's stage,
//! and every other change to what a filter holds (collection, archiving, an import) makes the
//! caller start from a new tally; a filter by star is counted afresh after a star (see
//! [`super::CachedStore`]).

use super::jobs::{MAX_COMPANY_COUNTS, Skip, parse, parse_opt, push_filters};
use super::{Database, StoreError};
use model::{JobCounts, JobFilter, Stage};
use sqlx::{QueryBuilder, Row};
use std::collections::{BTreeMap, HashMap};

/// Beyond this many stage changes since a tally, counting afresh is cheaper than the moves.
const MAX_MOVES: i64 = 2_000;

/// A filter's counts at one point of the stage history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// The last `stage_history` row these counts include.
    pub history_id: i64,
    /// Jobs per stage, ignoring the stage filter (every tab shows its count).
    pub stages: BTreeMap<Stage, u64>,
    /// Jobs per company (name, jobs), ignoring the company filter: every company, not only the
    /// ones listed, so that a move can raise one into the list.
    pub companies: HashMap<Option<i64>, (String, u64)>,
    /// For a search, the jobs it holds (ignoring the stage and company filters).
    pub matches: Option<IdSet>,
}

/// A set of job ids as one bit per id up to the largest: an eighth of a byte per job in the
/// database, whatever the number of matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdSet(Vec<u64>);

impl IdSet {
    pub fn insert(&mut self, id: i64) {
        let Ok(id) = usize::try_from(id) else {
            return;
        };
        let word = id / 64;
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (id % 64);
    }

    pub fn contains(&self, id: i64) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|id| self.0.get(id / 64).map(|word| word & (1 << (id % 64)) != 0))
            .unwrap_or(false)
    }

    /// The bitmap itself, one bit per id (for its weight in the cache).
    pub(super) fn words(&self) -> &Vec<u64> {
        &self.0
    }
}

/// A job the filter holds that moved between stages since a tally (net: its stage at the
/// tally and its stage now).
#[derive(Debug, Clone, PartialEq)]
pub struct StageMove {
    pub job_id: i64,
    pub company_id: Option<i64>,
    pub company: String,
    pub from: Stage,
    pub to: Stage,
}

impl Tally {
    /// The counts now: the tally with `moves` laid over it.
    pub fn counts(&self, filter: &JobFilter, moves: &[StageMove]) -> JobCounts {
        let mut stages = self.stages.clone();
        let mut companies = self.companies.clone();
        let held = |m: &&StageMove| {
            self.matches
                .as_ref()
                .is_none_or(|set| set.contains(m.job_id))
        };
        for moved in moves.iter().filter(held) {
            if filter.company.is_none_or(|c| moved.company_id == Some(c)) {
                let from = stages.entry(moved.from).or_default();
                *from = from.saturating_sub(1);
                *stages.entry(moved.to).or_default() += 1;
            }
            // The company counts follow the stage filter: a move changes them only across it.
            if let Some(stage) = filter.stage
                && (moved.from == stage) != (moved.to == stage)
            {
                let (_, n) = companies
                    .entry(moved.company_id)
                    .or_insert_with(|| (moved.company.clone(), 0));
                *n = if moved.to == stage {
                    *n + 1
                } else {
                    n.saturating_sub(1)
                };
            }
        }
        let stages: Vec<(Stage, u64)> = stages.into_iter().filter(|(_, n)| *n > 0).collect();
        let total = match filter.stage {
            None => stages.iter().map(|(_, n)| n).sum(),
            Some(stage) => stages
                .iter()
                .find(|(s, _)| *s == stage)
                .map_or(0, |(_, n)| *n),
        };
        let mut companies: Vec<(Option<i64>, String, u64)> = companies
            .into_iter()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(id, (name, n))| (id, name, n))
            .collect();
        // Most jobs first, then by name (then id, for companies of one name).
        companies.sort_by(|a, b| {
            b.2.cmp(&a.2)
                .then_with(|| a.1.cmp(&b.1))
                .then_with(|| a.0.cmp(&b.0))
        });
        companies.truncate(MAX_COMPANY_COUNTS);
        // Cached as it is: the slots of every company counted would stay behind the truncation.
        companies.shrink_to_fit();
        JobCounts {
            total,
            stages,
            companies,
        }
    }
}

impl Database {
    /// Jobs per stage (ignoring the stage filter, so every tab shows its count) and per
    /// company (ignoring the company filter), plus the total for the whole filter.
    pub async fn job_counts(&self, filter: &JobFilter, now: i64) -> Result<JobCounts, StoreError> {
        Ok(self.count_tally(filter, now).await?.counts(filter, &[]))
    }

    /// The filter's counts and the point of the stage history they were read at, in one read
    /// transaction.
    pub async fn count_tally(&self, filter: &JobFilter, now: i64) -> Result<Tally, StoreError> {
        // The untrimmed text: a trailing space says the last word is finished.
        let terms = match filter.query().and(filter.q.as_deref()) {
            Some(q) => match self.match_for(q).await? {
                Some(terms) => Some(terms),
                // Nothing to search for: no job, now or after any move.
                None => {
                    return Ok(Tally {
                        matches: Some(IdSet::default()),
                        ..Tally::default()
                    });
                }
            },
            None => None,
        };
        let mut tx = self.reader().begin().await?;
        let history_id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM stage_history")
            .fetch_one(&mut *tx)
            .await?;
        let mut tally = Tally {
            history_id,
            ..Tally::default()
        };
        match terms {
            Some(terms) => search_tally(&mut tx, filter, &terms.text, now, &mut tally).await?,
            None => list_tally(&mut tx, filter, now, &mut tally).await?,
        }
        tx.commit().await?;
        Ok(tally)
    }

    /// The jobs the filter holds (ignoring its stage, its company and its search, which the
    /// tally answers) that moved between stages after `history_id`, or `None` when so many did
    /// that counting afresh is cheaper.
    pub async fn stage_moves(
        &self,
        filter: &JobFilter,
        history_id: i64,
        now: i64,
    ) -> Result<Option<Vec<StageMove>>, StoreError> {
        let rows = sqlx::query(
            "SELECT job_id, from_stage, to_stage FROM stage_history WHERE id > ? ORDER BY id \
             LIMIT ?",
        )
        .bind(history_id)
        .bind(MAX_MOVES + 1)
        .fetch_all(self.reader())
        .await?;
        if rows.len() as i64 > MAX_MOVES {
            return Ok(None);
        }
        // Per job, the stage it left first and the one it reached last.
        let mut net: HashMap<i64, (Stage, Stage)> = HashMap::new();
        for row in rows {
            let to: Stage = parse(row.try_get("to_stage")?)?;
            // A row without a stage left comes from an import, after which the caller starts
            // from a new tally; should one appear here anyway, count afresh.
            let Some(from) = parse_opt::<Stage>(row.try_get("from_stage")?)? else {
                return Ok(None);
            };
            net.entry(row.try_get("job_id")?)
                .and_modify(|(_, last)| *last = to)
                .or_insert((from, to));
        }
        net.retain(|_, (from, to)| from != to);
        if net.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let ids = serde_json::to_string(&net.keys().collect::<Vec<_>>()).expect("ids serialize");
        // Driven from the moved jobs (CROSS JOIN fixes the order).
        let mut qb = QueryBuilder::new(
            "SELECT j.id AS id, j.company_id AS company_id, coalesce(c.name, '') AS company \
             FROM json_each(",
        );
        qb.push_bind(ids).push(
            ") m CROSS JOIN jobs j ON j.id = m.value \
             LEFT JOIN companies c ON c.id = j.company_id WHERE 1",
        );
        push_filters(
            &mut qb,
            filter,
            now,
            Skip {
                stage: true,
                company: true,
            },
        );
        let mut moves = Vec::new();
        for row in qb.build().fetch_all(self.reader()).await? {
            let job_id: i64 = row.try_get("id")?;
            let (from, to) = net[&job_id];
            moves.push(StageMove {
                job_id,
                company_id: row.try_get("company_id")?,
                company: row.try_get("company")?,
                from,
                to,
            });
        }
        Ok(Some(moves))
    }
}

type Reading<'t> = sqlx::Transaction<'t, sqlx::Sqlite>;

/// Counts without a search: each dimension grouped on its own covering index.
async fn list_tally(
    tx: &mut Reading<'_>,
    filter: &JobFilter,
    now: i64,
    tally: &mut Tally,
) -> Result<(), StoreError> {
    let mut qb = QueryBuilder::new("SELECT j.stage AS stage, count(*) AS n FROM jobs j WHERE 1");
    push_filters(
        &mut qb,
        filter,
        now,
        Skip {
            stage: true,
            company: false,
        },
    );
    qb.push(" GROUP BY j.stage");
    for row in qb.build().fetch_all(&mut **tx).await? {
        tally.stages.insert(
            parse(row.try_get("stage")?)?,
            row.try_get::<i64, _>("n")? as u64,
        );
    }

    // Grouped on the index alone; names come from the companies table. Jobs found by a
    // saved search belong to no company board: their row has no id and an empty name.
    let mut qb = QueryBuilder::new(
        "SELECT g.company_id AS company_id, coalesce(c.name, '') AS company, g.n AS n \
         FROM (SELECT j.company_id AS company_id, count(*) AS n FROM jobs j WHERE 1",
    );
    push_filters(
        &mut qb,
        filter,
        now,
        Skip {
            stage: false,
            company: true,
        },
    );
    qb.push(" GROUP BY j.company_id) g LEFT JOIN companies c ON c.id = g.company_id");
    for row in qb.build().fetch_all(&mut **tx).await? {
        tally.companies.insert(
            row.try_get("company_id")?,
            (row.try_get("company")?, row.try_get::<i64, _>("n")? as u64),
        );
    }
    Ok(())
}

/// Counts for a search in one pass over its matches: each match costs a lookup of its job
/// row, so the matches are grouped by stage and company together (ignoring both filters)
/// and each dimension is summed from that, instead of reading every match twice.
async fn search_tally(
    tx: &mut Reading<'_>,
    filter: &JobFilter,
    terms: &str,
    now: i64,
    tally: &mut Tally,
) -> Result<(), StoreError> {
    let mut qb = QueryBuilder::new(
        "SELECT j.stage AS stage, j.company_id AS company_id, count(*) AS n, \
         group_concat(j.id) AS ids \
         FROM jobs_fts CROSS JOIN jobs j ON j.id = jobs_fts.rowid WHERE jobs_fts MATCH ",
    );
    qb.push_bind(terms.to_owned());
    push_filters(
        &mut qb,
        filter,
        now,
        Skip {
            stage: true,
            company: true,
        },
    );
    qb.push(" GROUP BY j.stage, j.company_id");
    let mut per_company: HashMap<Option<i64>, u64> = HashMap::new();
    let mut matches = IdSet::default();
    for row in qb.build().fetch_all(&mut **tx).await? {
        let ids: String = row.try_get("ids")?;
        for id in ids.split(',') {
            matches.insert(id.parse().map_err(|_| {
                StoreError::Corrupt(format!("a job id `{id}` that is not a number"))
            })?);
        }
        let stage: Stage = parse(row.try_get("stage")?)?;
        let company: Option<i64> = row.try_get("company_id")?;
        let n = row.try_get::<i64, _>("n")? as u64;
        if filter.company.is_none_or(|c| company == Some(c)) {
            *tally.stages.entry(stage).or_default() += n;
        }
        if filter.stage.is_none_or(|s| s == stage) {
            *per_company.entry(company).or_default() += n;
        }
    }
    let mut names: HashMap<i64, String> = sqlx::query_as("SELECT id, name FROM companies")
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    tally.companies = per_company
        .into_iter()
        .map(|(id, n)| {
            let name = id.and_then(|id| names.remove(&id)).unwrap_or_default();
            (id, (name, n))
        })
        .collect();
    tally.matches = Some(matches);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(company: i64, from: Stage, to: Stage) -> StageMove {
        StageMove {
            job_id: company * 100,
            company_id: Some(company),
            company: format!("C{company}"),
            from,
            to,
        }
    }

    fn tally() -> Tally {
        Tally {
            history_id: 7,
            stages: BTreeMap::from([(Stage::Inbox, 10), (Stage::Saved, 1)]),
            companies: HashMap::from([
                (Some(1), ("C1".to_owned(), 6)),
                (Some(2), ("C2".to_owned(), 5)),
            ]),
            matches: None,
        }
    }

    #[test]
    fn counts_keep_the_largest_companies_and_no_room_for_the_rest() {
        let many = Tally {
            companies: (0..500)
                .map(|i| (Some(i), (format!("C{i}"), i as u64 + 1)))
                .collect(),
            ..tally()
        };
        let counts = many.counts(&JobFilter::default(), &[]);
        assert_eq!(counts.companies.len(), MAX_COMPANY_COUNTS);
        assert_eq!(counts.companies[0], (Some(499), "C499".to_owned(), 500));
        // They are cached: the slots of the 300 left out would stay allocated behind them.
        assert_eq!(counts.companies.capacity(), MAX_COMPANY_COUNTS);
    }

    #[test]
    fn moves_shift_stage_counts_and_leave_company_counts_without_a_stage_filter() {
        let all = JobFilter::default();
        let counts = tally().counts(&all, &[moved(1, Stage::Inbox, Stage::Applied)]);
        assert_eq!(
            counts.stages,
            vec![(Stage::Inbox, 9), (Stage::Saved, 1), (Stage::Applied, 1)]
        );
        assert_eq!(counts.total, 11);
        assert_eq!(
            counts.companies,
            vec![(Some(1), "C1".into(), 6), (Some(2), "C2".into(), 5)]
        );
    }

    #[test]
    fn under_a_stage_filter_moves_across_it_change_company_counts_and_the_total() {
        let inbox = JobFilter {
            stage: Some(Stage::Inbox),
            ..JobFilter::default()
        };
        let counts = tally().counts(
            &inbox,
            &[
                moved(1, Stage::Inbox, Stage::Saved),
                moved(1, Stage::Inbox, Stage::Saved),
                // A company the tally did not list for this stage enters it with its name.
                moved(3, Stage::Applied, Stage::Inbox),
                // Between two other stages: no company count changes.
                moved(2, Stage::Saved, Stage::Offer),
            ],
        );
        assert_eq!(counts.total, 9);
        assert_eq!(
            counts.companies,
            vec![
                (Some(2), "C2".into(), 5),
                (Some(1), "C1".into(), 4),
                (Some(3), "C3".into(), 1)
            ]
        );
        assert_eq!(
            counts.stages,
            vec![(Stage::Inbox, 9), (Stage::Saved, 2), (Stage::Offer, 1)],
            "the stage left by the job with no count drops out; the applied count never went below zero"
        );
    }

    #[test]
    fn a_search_counts_only_the_moves_of_jobs_it_matched() {
        let mut matches = IdSet::default();
        matches.insert(100);
        matches.insert(300);
        let search = Tally {
            matches: Some(matches.clone()),
            ..tally()
        };
        let all = JobFilter::default();
        let counts = search.counts(
            &all,
            &[
                moved(1, Stage::Inbox, Stage::Saved),
                moved(2, Stage::Inbox, Stage::Saved),
            ],
        );
        assert_eq!(counts.stages, vec![(Stage::Inbox, 9), (Stage::Saved, 2)]);
        assert!(matches.contains(300) && !matches.contains(200) && !matches.contains(-1));
        assert!(!matches.contains(1 << 40), "beyond the largest id");
        assert_eq!(matches.words().len(), 5, "one bit per id up to the largest");
    }

    #[test]
    fn stage_counts_follow_the_company_filter() {
        let one = JobFilter {
            company: Some(2),
            ..JobFilter::default()
        };
        let counts = tally().counts(&one, &[moved(1, Stage::Inbox, Stage::Applied)]);
        assert_eq!(counts.stages, tally().counts(&one, &[]).stages);
        let counts = tally().counts(&one, &[moved(2, Stage::Inbox, Stage::Applied)]);
        assert_eq!(counts.stages[0], (Stage::Inbox, 9));
    }
}

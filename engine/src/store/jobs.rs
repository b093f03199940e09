//! Reading jobs: the filtered, keyset-paginated list; full-text search with bm25 ranking and
//! highlights; counts per stage and company; one job with its history.

use super::cursor::Cursor;
use super::fts::{Match, Terms};
use super::{Database, StoreError};
use model::{
    DuplicateRef, Highlight, Inclusion, Job, JobFilter, JobSummary, Page, Salary, Sort, StageChange,
};
use sqlx::{QueryBuilder, Row, Sqlite, sqlite::SqliteRow};

/// Columns of a list row, read by [`summary_from_row`].
const SUMMARY_COLUMNS: &str = "j.id, j.company_id, j.title, j.company, j.location, j.remote, \
    j.employment_type, j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.source, \
    j.url, j.posted_at, j.first_seen_at, j.closed_at, j.archived_at, j.stage, j.starred, \
    j.sort_at, j.salary_sort";

// Every search query names FTS5 first with CROSS JOIN, which SQLite takes as a fixed join
// order: driven from a filter's index instead, it would evaluate the MATCH once per job.

/// bm25 weights per FTS column (title, company, location, description): a word in the title
/// counts ten times one in the description. Ranked by [`super::rank`]'s `jobscout_rank`, which
/// is FTS5's bm25 with each phrase's document count supplied (see [`Database::phrase_counts`]).
const WEIGHTS: &str = "10.0, 4.0, 2.0, 1.0";
/// A search ranks (and sorts) about this many of the most recently collected matches: bm25 over
/// every match of a common word would cost time proportional to the whole database. The window
/// of recent jobs is widened until it holds at least this many matches (or is the whole
/// database), so fewer matches than this are always ranked exactly; the counts report the true
/// total.
pub const SEARCH_CANDIDATES: i64 = 1_000;
/// Companies listed with their counts, most jobs first.
pub(super) const MAX_COMPANY_COUNTS: usize = 200;

/// Tokens of description around the match in a snippet.
const SNIPPET_TOKENS: u32 = 24;

/// Which parts of a filter to apply: counts leave out the dimension they count.
#[derive(Clone, Copy, Default)]
pub(super) struct Skip {
    pub stage: bool,
    pub company: bool,
}

pub(super) fn push_filters(
    qb: &mut QueryBuilder<'_, Sqlite>,
    filter: &JobFilter,
    now: i64,
    skip: Skip,
) {
    match filter.archived {
        Inclusion::Exclude => qb.push(" AND j.archived_at IS NULL"),
        Inclusion::Only => qb.push(" AND j.archived_at IS NOT NULL"),
        Inclusion::Include => qb,
    };
    match filter.closed {
        Inclusion::Exclude => qb.push(" AND j.closed_at IS NULL"),
        Inclusion::Only => qb.push(" AND j.closed_at IS NOT NULL"),
        Inclusion::Include => qb,
    };
    if let (Some(company), false) = (filter.company, skip.company) {
        qb.push(" AND j.company_id = ").push_bind(company);
    }
    if let (Some(stage), false) = (filter.stage, skip.stage) {
        qb.push(" AND j.stage = ").push_bind(stage.as_str());
    }
    if let Some(starred) = filter.starred {
        qb.push(" AND j.starred = ").push_bind(i64::from(starred));
    }
    if let Some(remote) = filter.remote {
        qb.push(" AND j.remote = ").push_bind(remote.as_str());
    }
    if let Some(source) = &filter.source {
        qb.push(" AND j.source = ").push_bind(source.clone());
    }
    if let Some(since) = filter.new_since {
        qb.push(" AND j.first_seen_at >= ").push_bind(since);
    }
    if let Some(search) = filter.search {
        qb.push(" AND j.id IN (SELECT job_id FROM job_sources WHERE search_id = ")
            .push_bind(search)
            .push(")");
    }
    if let Some(days) = filter.posted_within {
        qb.push(" AND j.sort_at >= ")
            .push_bind(now - i64::from(days) * 86_400);
    }
    match &filter.currency {
        Some(currency) => {
            qb.push(" AND j.salary_currency = ")
                .push_bind(currency.clone());
            if let Some(min) = filter.salary_min {
                qb.push(" AND coalesce(j.salary_year_max, j.salary_year_min) >= ")
                    .push_bind(min);
            }
            if let Some(max) = filter.salary_max {
                qb.push(" AND coalesce(j.salary_year_min, j.salary_year_max) <= ")
                    .push_bind(max);
            }
        }
        None => {
            if let Some(min) = filter.salary_min {
                qb.push(" AND j.salary_sort >= ").push_bind(min);
            }
            if let Some(max) = filter.salary_max {
                qb.push(" AND j.salary_sort >= 0 AND j.salary_usd_min <= ")
                    .push_bind(max);
            }
        }
    }
}

/// The keyset condition "after this cursor" on columns named with `prefix` (`j.` or none):
/// before it in the descending sorts, after it in relevance (a lower bm25 is better).
fn push_after(qb: &mut QueryBuilder<'_, Sqlite>, after: Option<Cursor>, prefix: &str) {
    let Some(after) = after else {
        return;
    };
    let (column, op, id) = match after {
        Cursor::Newest { id, .. } => ("sort_at", "<", id),
        Cursor::Salary { id, .. } => ("salary_sort", "<", id),
        Cursor::Relevance { id, .. } => ("score", ">", id),
    };
    qb.push(format!(" AND ({prefix}{column}, {prefix}id) {op} ("));
    match after {
        Cursor::Newest { sort_at, .. } => qb.push_bind(sort_at),
        Cursor::Salary { salary, .. } => qb.push_bind(salary),
        Cursor::Relevance { score, .. } => qb.push_bind(score),
    };
    qb.push(", ").push_bind(id).push(")");
}

fn summary_from_row(row: &SqliteRow) -> Result<JobSummary, StoreError> {
    Ok(JobSummary {
        id: row.try_get("id")?,
        company_id: row.try_get("company_id")?,
        title: row.try_get("title")?,
        company: row.try_get("company")?,
        location: row.try_get("location")?,
        remote: parse_opt(row.try_get("remote")?)?,
        employment_type: parse_opt(row.try_get("employment_type")?)?,
        salary: salary_from_row(row)?,
        source: row.try_get("source")?,
        url: row.try_get("url")?,
        posted_at: row.try_get("posted_at")?,
        first_seen_at: row.try_get("first_seen_at")?,
        closed_at: row.try_get("closed_at")?,
        archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
        stage: parse(row.try_get("stage")?)?,
        starred: row.try_get::<i64, _>("starred")? == 1,
        highlight: None,
    })
}

fn salary_from_row(row: &SqliteRow) -> Result<Option<Salary>, StoreError> {
    let period: Option<String> = row.try_get("salary_period")?;
    let (min, max): (Option<f64>, Option<f64>) =
        (row.try_get("salary_min")?, row.try_get("salary_max")?);
    Ok(match (period, min.or(max)) {
        (Some(period), Some(_)) => Some(Salary {
            min,
            max,
            currency: row.try_get("salary_currency")?,
            period: parse(period)?,
        }),
        _ => None,
    })
}

/// A stored enum value; the schema's CHECK constraints make failure a corrupt database.
pub(super) fn parse<T: std::str::FromStr<Err = String>>(text: String) -> Result<T, StoreError> {
    text.parse().map_err(StoreError::Corrupt)
}

pub(super) fn parse_opt<T: std::str::FromStr<Err = String>>(
    text: Option<String>,
) -> Result<Option<T>, StoreError> {
    text.map(parse).transpose()
}

/// Longest expansion of a word being typed; a shorter prefix with more terms is left to FTS5.
const MAX_EXPANSION: i64 = 40;

/// The cursor after `row` in `sort` order.
fn cursor_after(sort: Sort, row: &SqliteRow) -> Result<Cursor, StoreError> {
    let id = row.try_get("id")?;
    Ok(match sort {
        Sort::Newest => Cursor::Newest {
            sort_at: row.try_get("sort_at")?,
            id,
        },
        Sort::Salary => Cursor::Salary {
            salary: row.try_get("salary_sort")?,
            id,
        },
        Sort::Relevance => Cursor::Relevance {
            score: row.try_get("score")?,
            id,
        },
    })
}

impl Database {
    /// The MATCH expression for a search box's text, or `None` when it holds nothing to search.
    /// The word being typed becomes the indexed terms it begins when it is three or more
    /// ASCII characters with at most [`MAX_EXPANSION`] such terms (cached), plus the word
    /// itself as a whole (stemmed) term, since the index holds stems ("engineer" is
    /// "engin"); otherwise it stays an FTS5 prefix.
    pub(super) async fn match_for(&self, q: &str) -> Result<Option<Match>, StoreError> {
        let Some(terms) = Terms::parse(q) else {
            return Ok(None);
        };
        let Some(typing) = terms
            .typing
            .as_deref()
            .filter(|t| t.len() >= 3 && t.is_ascii())
            .map(str::to_ascii_lowercase)
        else {
            return Ok(Some(terms.expression(None)));
        };
        let expansion = match self.prefixes.get(&typing) {
            Some(hit) => hit,
            None => {
                let found: Vec<String> = sqlx::query(
                    "SELECT term FROM jobs_fts_vocab WHERE term >= ?1 AND term < ?1 || char(1114111) \
                     LIMIT ?2",
                )
                .bind(&typing)
                .bind(MAX_EXPANSION + 1)
                .fetch_all(self.reader())
                .await?
                .iter()
                .map(|row| row.try_get("term"))
                .collect::<Result<_, _>>()?;
                let found = std::sync::Arc::new(found);
                self.prefixes.insert(typing, found.clone());
                found
            }
        };
        Ok(Some(if expansion.len() as i64 > MAX_EXPANSION {
            terms.expression(None)
        } else {
            terms.expression(Some(&expansion))
        }))
    }

    /// How many jobs hold each phrase: bm25's document frequencies, counted once and kept for
    /// minutes (see [`super::rank`]). FTS5 counts a phrase's postings without ranking them.
    async fn phrase_counts(&self, phrases: &[String]) -> Result<Vec<i64>, StoreError> {
        let mut counts = Vec::with_capacity(phrases.len());
        for phrase in phrases {
            let n = match self.phrase_hits.get(phrase) {
                Some(n) => n,
                None => {
                    let n: i64 =
                        sqlx::query_scalar("SELECT count(*) FROM jobs_fts WHERE jobs_fts MATCH ?")
                            .bind(phrase)
                            .fetch_one(self.reader())
                            .await?;
                    self.phrase_hits.insert(phrase.clone(), n);
                    n
                }
            };
            counts.push(n);
        }
        Ok(counts)
    }

    /// One page of jobs for `filter`, after `cursor` (from a previous page of the same filter).
    pub async fn list_jobs(
        &self,
        filter: &JobFilter,
        cursor: Option<&str>,
        limit: u32,
        now: i64,
    ) -> Result<Page<JobSummary>, StoreError> {
        let sort = filter.effective_sort();
        let after = match cursor {
            None => None,
            Some(text) => match Cursor::decode(text) {
                Some(c) if c.sort() == sort => Some(c),
                _ => return Err(StoreError::InvalidCursor),
            },
        };
        let limit = limit.clamp(1, model::filter::MAX_LIMIT);
        // The untrimmed text: a trailing space says the last word is finished.
        let terms = match filter.query().and(filter.q.as_deref()) {
            Some(q) => match self.match_for(q).await? {
                Some(expression) => Some(expression),
                // Nothing searchable in the input: nothing matches.
                None => {
                    return Ok(Page {
                        items: Vec::new(),
                        next_cursor: None,
                    });
                }
            },
            None => None,
        };
        let rows = match &terms {
            None => self.plain_page(filter, sort, after, limit, now).await?,
            Some(terms) => {
                self.search_page(filter, terms, sort, after, limit, now)
                    .await?
            }
        };
        let mut items = Vec::with_capacity(rows.len());
        let mut last = None;
        for row in rows.iter().take(limit as usize) {
            let mut item = summary_from_row(row)?;
            if terms.is_some() {
                item.highlight = Some(Highlight {
                    title: row.try_get("hl_title")?,
                    snippet: row.try_get("snippet")?,
                });
            }
            last = Some(row);
            items.push(item);
        }
        // One row more than the page was fetched: its presence says a next page exists.
        let next_cursor = match (rows.len() > limit as usize, last) {
            (true, Some(row)) => Some(cursor_after(sort, row)?.encode()),
            _ => None,
        };
        Ok(Page { items, next_cursor })
    }

    async fn plain_page(
        &self,
        filter: &JobFilter,
        sort: Sort,
        after: Option<Cursor>,
        limit: u32,
        now: i64,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        let mut qb = QueryBuilder::new(format!("SELECT {SUMMARY_COLUMNS} FROM jobs j WHERE 1"));
        push_filters(&mut qb, filter, now, Skip::default());
        push_after(&mut qb, after, "j.");
        qb.push(match sort {
            Sort::Salary => " ORDER BY j.salary_sort DESC, j.id DESC",
            _ => " ORDER BY j.sort_at DESC, j.id DESC",
        });
        qb.push(" LIMIT ").push_bind(i64::from(limit) + 1);
        Ok(qb.build().fetch_all(self.reader()).await?)
    }

    /// The id above which a search ranks its matches: the smallest window of recent jobs that
    /// holds [`SEARCH_CANDIDATES`] matches of the query and filter (0 for the whole database).
    /// FTS5 counts matches within a rowid range cheaply, without computing bm25, so a few
    /// counts find the window; each guess scales the window by the density just observed.
    async fn candidate_floor(
        &self,
        filter: &JobFilter,
        terms: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let newest: i64 = sqlx::query("SELECT coalesce(max(id), 0) AS id FROM jobs")
            .fetch_one(self.reader())
            .await?
            .try_get("id")?;
        let mut window = 2 * SEARCH_CANDIDATES;
        for _ in 0..8 {
            let floor = newest - window;
            if floor <= 0 {
                return Ok(0);
            }
            let mut qb = QueryBuilder::new(
                "SELECT count(*) AS n FROM jobs_fts CROSS JOIN jobs j ON j.id = jobs_fts.rowid \
                 WHERE jobs_fts MATCH ",
            );
            qb.push_bind(terms.to_owned());
            qb.push(" AND jobs_fts.rowid > ").push_bind(floor);
            push_filters(&mut qb, filter, now, Skip::default());
            let found: i64 = qb.build().fetch_one(self.reader()).await?.try_get("n")?;
            if found >= SEARCH_CANDIDATES {
                // Far more than needed: narrow to what the density says suffices.
                if found > 2 * SEARCH_CANDIDATES {
                    window = window * SEARCH_CANDIDATES * 5 / 4 / found;
                }
                return Ok(newest - window);
            }
            window = match found {
                0 => window * 16,
                n => (window * SEARCH_CANDIDATES * 5 / 4 / n).max(window * 2),
            };
        }
        Ok(0)
    }

    /// Search in two steps: rank the matches in the recent window (see [`candidate_floor`])
    /// and keep one page of ids (cheap: no text is built), then build highlights and snippets
    /// for that page only.
    async fn search_page(
        &self,
        filter: &JobFilter,
        terms: &Match,
        sort: Sort,
        after: Option<Cursor>,
        limit: u32,
        now: i64,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        let floor = self.candidate_floor(filter, &terms.text, now).await?;
        let mut qb = QueryBuilder::new(
            "WITH hits AS (SELECT * FROM (SELECT j.id AS id, j.sort_at AS sort_at, \
             j.salary_sort AS salary_sort, ",
        );
        if sort == Sort::Relevance {
            qb.push(format!("{}(jobs_fts, {WEIGHTS}", super::rank::NAME));
            for n in self.phrase_counts(&terms.phrases).await? {
                qb.push(", ").push_bind(n);
            }
            qb.push(")");
        } else {
            // Sorted by date or salary: no score is read, none is computed.
            qb.push("0.0");
        }
        qb.push(
            " AS score FROM jobs_fts CROSS JOIN jobs j ON j.id = jobs_fts.rowid \
             WHERE jobs_fts MATCH ",
        );
        qb.push_bind(terms.text.clone());
        qb.push(" AND jobs_fts.rowid > ").push_bind(floor);
        push_filters(&mut qb, filter, now, Skip::default());
        qb.push(") WHERE 1");
        push_after(&mut qb, after, "");
        let (order, outer_order) = match sort {
            Sort::Newest => ("sort_at DESC, id DESC", "hits.sort_at DESC, hits.id DESC"),
            Sort::Salary => (
                "salary_sort DESC, id DESC",
                "hits.salary_sort DESC, hits.id DESC",
            ),
            Sort::Relevance => ("score, id", "hits.score, hits.id"),
        };
        qb.push(format!(" ORDER BY {order} LIMIT "))
            .push_bind(i64::from(limit) + 1);
        qb.push(format!(
            // CROSS JOIN fixes the join order: FTS5 is asked for each page row by rowid, not
            // made to scan every match and probe the page.
            ") SELECT {SUMMARY_COLUMNS}, hits.score AS score, \
             highlight(jobs_fts, 0, char(57344), char(57345)) AS hl_title, \
             snippet(jobs_fts, 3, char(57344), char(57345), '…', {SNIPPET_TOKENS}) AS snippet \
             FROM hits CROSS JOIN jobs_fts ON jobs_fts.rowid = hits.id \
             CROSS JOIN jobs j ON j.id = hits.id \
             WHERE jobs_fts MATCH "
        ));
        qb.push_bind(terms.text.clone());
        qb.push(format!(" ORDER BY {outer_order}"));
        Ok(qb.build().fetch_all(self.reader()).await?)
    }

    /// One job with its stage history and the other sources that list the same opening.
    pub async fn job(&self, id: i64) -> Result<Option<Job>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT j.*, t.description_html, t.description_text \
             FROM jobs j LEFT JOIN job_texts t ON t.job_id = j.id WHERE j.id = ?",
        )
        .bind(id)
        .fetch_optional(self.reader())
        .await?
        else {
            return Ok(None);
        };
        let history = sqlx::query(
            "SELECT from_stage, to_stage, at FROM stage_history WHERE job_id = ? ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            Ok(StageChange {
                from: parse_opt(r.try_get("from_stage")?)?,
                to: parse(r.try_get("to_stage")?)?,
                at: r.try_get("at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let fingerprint: String = row.try_get("fingerprint")?;
        let duplicates = sqlx::query(
            "SELECT id, source, url FROM jobs WHERE fingerprint = ? AND id <> ? ORDER BY id LIMIT 20",
        )
        .bind(&fingerprint)
        .bind(id)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            Ok(DuplicateRef {
                id: r.try_get("id")?,
                source: r.try_get("source")?,
                url: r.try_get("url")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let found_by = sqlx::query(
            "SELECT js.source, js.search_id, s.name, js.url FROM job_sources js \
             JOIN saved_searches s ON s.id = js.search_id WHERE js.job_id = ? ORDER BY s.name, js.source",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            Ok(model::FoundBy {
                source: r.try_get("source")?,
                search_id: r.try_get("search_id")?,
                search: r.try_get("name")?,
                url: r.try_get("url")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let mut job = job_from_row(&row, duplicates, history)?;
        job.found_by = found_by;
        Ok(Some(job))
    }

    /// Every job (archived and closed too) with an id above `after_id`, in id order: the pages
    /// of a full export. Keyset pages keep each read short instead of one long transaction.
    pub async fn jobs_after(&self, after_id: i64, limit: u32) -> Result<Vec<Job>, StoreError> {
        sqlx::query(
            "SELECT j.*, t.description_html, t.description_text \
             FROM jobs j LEFT JOIN job_texts t ON t.job_id = j.id \
             WHERE j.id > ? ORDER BY j.id LIMIT ?",
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| job_from_row(row, Vec::new(), Vec::new()))
        .collect()
    }
}

pub(super) fn job_from_row(
    row: &SqliteRow,
    duplicates: Vec<DuplicateRef>,
    history: Vec<StageChange>,
) -> Result<Job, StoreError> {
    Ok(Job {
        id: row.try_get("id")?,
        company_id: row.try_get("company_id")?,
        source: row.try_get("source")?,
        source_id: row.try_get("source_id")?,
        url: row.try_get("url")?,
        apply_url: row.try_get("apply_url")?,
        title: row.try_get("title")?,
        company: row.try_get("company")?,
        location: row.try_get("location")?,
        remote: parse_opt(row.try_get("remote")?)?,
        employment_type: parse_opt(row.try_get("employment_type")?)?,
        department: row.try_get("department")?,
        salary: salary_from_row(row)?,
        posted_at: row.try_get("posted_at")?,
        description_html: row
            .try_get::<Option<String>, _>("description_html")?
            .unwrap_or_default(),
        description_text: row
            .try_get::<Option<String>, _>("description_text")?
            .unwrap_or_default(),
        first_seen_at: row.try_get("first_seen_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        closed_at: row.try_get("closed_at")?,
        stage: parse(row.try_get("stage")?)?,
        starred: row.try_get::<i64, _>("starred")? == 1,
        notes: row.try_get("notes")?,
        archived_at: row.try_get("archived_at")?,
        applied_at: row.try_get("applied_at")?,
        duplicates,
        found_by: Vec::new(),
        history,
    })
}

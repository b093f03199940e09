//! Saved searches: their definitions, what they found (provenance in `job_sources`), and the
//! saving of one search's results in one transaction together with its run item's health. A
//! result that is already a collected job — by identity, or by the same company and title at
//! a compatible place — is that job, tagged with the search, never a second copy.

use super::normalize::{fingerprint, identity};
use super::upsert::{UpsertBatch, upsert_in};
use super::{Database, StoreError};
use model::{JobFilter, NewJob, RunCounts, RunStatus, SavedSearch, SearchForm};
use sqlx::{Row, SqliteConnection};

/// One board's answer to a search: the jobs, or why it failed.
pub struct BoardResult {
    pub source: &'static str,
    pub jobs: Result<Vec<NewJob>, String>,
}

fn form_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<SearchForm, StoreError> {
    let providers: String = row.try_get("providers")?;
    Ok(SearchForm {
        name: row.try_get("name")?,
        query: row.try_get("query")?,
        location: row.try_get("location")?,
        remote_only: row.try_get::<i64, _>("remote_only")? == 1,
        providers: serde_json::from_str(&providers)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        result_limit: row.try_get::<i64, _>("result_limit")?.clamp(1, 1000) as u32,
        enabled: row.try_get::<i64, _>("enabled")? == 1,
        schedule_minutes: row
            .try_get::<Option<i64>, _>("schedule_minutes")?
            .map(|m| m.max(0) as u32),
    })
}

fn refuse_problems(form: &SearchForm) -> Result<(), StoreError> {
    match form.problems().first() {
        None => Ok(()),
        Some(problem) => Err(StoreError::Invalid(format!(
            "{}: {}",
            problem.field, problem.message
        ))),
    }
}

fn unique_name(error: sqlx::Error, name: &str) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.message().contains("UNIQUE") => StoreError::Invalid(
            format!("name: a search called “{}” already exists.", name.trim()),
        ),
        _ => error.into(),
    }
}

impl Database {
    pub async fn add_search(&self, form: &SearchForm, now: i64) -> Result<i64, StoreError> {
        refuse_problems(form)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO saved_searches (name, query, location, remote_only, providers, result_limit, \
               enabled, schedule_minutes, last_viewed_at, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(form.name.trim())
        .bind(form.query.trim())
        .bind(form.location.trim())
        .bind(i64::from(form.remote_only))
        .bind(serde_json::to_string(&form.providers).expect("strings"))
        .bind(i64::from(form.result_limit))
        .bind(i64::from(form.enabled))
        .bind(form.schedule_minutes.map(i64::from))
        .bind(now)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_name(e, &form.name))?;
        tx.commit().await?;
        Ok(id)
    }

    /// `false` when there is no such search.
    pub async fn update_search(
        &self,
        id: i64,
        form: &SearchForm,
        now: i64,
    ) -> Result<bool, StoreError> {
        refuse_problems(form)?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE saved_searches SET name = ?, query = ?, location = ?, remote_only = ?, \
               providers = ?, result_limit = ?, enabled = ?, schedule_minutes = ?, updated_at = ? WHERE id = ?",
        )
        .bind(form.name.trim())
        .bind(form.query.trim())
        .bind(form.location.trim())
        .bind(i64::from(form.remote_only))
        .bind(serde_json::to_string(&form.providers).expect("strings"))
        .bind(i64::from(form.result_limit))
        .bind(i64::from(form.enabled))
        .bind(form.schedule_minutes.map(i64::from))
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_name(e, &form.name))?
        .rows_affected();
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Deletes a search; the jobs it found stay. `false` when there is no such search.
    pub async fn delete_search(&self, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM saved_searches WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Records that the user looked at what the search matches now.
    pub async fn mark_search_viewed(&self, id: i64, now: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE saved_searches SET last_viewed_at = ? WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One search's definition, or `None`.
    pub async fn search_form(&self, id: i64) -> Result<Option<SearchForm>, StoreError> {
        sqlx::query("SELECT * FROM saved_searches WHERE id = ?")
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .map(|row| form_from_row(&row))
            .transpose()
    }

    /// Every saved search by name, with what it found and its last run.
    pub async fn saved_searches(&self, now: i64) -> Result<Vec<SavedSearch>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.*, \
               (SELECT count(DISTINCT job_id) FROM job_sources WHERE search_id = s.id) AS found, \
               ri.run_id, ri.status, ri.finished_at, ri.seen, ri.new, ri.updated, ri.closed, ri.error \
             FROM saved_searches s \
             LEFT JOIN run_items ri ON ri.id = \
               (SELECT id FROM run_items WHERE search_id = s.id ORDER BY id DESC LIMIT 1) \
             ORDER BY s.name COLLATE NOCASE, s.id",
        )
        .fetch_all(self.reader())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let last_run = super::runs::last_collection(&row)?;
            let mut search = SavedSearch {
                id: row.try_get("id")?,
                form: form_from_row(&row)?,
                found: row.try_get::<i64, _>("found")?.max(0) as u64,
                new_matching: 0,
                last_viewed_at: row.try_get("last_viewed_at")?,
                last_run,
            };
            let mut filter: JobFilter = search.matching_query().filter;
            filter.new_since = Some(search.last_viewed_at.unwrap_or(0));
            search.new_matching = self.job_counts(&filter, now).await?.total;
            out.push(search);
        }
        Ok(out)
    }

    /// Saves one search's results and its run item's health in one transaction.
    pub async fn save_search_results(
        &self,
        item: i64,
        search: i64,
        results: &[BoardResult],
        now: i64,
    ) -> Result<RunCounts, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut counts = RunCounts::default();
        let mut notes: Vec<String> = Vec::new();
        for result in results {
            let jobs = match &result.jobs {
                Ok(jobs) => jobs,
                Err(error) => {
                    notes.push(format!("{}: {error}", result.source));
                    continue;
                }
            };
            counts.seen += jobs.len() as u64;
            // Results that are a job collected elsewhere only get tagged.
            let mut fresh: Vec<NewJob> = Vec::new();
            let mut tagged: Vec<(i64, &NewJob)> = Vec::new();
            for job in jobs {
                match same_job(&mut tx, job).await? {
                    Some(id) => tagged.push((id, job)),
                    None => fresh.push(job.clone()),
                }
            }
            let done = upsert_in(
                &mut tx,
                &UpsertBatch {
                    company_id: None,
                    jobs: &fresh,
                    complete: false,
                    now,
                },
            )
            .await?;
            counts.new += done.inserted;
            counts.updated += done.updated;
            for job in &fresh {
                if let Some(id) =
                    sqlx::query_scalar::<_, i64>("SELECT id FROM jobs WHERE identity = ?")
                        .bind(identity(job))
                        .fetch_optional(&mut *tx)
                        .await?
                {
                    tagged.push((id, job));
                }
            }
            for (id, job) in tagged {
                sqlx::query(
                    "INSERT INTO job_sources (job_id, source, search_id, url, first_seen_at, last_seen_at) \
                     VALUES (?, ?, ?, ?, ?, ?) \
                     ON CONFLICT (job_id, source, search_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, url = excluded.url",
                )
                .bind(id)
                .bind(result.source)
                .bind(search)
                .bind(&job.url)
                .bind(now)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        let failed = results.iter().filter(|r| r.jobs.is_err()).count();
        let status = match failed {
            0 => RunStatus::Succeeded,
            n if n == results.len() => RunStatus::Failed,
            _ => RunStatus::Partial,
        };
        sqlx::query(
            "UPDATE run_items SET phase = ?, status = ?, finished_at = ?, started_at = coalesce(started_at, ?), \
             seen = ?, new = ?, updated = ?, closed = 0, notes = ?, error = ? WHERE id = ?",
        )
        .bind(if status == RunStatus::Failed { "failed" } else { "done" })
        .bind(status.as_str())
        .bind(now)
        .bind(now)
        .bind(counts.seen as i64)
        .bind(counts.new as i64)
        .bind(counts.updated as i64)
        .bind(serde_json::to_string(&notes).expect("strings"))
        .bind((status == RunStatus::Failed).then(|| notes.join("; ")))
        .bind(item)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(counts)
    }
}

/// The collected job this search result is: the same identity, or the same company and title
/// where one place contains the other (a board says "Germany", the company "Berlin, Germany").
async fn same_job(conn: &mut SqliteConnection, job: &NewJob) -> Result<Option<i64>, StoreError> {
    if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM jobs WHERE identity = ?")
        .bind(identity(job))
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(Some(id));
    }
    let print = fingerprint(job);
    let (prefix, place) = print.rsplit_once('|').unwrap_or((&print, ""));
    let prefix = format!("{prefix}|");
    // A range over the fingerprint index: every job of that company with that title.
    let candidates = sqlx::query(
        "SELECT id, fingerprint FROM jobs WHERE fingerprint >= ? AND fingerprint < ? ORDER BY id",
    )
    .bind(&prefix)
    .bind(format!("{prefix}\u{10FFFF}"))
    .fetch_all(&mut *conn)
    .await?;
    let words = |text: &str| {
        text.split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let place = words(place);
    for row in candidates {
        let other: String = row.try_get("fingerprint")?;
        let other = words(other.rsplit_once('|').map_or("", |(_, p)| p));
        let within = |a: &[String], b: &[String]| a.iter().all(|w| b.contains(w));
        if place.is_empty() || other.is_empty() || within(&place, &other) || within(&other, &place)
        {
            return Ok(Some(row.try_get("id")?));
        }
    }
    Ok(None)
}

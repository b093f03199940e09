//! Runs and their companies, persisted so a page opened mid-run or after a restart shows the
//! truth. A company's result (its jobs, its raw payload, its fetch state and its health) is
//! written in one transaction: a crash leaves either all of it or none of it.

use super::upsert::{Prepared, UpsertBatch, UpsertCounts, upsert_prepared};
use super::{Database, StoreError};
use crate::sources::{Collected, Previous, Validators};
use model::{Phase, Run, RunCounts, RunItem, RunScope, RunStatus, RunTrigger};
use sqlx::Row;
use std::io::Write;

/// How one company's part of a run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemOutcome {
    pub status: RunStatus,
    pub phase: Phase,
    pub error: Option<String>,
}

impl Database {
    /// Creates a running run with one queued item per `(company_id, label)`.
    pub async fn create_run(
        &self,
        scope: RunScope,
        trigger: RunTrigger,
        companies: &[(i64, String)],
        now: i64,
    ) -> Result<Run, StoreError> {
        let items: Vec<_> = companies
            .iter()
            .map(|(id, label)| (Some(*id), None, label.clone()))
            .collect();
        self.create_run_of(scope, trigger, &items, now).await
    }

    /// Creates a running run with one queued item per `(search_id, label)`.
    pub async fn create_search_run(
        &self,
        trigger: RunTrigger,
        searches: &[(i64, String)],
        now: i64,
    ) -> Result<Run, StoreError> {
        let items: Vec<_> = searches
            .iter()
            .map(|(id, label)| (None, Some(*id), label.clone()))
            .collect();
        self.create_run_of(RunScope::Search, trigger, &items, now)
            .await
    }

    /// Items are `(company_id, search_id, label)`.
    async fn create_run_of(
        &self,
        scope: RunScope,
        trigger: RunTrigger,
        targets: &[(Option<i64>, Option<i64>, String)],
        now: i64,
    ) -> Result<Run, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO runs (scope, trigger, status, started_at) VALUES (?, ?, 'running', ?) \
             RETURNING id",
        )
        .bind(scope.as_str())
        .bind(trigger.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let mut items = Vec::with_capacity(targets.len());
        for (company_id, search_id, label) in targets {
            let item: i64 = sqlx::query_scalar(
                "INSERT INTO run_items (run_id, company_id, search_id, label, phase, status) \
                 VALUES (?, ?, ?, ?, 'queued', 'queued') RETURNING id",
            )
            .bind(id)
            .bind(company_id)
            .bind(search_id)
            .bind(label)
            .fetch_one(&mut *tx)
            .await?;
            items.push(RunItem::queued(item, *company_id, label.clone()));
        }
        tx.commit().await?;
        Ok(Run {
            id,
            scope,
            trigger,
            status: RunStatus::Running,
            started_at: now,
            finished_at: None,
            counts: RunCounts::default(),
            error: None,
            items,
        })
    }

    /// Moves an item to a working phase (fetching, extracting, saving).
    pub async fn set_phase(&self, item: i64, phase: Phase, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE run_items SET phase = ?, status = 'running', \
             started_at = coalesce(started_at, ?) WHERE id = ?",
        )
        .bind(phase.as_str())
        .bind(now)
        .bind(item)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// What the last successful fetch of a company left for the next one.
    pub async fn previous_fetch(&self, company: i64) -> Result<Option<Previous>, StoreError> {
        let row = sqlx::query(
            "SELECT etag, last_modified, content_hash FROM raw_payloads WHERE company_id = ?",
        )
        .bind(company)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| {
            Ok(Previous {
                validators: Validators {
                    etag: r.try_get("etag")?,
                    last_modified: r.try_get("last_modified")?,
                },
                hash: r.try_get("content_hash")?,
            })
        })
        .transpose()
    }

    /// Saves one company's collected board and its health in one transaction: the jobs (an
    /// unchanged board writes none and closes none), the raw payload with the fetch's
    /// validators, and the item's counts, status and notes.
    pub async fn save_collected(
        &self,
        item: i64,
        company: i64,
        collected: &Collected,
        now: i64,
    ) -> Result<UpsertCounts, StoreError> {
        // The CPU work first, outside the single writer: other companies write meanwhile.
        let work = if collected.unchanged {
            None
        } else {
            Some((Prepared::new(&collected.jobs), compress(&collected.raw)?))
        };
        let mut tx = self.begin_write().await?;
        let counts = if let Some((prepared, payload)) = work {
            let counts = upsert_prepared(
                &mut tx,
                &UpsertBatch {
                    company_id: Some(company),
                    jobs: &collected.jobs,
                    complete: collected.is_complete(),
                    now,
                },
                prepared,
            )
            .await?;
            save_payload(&mut tx, company, collected, payload, now).await?;
            counts
        } else {
            // Nothing to parse or write; the jobs were seen again all the same.
            sqlx::query(
                "UPDATE jobs SET last_seen_at = ? WHERE company_id = ? AND closed_at IS NULL",
            )
            .bind(now)
            .bind(company)
            .execute(&mut *tx)
            .await?;
            UpsertCounts::default()
        };
        let seen = if collected.unchanged {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM jobs WHERE company_id = ? AND closed_at IS NULL",
            )
            .bind(company)
            .fetch_one(&mut *tx)
            .await? as u64
        } else {
            counts.inserted + counts.updated + counts.unchanged
        };
        let mut notes = collected
            .needs_llm
            .iter()
            .map(|page| format!("needs LLM: {}", page.url))
            .collect::<Vec<_>>();
        notes.extend(collected.skipped.iter().cloned());
        if counts.rejected > 0 {
            notes.push(format!(
                "{} jobs rejected (blank title or company, no URL)",
                counts.rejected
            ));
        }
        let status = if collected.is_complete() || collected.unchanged {
            RunStatus::Succeeded
        } else {
            RunStatus::Partial
        };
        sqlx::query(
            "UPDATE run_items SET phase = 'done', status = ?, finished_at = ?, \
             started_at = coalesce(started_at, ?), seen = ?, new = ?, updated = ?, closed = ?, \
             notes = ?, error = NULL WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(now)
        .bind(now)
        .bind(seen as i64)
        .bind(counts.inserted as i64)
        .bind(counts.updated as i64)
        .bind(counts.closed as i64)
        .bind(serde_json::to_string(&notes).expect("strings"))
        .bind(item)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(counts)
    }

    /// Ends an item that did not succeed (failed, cancelled).
    pub async fn finish_item(
        &self,
        item: i64,
        outcome: &ItemOutcome,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE run_items SET phase = ?, status = ?, error = ?, finished_at = ? \
             WHERE id = ? AND finished_at IS NULL",
        )
        .bind(outcome.phase.as_str())
        .bind(outcome.status.as_str())
        .bind(&outcome.error)
        .bind(now)
        .bind(item)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Ends a run: its status from its items, its counts summed.
    pub async fn finish_run(&self, run: i64, cancelled: bool, now: i64) -> Result<Run, StoreError> {
        let items = self.run_items(run).await?;
        let status = Run::outcome(&items, cancelled);
        let error = items
            .iter()
            .rev()
            .find_map(|i| i.error.as_ref().map(|e| format!("{}: {e}", i.label)));
        sqlx::query(
            "UPDATE runs SET status = ?, finished_at = ?, error = ?, \
             seen = (SELECT coalesce(sum(seen), 0) FROM run_items WHERE run_id = runs.id), \
             new = (SELECT coalesce(sum(new), 0) FROM run_items WHERE run_id = runs.id), \
             updated = (SELECT coalesce(sum(updated), 0) FROM run_items WHERE run_id = runs.id), \
             closed = (SELECT coalesce(sum(closed), 0) FROM run_items WHERE run_id = runs.id) \
             WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(now)
        .bind(error)
        .bind(run)
        .execute(&self.writer)
        .await?;
        self.run(run)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("run {run} vanished")))
    }

    /// Marks runs left unfinished by a process that died, and their unfinished items, as
    /// interrupted. Called once at startup, before any new run. Returns how many runs.
    pub async fn mark_interrupted(&self, now: i64) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE run_items SET phase = 'interrupted', status = 'interrupted', finished_at = ? \
             WHERE finished_at IS NULL AND run_id IN (SELECT id FROM runs WHERE finished_at IS NULL)",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let runs = sqlx::query(
            "UPDATE runs SET status = 'interrupted', finished_at = ?, \
             seen = (SELECT coalesce(sum(seen), 0) FROM run_items WHERE run_id = runs.id), \
             new = (SELECT coalesce(sum(new), 0) FROM run_items WHERE run_id = runs.id), \
             updated = (SELECT coalesce(sum(updated), 0) FROM run_items WHERE run_id = runs.id), \
             closed = (SELECT coalesce(sum(closed), 0) FROM run_items WHERE run_id = runs.id) \
             WHERE finished_at IS NULL",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(runs)
    }

    /// One run with its items.
    pub async fn run(&self, id: i64) -> Result<Option<Run>, StoreError> {
        let Some(row) = sqlx::query("SELECT * FROM runs WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.writer)
            .await?
        else {
            return Ok(None);
        };
        let items = self.run_items(id).await?;
        Ok(Some(run_from_row(&row, items)?))
    }

    /// The most recent runs, newest first, with their items.
    pub async fn recent_runs(&self, limit: u32) -> Result<Vec<Run>, StoreError> {
        let rows = sqlx::query("SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?")
            .bind(limit)
            .fetch_all(self.reader())
            .await?;
        let mut runs = Vec::with_capacity(rows.len());
        for row in rows {
            let items = self.run_items(row.try_get("id")?).await?;
            runs.push(run_from_row(&row, items)?);
        }
        Ok(runs)
    }

    /// The most recent runs without their companies (on the reader pool): what a progress
    /// stream starts from, opened by every browser tab, so it must cost little.
    pub async fn recent_run_headers(&self, limit: u32) -> Result<Vec<Run>, StoreError> {
        let rows = sqlx::query("SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?")
            .bind(limit)
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|row| run_from_row(row, Vec::new()))
            .collect()
    }

    /// One company of a run, as committed.
    pub async fn run_item(&self, id: i64) -> Result<Option<RunItem>, StoreError> {
        sqlx::query("SELECT * FROM run_items WHERE id = ?")
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .as_ref()
            .map(item_from_row)
            .transpose()
    }

    async fn run_items(&self, run: i64) -> Result<Vec<RunItem>, StoreError> {
        // On the writer: a run's own progress must read its latest writes.
        let rows = sqlx::query("SELECT * FROM run_items WHERE run_id = ? ORDER BY id")
            .bind(run)
            .fetch_all(&self.writer)
            .await?;
        rows.iter().map(item_from_row).collect()
    }
}

fn parse<T: std::str::FromStr<Err = String>>(text: &str) -> Result<T, StoreError> {
    text.parse().map_err(StoreError::Corrupt)
}

fn counts(row: &sqlx::sqlite::SqliteRow) -> Result<RunCounts, StoreError> {
    let get = |name: &str| row.try_get::<i64, _>(name).map(|v| v as u64);
    Ok(RunCounts {
        seen: get("seen")?,
        new: get("new")?,
        updated: get("updated")?,
        closed: get("closed")?,
    })
}

/// The latest run item joined to a company or search row (`run_id`, `status`, `finished_at`,
/// the counts, `error`): `None` when it was never collected.
pub(super) fn last_collection(
    row: &sqlx::sqlite::SqliteRow,
) -> Result<Option<model::LastCollection>, StoreError> {
    let Some(run_id) = row.try_get::<Option<i64>, _>("run_id")? else {
        return Ok(None);
    };
    Ok(Some(model::LastCollection {
        run_id,
        status: parse(row.try_get("status")?)?,
        finished_at: row.try_get("finished_at")?,
        counts: counts(row)?,
        error: row.try_get("error")?,
    }))
}

fn item_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<RunItem, StoreError> {
    let notes: String = row.try_get("notes")?;
    Ok(RunItem {
        id: row.try_get("id")?,
        company_id: row.try_get("company_id")?,
        label: row.try_get("label")?,
        phase: parse(row.try_get("phase")?)?,
        status: parse(row.try_get("status")?)?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        counts: counts(row)?,
        error: row.try_get("error")?,
        notes: serde_json::from_str(&notes).unwrap_or_default(),
    })
}

fn run_from_row(row: &sqlx::sqlite::SqliteRow, items: Vec<RunItem>) -> Result<Run, StoreError> {
    Ok(Run {
        id: row.try_get("id")?,
        scope: parse(row.try_get("scope")?)?,
        trigger: parse(row.try_get("trigger")?)?,
        status: parse(row.try_get("status")?)?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        counts: counts(row)?,
        error: row.try_get("error")?,
        items,
    })
}

/// The raw payload, gzip-compressed for `raw_payloads`.
fn compress(raw: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(raw)
        .and_then(|()| gz.flush())
        .map_err(|e| StoreError::Invalid(format!("compressing the payload: {e}")))?;
    gz.finish()
        .map_err(|e| StoreError::Invalid(format!("compressing the payload: {e}")))
}

/// The board's raw payload (`body`, compressed) and its fetch state, replacing the previous one.
async fn save_payload(
    conn: &mut sqlx::SqliteConnection,
    company: i64,
    collected: &Collected,
    body: Vec<u8>,
    now: i64,
) -> Result<(), StoreError> {
    let remember = collected.is_complete();
    sqlx::query(
        "INSERT INTO raw_payloads (company_id, fetched_at, content_type, bytes, body, etag, \
         last_modified, content_hash, encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'gzip') \
         ON CONFLICT (company_id) DO UPDATE SET fetched_at = excluded.fetched_at, \
         content_type = excluded.content_type, bytes = excluded.bytes, body = excluded.body, \
         etag = excluded.etag, last_modified = excluded.last_modified, \
         content_hash = excluded.content_hash, encoding = 'gzip'",
    )
    .bind(company)
    .bind(now)
    .bind(if collected.raw.starts_with(b"<") {
        "text/html"
    } else {
        "application/json"
    })
    .bind(collected.raw.len() as i64)
    .bind(body)
    // Only a complete fetch may let the next one skip an unchanged board: after a partial
    // one (a failed page, pages the LLM could not read), the next run must try again.
    .bind(remember.then_some(&collected.previous.validators.etag))
    .bind(remember.then_some(&collected.previous.validators.last_modified))
    .bind(remember.then_some(&collected.previous.hash))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

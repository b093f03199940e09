//! Import of a JSON export (`GET /api/v1/export?format=json`): the jobs' provider fields are
//! upserted like any collection (never closing anything), then the user's own state from the
//! file — stage, star, notes, archive, when they applied — is applied, in batches, each batch in
//! one transaction. Importing the same file twice changes nothing the second time.

use super::normalize::identity;
use super::upsert::UpsertBatch;
use super::{Database, StoreError};
use model::{ImportCounts, Job, NewJob, Stage};

/// Jobs per transaction.
const IMPORT_BATCH: usize = 500;

fn provider_fields(job: &Job) -> NewJob {
    NewJob {
        source: job.source.clone(),
        source_id: job.source_id.clone(),
        url: job.url.clone(),
        apply_url: job.apply_url.clone(),
        title: job.title.clone(),
        company: job.company.clone(),
        location: job.location.clone(),
        remote: job.remote,
        employment_type: job.employment_type,
        department: job.department.clone(),
        salary: job.salary.clone(),
        posted_at: job.posted_at,
        // A file is as untrusted as a careers page: the same sanitizer, or its HTML would
        // reach the page as it came.
        description_html: crate::sources::html::sanitize(&job.description_html),
        description_text: job.description_text.clone(),
    }
}

impl Database {
    pub async fn import_jobs(&self, jobs: &[Job], now: i64) -> Result<ImportCounts, StoreError> {
        let mut counts = ImportCounts {
            jobs: jobs.len() as u64,
            ..ImportCounts::default()
        };
        for chunk in jobs.chunks(IMPORT_BATCH) {
            let fields: Vec<NewJob> = chunk.iter().map(provider_fields).collect();
            let done = self
                .upsert_jobs(UpsertBatch {
                    company_id: None,
                    jobs: &fields,
                    complete: false,
                    now,
                })
                .await?;
            counts.inserted += done.inserted;
            counts.updated += done.updated;
            counts.unchanged += done.unchanged;
            self.apply_user_state(chunk, &fields, now).await?;
        }
        Ok(counts)
    }

    /// The file's user state onto the stored jobs; a changed stage is logged like any other.
    async fn apply_user_state(
        &self,
        jobs: &[Job],
        fields: &[NewJob],
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (job, new) in jobs.iter().zip(fields) {
            let key = identity(new);
            let current: Option<String> =
                sqlx::query_scalar("SELECT stage FROM jobs WHERE identity = ?")
                    .bind(&key)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(current) = current else { continue };
            let current: Stage = current.parse().map_err(StoreError::Corrupt)?;
            if current != job.stage {
                sqlx::query(
                    "INSERT INTO stage_history (job_id, from_stage, to_stage, at) \
                     SELECT id, ?, ?, ? FROM jobs WHERE identity = ?",
                )
                .bind(current.as_str())
                .bind(job.stage.as_str())
                .bind(now)
                .bind(&key)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE jobs SET stage = ?1, starred = ?2, notes = ?3, archived_at = ?4, \
                   applied_at = coalesce(?5, applied_at), first_seen_at = min(first_seen_at, ?6), \
                   stage_changed_at = CASE WHEN stage <> ?1 THEN ?7 ELSE stage_changed_at END, \
                   updated_at = ?7 \
                 WHERE identity = ?8",
            )
            .bind(job.stage.as_str())
            .bind(i64::from(job.starred))
            .bind(&job.notes)
            .bind(job.archived_at)
            .bind(job.applied_at)
            .bind(job.first_seen_at)
            .bind(now)
            .bind(&key)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

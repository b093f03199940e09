//! The user's own changes to jobs: stage (logged with its time), star, notes, archive, one job
//! or many at once. Collection never writes these columns.

use super::{Database, StoreError};

pub use model::{JobChange, MAX_BULK, MAX_NOTES_CHARS};

impl Database {
    /// Applies `change` to every job in `ids` in one transaction; answers how many jobs exist
    /// among `ids` (unknown ids are skipped, not an error, so a bulk action over a list that
    /// changed meanwhile still applies to the rest).
    pub async fn change_jobs(
        &self,
        ids: &[i64],
        change: &JobChange,
        now: i64,
    ) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        if ids.len() > MAX_BULK {
            return Err(StoreError::Invalid(format!(
                "at most {MAX_BULK} jobs at once, not {}",
                ids.len()
            )));
        }
        if let JobChange::Notes(notes) = change
            && notes.chars().count() > MAX_NOTES_CHARS
        {
            return Err(StoreError::Invalid(format!(
                "notes are limited to {MAX_NOTES_CHARS} characters"
            )));
        }
        let ids_json = serde_json::to_string(ids).expect("ids serialize");
        let mut tx = self.begin_write().await?;
        let affected = match change {
            JobChange::Stage(stage) => {
                // History first, from the stage each job is leaving; jobs already there log nothing.
                sqlx::query(
                    "INSERT INTO stage_history (job_id, from_stage, to_stage, at) \
                     SELECT id, stage, ?1, ?2 FROM jobs \
                     WHERE id IN (SELECT value FROM json_each(?3)) AND stage <> ?1",
                )
                .bind(stage.as_str())
                .bind(now)
                .bind(&ids_json)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE jobs SET stage = ?1, stage_changed_at = ?2, updated_at = ?2, \
                     applied_at = CASE WHEN ?1 = 'applied' AND applied_at IS NULL THEN ?2 ELSE applied_at END \
                     WHERE id IN (SELECT value FROM json_each(?3))",
                )
                .bind(stage.as_str())
                .bind(now)
                .bind(&ids_json)
                .execute(&mut *tx)
                .await?
            }
            JobChange::Starred(starred) => {
                sqlx::query(
                    "UPDATE jobs SET starred = ?1, updated_at = ?2 \
                     WHERE id IN (SELECT value FROM json_each(?3))",
                )
                .bind(i64::from(*starred))
                .bind(now)
                .bind(&ids_json)
                .execute(&mut *tx)
                .await?
            }
            JobChange::Notes(notes) => {
                sqlx::query(
                    "UPDATE jobs SET notes = ?1, updated_at = ?2 \
                     WHERE id IN (SELECT value FROM json_each(?3))",
                )
                .bind(notes)
                .bind(now)
                .bind(&ids_json)
                .execute(&mut *tx)
                .await?
            }
            JobChange::Archived(archived) => sqlx::query(
                "UPDATE jobs SET archived_at = CASE WHEN ?1 THEN coalesce(archived_at, ?2) END, \
                     updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?3))",
            )
            .bind(*archived)
            .bind(now)
            .bind(&ids_json)
            .execute(&mut *tx)
            .await?,
        };
        tx.commit().await?;
        Ok(affected.rows_affected())
    }
}

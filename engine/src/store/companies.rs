//! Companies whose boards Jobscout collects.

use super::{Database, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCompany {
    pub name: String,
    pub provider: String,
    pub board_token: String,
    pub careers_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub provider: String,
    pub board_token: String,
    pub careers_url: Option<String>,
    pub enabled: bool,
}

impl Database {
    /// Adds a company, or answers the existing one with the same provider and board token.
    pub async fn add_company(&self, company: &NewCompany, now: i64) -> Result<i64, StoreError> {
        if company.name.trim().is_empty() {
            return Err(StoreError::Invalid("a company needs a name".into()));
        }
        let mut tx = self.begin_write().await?;
        let existing =
            sqlx::query("SELECT id FROM companies WHERE provider = ? AND board_token = ?")
                .bind(&company.provider)
                .bind(company.board_token.trim())
                .fetch_optional(&mut *tx)
                .await?;
        let id = match existing {
            Some(row) => row.try_get("id")?,
            None => sqlx::query(
                "INSERT INTO companies (name, provider, board_token, careers_url, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(company.name.trim())
            .bind(&company.provider)
            .bind(company.board_token.trim())
            .bind(&company.careers_url)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?,
        };
        tx.commit().await?;
        Ok(id)
    }

    pub async fn companies(&self) -> Result<Vec<CompanyRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, provider, board_token, careers_url, enabled FROM companies \
             ORDER BY name COLLATE NOCASE, id",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CompanyRow {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    provider: r.try_get("provider")?,
                    board_token: r.try_get("board_token")?,
                    careers_url: r.try_get("careers_url")?,
                    enabled: r.try_get::<i64, _>("enabled")? == 1,
                })
            })
            .collect()
    }
}

/// A company with its open jobs and its latest collection (provider label left to the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyStats {
    pub company: CompanyRow,
    pub schedule_minutes: Option<u32>,
    pub open_jobs: u64,
    pub last_run: Option<model::LastCollection>,
}

impl Database {
    /// Every company with its open jobs and how its latest collection went, by name.
    pub async fn company_stats(&self) -> Result<Vec<CompanyStats>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.name, c.provider, c.board_token, c.careers_url, c.enabled, c.schedule_minutes, \
               (SELECT count(*) FROM jobs j WHERE j.company_id = c.id AND j.closed_at IS NULL) AS open_jobs, \
               ri.run_id, ri.status, ri.finished_at, ri.seen, ri.new, ri.updated, ri.closed, ri.error \
             FROM companies c \
             LEFT JOIN run_items ri ON ri.id = \
               (SELECT id FROM run_items WHERE company_id = c.id ORDER BY id DESC LIMIT 1) \
             ORDER BY c.name COLLATE NOCASE, c.id",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let last_run = super::runs::last_collection(r)?;
                Ok(CompanyStats {
                    company: CompanyRow {
                        id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        provider: r.try_get("provider")?,
                        board_token: r.try_get("board_token")?,
                        careers_url: r.try_get("careers_url")?,
                        enabled: r.try_get::<i64, _>("enabled")? == 1,
                    },
                    schedule_minutes: r
                        .try_get::<Option<i64>, _>("schedule_minutes")?
                        .map(|m| m.max(0) as u32),
                    open_jobs: r.try_get::<i64, _>("open_jobs")?.max(0) as u64,
                    last_run,
                })
            })
            .collect()
    }

    /// Renames a company and turns its collection on or off; `false` when there is no such
    /// company.
    pub async fn update_company(
        &self,
        id: i64,
        name: &str,
        enabled: bool,
        schedule_minutes: Option<u32>,
        now: i64,
    ) -> Result<bool, StoreError> {
        if schedule_minutes.is_some_and(|m| m < model::company::MIN_SCHEDULE_MINUTES) {
            return Err(StoreError::Invalid(format!(
                "a schedule is at least every {} minutes",
                model::company::MIN_SCHEDULE_MINUTES
            )));
        }
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a company needs a name".into()));
        }
        if name.chars().count() > model::company::MAX_COMPANY_NAME_CHARS {
            return Err(StoreError::Invalid(format!(
                "a company name is at most {} characters",
                model::company::MAX_COMPANY_NAME_CHARS
            )));
        }
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE companies SET name = ?, enabled = ?, schedule_minutes = ?, updated_at = ? WHERE id = ?")
                .bind(name)
                .bind(i64::from(enabled))
                .bind(schedule_minutes.map(i64::from))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Removes a company. Its jobs stay (with the user's stages, stars and notes); they just
    /// no longer belong to a followed company. `false` when there is no such company.
    pub async fn delete_company(&self, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM companies WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(done == 1)
    }
}

impl Database {
    /// Enabled companies with a schedule whose last collection finished (or, never collected,
    /// that were added) at least their schedule ago.
    pub async fn due_companies(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT c.id FROM companies c WHERE c.enabled = 1 AND c.schedule_minutes IS NOT NULL \
               AND coalesce((SELECT max(coalesce(finished_at, started_at)) FROM run_items WHERE company_id = c.id), c.created_at) \
                   + c.schedule_minutes * 60 <= ? ORDER BY c.id",
        )
        .bind(now)
        .fetch_all(self.reader())
        .await?)
    }

    /// The same for saved searches.
    pub async fn due_searches(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT s.id FROM saved_searches s WHERE s.enabled = 1 AND s.schedule_minutes IS NOT NULL \
               AND coalesce((SELECT max(coalesce(finished_at, started_at)) FROM run_items WHERE search_id = s.id), s.created_at) \
                   + s.schedule_minutes * 60 <= ? ORDER BY s.id",
        )
        .bind(now)
        .fetch_all(self.reader())
        .await?)
    }
}

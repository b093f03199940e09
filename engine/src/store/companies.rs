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

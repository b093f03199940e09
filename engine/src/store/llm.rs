//! The LLM's persistent side: the exact-match answer cache, and the usage ledger the monthly
//! budget is counted from.

use super::{Database, StoreError};
use sqlx::Row;

/// One LLM call (or cache hit) as the ledger keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmCall {
    pub at: i64,
    pub model: String,
    pub company_id: Option<i64>,
    pub url: Option<String>,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub latency_ms: u64,
    pub cached: bool,
    pub error: Option<String>,
}

impl Database {
    /// The cached answer for `key`, if any.
    pub async fn llm_cached(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT response FROM llm_cache WHERE key = ?")
                .bind(key)
                .fetch_optional(self.reader())
                .await?,
        )
    }

    /// Keeps `response` as the answer for `key` (a later identical answer replaces it).
    pub async fn llm_cache_put(
        &self,
        key: &str,
        model: &str,
        prompt_version: u32,
        response: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO llm_cache (key, model, prompt_version, response, created_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET response = excluded.response, \
             created_at = excluded.created_at",
        )
        .bind(key)
        .bind(model)
        .bind(i64::from(prompt_version))
        .bind(response)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Writes one call to the ledger.
    pub async fn record_llm_call(&self, call: &LlmCall) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO llm_usage (at, model, company_id, url, prompt_tokens, completion_tokens, \
             latency_ms, cached, error) \
             VALUES (?, ?, (SELECT id FROM companies WHERE id = ?), ?, ?, ?, ?, ?, ?)",
        )
        .bind(call.at)
        .bind(&call.model)
        .bind(call.company_id)
        .bind(&call.url)
        .bind(i64::from(call.prompt_tokens))
        .bind(i64::from(call.completion_tokens))
        .bind(call.latency_ms as i64)
        .bind(call.cached)
        .bind(&call.error)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Tokens spent (prompt and completion) in the calendar month (UTC) of `now`.
    pub async fn llm_tokens_this_month(&self, now: i64) -> Result<u64, StoreError> {
        let row = sqlx::query(
            "SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) AS tokens \
             FROM llm_usage WHERE at >= ?",
        )
        .bind(month_start(now))
        .fetch_one(self.reader())
        .await?;
        Ok(row.try_get::<i64, _>("tokens")?.max(0) as u64)
    }
}

/// The first second of the calendar month (UTC) of `now`.
pub(super) fn month_start(now: i64) -> i64 {
    let (year, month, _) = model::time::civil_from_days(now.div_euclid(86_400));
    model::time::days_from_civil(year, month, 1) * 86_400
}

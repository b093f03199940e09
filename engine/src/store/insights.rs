//! The Insights page's figures in one read: headline counts, new jobs per day, the stage
//! funnel, salary spreads per currency, top companies with what they pay, source health and
//! LLM usage. Salaries are compared as yearly midpoints in their own currency, never converted.

use super::{Database, StoreError};
use model::insights::{
    CompanyPay, DayCount, Insights, LlmUsage, SalarySpread, SourceHealth, median, nice_width,
};
use model::{RunStatus, Stage};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// Days of history in the per-day chart.
pub const INSIGHT_DAYS: i64 = 90;
/// Companies in the top list.
const TOP_COMPANIES: usize = 10;
/// Currencies with fewer salaried jobs than this get no spread (too few to read).
const MIN_SPREAD_JOBS: usize = 3;

const ACTIVE: &str = "archived_at IS NULL AND closed_at IS NULL";

/// The LLM price and budget, from the configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct LlmPricing {
    pub price_per_million_tokens_usd: f64,
    pub monthly_budget_usd: f64,
}

impl LlmPricing {
    pub fn of(config: &crate::config::LlmConfig) -> Self {
        Self {
            price_per_million_tokens_usd: config.price_per_million_tokens_usd,
            monthly_budget_usd: config.monthly_budget_usd,
        }
    }
}

impl Database {
    pub async fn insights(&self, now: i64, pricing: LlmPricing) -> Result<Insights, StoreError> {
        let db = self.reader();
        let count = |sql: String| async move {
            let n: i64 = sqlx::query_scalar(&sql).fetch_one(db).await?;
            Ok::<u64, StoreError>(n.max(0) as u64)
        };
        let active_jobs = count(format!("SELECT count(*) FROM jobs WHERE {ACTIVE}")).await?;
        let companies_tracked =
            count("SELECT count(*) FROM companies WHERE enabled = 1".into()).await?;
        let week_ago = now - 7 * 86_400;
        let new_last_7_days = count(format!(
            "SELECT count(*) FROM jobs WHERE first_seen_at >= {week_ago}"
        ))
        .await?;
        let in_flight = count(
            "SELECT count(*) FROM jobs WHERE archived_at IS NULL AND stage IN ('applied', 'interviewing', 'offer')"
                .to_string(),
        )
        .await?;

        let today = now.div_euclid(86_400) * 86_400;
        let since = today - (INSIGHT_DAYS - 1) * 86_400;
        let mut per_day: BTreeMap<i64, u64> =
            (0..INSIGHT_DAYS).map(|d| (since + d * 86_400, 0)).collect();
        for row in sqlx::query(
            "SELECT (first_seen_at / 86400) * 86400 AS day, count(*) AS n FROM jobs \
             WHERE first_seen_at >= ? GROUP BY day",
        )
        .bind(since)
        .fetch_all(db)
        .await?
        {
            let day: i64 = row.try_get("day")?;
            if let Some(slot) = per_day.get_mut(&day) {
                *slot = row.try_get::<i64, _>("n")?.max(0) as u64;
            }
        }
        let new_per_day = per_day
            .into_iter()
            .map(|(day, count)| DayCount { day, count })
            .collect();

        let mut stages: Vec<(Stage, u64)> = Stage::ALL.iter().map(|s| (*s, 0)).collect();
        for row in sqlx::query(
            "SELECT stage, count(*) AS n FROM jobs WHERE archived_at IS NULL GROUP BY stage",
        )
        .fetch_all(db)
        .await?
        {
            let stage: String = row.try_get("stage")?;
            let stage: Stage = stage.parse().map_err(StoreError::Corrupt)?;
            if let Some(slot) = stages.iter_mut().find(|(s, _)| *s == stage) {
                slot.1 = row.try_get::<i64, _>("n")?.max(0) as u64;
            }
        }

        let (salaries, top_companies) = self.pay(db).await?;
        let sources = self.source_health().await?;
        let llm = self.llm_usage(now, pricing).await?;
        Ok(Insights {
            active_jobs,
            companies_tracked,
            new_last_7_days,
            in_flight,
            new_per_day,
            stages,
            salaries,
            top_companies,
            sources,
            llm,
        })
    }

    async fn pay(
        &self,
        db: &sqlx::SqlitePool,
    ) -> Result<(Vec<SalarySpread>, Vec<CompanyPay>), StoreError> {
        // Yearly midpoints of every active job stating a salary with a currency.
        let mut by_currency: HashMap<String, Vec<f64>> = HashMap::new();
        let mut by_company: HashMap<(Option<i64>, String), HashMap<String, Vec<f64>>> =
            HashMap::new();
        let rows = sqlx::query(&format!(
            "SELECT company_id, company, salary_currency AS currency, salary_year_min AS lo, salary_year_max AS hi \
             FROM jobs WHERE {ACTIVE} AND salary_currency IS NOT NULL \
               AND (salary_year_min IS NOT NULL OR salary_year_max IS NOT NULL)"
        ))
        .fetch_all(db)
        .await?;
        for row in &rows {
            let lo: Option<f64> = row.try_get("lo")?;
            let hi: Option<f64> = row.try_get("hi")?;
            let mid = match (lo, hi) {
                (Some(lo), Some(hi)) => (lo + hi) / 2.0,
                (Some(v), None) | (None, Some(v)) => v,
                (None, None) => continue,
            };
            let currency: String = row.try_get("currency")?;
            by_currency.entry(currency.clone()).or_default().push(mid);
            by_company
                .entry((row.try_get("company_id")?, row.try_get("company")?))
                .or_default()
                .entry(currency)
                .or_default()
                .push(mid);
        }

        let mut salaries: Vec<SalarySpread> = by_currency
            .into_iter()
            .filter(|(_, values)| values.len() >= MIN_SPREAD_JOBS)
            .map(|(currency, mut values)| {
                let middle = median(&mut values).unwrap_or(0.0);
                let (low, high) = (values[0], values[values.len() - 1]);
                let width = nice_width(high - low, 8);
                let start = (low / width).floor() * width;
                let mut buckets: Vec<(f64, u64)> = Vec::new();
                let mut edge = start;
                while edge <= high {
                    buckets.push((edge, 0));
                    edge += width;
                }
                for v in &values {
                    let i = (((v - start) / width).floor() as usize).min(buckets.len() - 1);
                    buckets[i].1 += 1;
                }
                SalarySpread {
                    currency,
                    jobs: values.len() as u64,
                    median: middle,
                    buckets,
                    bucket_width: width,
                }
            })
            .collect();
        salaries.sort_by(|a, b| b.jobs.cmp(&a.jobs).then(a.currency.cmp(&b.currency)));

        let mut top_companies = Vec::new();
        for row in sqlx::query(&format!(
            "SELECT company_id, company, count(*) AS n FROM jobs WHERE {ACTIVE} \
             GROUP BY company_id, company ORDER BY n DESC, company LIMIT {TOP_COMPANIES}"
        ))
        .fetch_all(db)
        .await?
        {
            let key: (Option<i64>, String) = (row.try_get("company_id")?, row.try_get("company")?);
            let pay = by_company.remove(&key).unwrap_or_default();
            // The currency most of its salaried jobs use.
            let main = pay
                .into_iter()
                .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)));
            let (currency, with_salary, low, middle, high) = match main {
                Some((currency, mut values)) => {
                    let middle = median(&mut values);
                    (
                        Some(currency),
                        values.len() as u64,
                        values.first().copied(),
                        middle,
                        values.last().copied(),
                    )
                }
                None => (None, 0, None, None, None),
            };
            top_companies.push(CompanyPay {
                company_id: key.0,
                company: key.1,
                active_jobs: row.try_get::<i64, _>("n")?.max(0) as u64,
                with_salary,
                currency,
                low,
                median: middle,
                high,
            });
        }
        Ok((salaries, top_companies))
    }

    async fn source_health(&self) -> Result<Vec<SourceHealth>, StoreError> {
        let mut by_provider: BTreeMap<String, SourceHealth> = BTreeMap::new();
        for stats in self.company_stats().await? {
            let entry = by_provider
                .entry(stats.company.provider.clone())
                .or_insert_with(|| SourceHealth {
                    provider: stats.company.provider.clone(),
                    companies: 0,
                    succeeded: 0,
                    partial: 0,
                    failed: 0,
                    never: 0,
                    last_error: None,
                });
            entry.companies += 1;
            match stats.last_run {
                None => entry.never += 1,
                Some(last) => {
                    match last.status {
                        RunStatus::Succeeded => entry.succeeded += 1,
                        RunStatus::Partial => entry.partial += 1,
                        _ => entry.failed += 1,
                    }
                    if last.error.is_some() {
                        entry.last_error = last.error;
                    }
                }
            }
        }
        Ok(by_provider.into_values().collect())
    }

    /// This month's LLM calls, tokens and spend against the budget.
    pub async fn llm_usage(&self, now: i64, pricing: LlmPricing) -> Result<LlmUsage, StoreError> {
        let row = sqlx::query(
            "SELECT count(*) AS calls, coalesce(sum(cached), 0) AS hits, \
               coalesce(sum(prompt_tokens), 0) AS prompt, coalesce(sum(completion_tokens), 0) AS completion, \
               coalesce(sum(error IS NOT NULL), 0) AS errors \
             FROM llm_usage WHERE at >= ?",
        )
        .bind(super::llm::month_start(now))
        .fetch_one(self.reader())
        .await?;
        let get = |name: &str| -> Result<u64, StoreError> {
            Ok(row.try_get::<i64, _>(name)?.max(0) as u64)
        };
        let (prompt_tokens, completion_tokens) = (get("prompt")?, get("completion")?);
        Ok(LlmUsage {
            calls: get("calls")?,
            cache_hits: get("hits")?,
            prompt_tokens,
            completion_tokens,
            errors: get("errors")?,
            spent_usd: (prompt_tokens + completion_tokens) as f64 / 1e6
                * pricing.price_per_million_tokens_usd,
            budget_usd: pricing.monthly_budget_usd,
        })
    }
}

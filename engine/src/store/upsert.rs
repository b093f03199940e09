//! Writing what collection found: one company's (or one search's) batch of normalized jobs in
//! one transaction, under the rules of DESIGN §3. The user's fields are never written here; a
//! stored value is never replaced by an empty one; jobs missing from a complete fetch close and
//! jobs that reappear reopen.

use super::jobs::job_from_row;
use super::normalize::{fingerprint, identity, salary_columns};
use super::{Database, StoreError};
use model::{EmploymentType, Job, NewJob, Remote, Salary};
use sqlx::{Row, SqliteConnection};
use std::collections::{HashMap, HashSet};

/// One fetch's worth of jobs.
#[derive(Debug, Clone)]
pub struct UpsertBatch<'a> {
    /// The company whose board was fetched; `None` for jobs found by a saved search.
    pub company_id: Option<i64>,
    pub jobs: &'a [NewJob],
    /// The fetch saw the whole board and succeeded: jobs of this company not in it are closed.
    pub complete: bool,
    pub now: i64,
}

/// Exactly what the batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UpsertCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub closed: u64,
    /// Closed jobs seen again (also counted in `updated` or `unchanged`).
    pub reopened: u64,
    /// Jobs the store refused (blank title or company, no URL); reported, never half-written.
    pub rejected: u64,
}

/// The provider's fields of a stored job, as compared and merged.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    id: i64,
    url: String,
    apply_url: Option<String>,
    title: String,
    company: String,
    location: Option<String>,
    remote: Option<Remote>,
    employment_type: Option<EmploymentType>,
    department: Option<String>,
    salary: Option<Salary>,
    posted_at: Option<i64>,
    description_html: String,
    description_text: String,
    closed_at: Option<i64>,
    first_seen_at: i64,
}

impl From<Job> for Stored {
    fn from(job: Job) -> Self {
        Self {
            id: job.id,
            url: job.url,
            apply_url: job.apply_url,
            title: job.title,
            company: job.company,
            location: job.location,
            remote: job.remote,
            employment_type: job.employment_type,
            department: job.department,
            salary: job.salary,
            posted_at: job.posted_at,
            description_html: job.description_html,
            description_text: job.description_text,
            closed_at: job.closed_at,
            first_seen_at: job.first_seen_at,
        }
    }
}

impl Stored {
    /// A job just inserted with nothing known yet, to merge its own fields into.
    fn empty(id: i64, now: i64) -> Self {
        Self {
            id,
            url: String::new(),
            apply_url: None,
            title: String::new(),
            company: String::new(),
            location: None,
            remote: None,
            employment_type: None,
            department: None,
            salary: None,
            posted_at: None,
            description_html: String::new(),
            description_text: String::new(),
            closed_at: None,
            first_seen_at: now,
        }
    }
}

/// Trimmed text, `None` when blank.
fn text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The incoming job merged over the stored one: each field takes the new value unless the new
/// value is empty, so a poorer fetch (no salary this time, an empty description) loses nothing.
fn merged(old: &Stored, new: &NewJob) -> Stored {
    let salary = new
        .salary
        .as_ref()
        .filter(|s| s.min.is_some() || s.max.is_some())
        .cloned()
        .or_else(|| old.salary.clone());
    Stored {
        id: old.id,
        url: text(Some(&new.url)).unwrap_or_else(|| old.url.clone()),
        apply_url: text(new.apply_url.as_deref()).or_else(|| old.apply_url.clone()),
        title: new.title.trim().to_owned(),
        company: new.company.trim().to_owned(),
        location: text(new.location.as_deref()).or_else(|| old.location.clone()),
        remote: new.remote.or(old.remote),
        employment_type: new.employment_type.or(old.employment_type),
        department: text(new.department.as_deref()).or_else(|| old.department.clone()),
        salary,
        posted_at: new.posted_at.or(old.posted_at),
        description_html: if new.description_html.trim().is_empty() {
            old.description_html.clone()
        } else {
            new.description_html.clone()
        },
        description_text: if new.description_text.trim().is_empty() {
            old.description_text.clone()
        } else {
            new.description_text.clone()
        },
        closed_at: old.closed_at,
        first_seen_at: old.first_seen_at,
    }
}

/// Why a job cannot be stored, if it cannot.
fn rejection(job: &NewJob) -> Option<&'static str> {
    if job.title.trim().is_empty() {
        Some("blank title")
    } else if job.company.trim().is_empty() {
        Some("blank company")
    } else if job.url.trim().is_empty() && job.source_id.is_none() {
        Some("neither a URL nor a provider id")
    } else {
        None
    }
}

impl Database {
    /// Applies one batch in one `BEGIN IMMEDIATE` transaction: all of it or none of it.
    pub async fn upsert_jobs(&self, batch: UpsertBatch<'_>) -> Result<UpsertCounts, StoreError> {
        let prepared = Prepared::new(batch.jobs);
        let mut tx = self.begin_write().await?;
        let counts = upsert_prepared(&mut tx, &batch, prepared).await?;
        tx.commit().await?;
        Ok(counts)
    }
}

/// What a batch needs that does not need the database: which jobs are valid, their
/// identities and delivery hashes. Computed before the single writer is taken, so that one
/// batch's hashing (milliseconds of CPU for 200 jobs with their descriptions) overlaps
/// another's writing instead of adding to it.
pub(super) struct Prepared<'a> {
    valid: Vec<(&'a NewJob, String)>,
    hashes: Vec<String>,
    rejected: u64,
}

impl<'a> Prepared<'a> {
    pub(super) fn new(jobs: &'a [NewJob]) -> Self {
        let mut rejected = 0;
        let valid: Vec<(&NewJob, String)> = jobs
            .iter()
            .filter(|job| match rejection(job) {
                Some(reason) => {
                    tracing::warn!(source = %job.source, url = %job.url, reason, "job rejected");
                    rejected += 1;
                    false
                }
                None => true,
            })
            .map(|job| (job, identity(job)))
            .collect();
        let hashes = valid.iter().map(|(job, _)| fetch_hash(job)).collect();
        Prepared {
            valid,
            hashes,
            rejected,
        }
    }
}

pub(super) async fn upsert_in(
    conn: &mut SqliteConnection,
    batch: &UpsertBatch<'_>,
) -> Result<UpsertCounts, StoreError> {
    upsert_prepared(conn, batch, Prepared::new(batch.jobs)).await
}

pub(super) async fn upsert_prepared(
    conn: &mut SqliteConnection,
    batch: &UpsertBatch<'_>,
    prepared: Prepared<'_>,
) -> Result<UpsertCounts, StoreError> {
    let Prepared {
        valid,
        hashes,
        rejected,
    } = prepared;
    let mut counts = UpsertCounts {
        rejected,
        ..UpsertCounts::default()
    };
    let now = batch.now;
    // The fast path: a job delivered exactly as last time is unchanged, known from its hash
    // alone. Only the rest are read back whole and merged. A job twice in one batch always
    // takes the full path, so its second copy merges with the first.
    let mut times: HashMap<&str, usize> = HashMap::new();
    for (_, identity) in &valid {
        *times.entry(identity.as_str()).or_default() += 1;
    }
    let quick = stored_hashes(conn, valid.iter().map(|(_, id)| id.as_str())).await?;
    let same = |identity: &str, hash: &str| {
        times[identity] == 1
            && quick
                .get(identity)
                .is_some_and(|(_, stored, _)| stored.as_deref() == Some(hash))
    };
    let slow = valid
        .iter()
        .zip(&hashes)
        .filter(|((_, identity), hash)| quick.contains_key(identity) && !same(identity, hash))
        .map(|((_, identity), _)| identity.as_str());
    let mut known = existing(conn, slow).await?;
    // Jobs never seen before: all inserted by two statements, whatever their number.
    let mut fresh: Vec<(&NewJob, &str, &str)> = Vec::new();
    let mut first_seen: HashSet<&str> = HashSet::new();
    for ((job, identity), hash) in valid.iter().zip(&hashes) {
        if !quick.contains_key(identity) && first_seen.insert(identity.as_str()) {
            fresh.push((job, identity, hash));
        }
    }
    let mut inserted = insert_all(conn, batch, &fresh).await?;
    let mut seen: Vec<i64> = Vec::with_capacity(valid.len());
    // Jobs seen again as they were: one statement marks them all.
    let mut unchanged: Vec<i64> = Vec::new();
    let mut handled: HashSet<String> = HashSet::with_capacity(valid.len());
    for ((job, identity), hash) in valid.iter().zip(&hashes) {
        if same(identity, hash) {
            let (id, _, closed_at) = quick[identity.as_str()];
            if closed_at.is_some() {
                counts.reopened += 1;
            }
            seen.push(id);
            unchanged.push(id);
            counts.unchanged += 1;
            continue;
        }
        let (job, identity) = (*job, identity.clone());
        // A second copy of a job in one delivery merges into the first but counts once.
        let first = handled.insert(identity.clone());
        match known.get(&identity) {
            None => {
                let id = inserted
                    .remove(&identity)
                    .ok_or_else(|| StoreError::Invalid(format!("job {identity} was not stored")))?;
                seen.push(id);
                counts.inserted += 1;
                // A second copy of this job later in the batch merges with this one.
                let stored = merged(&Stored::empty(id, now), job);
                known.insert(identity, stored);
            }
            Some(old) => {
                let new = merged(old, job);
                if !first {
                    if &new != old {
                        update(conn, old, &new, job, batch.company_id, now, hash).await?;
                        known.insert(identity, new);
                    }
                    continue;
                }
                seen.push(old.id);
                if old.closed_at.is_some() {
                    counts.reopened += 1;
                }
                if &new == old {
                    // Nothing to keep from this delivery, but remember it: the same delivery
                    // next time takes the fast path.
                    sqlx::query("UPDATE jobs SET fetch_hash = ? WHERE id = ?")
                        .bind(hash)
                        .bind(old.id)
                        .execute(&mut *conn)
                        .await?;
                    unchanged.push(old.id);
                    counts.unchanged += 1;
                } else {
                    update(conn, old, &new, job, batch.company_id, now, hash).await?;
                    counts.updated += 1;
                }
                let mut new = new;
                new.closed_at = None;
                known.insert(identity, new);
            }
        }
    }
    if !unchanged.is_empty() {
        let ids = serde_json::to_string(&unchanged).expect("ids serialize");
        // Two statements: SQLite maintains every index whose definition names a column in the
        // SET list, and `closed_at` is in most partial indexes, so it is written only for the
        // few jobs that were closed.
        sqlx::query(
            "UPDATE jobs SET last_seen_at = ?1 WHERE id IN (SELECT value FROM json_each(?2))",
        )
        .bind(now)
        .bind(&ids)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE jobs SET closed_at = NULL \
             WHERE id IN (SELECT value FROM json_each(?1)) AND closed_at IS NOT NULL",
        )
        .bind(&ids)
        .execute(&mut *conn)
        .await?;
    }
    if batch.complete
        && let Some(company_id) = batch.company_id
    {
        let ids = serde_json::to_string(&seen).expect("ids serialize");
        counts.closed = sqlx::query(
            "UPDATE jobs SET closed_at = ?1, updated_at = ?1 \
             WHERE company_id = ?2 AND closed_at IS NULL \
             AND id NOT IN (SELECT value FROM json_each(?3))",
        )
        .bind(now)
        .bind(company_id)
        .bind(ids)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(counts)
}

/// The job as delivered (its JSON), hashed: stable across runs and builds.
fn fetch_hash(job: &NewJob) -> String {
    super::normalize::json_hash(job)
}

/// Id, delivery hash and closing time of every job of the batch that exists already.
async fn stored_hashes<'a>(
    conn: &mut SqliteConnection,
    identities: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, (i64, Option<String>, Option<i64>)>, StoreError> {
    let identities = serde_json::to_string(&identities.collect::<Vec<_>>()).expect("strings");
    let rows = sqlx::query(
        "SELECT identity, id, fetch_hash, closed_at FROM jobs \
         WHERE identity IN (SELECT value FROM json_each(?))",
    )
    .bind(identities)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("identity")?,
                (
                    row.try_get("id")?,
                    row.try_get("fetch_hash")?,
                    row.try_get("closed_at")?,
                ),
            ))
        })
        .collect()
}

/// The stored provider fields of every job of the batch that exists already, in one query.
async fn existing<'a>(
    conn: &mut SqliteConnection,
    identities: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, Stored>, StoreError> {
    let identities = serde_json::to_string(&identities.collect::<Vec<_>>()).expect("strings");
    let rows = sqlx::query(
        "SELECT j.*, t.description_html, t.description_text \
         FROM jobs j LEFT JOIN job_texts t ON t.job_id = j.id \
         WHERE j.identity IN (SELECT value FROM json_each(?))",
    )
    .bind(identities)
    .fetch_all(&mut *conn)
    .await?;
    let mut known = HashMap::with_capacity(rows.len());
    for row in rows {
        let job = job_from_row(&row, Vec::new(), Vec::new())?;
        known.insert(row.try_get("identity")?, Stored::from(job));
    }
    Ok(known)
}

/// Rows per multi-row `INSERT`: a statement per job would cost more than the rows, and one
/// statement for a whole board could exceed SQLite's bound-parameter limit.
const ROWS_PER_INSERT: usize = 64;

/// `(?, ?, …), (?, ?, …), …`: `rows` groups of `columns` parameters.
fn placeholders(rows: usize, columns: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

/// Inserts new jobs and their descriptions (whose insert trigger indexes them for search) with
/// multi-row statements. Returns each identity's new id.
async fn insert_all(
    conn: &mut SqliteConnection,
    batch: &UpsertBatch<'_>,
    jobs: &[(&NewJob, &str, &str)],
) -> Result<HashMap<String, i64>, StoreError> {
    const COLUMNS: usize = 27;
    let now = batch.now;
    let mut ids = HashMap::with_capacity(jobs.len());
    for chunk in jobs.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO jobs (identity, fingerprint, company_id, source, source_id, url, \
             apply_url, title, company, location, remote, employment_type, department, \
             salary_min, salary_max, salary_currency, salary_period, salary_year_min, \
             salary_year_max, salary_usd_min, salary_sort, posted_at, first_seen_at, \
             last_seen_at, sort_at, updated_at, fetch_hash) VALUES {} RETURNING identity, id",
            placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
        for (job, identity, hash) in chunk {
            let salary = job
                .salary
                .as_ref()
                .filter(|s| s.min.is_some() || s.max.is_some());
            let derived = salary_columns(salary);
            query = query
                .bind(*identity)
                .bind(fingerprint(job))
                .bind(batch.company_id)
                .bind(&job.source)
                .bind(text(job.source_id.as_deref()))
                .bind(job.url.trim())
                .bind(text(job.apply_url.as_deref()))
                .bind(job.title.trim())
                .bind(job.company.trim())
                .bind(text(job.location.as_deref()))
                .bind(job.remote.map(|r| r.as_str()))
                .bind(job.employment_type.map(|e| e.as_str()))
                .bind(text(job.department.as_deref()))
                .bind(salary.and_then(|s| s.min))
                .bind(salary.and_then(|s| s.max))
                .bind(salary.and_then(|s| s.currency.clone()))
                .bind(salary.map(|s| s.period.as_str()))
                .bind(derived.year_min)
                .bind(derived.year_max)
                .bind(derived.usd_min)
                .bind(derived.sort)
                .bind(job.posted_at)
                .bind(now)
                .bind(now)
                .bind(job.posted_at.unwrap_or(now))
                .bind(now)
                .bind(*hash);
        }
        ids.extend(query.fetch_all(&mut *conn).await?);
    }
    for chunk in jobs.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO job_texts (job_id, description_html, description_text) VALUES {}",
            placeholders(chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for (job, identity, _) in chunk {
            let id = ids
                .get(*identity)
                .ok_or_else(|| StoreError::Invalid(format!("job {identity} was not stored")))?;
            query = query
                .bind(*id)
                .bind(&job.description_html)
                .bind(&job.description_text);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(ids)
}

/// Writes the merged provider fields (the FTS trigger re-indexes only if the text changed).
async fn update(
    conn: &mut SqliteConnection,
    old: &Stored,
    new: &Stored,
    job: &NewJob,
    company_id: Option<i64>,
    now: i64,
    hash: &str,
) -> Result<(), StoreError> {
    let salary = new.salary.as_ref();
    let derived = salary_columns(salary);
    let mut merged_job = job.clone();
    merged_job.location = new.location.clone();
    sqlx::query(
        "UPDATE jobs SET url = ?, apply_url = ?, title = ?, company = ?, location = ?, \
         remote = ?, employment_type = ?, department = ?, salary_min = ?, salary_max = ?, \
         salary_currency = ?, salary_period = ?, salary_year_min = ?, salary_year_max = ?, \
         salary_usd_min = ?, salary_sort = ?, posted_at = ?, \
         fingerprint = ?, company_id = coalesce(company_id, ?), \
         last_seen_at = ?, closed_at = NULL, sort_at = ?, updated_at = ?, fetch_hash = ? \
         WHERE id = ?",
    )
    .bind(&new.url)
    .bind(&new.apply_url)
    .bind(&new.title)
    .bind(&new.company)
    .bind(&new.location)
    .bind(new.remote.map(|r| r.as_str()))
    .bind(new.employment_type.map(|e| e.as_str()))
    .bind(&new.department)
    .bind(salary.and_then(|s| s.min))
    .bind(salary.and_then(|s| s.max))
    .bind(salary.and_then(|s| s.currency.clone()))
    .bind(salary.map(|s| s.period.as_str()))
    .bind(derived.year_min)
    .bind(derived.year_max)
    .bind(derived.usd_min)
    .bind(derived.sort)
    .bind(new.posted_at)
    .bind(fingerprint(&merged_job))
    .bind(company_id)
    .bind(now)
    .bind(new.posted_at.unwrap_or(new.first_seen_at))
    .bind(now)
    .bind(hash)
    .bind(new.id)
    .execute(&mut *conn)
    .await?;
    if old.description_html != new.description_html || old.description_text != new.description_text
    {
        sqlx::query(
            "UPDATE job_texts SET description_html = ?, description_text = ? WHERE job_id = ?",
        )
        .bind(&new.description_html)
        .bind(&new.description_text)
        .bind(new.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

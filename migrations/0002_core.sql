-- The core schema: companies, jobs (normalized fields + the user's own state), stage history,
-- saved searches, runs, raw payloads, and the LLM cache and usage ledger.
-- Times are unix seconds (INTEGER) so sorting and range filters are plain integer comparisons.
-- Tables are STRICT: a wrong type is an error, never a silent conversion.

CREATE TABLE companies (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    provider      TEXT NOT NULL CHECK (provider IN
                    ('greenhouse', 'lever', 'lever_eu', 'ashby', 'workable', 'smartrecruiters',
                     'recruitee', 'jsonld', 'llm')),
    board_token   TEXT NOT NULL CHECK (length(trim(board_token)) > 0),
    careers_url   TEXT,
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    -- Minutes between scheduled runs; NULL means never scheduled.
    schedule_minutes INTEGER CHECK (schedule_minutes IS NULL OR schedule_minutes >= 5),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (provider, board_token)
) STRICT;
CREATE INDEX companies_by_name ON companies (name COLLATE NOCASE);

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    -- "source:source_id" when the provider has ids, else "url:<canonical url>".
    identity         TEXT NOT NULL UNIQUE CHECK (length(identity) > 0),
    -- normalized company + title + location: the same opening found through two sources.
    fingerprint      TEXT NOT NULL,
    company_id       INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    source           TEXT NOT NULL CHECK (length(trim(source)) > 0),
    source_id        TEXT,
    url              TEXT NOT NULL,
    apply_url        TEXT,
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    company          TEXT NOT NULL CHECK (length(trim(company)) > 0),
    location         TEXT,
    remote           TEXT CHECK (remote IN ('remote', 'hybrid', 'onsite')),
    employment_type  TEXT CHECK (employment_type IN
                       ('full_time', 'part_time', 'contract', 'internship', 'temporary')),
    department       TEXT,
    salary_min       REAL,
    salary_max       REAL,
    salary_currency  TEXT,
    salary_period    TEXT CHECK (salary_period IN ('hour', 'day', 'week', 'month', 'year')),
    -- Yearly amounts in the posting's currency, and approximate yearly US dollar figures used to
    -- sort and filter across currencies (salary_sort: the top of the range, -1 when none).
    salary_year_min  REAL,
    salary_year_max  REAL,
    salary_usd_min   REAL,
    salary_sort      REAL NOT NULL DEFAULT -1,
    posted_at        INTEGER,
    first_seen_at    INTEGER NOT NULL,
    last_seen_at     INTEGER NOT NULL,
    closed_at        INTEGER,
    -- posted_at when known, else first_seen_at: the "newest" order and "posted within" filter.
    sort_at          INTEGER NOT NULL,
    -- The user's state: never touched by collection.
    stage            TEXT NOT NULL DEFAULT 'inbox' CHECK (stage IN
                       ('inbox', 'saved', 'applied', 'interviewing', 'offer', 'closed')),
    starred          INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    notes            TEXT NOT NULL DEFAULT '',
    archived_at      INTEGER,
    applied_at       INTEGER,
    stage_changed_at INTEGER,
    updated_at       INTEGER NOT NULL,
    CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max)
) STRICT;

-- Every list the UI shows is "active" (not archived, not closed) unless the user asks otherwise;
-- partial indexes keep those lists small and ordered, one per sort and per common filter.
CREATE INDEX jobs_active_newest ON jobs (sort_at DESC, id DESC)
    WHERE archived_at IS NULL AND closed_at IS NULL;
CREATE INDEX jobs_active_salary ON jobs (salary_sort DESC, id DESC)
    WHERE archived_at IS NULL AND closed_at IS NULL;
CREATE INDEX jobs_newest ON jobs (sort_at DESC, id DESC);
CREATE INDEX jobs_company_newest ON jobs (company_id, sort_at DESC, id DESC);
CREATE INDEX jobs_stage_newest ON jobs (stage, sort_at DESC, id DESC);
CREATE INDEX jobs_starred_newest ON jobs (sort_at DESC, id DESC) WHERE starred = 1;
CREATE INDEX jobs_remote_newest ON jobs (remote, sort_at DESC, id DESC);
CREATE INDEX jobs_source_newest ON jobs (source, sort_at DESC, id DESC);
CREATE INDEX jobs_currency_salary ON jobs (salary_currency, salary_year_max);
CREATE INDEX jobs_fingerprint ON jobs (fingerprint);
-- Closing jobs missing from a complete fetch: the company's open jobs by when they were seen.
CREATE INDEX jobs_company_open ON jobs (company_id) WHERE closed_at IS NULL;

-- Descriptions live beside the job, not in its row: list queries and the per-run "seen again"
-- updates then touch small rows instead of kilobytes of text and its overflow pages.
CREATE TABLE job_texts (
    job_id           INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    description_html TEXT NOT NULL DEFAULT '',
    description_text TEXT NOT NULL DEFAULT ''
) STRICT;

-- What full-text search indexes: one row per job with a description row.
CREATE VIEW job_search AS
    SELECT j.id AS id, j.title AS title, j.company AS company, j.location AS location,
           t.description_text AS description_text
    FROM jobs j JOIN job_texts t ON t.job_id = j.id;

-- Full-text search over the job's words, with the `job_search` view as its external content.
-- The triggers keep it in step. FTS5's 'delete' must repeat the exact indexed values, so each
-- trigger reads the values as they were when the row was indexed.
CREATE VIRTUAL TABLE jobs_fts USING fts5 (
    title, company, location, description_text,
    content = 'job_search', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- A job is indexed once its description row exists (the store always writes both).
CREATE TRIGGER job_texts_fts_insert AFTER INSERT ON job_texts BEGIN
    INSERT INTO jobs_fts (rowid, title, company, location, description_text)
    SELECT j.id, j.title, j.company, j.location, new.description_text
    FROM jobs j WHERE j.id = new.job_id;
END;
-- Re-indexing only when the text really changed: a re-scrape that rewrites the same values
-- costs no FTS work.
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF title, company, location ON jobs
WHEN old.title IS NOT new.title OR old.company IS NOT new.company
  OR old.location IS NOT new.location
BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description_text)
    SELECT 'delete', old.id, old.title, old.company, old.location, t.description_text
    FROM job_texts t WHERE t.job_id = old.id;
    INSERT INTO jobs_fts (rowid, title, company, location, description_text)
    SELECT new.id, new.title, new.company, new.location, t.description_text
    FROM job_texts t WHERE t.job_id = new.id;
END;
CREATE TRIGGER job_texts_fts_update AFTER UPDATE OF description_text ON job_texts
WHEN old.description_text IS NOT new.description_text
BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description_text)
    SELECT 'delete', j.id, j.title, j.company, j.location, old.description_text
    FROM jobs j WHERE j.id = old.job_id;
    INSERT INTO jobs_fts (rowid, title, company, location, description_text)
    SELECT j.id, j.title, j.company, j.location, new.description_text
    FROM jobs j WHERE j.id = new.job_id;
END;
-- BEFORE: the description row is deleted by the cascade, and its text is needed here.
CREATE TRIGGER jobs_fts_delete BEFORE DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description_text)
    SELECT 'delete', old.id, old.title, old.company, old.location, t.description_text
    FROM job_texts t WHERE t.job_id = old.id;
END;

CREATE TABLE stage_history (
    id         INTEGER PRIMARY KEY,
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    from_stage TEXT,
    to_stage   TEXT NOT NULL CHECK (to_stage IN
                 ('inbox', 'saved', 'applied', 'interviewing', 'offer', 'closed')),
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX stage_history_by_job ON stage_history (job_id, at);

CREATE TABLE saved_searches (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    query            TEXT NOT NULL DEFAULT '',
    location         TEXT NOT NULL DEFAULT '',
    remote_only      INTEGER NOT NULL DEFAULT 0 CHECK (remote_only IN (0, 1)),
    -- JSON array of provider names, e.g. ["remotive","arbeitnow"].
    providers        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(providers)),
    result_limit     INTEGER NOT NULL DEFAULT 100 CHECK (result_limit BETWEEN 1 AND 1000),
    enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    schedule_minutes INTEGER CHECK (schedule_minutes IS NULL OR schedule_minutes >= 5),
    last_viewed_at   INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    -- what was asked for: one company, a set, all enabled companies, or a saved search
    scope       TEXT NOT NULL CHECK (scope IN ('company', 'companies', 'all', 'search')),
    trigger     TEXT NOT NULL CHECK (trigger IN ('ui', 'cli', 'schedule', 'api')),
    status      TEXT NOT NULL CHECK (status IN
                  ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled', 'interrupted')),
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    seen        INTEGER NOT NULL DEFAULT 0,
    new         INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    closed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT
) STRICT;
CREATE INDEX runs_recent ON runs (started_at DESC);
CREATE INDEX runs_unfinished ON runs (status) WHERE finished_at IS NULL;

CREATE TABLE run_items (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    company_id  INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    search_id   INTEGER REFERENCES saved_searches (id) ON DELETE SET NULL,
    label       TEXT NOT NULL,
    phase       TEXT NOT NULL CHECK (phase IN
                  ('queued', 'fetching', 'extracting', 'saving', 'done', 'failed', 'cancelled', 'interrupted')),
    status      TEXT NOT NULL CHECK (status IN
                  ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled', 'interrupted')),
    started_at  INTEGER,
    finished_at INTEGER,
    seen        INTEGER NOT NULL DEFAULT 0,
    new         INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    closed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    CHECK (company_id IS NOT NULL OR search_id IS NOT NULL OR phase IN ('done', 'failed', 'cancelled', 'interrupted'))
) STRICT;
CREATE INDEX run_items_by_run ON run_items (run_id);
CREATE INDEX run_items_by_company ON run_items (company_id, id DESC);
CREATE INDEX run_items_by_search ON run_items (search_id, id DESC);

-- The last raw response of each company's fetch, deflate-compressed, so jobs can be
-- re-normalized when a parser improves without fetching again.
CREATE TABLE raw_payloads (
    company_id   INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    fetched_at   INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    body         BLOB NOT NULL
) STRICT;

-- Exact-match LLM cache: key = hash of (model, prompt version, cleaned text).
CREATE TABLE llm_cache (
    key            TEXT PRIMARY KEY,
    model          TEXT NOT NULL,
    prompt_version INTEGER NOT NULL,
    response       TEXT NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE llm_usage (
    id                INTEGER PRIMARY KEY,
    at                INTEGER NOT NULL,
    model             TEXT NOT NULL,
    company_id        INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    url               TEXT,
    prompt_tokens     INTEGER NOT NULL CHECK (prompt_tokens >= 0),
    completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
    cached            INTEGER NOT NULL CHECK (cached IN (0, 1)),
    error             TEXT
) STRICT;
CREATE INDEX llm_usage_by_time ON llm_usage (at);

-- Indexes measured into being by the 1,000,000-job benchmarks:
-- the archive and closed-jobs views are walked newest first without scanning every active job,
-- a currency filter is answered in newest order, and the per-stage and per-company counts of
-- the active list read small covering indexes instead of the table.
CREATE INDEX jobs_archived_newest ON jobs (sort_at DESC, id DESC) WHERE archived_at IS NOT NULL;
CREATE INDEX jobs_closed_newest ON jobs (sort_at DESC, id DESC) WHERE closed_at IS NOT NULL;
DROP INDEX jobs_currency_salary;
CREATE INDEX jobs_currency_newest ON jobs (salary_currency, sort_at DESC, id DESC)
    WHERE salary_currency IS NOT NULL;
CREATE INDEX jobs_active_stage ON jobs (stage) WHERE archived_at IS NULL AND closed_at IS NULL;
CREATE INDEX jobs_active_company ON jobs (company_id) WHERE archived_at IS NULL AND closed_at IS NULL;

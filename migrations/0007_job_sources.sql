-- Where each job was found besides its own source: the saved searches (and the job boards
-- they queried) that returned it. A job found on a company board and by a search is one job
-- with a row here; deleting a search removes its rows, never the jobs.
CREATE TABLE job_sources (
    job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    source        TEXT NOT NULL CHECK (length(source) > 0),
    search_id     INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    PRIMARY KEY (job_id, source, search_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX job_sources_by_search ON job_sources (search_id, job_id);

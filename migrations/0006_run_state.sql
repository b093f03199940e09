-- What a board's last fetch needs to be skipped next time when nothing changed (HTTP
-- validators and a hash of the body), next to the payload itself (gzip).
ALTER TABLE raw_payloads ADD COLUMN etag TEXT;
ALTER TABLE raw_payloads ADD COLUMN last_modified TEXT;
ALTER TABLE raw_payloads ADD COLUMN content_hash TEXT;
ALTER TABLE raw_payloads ADD COLUMN encoding TEXT NOT NULL DEFAULT 'gzip'
    CHECK (encoding IN ('gzip', 'identity'));

-- Per company of a run: what it could not read (pages left for the LLM, failed details),
-- as a JSON array of strings.
ALTER TABLE run_items ADD COLUMN notes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(notes));

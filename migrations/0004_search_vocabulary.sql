-- The indexed terms, so a word still being typed can be expanded into the few terms it begins
-- (one lookup) instead of FTS5 merging every such term's postings on each evaluation.
CREATE VIRTUAL TABLE jobs_fts_vocab USING fts5vocab (jobs_fts, 'row');

-- How long each LLM call took (for a cache hit: the lookup), shown with the usage.
ALTER TABLE llm_usage ADD COLUMN latency_ms INTEGER NOT NULL DEFAULT 0 CHECK (latency_ms >= 0);

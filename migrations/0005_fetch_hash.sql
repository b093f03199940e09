-- A hash of the job exactly as its source last delivered it: a re-fetch that delivers the same
-- bytes is recognised without reading the stored job back and comparing it field by field.
ALTER TABLE jobs ADD COLUMN fetch_hash TEXT;

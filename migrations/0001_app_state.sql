-- Small key/value facts about this installation (schema-independent state such as the time of the
-- user's last visit). STRICT so a wrong type is an error, not a silent conversion.
CREATE TABLE app_state (
    key        TEXT PRIMARY KEY NOT NULL CHECK (length(trim(key)) > 0),
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

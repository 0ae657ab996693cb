-- +goose Up
-- Knowledge-base folders the agent asked Tandem to follow: re-imported on
-- change while the app runs, and on every start.
CREATE TABLE kb_watched (
    path       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
) STRICT;

-- +goose Down
DROP TABLE kb_watched;

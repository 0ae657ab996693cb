-- +goose Up
-- Where an article was imported from, and a hash of its content, so that a
-- re-import skips unchanged articles and removes only its own missing ones.
ALTER TABLE kb_articles ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE kb_articles ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX kb_articles_source ON kb_articles (source);

-- +goose Down
DROP INDEX kb_articles_source;
ALTER TABLE kb_articles DROP COLUMN content_hash;
ALTER TABLE kb_articles DROP COLUMN source;

-- +goose Up
-- How many passages hold each index term, so that a search can leave out
-- words nearly every passage has: they cost the most to rank and tell the least.
CREATE VIRTUAL TABLE kb_passages_vocab USING fts5vocab (kb_passages_fts, 'row');

-- +goose Down
DROP TABLE kb_passages_vocab;

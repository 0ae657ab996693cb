-- +goose Up
-- What a passage search needs besides the index, kept by triggers so that a
-- query reads one row instead of counting 100,000: how many passages there
-- are, how many index terms they hold in all (for BM25's average length),
-- and a generation that changes with every passage written, so that cached
-- document frequencies are known to be stale. Terms are stored joined by
-- single spaces, so a passage's term count is its spaces plus one.
CREATE TABLE kb_stats (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    passages        INTEGER NOT NULL,
    terms           INTEGER NOT NULL,
    generation      INTEGER NOT NULL,
    common_passages INTEGER NOT NULL DEFAULT 0 -- passages when kb_common_terms was made; 0: never
) STRICT;

INSERT INTO kb_stats (id, passages, terms, generation)
SELECT 1, count(*), coalesce(sum(
    length(title_terms) - length(replace(title_terms, ' ', '')) + (title_terms != '') +
    length(terms) - length(replace(terms, ' ', '')) + (terms != '')), 0), 0
FROM kb_passages;

-- The index terms held by many passages, with how many, as of the last
-- large import: fts5vocab counts a term by walking its whole posting list,
-- which for a common word at 100,000 articles costs more than a search. A
-- term not listed here is known to be rare, and cheap to count.
CREATE TABLE kb_common_terms (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER kb_passages_stats_ai AFTER INSERT ON kb_passages BEGIN
    UPDATE kb_stats SET passages = passages + 1, generation = generation + 1,
        terms = terms + length(new.title_terms) - length(replace(new.title_terms, ' ', '')) + (new.title_terms != '')
                      + length(new.terms) - length(replace(new.terms, ' ', '')) + (new.terms != '')
    WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER kb_passages_stats_ad AFTER DELETE ON kb_passages BEGIN
    UPDATE kb_stats SET passages = passages - 1, generation = generation + 1,
        terms = terms - (length(old.title_terms) - length(replace(old.title_terms, ' ', '')) + (old.title_terms != '')
                      + length(old.terms) - length(replace(old.terms, ' ', '')) + (old.terms != ''))
    WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER kb_passages_stats_au AFTER UPDATE ON kb_passages BEGIN
    UPDATE kb_stats SET generation = generation + 1,
        terms = terms - (length(old.title_terms) - length(replace(old.title_terms, ' ', '')) + (old.title_terms != '')
                      + length(old.terms) - length(replace(old.terms, ' ', '')) + (old.terms != ''))
                      + length(new.title_terms) - length(replace(new.title_terms, ' ', '')) + (new.title_terms != '')
                      + length(new.terms) - length(replace(new.terms, ' ', '')) + (new.terms != '')
    WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER kb_passages_stats_au;
DROP TRIGGER kb_passages_stats_ad;
DROP TRIGGER kb_passages_stats_ai;
DROP TABLE kb_common_terms;
DROP TABLE kb_stats;

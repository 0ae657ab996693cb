-- +goose Up
-- Articles are matched by passage, so that a suggestion can show the part
-- that answers. title_terms and terms hold the text as the search sees it
-- (lower case, Chinese as overlapping character pairs), made by package kb.
CREATE TABLE kb_passages (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    title_terms TEXT NOT NULL,
    terms       TEXT NOT NULL,
    UNIQUE (article_id, ord)
) STRICT;

CREATE VIRTUAL TABLE kb_passages_fts USING fts5 (
    title_terms, terms,
    content = 'kb_passages', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER kb_passages_ai AFTER INSERT ON kb_passages BEGIN
    INSERT INTO kb_passages_fts (rowid, title_terms, terms) VALUES (new.id, new.title_terms, new.terms);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER kb_passages_ad AFTER DELETE ON kb_passages BEGIN
    INSERT INTO kb_passages_fts (kb_passages_fts, rowid, title_terms, terms) VALUES ('delete', old.id, old.title_terms, old.terms);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER kb_passages_au AFTER UPDATE ON kb_passages BEGIN
    INSERT INTO kb_passages_fts (kb_passages_fts, rowid, title_terms, terms) VALUES ('delete', old.id, old.title_terms, old.terms);
    INSERT INTO kb_passages_fts (rowid, title_terms, terms) VALUES (new.id, new.title_terms, new.terms);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE kb_passages_fts;
DROP TABLE kb_passages;

-- +goose Up
-- The search index over resolved conversations, for "solved before": one row
-- per ended conversation with its customer turns as index terms (made by
-- package kb, like passages). A new message makes the row stale, so it goes,
-- and the conversation is indexed again once it has ended again.
CREATE TABLE history_docs (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    terms           TEXT NOT NULL
) STRICT;

CREATE VIRTUAL TABLE history_fts USING fts5 (
    terms,
    content = 'history_docs', content_rowid = 'conversation_id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER history_docs_ai AFTER INSERT ON history_docs BEGIN
    INSERT INTO history_fts (rowid, terms) VALUES (new.conversation_id, new.terms);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER history_docs_ad AFTER DELETE ON history_docs BEGIN
    INSERT INTO history_fts (history_fts, rowid, terms) VALUES ('delete', old.conversation_id, old.terms);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER history_docs_au AFTER UPDATE ON history_docs BEGIN
    INSERT INTO history_fts (history_fts, rowid, terms) VALUES ('delete', old.conversation_id, old.terms);
    INSERT INTO history_fts (rowid, terms) VALUES (new.conversation_id, new.terms);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER messages_stale_history AFTER INSERT ON messages BEGIN
    DELETE FROM history_docs WHERE conversation_id = new.conversation_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER messages_stale_history;
DROP TABLE history_fts;
DROP TABLE history_docs;

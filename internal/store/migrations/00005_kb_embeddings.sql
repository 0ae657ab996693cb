-- +goose Up
-- Passage embeddings, one per passage and embedding model, as little-endian
-- float32 normalised to unit length (so a dot product is the cosine). They go
-- with their passage: a changed article gets new passages and new embeddings.
CREATE TABLE kb_embeddings (
    model      TEXT NOT NULL,
    passage_id INTEGER NOT NULL REFERENCES kb_passages (id) ON DELETE CASCADE,
    vector     BLOB NOT NULL,
    PRIMARY KEY (model, passage_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX kb_embeddings_passage ON kb_embeddings (passage_id);

-- A counter that moves with every change to kb_embeddings, so that a reader
-- holding the vectors in memory knows in one lookup whether to reload them.
CREATE TABLE kb_state (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;

INSERT INTO kb_state (key, value) VALUES ('embeddings_generation', 0);

-- +goose StatementBegin
CREATE TRIGGER kb_embeddings_ai AFTER INSERT ON kb_embeddings BEGIN
    UPDATE kb_state SET value = value + 1 WHERE key = 'embeddings_generation';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER kb_embeddings_ad AFTER DELETE ON kb_embeddings BEGIN
    UPDATE kb_state SET value = value + 1 WHERE key = 'embeddings_generation';
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE kb_state;
DROP TABLE kb_embeddings;

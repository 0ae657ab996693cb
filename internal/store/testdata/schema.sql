CREATE TABLE conversations (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    customer_name TEXT NOT NULL DEFAULT '',
    customer_lang TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (source, external_id)
) STRICT;

CREATE TABLE feedback_events (
    id            INTEGER PRIMARY KEY,
    suggestion_id INTEGER NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
    action        TEXT NOT NULL CHECK (action IN ('shown', 'inserted', 'copied', 'edited', 'dismissed', 'thumbs_up', 'thumbs_down')),
    final_text    TEXT,
    edit_distance INTEGER,
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE history_docs (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    terms           TEXT NOT NULL
) STRICT;

CREATE VIRTUAL TABLE history_fts USING fts5 (
    terms,
    content = 'history_docs', content_rowid = 'conversation_id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE kb_articles (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '',
    lang       TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
, source TEXT NOT NULL DEFAULT '', content_hash TEXT NOT NULL DEFAULT '') STRICT;

CREATE VIRTUAL TABLE kb_articles_fts USING fts5 (
    title, body, tags,
    content = 'kb_articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE kb_common_terms (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE kb_embeddings (
    model      TEXT NOT NULL,
    passage_id INTEGER NOT NULL REFERENCES kb_passages (id) ON DELETE CASCADE,
    vector     BLOB NOT NULL,
    PRIMARY KEY (model, passage_id)
) STRICT, WITHOUT ROWID;

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

CREATE VIRTUAL TABLE kb_passages_vocab USING fts5vocab (kb_passages_fts, 'row');

CREATE TABLE kb_state (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;

CREATE TABLE kb_stats (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    passages        INTEGER NOT NULL,
    terms           INTEGER NOT NULL,
    generation      INTEGER NOT NULL,
    common_passages INTEGER NOT NULL DEFAULT 0 -- passages when kb_common_terms was made; 0: never
) STRICT;

CREATE TABLE kb_watched (
    path       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    external_id     TEXT,
    role            TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
    text            TEXT NOT NULL CHECK (text <> ''),
    lang            TEXT NOT NULL DEFAULT '',
    sent_at         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (conversation_id, external_id)
) STRICT;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE suggestions (
    id                INTEGER PRIMARY KEY,
    conversation_id   INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id        INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('knowledge', 'draft', 'translation', 'followups')),
    status            TEXT NOT NULL CHECK (status IN ('streaming', 'done', 'cancelled', 'failed')),
    content           TEXT NOT NULL DEFAULT '{}',
    model             TEXT NOT NULL DEFAULT '',
    prompt_version    TEXT NOT NULL DEFAULT '',
    queue_ms          INTEGER,
    first_token_ms    INTEGER,
    total_ms          INTEGER,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    created_at        TEXT NOT NULL
) STRICT;

CREATE TRIGGER history_docs_ad AFTER DELETE ON history_docs BEGIN
    INSERT INTO history_fts (history_fts, rowid, terms) VALUES ('delete', old.conversation_id, old.terms);
END;

CREATE TRIGGER history_docs_ai AFTER INSERT ON history_docs BEGIN
    INSERT INTO history_fts (rowid, terms) VALUES (new.conversation_id, new.terms);
END;

CREATE TRIGGER history_docs_au AFTER UPDATE ON history_docs BEGIN
    INSERT INTO history_fts (history_fts, rowid, terms) VALUES ('delete', old.conversation_id, old.terms);
    INSERT INTO history_fts (rowid, terms) VALUES (new.conversation_id, new.terms);
END;

CREATE TRIGGER kb_articles_ad AFTER DELETE ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, old.body, old.tags);
END;

CREATE TRIGGER kb_articles_ai AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
END;

CREATE TRIGGER kb_articles_au AFTER UPDATE ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, old.body, old.tags);
    INSERT INTO kb_articles_fts (rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
END;

CREATE TRIGGER kb_embeddings_ad AFTER DELETE ON kb_embeddings BEGIN
    UPDATE kb_state SET value = value + 1 WHERE key = 'embeddings_generation';
END;

CREATE TRIGGER kb_embeddings_ai AFTER INSERT ON kb_embeddings BEGIN
    UPDATE kb_state SET value = value + 1 WHERE key = 'embeddings_generation';
END;

CREATE TRIGGER kb_passages_ad AFTER DELETE ON kb_passages BEGIN
    INSERT INTO kb_passages_fts (kb_passages_fts, rowid, title_terms, terms) VALUES ('delete', old.id, old.title_terms, old.terms);
END;

CREATE TRIGGER kb_passages_ai AFTER INSERT ON kb_passages BEGIN
    INSERT INTO kb_passages_fts (rowid, title_terms, terms) VALUES (new.id, new.title_terms, new.terms);
END;

CREATE TRIGGER kb_passages_au AFTER UPDATE ON kb_passages BEGIN
    INSERT INTO kb_passages_fts (kb_passages_fts, rowid, title_terms, terms) VALUES ('delete', old.id, old.title_terms, old.terms);
    INSERT INTO kb_passages_fts (rowid, title_terms, terms) VALUES (new.id, new.title_terms, new.terms);
END;

CREATE TRIGGER kb_passages_stats_ad AFTER DELETE ON kb_passages BEGIN
    UPDATE kb_stats SET passages = passages - 1, generation = generation + 1,
        terms = terms - (length(old.title_terms) - length(replace(old.title_terms, ' ', '')) + (old.title_terms != '')
                      + length(old.terms) - length(replace(old.terms, ' ', '')) + (old.terms != ''))
    WHERE id = 1;
END;

CREATE TRIGGER kb_passages_stats_ai AFTER INSERT ON kb_passages BEGIN
    UPDATE kb_stats SET passages = passages + 1, generation = generation + 1,
        terms = terms + length(new.title_terms) - length(replace(new.title_terms, ' ', '')) + (new.title_terms != '')
                      + length(new.terms) - length(replace(new.terms, ' ', '')) + (new.terms != '')
    WHERE id = 1;
END;

CREATE TRIGGER kb_passages_stats_au AFTER UPDATE ON kb_passages BEGIN
    UPDATE kb_stats SET generation = generation + 1,
        terms = terms - (length(old.title_terms) - length(replace(old.title_terms, ' ', '')) + (old.title_terms != '')
                      + length(old.terms) - length(replace(old.terms, ' ', '')) + (old.terms != ''))
                      + length(new.title_terms) - length(replace(new.title_terms, ' ', '')) + (new.title_terms != '')
                      + length(new.terms) - length(replace(new.terms, ' ', '')) + (new.terms != '')
    WHERE id = 1;
END;

CREATE TRIGGER messages_stale_history AFTER INSERT ON messages BEGIN
    DELETE FROM history_docs WHERE conversation_id = new.conversation_id;
END;

CREATE INDEX feedback_events_suggestion ON feedback_events (suggestion_id);

CREATE INDEX kb_articles_source ON kb_articles (source);

CREATE INDEX kb_embeddings_passage ON kb_embeddings (passage_id);

CREATE INDEX messages_conversation ON messages (conversation_id, sent_at, id);

CREATE INDEX suggestions_message ON suggestions (message_id);


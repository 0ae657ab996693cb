package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"tandem/internal/tandem"
)

// UpsertArticle stores a knowledge-base article under its key, replacing the
// article of the same key, and sets a.ID. The FTS index follows by trigger.
func (s *Store) UpsertArticle(ctx context.Context, a *tandem.Article) error {
	if a.Key == "" || strings.TrimSpace(a.Title) == "" {
		return tandem.Errorf(tandem.EINVALID, "an article needs a key and a title")
	}
	a.UpdatedAt = s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error { return upsertArticle(ctx, tx, a) })
	if err != nil {
		return fmt.Errorf("save article %s: %w", a.Key, err)
	}
	return nil
}

type execer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// upsertArticle writes the article and replaces its passages.
func upsertArticle(ctx context.Context, db execer, a *tandem.Article) error {
	err := db.QueryRowContext(ctx, `
		INSERT INTO kb_articles (key, title, body, tags, lang, url, source, content_hash, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			title = excluded.title, body = excluded.body, tags = excluded.tags,
			lang = excluded.lang, url = excluded.url, source = excluded.source,
			content_hash = excluded.content_hash, updated_at = excluded.updated_at
		RETURNING id`,
		a.Key, a.Title, a.Body, a.Tags, a.Lang, a.URL, a.Source, a.Hash, formatTime(a.UpdatedAt)).Scan(&a.ID)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM kb_passages WHERE article_id = ?`, a.ID); err != nil {
		return err
	}
	for i, p := range a.Passages {
		if _, err := db.ExecContext(ctx,
			`INSERT INTO kb_passages (article_id, ord, text, title_terms, terms) VALUES (?, ?, ?, ?, ?)`,
			a.ID, i, p.Text, p.TitleTerms, p.Terms); err != nil {
			return err
		}
	}
	return nil
}

// SyncReport says what a knowledge-base sync changed.
type SyncReport struct {
	Added     []string `json:"added"`
	Updated   []string `json:"updated"`
	Unchanged int      `json:"unchanged"`
	Removed   []string `json:"removed"`
}

// SyncArticles makes the articles from source exactly arts: new ones are
// added, changed ones (by Hash) replaced, unchanged ones left alone (their
// index entries are not rebuilt), and those of source that arts no longer
// has are removed. It writes in batches, calling progress after each.
func (s *Store) SyncArticles(ctx context.Context, source string, arts []tandem.Article, progress func(done, total int)) (SyncReport, error) {
	rep := SyncReport{Added: []string{}, Updated: []string{}, Removed: []string{}}
	have := map[string]string{} // key -> hash, of this source
	rows, err := s.r.QueryContext(ctx, `SELECT key, content_hash FROM kb_articles WHERE source = ?`, source)
	if err != nil {
		return rep, fmt.Errorf("sync articles from %s: %w", source, err)
	}
	for rows.Next() {
		var k, h string
		if err := rows.Scan(&k, &h); err != nil {
			rows.Close()
			return rep, fmt.Errorf("sync articles from %s: %w", source, err)
		}
		have[k] = h
	}
	rows.Close()

	const batch = 500
	now := s.now()
	keep := map[string]bool{}
	for start := 0; start < len(arts); start += batch {
		part := arts[start:min(start+batch, len(arts))]
		err := s.tx(ctx, func(tx *sql.Tx) error {
			for i := range part {
				a := &part[i]
				keep[a.Key] = true
				old, exists := have[a.Key]
				if exists && old == a.Hash && a.Hash != "" {
					rep.Unchanged++
					continue
				}
				a.Source, a.UpdatedAt = source, now
				if err := upsertArticle(ctx, tx, a); err != nil {
					return fmt.Errorf("article %s: %w", a.Key, err)
				}
				if exists {
					rep.Updated = append(rep.Updated, a.Key)
				} else {
					rep.Added = append(rep.Added, a.Key)
				}
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("sync articles from %s: %w", source, err)
		}
		if progress != nil {
			progress(start+len(part), len(arts))
		}
	}
	var gone []string
	for k := range have {
		if !keep[k] {
			gone = append(gone, k)
		}
	}
	slices.Sort(gone)
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, k := range gone {
			if _, err := tx.ExecContext(ctx, `DELETE FROM kb_articles WHERE key = ? AND source = ?`, k, source); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("sync articles from %s: remove: %w", source, err)
	}
	rep.Removed = append(rep.Removed, gone...)
	return rep, nil
}

// DeleteArticle removes the article with the given key.
func (s *Store) DeleteArticle(ctx context.Context, key string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM kb_articles WHERE key = ?`, key)
	if err != nil {
		return fmt.Errorf("delete article %s: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tandem.Errorf(tandem.ENOTFOUND, "article %s does not exist", key)
	}
	return nil
}

// Articles lists the knowledge base by title.
func (s *Store) Articles(ctx context.Context) ([]tandem.Article, error) {
	return s.queryArticles(ctx, `
		SELECT id, key, title, body, tags, lang, url, source, updated_at FROM kb_articles ORDER BY title, id`)
}

// SearchArticles runs a full-text query over titles, bodies and tags and
// returns at most limit articles, best BM25 match first. Words are matched
// as terms, so the query's punctuation never breaks FTS5 syntax.
func (s *Store) SearchArticles(ctx context.Context, query string, limit int) ([]tandem.Article, error) {
	match := ftsQuery(query)
	if match == "" {
		return []tandem.Article{}, nil
	}
	// Title weighs most, then tags, then body.
	return s.queryArticles(ctx, `
		SELECT a.id, a.key, a.title, a.body, a.tags, a.lang, a.url, a.source, a.updated_at
		FROM kb_articles_fts f JOIN kb_articles a ON a.id = f.rowid
		WHERE kb_articles_fts MATCH ?
		ORDER BY bm25(kb_articles_fts, 5.0, 1.0, 2.0)
		LIMIT ?`, match, limit)
}

func (s *Store) queryArticles(ctx context.Context, q string, args ...any) ([]tandem.Article, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query articles: %w", err)
	}
	defer rows.Close()
	list := []tandem.Article{}
	for rows.Next() {
		var a tandem.Article
		if err := rows.Scan(&a.ID, &a.Key, &a.Title, &a.Body, &a.Tags, &a.Lang, &a.URL, &a.Source, scanTime(&a.UpdatedAt)); err != nil {
			return nil, fmt.Errorf("query articles: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query articles: %w", err)
	}
	return list, nil
}

// ftsQuery turns free text into an FTS5 query that matches any of its words:
// each word is quoted so that characters such as '-', ':' or '"' are taken
// as text, not as query syntax.
func ftsQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127)
	})
	for i, w := range words {
		words[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(words, " OR ")
}

// SearchPassages runs an FTS5 query (already in index terms, see package kb)
// over passages and returns the best passage of each of at most limit
// articles, best first. Title matches weigh twice as much as text matches.
func (s *Store) SearchPassages(ctx context.Context, match string, limit int) ([]tandem.KnowledgeHit, error) {
	if strings.TrimSpace(match) == "" {
		return []tandem.KnowledgeHit{}, nil
	}
	rows, err := s.r.QueryContext(ctx, `
		WITH ranked AS (
			-- Rank inside the index alone; passages' text is read only for the few kept.
			SELECT rowid, bm25(kb_passages_fts, 2.0, 1.0) AS rank
			FROM kb_passages_fts WHERE kb_passages_fts MATCH ?
			ORDER BY rank LIMIT ?
		), best AS (
			SELECT p.article_id, p.text, min(r.rank) AS rank
			FROM ranked r JOIN kb_passages p ON p.id = r.rowid GROUP BY p.article_id
		)
		SELECT a.id, a.key, a.title, a.body, a.tags, a.lang, a.url, a.source, a.updated_at, best.text, -best.rank
		FROM best JOIN kb_articles a ON a.id = best.article_id
		ORDER BY best.rank LIMIT ?`, match, limit*8, limit)
	if err != nil {
		return nil, fmt.Errorf("search passages: %w", err)
	}
	defer rows.Close()
	hits := []tandem.KnowledgeHit{}
	for rows.Next() {
		var h tandem.KnowledgeHit
		a := &h.Article
		if err := rows.Scan(&a.ID, &a.Key, &a.Title, &a.Body, &a.Tags, &a.Lang, &a.URL, &a.Source, scanTime(&a.UpdatedAt), &h.Passage, &h.Score); err != nil {
			return nil, fmt.Errorf("search passages: %w", err)
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// TermDocs returns, for each of terms that is in the passage index (as the
// index spells it, after stemming), how many passages hold it, and how many
// passages there are.
func (s *Store) TermDocs(ctx context.Context, terms []string) (map[string]int, int, error) {
	out := map[string]int{}
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM kb_passages`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count passages: %w", err)
	}
	if len(terms) == 0 {
		return out, total, nil
	}
	args := make([]any, len(terms))
	for i, t := range terms {
		args[i] = t
	}
	rows, err := s.r.QueryContext(ctx, `SELECT term, doc FROM kb_passages_vocab WHERE term IN (?`+strings.Repeat(",?", len(terms)-1)+`)`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("look up terms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, 0, fmt.Errorf("look up terms: %w", err)
		}
		out[t] = n
	}
	return out, total, rows.Err()
}

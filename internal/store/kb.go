package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

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
	if changed := len(rep.Added) + len(rep.Updated) + len(rep.Removed); changed > 0 {
		if err := s.refreshCommonTerms(ctx, changed); err != nil {
			return rep, fmt.Errorf("sync articles from %s: %w", source, err)
		}
	}
	return rep, nil
}

// Common terms (see kb_common_terms, migration 7): those in at least
// commonShare of the passages, and at least commonMin. The list is made
// again after an import that changed at least commonStale of the articles,
// and is not trusted once the passage count moved by more than that.
const (
	commonShare = 0.002
	commonMin   = 50
	commonStale = 0.05
)

// refreshCommonTerms remakes kb_common_terms if the list is missing or
// stale, or changed articles make up a large part of the knowledge base.
// At 100,000 articles this reads the whole index once, in about 3 s.
func (s *Store) refreshCommonTerms(ctx context.Context, changed int) error {
	var passages, at, articles int
	err := s.w.QueryRowContext(ctx, `SELECT passages, common_passages, (SELECT count(*) FROM kb_articles) FROM kb_stats WHERE id = 1`).Scan(&passages, &at, &articles)
	if err != nil {
		return fmt.Errorf("list common terms: %w", err)
	}
	if commonTrusted(at, passages) && float64(changed) < commonStale*float64(articles) {
		return nil
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM kb_common_terms`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kb_common_terms (term, docs)
			SELECT term, doc FROM kb_passages_vocab WHERE doc >= ?`, max(commonMin, int(commonShare*float64(passages)))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE kb_stats SET common_passages = passages WHERE id = 1`)
		return err
	})
	if err != nil {
		return fmt.Errorf("list common terms: %w", err)
	}
	return nil
}

// commonTrusted says whether a list of common terms made at passages at is
// still good at passages now.
func commonTrusted(at, now int) bool {
	return at > 0 && math.Abs(float64(now-at)) <= commonStale*float64(at)
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

// PassagesWith returns, for each FTS5 query of matches (in index terms, see
// package kb), the ids of the passages it matches, ascending.
// No ranking happens here: FTS5's bm25() reads every matching passage's
// length from another table, which costs ten times the match itself;
// package kb scores the few passages worth it.
func (s *Store) PassagesWith(ctx context.Context, matches []string) ([][]int64, error) {
	out := make([][]int64, len(matches))
	if len(matches) == 0 {
		return out, nil
	}
	// One row per term, its ids joined: a row per id would cost more to
	// hand over than to find.
	parts := make([]string, len(matches))
	args := make([]any, len(matches))
	for i, m := range matches {
		parts[i] = fmt.Sprintf(`SELECT %d, group_concat(rowid) FROM kb_passages_fts WHERE kb_passages_fts MATCH ?`, i)
		args[i] = m
	}
	rows, err := s.r.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return nil, fmt.Errorf("find passages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var ids sql.NullString
		if err := rows.Scan(&i, &ids); err != nil {
			return nil, fmt.Errorf("find passages: %w", err)
		}
		if !ids.Valid {
			continue
		}
		list := make([]int64, 0, strings.Count(ids.String, ",")+1)
		for f := range strings.SplitSeq(ids.String, ",") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("find passages: id %q: %w", f, err)
			}
			list = append(list, id)
		}
		out[i] = list
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find passages: %w", err)
	}
	return out, nil
}

// Passages returns the passages of the given ids that exist, as the index
// sees them, in no particular order.
func (s *Store) Passages(ctx context.Context, ids []int64) ([]tandem.PassageMatch, error) {
	out := []tandem.PassageMatch{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, article_id, title_terms, terms FROM kb_passages
		WHERE id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read passages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m tandem.PassageMatch
		if err := rows.Scan(&m.ID, &m.ArticleID, &m.TitleTerms, &m.Terms); err != nil {
			return nil, fmt.Errorf("read passages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read passages: %w", err)
	}
	return out, nil
}

// PassageHits returns the passages of the given ids that exist, each with
// its article, by passage id.
func (s *Store) PassageHits(ctx context.Context, ids []int64) (map[int64]tandem.KnowledgeHit, error) {
	out := make(map[int64]tandem.KnowledgeHit, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT p.id, p.text, a.id, a.key, a.title, a.body, a.tags, a.lang, a.url, a.source, a.updated_at
		FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id
		WHERE p.id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read passages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var h tandem.KnowledgeHit
		a := &h.Article
		if err := rows.Scan(&id, &h.Passage, &a.ID, &a.Key, &a.Title, &a.Body, &a.Tags, &a.Lang, &a.URL, &a.Source, scanTime(&a.UpdatedAt)); err != nil {
			return nil, fmt.Errorf("read passages: %w", err)
		}
		out[id] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read passages: %w", err)
	}
	return out, nil
}

// IndexStats returns the passage count and average passage length, kept by
// triggers (migration 7) so that no query has to count.
func (s *Store) IndexStats(ctx context.Context) (tandem.IndexStats, error) {
	st, _, err := s.kbStats(ctx)
	return st, err
}

func (s *Store) kbStats(ctx context.Context) (tandem.IndexStats, int64, error) {
	st, gen, _, err := s.kbStatsCommon(ctx)
	return st, gen, err
}

// kbStatsCommon is kbStats and whether kb_common_terms can be trusted.
func (s *Store) kbStatsCommon(ctx context.Context) (tandem.IndexStats, int64, bool, error) {
	var st tandem.IndexStats
	var terms, gen int64
	var at int
	err := s.r.QueryRowContext(ctx, `SELECT passages, terms, generation, common_passages FROM kb_stats WHERE id = 1`).Scan(&st.Passages, &terms, &gen, &at)
	if err != nil {
		return st, 0, false, fmt.Errorf("read passage statistics: %w", err)
	}
	if st.Passages > 0 {
		st.AvgTerms = float64(terms) / float64(st.Passages)
	}
	return st, gen, commonTrusted(at, st.Passages), nil
}

// dfCache keeps document frequencies read from the fts5vocab table, which
// counts them by walking each term's whole posting list: for a common term
// at 100,000 articles that costs more than the search itself. Entries hold
// for one generation of kb_stats, which every passage write moves on.
type dfCache struct {
	mu   sync.Mutex
	gen  int64
	docs map[string]int // term -> passages holding it; 0 for absent terms
}

const dfCacheMax = 200_000 // terms; past this the cache starts over

func newDFCache() *dfCache { return &dfCache{gen: -1, docs: map[string]int{}} }

// lookup returns the cached frequencies of terms and the terms it lacks,
// first forgetting everything if the index changed since.
func (c *dfCache) lookup(gen int64, terms []string) (map[string]int, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || len(c.docs) > dfCacheMax {
		c.gen, c.docs = gen, map[string]int{}
	}
	out := make(map[string]int, len(terms))
	var missing []string
	for _, t := range terms {
		if n, ok := c.docs[t]; ok {
			if n > 0 {
				out[t] = n
			}
		} else if !slices.Contains(missing, t) {
			missing = append(missing, t)
		}
	}
	return out, missing
}

func (c *dfCache) store(gen int64, terms []string, docs map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // the index moved on while we read
	}
	for _, t := range terms {
		c.docs[t] = docs[t]
	}
}

// TermDocs returns, for each of terms that is in the passage index (as the
// index spells it, after stemming), how many passages hold it, and how many
// passages there are. For common terms the count may be from the last large
// import (see kb_common_terms).
func (s *Store) TermDocs(ctx context.Context, terms []string) (map[string]int, int, error) {
	st, gen, common, err := s.kbStatsCommon(ctx)
	if err != nil {
		return nil, 0, err
	}
	out, missing := s.df.lookup(gen, terms)
	if len(missing) == 0 {
		return out, st.Passages, nil
	}
	found := make(map[string]int, len(missing))
	rare := missing
	if common {
		// Common terms as of the last large import (close enough for
		// weighing them); the others are rare, and cheap to count exactly.
		if err := s.countTerms(ctx, `SELECT term, docs FROM kb_common_terms`, missing, found); err != nil {
			return nil, 0, err
		}
		rare = slices.DeleteFunc(slices.Clone(missing), func(t string) bool { _, ok := found[t]; return ok })
	}
	if err := s.countTerms(ctx, `SELECT term, doc FROM kb_passages_vocab`, rare, found); err != nil {
		return nil, 0, err
	}
	maps.Copy(out, found)
	s.df.store(gen, missing, found)
	return out, st.Passages, nil
}

// countTerms runs q (selecting term and count) for terms, into found.
func (s *Store) countTerms(ctx context.Context, q string, terms []string, found map[string]int) error {
	if len(terms) == 0 {
		return nil
	}
	args := make([]any, len(terms))
	for i, t := range terms {
		args[i] = t
	}
	rows, err := s.r.QueryContext(ctx, q+` WHERE term IN (?`+strings.Repeat(",?", len(terms)-1)+`)`, args...)
	if err != nil {
		return fmt.Errorf("look up terms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return fmt.Errorf("look up terms: %w", err)
		}
		found[t] = n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("look up terms: %w", err)
	}
	return nil
}

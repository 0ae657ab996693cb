package store

import (
	"context"
	"fmt"
	"strings"

	"tandem/internal/tandem"
)

// ArticleList lists knowledge-base articles by title, without their bodies,
// for the app's knowledge-base view: at most limit of them, and how many
// there are in all. A non-empty query keeps the articles whose words match
// it (full text) or whose title or key contains it as typed, so that a
// Chinese phrase, which the full-text index does not split into words, is
// found too.
func (s *Store) ArticleList(ctx context.Context, query string, limit int) ([]tandem.Article, int, error) {
	where, args := "", []any{}
	if q := strings.TrimSpace(query); q != "" {
		like := "%" + escapeLike(q) + "%"
		where = `WHERE title LIKE ? ESCAPE '\' OR key LIKE ? ESCAPE '\'`
		args = append(args, like, like)
		if match := ftsQuery(q); match != "" {
			where += ` OR id IN (SELECT rowid FROM kb_articles_fts WHERE kb_articles_fts MATCH ?)`
			args = append(args, match)
		}
	}
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM kb_articles `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count articles: %w", err)
	}
	list, err := s.queryArticles(ctx, `
		SELECT id, key, title, '', tags, lang, url, source, updated_at FROM kb_articles `+where+`
		ORDER BY title, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Article returns the article with the given key, with its full text.
func (s *Store) Article(ctx context.Context, key string) (tandem.Article, error) {
	list, err := s.queryArticles(ctx, `
		SELECT id, key, title, body, tags, lang, url, source, updated_at FROM kb_articles WHERE key = ?`, key)
	if err != nil {
		return tandem.Article{}, err
	}
	if len(list) == 0 {
		return tandem.Article{}, tandem.Errorf(tandem.ENOTFOUND, "article %s does not exist", key)
	}
	return list[0], nil
}

// WatchedFolders lists the folders the knowledge base follows, by path.
func (s *Store) WatchedFolders(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT path FROM kb_watched ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("list watched folders: %w", err)
	}
	defer rows.Close()
	paths := []string{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("list watched folders: %w", err)
		}
		paths = append(paths, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list watched folders: %w", err)
	}
	return paths, nil
}

// SetWatched marks path as followed (on) or not; either way twice is no error.
func (s *Store) SetWatched(ctx context.Context, path string, on bool) error {
	if strings.TrimSpace(path) == "" {
		return tandem.Errorf(tandem.EINVALID, "choose a folder to watch")
	}
	var err error
	if on {
		_, err = s.w.ExecContext(ctx, `INSERT INTO kb_watched (path, created_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING`,
			path, formatTime(s.now()))
	} else {
		_, err = s.w.ExecContext(ctx, `DELETE FROM kb_watched WHERE path = ?`, path)
	}
	if err != nil {
		return fmt.Errorf("watch folder %s: %w", path, err)
	}
	return nil
}

// ArticleSource is where articles were imported from, and how many.
type ArticleSource struct {
	Path     string `json:"path"`
	Articles int    `json:"articles"`
}

// ArticleSources lists the sources of the knowledge base's articles by path.
func (s *Store) ArticleSources(ctx context.Context) ([]ArticleSource, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT source, count(*) FROM kb_articles GROUP BY source ORDER BY source`)
	if err != nil {
		return nil, fmt.Errorf("list article sources: %w", err)
	}
	defer rows.Close()
	list := []ArticleSource{}
	for rows.Next() {
		var a ArticleSource
		if err := rows.Scan(&a.Path, &a.Articles); err != nil {
			return nil, fmt.Errorf("list article sources: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list article sources: %w", err)
	}
	return list, nil
}

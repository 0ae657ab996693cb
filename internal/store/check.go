package store

import (
	"context"
	"fmt"
	"strings"
)

// Schema returns the database's schema as SQL: every table, index, trigger
// and view, in name order, without the migration tool's own table and without
// FTS5's shadow tables, which follow from the virtual table.
func (s *Store) Schema(ctx context.Context) (string, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT sql FROM sqlite_schema
		WHERE sql IS NOT NULL
		  AND name NOT LIKE 'goose_%' AND name NOT LIKE 'sqlite_%'
		  AND NOT (type = 'table' AND name LIKE '%_fts_%')
		ORDER BY type = 'index', type = 'trigger', name`)
	if err != nil {
		return "", fmt.Errorf("read schema: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var stmt string
		if err := rows.Scan(&stmt); err != nil {
			return "", fmt.Errorf("read schema: %w", err)
		}
		b.WriteString(strings.TrimSpace(stmt))
		b.WriteString(";\n\n")
	}
	return b.String(), rows.Err()
}

// FTSIntegrityCheck asks FTS5 whether each full-text index (articles,
// passages, resolved conversations) matches its content table exactly.
func (s *Store) FTSIntegrityCheck(ctx context.Context) (bool, error) {
	for _, t := range []string{"kb_articles_fts", "kb_passages_fts", "history_fts"} {
		_, err := s.w.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`, rank) VALUES ('integrity-check', 1)`)
		if err != nil {
			return false, fmt.Errorf("check full-text index %s: %w", t, err)
		}
	}
	return true, nil
}

package store

import (
	"context"
	"fmt"
	"strings"

	"tandem/internal/tandem"
)

// EndedUnindexed returns up to limit ended conversations that are not in the
// history index (never indexed, or a message came after indexing).
func (s *Store) EndedUnindexed(ctx context.Context, limit int) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT c.id FROM conversations c
		WHERE c.status = 'ended' AND NOT EXISTS (SELECT 1 FROM history_docs h WHERE h.conversation_id = c.id)
		ORDER BY c.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("find conversations to index: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("find conversations to index: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// IndexHistory stores a resolved conversation's index terms (see package kb).
func (s *Store) IndexHistory(ctx context.Context, conversationID int64, terms string) error {
	_, err := s.w.ExecContext(ctx, `
		INSERT INTO history_docs (conversation_id, terms) VALUES (?, ?)
		ON CONFLICT (conversation_id) DO UPDATE SET terms = excluded.terms`, conversationID, terms)
	if err != nil {
		return fmt.Errorf("index conversation %d: %w", conversationID, err)
	}
	return nil
}

// SearchHistory runs an FTS5 query (in index terms) over resolved
// conversations and returns at most limit of them, best first, leaving out
// the conversation exclude and any that is no longer ended.
func (s *Store) SearchHistory(ctx context.Context, match string, exclude int64, limit int) ([]tandem.SimilarConversation, error) {
	if strings.TrimSpace(match) == "" {
		return []tandem.SimilarConversation{}, nil
	}
	rows, err := s.r.QueryContext(ctx, `
		WITH ranked AS (
			SELECT rowid AS id, bm25(history_fts) AS rank FROM history_fts
			WHERE history_fts MATCH ? ORDER BY rank LIMIT ?
		)
		SELECT `+prefixed("c.", conversationColumns)+`, -r.rank
		FROM ranked r JOIN conversations c ON c.id = r.id
		WHERE c.status = 'ended' AND c.id <> ?
		ORDER BY r.rank LIMIT ?`, match, limit+1, exclude, limit)
	if err != nil {
		return nil, fmt.Errorf("search resolved conversations: %w", err)
	}
	defer rows.Close()
	out := []tandem.SimilarConversation{}
	for rows.Next() {
		var sc tandem.SimilarConversation
		c := &sc.Conversation
		if err := rows.Scan(&c.ID, &c.Source, &c.ExternalID, &c.Title, &c.CustomerName, &c.CustomerLang, &c.Status,
			scanTime(&c.CreatedAt), scanTime(&c.UpdatedAt), &sc.Score); err != nil {
			return nil, fmt.Errorf("search resolved conversations: %w", err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// prefixed qualifies each of a comma-separated column list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = p + c
	}
	return strings.Join(cols, ", ")
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tandem/internal/tandem"
)

// UpsertConversation creates the conversation (source, external id) or
// updates it; empty fields of c leave the stored values as they are. It fills
// c with the stored row.
func (s *Store) UpsertConversation(ctx context.Context, c *tandem.Conversation) error {
	if c.Source == "" || c.ExternalID == "" {
		return tandem.Errorf(tandem.EINVALID, "a conversation needs a source and an external id")
	}
	now := formatTime(s.now())
	row := s.w.QueryRowContext(ctx, `
		INSERT INTO conversations (source, external_id, title, customer_name, customer_lang, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, COALESCE(NULLIF(?, ''), 'open'), ?, ?)
		ON CONFLICT (source, external_id) DO UPDATE SET
			title = COALESCE(NULLIF(excluded.title, ''), title),
			customer_name = COALESCE(NULLIF(excluded.customer_name, ''), customer_name),
			customer_lang = COALESCE(NULLIF(excluded.customer_lang, ''), customer_lang),
			status = COALESCE(NULLIF(?, ''), status),
			updated_at = excluded.updated_at
		RETURNING `+conversationColumns,
		c.Source, c.ExternalID, c.Title, c.CustomerName, c.CustomerLang, c.Status, now, now, c.Status)
	if err := scanConversation(row, c); err != nil {
		return fmt.Errorf("save conversation %s/%s: %w", c.Source, c.ExternalID, err)
	}
	return nil
}

const conversationColumns = `id, source, external_id, title, customer_name, customer_lang, status, created_at, updated_at`

func scanConversation(row interface{ Scan(...any) error }, c *tandem.Conversation) error {
	return row.Scan(&c.ID, &c.Source, &c.ExternalID, &c.Title, &c.CustomerName, &c.CustomerLang, &c.Status,
		scanTime(&c.CreatedAt), scanTime(&c.UpdatedAt))
}

// Conversation returns the conversation with Tandem's id.
func (s *Store) Conversation(ctx context.Context, id int64) (tandem.Conversation, error) {
	var c tandem.Conversation
	err := scanConversation(s.r.QueryRowContext(ctx, `SELECT `+conversationColumns+` FROM conversations WHERE id = ?`, id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return c, tandem.Errorf(tandem.ENOTFOUND, "conversation %d does not exist", id)
	}
	if err != nil {
		return c, fmt.Errorf("find conversation %d: %w", id, err)
	}
	return c, nil
}

// ConversationByExternalID finds a conversation by its source and external id.
func (s *Store) ConversationByExternalID(ctx context.Context, source, externalID string) (tandem.Conversation, error) {
	var c tandem.Conversation
	err := scanConversation(s.r.QueryRowContext(ctx,
		`SELECT `+conversationColumns+` FROM conversations WHERE source = ? AND external_id = ?`, source, externalID), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return c, tandem.Errorf(tandem.ENOTFOUND, "conversation %s/%s does not exist", source, externalID)
	}
	if err != nil {
		return c, fmt.Errorf("find conversation %s/%s: %w", source, externalID, err)
	}
	return c, nil
}

// Conversations lists conversations, latest message first, with each
// one's last message for the list.
func (s *Store) Conversations(ctx context.Context) ([]tandem.Conversation, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT c.id, c.source, c.external_id, c.title, c.customer_name, c.customer_lang, c.status,
		       c.created_at, c.updated_at,
		       COALESCE((SELECT text FROM messages m WHERE m.conversation_id = c.id ORDER BY m.sent_at DESC, m.id DESC LIMIT 1), ''),
		       (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id),
		       COALESCE(d.sentiment, ''), COALESCE(d.urgency, '')
		FROM conversations c
		LEFT JOIN (
			-- The mood the latest finished draft read, for the list's flags.
			SELECT conversation_id,
			       json_extract(content, '$.suggestion.sentiment') AS sentiment,
			       json_extract(content, '$.suggestion.urgency') AS urgency,
			       row_number() OVER (PARTITION BY conversation_id ORDER BY id DESC) AS n
			FROM suggestions WHERE kind = 'draft' AND status = 'done'
		) d ON d.conversation_id = c.id AND d.n = 1
		ORDER BY COALESCE((SELECT max(sent_at) FROM messages m WHERE m.conversation_id = c.id), c.updated_at) DESC, c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	list := []tandem.Conversation{}
	for rows.Next() {
		var c tandem.Conversation
		if err := rows.Scan(&c.ID, &c.Source, &c.ExternalID, &c.Title, &c.CustomerName, &c.CustomerLang, &c.Status,
			scanTime(&c.CreatedAt), scanTime(&c.UpdatedAt), &c.LastMessage, &c.MessageCount, &c.Sentiment, &c.Urgency); err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return list, nil
}

// AddMessage stores m in its conversation and sets m.ID. A message whose
// external id the conversation already holds is not stored again: AddMessage
// then fills m from the stored row and returns created == false.
// It returns only after the message is committed.
func (s *Store) AddMessage(ctx context.Context, m *tandem.Message) (created bool, err error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	now := s.now()
	if m.SentAt.IsZero() {
		m.SentAt = now
	}
	m.CreatedAt = now
	var extID any // NULL, not "", when the source gives none, so UNIQUE ignores it
	if m.ExternalID != "" {
		extID = m.ExternalID
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO messages (conversation_id, external_id, role, text, lang, sent_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (conversation_id, external_id) DO NOTHING`,
			m.ConversationID, extID, m.Role, m.Text, m.Lang, formatTime(m.SentAt), formatTime(now))
		if err != nil {
			if isForeignKeyErr(err) {
				return tandem.Errorf(tandem.ENOTFOUND, "conversation %d does not exist", m.ConversationID)
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tx.QueryRowContext(ctx, `
				SELECT id, role, text, lang, sent_at, created_at FROM messages
				WHERE conversation_id = ? AND external_id = ?`, m.ConversationID, m.ExternalID,
			).Scan(&m.ID, &m.Role, &m.Text, &m.Lang, scanTime(&m.SentAt), scanTime(&m.CreatedAt))
		}
		created = true
		if m.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE conversations SET updated_at = ? WHERE id = ?`, formatTime(now), m.ConversationID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("add message to conversation %d: %w", m.ConversationID, err)
	}
	return created, nil
}

// Messages returns a conversation's messages in the order they were sent.
func (s *Store) Messages(ctx context.Context, conversationID int64) ([]tandem.Message, error) {
	var exists bool
	if err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?)`, conversationID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("list messages of conversation %d: %w", conversationID, err)
	}
	if !exists {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "conversation %d does not exist", conversationID)
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT id, conversation_id, COALESCE(external_id, ''), role, text, lang, sent_at, created_at
		FROM messages WHERE conversation_id = ? ORDER BY sent_at, id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("list messages of conversation %d: %w", conversationID, err)
	}
	defer rows.Close()
	list := []tandem.Message{}
	for rows.Next() {
		var m tandem.Message
		if err := rows.Scan(&m.ID, &m.ConversationID, &m.ExternalID, &m.Role, &m.Text, &m.Lang,
			scanTime(&m.SentAt), scanTime(&m.CreatedAt)); err != nil {
			return nil, fmt.Errorf("list messages of conversation %d: %w", conversationID, err)
		}
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list messages of conversation %d: %w", conversationID, err)
	}
	return list, nil
}

func isForeignKeyErr(err error) bool {
	var e interface{ Code() int }
	// SQLITE_CONSTRAINT_FOREIGNKEY is 787.
	return errors.As(err, &e) && e.Code() == 787
}

// timeScanner scans the stored text form of a time into a time.Time.
type timeScanner struct{ t *time.Time }

func scanTime(t *time.Time) timeScanner { return timeScanner{t} }

func (ts timeScanner) Scan(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("time column holds %T, not text", v)
	}
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return fmt.Errorf("time column: %w", err)
	}
	*ts.t = t
	return nil
}

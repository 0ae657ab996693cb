package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tandem/internal/tandem"
)

// AddSuggestion stores a new suggestion and sets its ID and CreatedAt.
func (s *Store) AddSuggestion(ctx context.Context, sg *tandem.Suggestion) error {
	sg.CreatedAt = s.now()
	if len(sg.Content) == 0 {
		sg.Content = []byte("{}")
	}
	err := s.w.QueryRowContext(ctx, `
		INSERT INTO suggestions (conversation_id, message_id, kind, status, content, model, prompt_version,
			queue_ms, first_token_ms, total_ms, prompt_tokens, completion_tokens, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		sg.ConversationID, sg.MessageID, sg.Kind, sg.Status, string(sg.Content), sg.Model, sg.PromptVersion,
		sg.Queue.Milliseconds(), sg.FirstToken.Milliseconds(), sg.Total.Milliseconds(), sg.PromptTokens, sg.OutputTokens,
		formatTime(sg.CreatedAt)).Scan(&sg.ID)
	if err != nil {
		return fmt.Errorf("save suggestion for message %d: %w", sg.MessageID, err)
	}
	return nil
}

// UpdateSuggestion writes a suggestion's status, content, timings and counts.
func (s *Store) UpdateSuggestion(ctx context.Context, sg *tandem.Suggestion) error {
	res, err := s.w.ExecContext(ctx, `
		UPDATE suggestions SET status = ?, content = ?, model = ?, prompt_version = ?, queue_ms = ?,
			first_token_ms = ?, total_ms = ?, prompt_tokens = ?, completion_tokens = ?
		WHERE id = ?`,
		sg.Status, string(sg.Content), sg.Model, sg.PromptVersion, sg.Queue.Milliseconds(),
		sg.FirstToken.Milliseconds(), sg.Total.Milliseconds(), sg.PromptTokens, sg.OutputTokens, sg.ID)
	if err != nil {
		return fmt.Errorf("update suggestion %d: %w", sg.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tandem.Errorf(tandem.ENOTFOUND, "suggestion %d does not exist", sg.ID)
	}
	return nil
}

const suggestionColumns = `id, conversation_id, message_id, kind, status, content, model, prompt_version,
	coalesce(queue_ms, 0), coalesce(first_token_ms, 0), coalesce(total_ms, 0),
	coalesce(prompt_tokens, 0), coalesce(completion_tokens, 0), created_at`

// Suggestion returns one suggestion.
func (s *Store) Suggestion(ctx context.Context, id int64) (tandem.Suggestion, error) {
	list, err := s.querySuggestions(ctx, `SELECT `+suggestionColumns+` FROM suggestions WHERE id = ?`, id)
	if err != nil {
		return tandem.Suggestion{}, fmt.Errorf("read suggestion %d: %w", id, err)
	}
	if len(list) == 0 {
		return tandem.Suggestion{}, tandem.Errorf(tandem.ENOTFOUND, "suggestion %d does not exist", id)
	}
	return list[0], nil
}

// Suggestions returns the conversation's suggestions, oldest first.
func (s *Store) Suggestions(ctx context.Context, conversationID int64) ([]tandem.Suggestion, error) {
	list, err := s.querySuggestions(ctx, `SELECT `+suggestionColumns+` FROM suggestions WHERE conversation_id = ? ORDER BY id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("read suggestions of conversation %d: %w", conversationID, err)
	}
	return list, nil
}

func (s *Store) querySuggestions(ctx context.Context, q string, args ...any) ([]tandem.Suggestion, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []tandem.Suggestion{}
	for rows.Next() {
		var sg tandem.Suggestion
		var content string
		var q, ft, tot int64
		if err := rows.Scan(&sg.ID, &sg.ConversationID, &sg.MessageID, &sg.Kind, &sg.Status, &content, &sg.Model,
			&sg.PromptVersion, &q, &ft, &tot, &sg.PromptTokens, &sg.OutputTokens, scanTime(&sg.CreatedAt)); err != nil {
			return nil, err
		}
		sg.Content = []byte(content)
		sg.Queue, sg.FirstToken, sg.Total = ms(q), ms(ft), ms(tot)
		out = append(out, sg)
	}
	return out, rows.Err()
}

// AddFeedback stores an agent action on a suggestion and sets its ID.
func (s *Store) AddFeedback(ctx context.Context, f *tandem.Feedback) error {
	if !f.Action.Valid() {
		return tandem.Errorf(tandem.EINVALID, "feedback action %q is not one of shown, inserted, copied, edited, dismissed, thumbs_up, thumbs_down", f.Action)
	}
	f.CreatedAt = s.now()
	var final sql.NullString
	var dist sql.NullInt64
	if f.Action == tandem.FeedbackEdited {
		final, dist = sql.NullString{String: f.FinalText, Valid: true}, sql.NullInt64{Int64: int64(f.EditDistance), Valid: true}
	}
	err := s.w.QueryRowContext(ctx, `
		INSERT INTO feedback_events (suggestion_id, action, final_text, edit_distance, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		f.SuggestionID, f.Action, final, dist, f.Reason, formatTime(f.CreatedAt)).Scan(&f.ID)
	if isForeignKeyErr(err) {
		return tandem.Errorf(tandem.ENOTFOUND, "suggestion %d does not exist", f.SuggestionID)
	}
	if err != nil {
		return fmt.Errorf("save feedback on suggestion %d: %w", f.SuggestionID, err)
	}
	return nil
}

// Feedback returns the actions on a suggestion, oldest first.
func (s *Store) Feedback(ctx context.Context, suggestionID int64) ([]tandem.Feedback, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT id, suggestion_id, action, coalesce(final_text, ''), coalesce(edit_distance, 0), reason, created_at
		FROM feedback_events WHERE suggestion_id = ? ORDER BY id`, suggestionID)
	if err != nil {
		return nil, fmt.Errorf("read feedback on suggestion %d: %w", suggestionID, err)
	}
	defer rows.Close()
	out := []tandem.Feedback{}
	for rows.Next() {
		var f tandem.Feedback
		if err := rows.Scan(&f.ID, &f.SuggestionID, &f.Action, &f.FinalText, &f.EditDistance, &f.Reason, scanTime(&f.CreatedAt)); err != nil {
			return nil, fmt.Errorf("read feedback on suggestion %d: %w", suggestionID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

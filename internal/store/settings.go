package store

import (
	"context"
	"database/sql"
	"fmt"

	"tandem/internal/tandem"
)

// settingFields maps each stored key to its field, so that loading and saving
// cannot disagree on the names.
func settingFields(s *tandem.Settings) map[string]*string {
	return map[string]*string{
		"ollama_host": &s.OllamaHost,
		"chat_model":  &s.ChatModel,
		"embed_model": &s.EmbedModel,
		"agent_lang":  &s.AgentLang,
		"ui_lang":     &s.UILang,
	}
}

// Settings returns the saved settings, with defaults for what was never saved.
func (s *Store) Settings(ctx context.Context, defaults tandem.Settings) (tandem.Settings, error) {
	out := defaults
	fields := settingFields(&out)
	rows, err := s.r.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return out, fmt.Errorf("read settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return out, fmt.Errorf("read settings: %w", err)
		}
		if f, ok := fields[k]; ok {
			*f = v
		}
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("read settings: %w", err)
	}
	return out, nil
}

// SaveSettings validates and stores every setting in one transaction.
func (s *Store) SaveSettings(ctx context.Context, set tandem.Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	now := formatTime(s.now())
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for k, v := range settingFields(&set) {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
				 WHERE value <> excluded.value`, k, *v, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

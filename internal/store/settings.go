package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"tandem/internal/tandem"
)

// settingFields maps each stored key to its field, so that loading and saving
// cannot disagree on the names. Values are stored as text.
func settingFields(s *tandem.Settings) map[string]any {
	return map[string]any{
		"ollama_host":         &s.OllamaHost,
		"chat_model":          &s.ChatModel,
		"embed_model":         &s.EmbedModel,
		"agent_lang":          &s.AgentLang,
		"ui_lang":             &s.UILang,
		"ingest_port":         &s.IngestPort,
		"ingest_token":        &s.IngestToken,
		"chatwoot_mode":       &s.ChatwootMode,
		"chatwoot_url":        &s.ChatwootURL,
		"chatwoot_account_id": &s.ChatwootAccountID,
		"chatwoot_token":      &s.ChatwootToken,
		"chatwoot_secret":     &s.ChatwootSecret,
		"glossary":            &s.Glossary,
	}
}

func settingText(field any) (string, error) {
	switch f := field.(type) {
	case *string:
		return *f, nil
	case *int:
		return strconv.Itoa(*f), nil
	case *[]tandem.GlossaryEntry:
		b, err := json.Marshal(*f)
		return string(b), err
	}
	return "", fmt.Errorf("settings field of type %T", field)
}

func setSetting(field any, v string) error {
	switch f := field.(type) {
	case *string:
		*f = v
	case *int:
		n, err := strconv.Atoi(v)
		if err != nil {
			return err
		}
		*f = n
	case *[]tandem.GlossaryEntry:
		return json.Unmarshal([]byte(v), f)
	default:
		return fmt.Errorf("settings field of type %T", field)
	}
	return nil
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
			if err := setSetting(f, v); err != nil {
				return out, fmt.Errorf("read setting %s: %w", k, err)
			}
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
		for k, f := range settingFields(&set) {
			v, err := settingText(f)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
				 WHERE value <> excluded.value`, k, v, now); err != nil {
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

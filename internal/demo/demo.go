// Package demo seeds a new database with a small knowledge base, two open
// conversations about a delayed parcel, one in English and one in Chinese,
// and two resolved ones like them, so that a first start shows the product
// filled in, "solved before" included. The demo is ordinary
// data: the agent may edit or delete it, and it is never seeded again.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"tandem/internal/kb"
	"tandem/internal/tandem"
)

//go:embed demo.json
var demoJSON []byte

// Source is the conversations' source name.
const Source = "demo"

const seededKey = "demo_seeded_at"

// Store is what seeding needs of the database.
type Store interface {
	Meta(ctx context.Context, key string) (string, bool, error)
	SetMeta(ctx context.Context, key, value string) error
	UpsertArticle(ctx context.Context, a *tandem.Article) error
	UpsertConversation(ctx context.Context, c *tandem.Conversation) error
	AddMessage(ctx context.Context, m *tandem.Message) (bool, error)
}

type data struct {
	Articles      []tandem.Article `json:"articles"`
	Conversations []struct {
		ExternalID   string                    `json:"external_id"`
		Title        string                    `json:"title"`
		CustomerName string                    `json:"customer_name"`
		CustomerLang string                    `json:"customer_lang"`
		Status       tandem.ConversationStatus `json:"status"` // "ended": a resolved one, for "solved before"
		Messages     []struct {
			Role       tandem.Role `json:"role"`
			Text       string      `json:"text"`
			MinutesAgo int         `json:"minutes_ago"`
		} `json:"messages"`
	} `json:"conversations"`
}

// SeedOnce seeds the demo unless this database was seeded before, and reports
// whether it did. Every write is an upsert keyed by a fixed id, so a seed cut
// short by a crash completes on the next start without doubling anything.
func SeedOnce(ctx context.Context, s Store, now time.Time) (bool, error) {
	if _, done, err := s.Meta(ctx, seededKey); err != nil || done {
		return false, err
	}
	var d data
	if err := json.Unmarshal(demoJSON, &d); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	for i := range d.Articles {
		d.Articles[i].Source = Source
		kb.Prepare(&d.Articles[i])
		if err := s.UpsertArticle(ctx, &d.Articles[i]); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
	}
	for _, dc := range d.Conversations {
		c := &tandem.Conversation{Source: Source, ExternalID: dc.ExternalID, Title: dc.Title,
			CustomerName: dc.CustomerName, CustomerLang: dc.CustomerLang}
		if err := s.UpsertConversation(ctx, c); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
		for i, dm := range dc.Messages {
			m := &tandem.Message{ConversationID: c.ID, ExternalID: fmt.Sprintf("%s-%d", dc.ExternalID, i+1),
				Role: dm.Role, Text: dm.Text, Lang: dc.CustomerLang,
				SentAt: now.Add(-time.Duration(dm.MinutesAgo) * time.Minute)}
			if _, err := s.AddMessage(ctx, m); err != nil {
				return false, fmt.Errorf("seed demo: %w", err)
			}
		}
		if dc.Status != "" {
			// Ended after its messages: an ended conversation takes none.
			c.Status = dc.Status
			if err := s.UpsertConversation(ctx, c); err != nil {
				return false, fmt.Errorf("seed demo: %w", err)
			}
		}
	}
	if err := s.SetMeta(ctx, seededKey, now.UTC().Format(time.RFC3339)); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	return true, nil
}

package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tandem/internal/demo"
	"tandem/internal/kb"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

var _ demo.Store = (*store.Store)(nil)

func TestSeedOnce(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	seeded, err := demo.SeedOnce(ctx, s, time.Now())
	if err != nil || !seeded {
		t.Fatalf("first SeedOnce = %v, %v; want seeded", seeded, err)
	}
	convs, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]int{}
	for _, c := range convs {
		if c.Status == tandem.ConversationOpen {
			langs[c.CustomerLang] = c.MessageCount
		}
	}
	if len(convs) != 4 || langs["en"] < 2 || langs["zh-CN"] < 2 {
		t.Fatalf("demo conversations %+v, want an open English and Chinese one with messages, and two resolved", convs)
	}
	// Each open conversation has a resolved one like it to show under "solved before".
	for _, c := range convs {
		if c.Status != tandem.ConversationOpen {
			continue
		}
		msgs, err := s.Messages(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		past, err := kb.SimilarConversations(ctx, s, c.ID, msgs, 3)
		if err != nil || len(past) == 0 || past[0].Conversation.CustomerLang != c.CustomerLang || past[0].Resolution == "" {
			t.Fatalf("solved before for %q: %+v, %v", c.Title, past, err)
		}
	}
	for _, q := range []string{"parcel delayed", "延误"} {
		got, err := s.SearchArticles(ctx, q, 5)
		if err != nil || len(got) == 0 {
			t.Fatalf("demo KB has no match for %q: %v", q, err)
		}
	}

	// Deleted or edited demo data must not come back on the next start.
	if err := s.DeleteArticle(ctx, "demo/tracking"); err != nil {
		t.Fatal(err)
	}
	if seeded, err := demo.SeedOnce(ctx, s, time.Now()); err != nil || seeded {
		t.Fatalf("second SeedOnce = %v, %v; want no seeding", seeded, err)
	}
	arts, err := s.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.Key == "demo/tracking" {
			t.Fatal("a deleted demo article came back")
		}
	}
}

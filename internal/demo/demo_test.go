package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tandem/internal/demo"
	"tandem/internal/store"
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
		langs[c.CustomerLang] = c.MessageCount
	}
	if len(convs) != 2 || langs["en"] < 2 || langs["zh-CN"] < 2 {
		t.Fatalf("demo conversations %+v, want an English and a Chinese one with messages", convs)
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

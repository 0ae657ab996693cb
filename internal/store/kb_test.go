package store_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"tandem/internal/store"
	"tandem/internal/tandem"
)

func keys(list []tandem.Article) []string {
	out := []string{}
	for _, a := range list {
		out = append(out, a.Key)
	}
	return out
}

// FTS5 must be compiled in, and the external-content index must follow
// inserts, updates and deletes through its triggers.
func TestArticleSearch(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, a := range []tandem.Article{
		{Key: "refunds", Title: "Refund policy", Body: "We refund returned items within 14 days of receipt.", Tags: "refund returns"},
		{Key: "shipping", Title: "Shipping times", Body: "Parcels are delivered in 3-5 working days. Delayed parcels can be traced.", Tags: "delivery"},
		{Key: "sizes", Title: "Size guide", Body: "Our shoes run small; order one size up.", Tags: "shoes"},
	} {
		if err := s.UpsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		query string
		want  []string
	}{
		{"refunded", []string{"refunds"}},                    // porter stemming
		{"my parcel is delayed!", []string{"shipping"}},      // stemming, punctuation ignored
		{`"shoes" AND -size: (NEAR`, []string{"sizes"}},      // query syntax is taken as words
		{"delivery refund", []string{"refunds", "shipping"}}, // either word; each matches one
		{"   ", []string{}},
		{"warranty", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := s.SearchArticles(ctx, tt.query, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !sameSet(keys(got), tt.want) {
				t.Fatalf("SearchArticles(%q) = %v, want %v", tt.query, keys(got), tt.want)
			}
		})
	}

	// Update: the old words leave the index, the new ones enter it.
	if err := s.UpsertArticle(ctx, &tandem.Article{Key: "sizes", Title: "Size guide", Body: "Boots fit true to size."}); err != nil {
		t.Fatal(err)
	}
	assertSearch(t, s, "shoes", nil)
	assertSearch(t, s, "boots", []string{"sizes"})

	// Delete: gone from the index too.
	if err := s.DeleteArticle(ctx, "sizes"); err != nil {
		t.Fatal(err)
	}
	assertSearch(t, s, "boots", nil)
	if err := s.DeleteArticle(ctx, "sizes"); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Fatalf("deleting twice = %v, want not found", err)
	}
	if ok, err := s.FTSIntegrityCheck(ctx); err != nil || !ok {
		t.Fatalf("FTS index out of step with kb_articles: %v", err)
	}
}

func assertSearch(t *testing.T, s *store.Store, q string, want []string) {
	t.Helper()
	got, err := s.SearchArticles(context.Background(), q, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !sameSet(keys(got), want) {
		t.Fatalf("SearchArticles(%q) = %v, want %v", q, keys(got), want)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		if seen[x]--; seen[x] < 0 {
			return false
		}
	}
	return true
}

func TestSyncArticles(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	other := tandem.Article{Key: "demo/x", Title: "Demo", Body: "demo text", Source: "demo"}
	if err := s.UpsertArticle(ctx, &other); err != nil {
		t.Fatal(err)
	}
	art := func(key, body string) tandem.Article {
		return tandem.Article{Key: key, Title: key, Body: body, Hash: "h:" + body}
	}
	steps := []struct {
		name string
		arts []tandem.Article
		want store.SyncReport
	}{
		{"first import", []tandem.Article{art("a", "alpha"), art("b", "bravo"), art("c", "charlie")},
			store.SyncReport{Added: []string{"a", "b", "c"}, Updated: []string{}, Removed: []string{}}},
		{"nothing changed", []tandem.Article{art("a", "alpha"), art("b", "bravo"), art("c", "charlie")},
			store.SyncReport{Added: []string{}, Updated: []string{}, Unchanged: 3, Removed: []string{}}},
		{"edit, add, remove", []tandem.Article{art("a", "alpha"), art("b", "bravissimo"), art("d", "delta")},
			store.SyncReport{Added: []string{"d"}, Updated: []string{"b"}, Unchanged: 1, Removed: []string{"c"}}},
	}
	for _, st := range steps {
		var calls int
		got, err := s.SyncArticles(ctx, "/kb", st.arts, func(done, total int) { calls++ })
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(st.want) {
			t.Fatalf("%s: report %+v, want %+v", st.name, got, st.want)
		}
		if calls == 0 {
			t.Fatalf("%s: no progress reported", st.name)
		}
	}
	assertSearch(t, s, "bravissimo", []string{"b"})
	assertSearch(t, s, "charlie", nil)
	assertSearch(t, s, "demo", []string{"demo/x"}) // another source's article stays
	if ok, err := s.FTSIntegrityCheck(ctx); err != nil || !ok {
		t.Fatalf("FTS index out of step: %v", err)
	}
}

// The passage index's statistics and document frequencies must follow every
// write: kb_stats by trigger, TermDocs's cache by generation.
func TestPassageIndexFollowsWrites(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	article := func(key, titleTerms string, passages ...string) tandem.Article {
		a := tandem.Article{Key: key, Title: key}
		for _, p := range passages {
			a.Passages = append(a.Passages, tandem.Passage{Text: p, TitleTerms: titleTerms, Terms: p})
		}
		return a
	}
	type want struct {
		passages int
		avg      float64
		docs     map[string]int
		with     map[string][]string // term -> passage texts holding it
	}
	steps := []struct {
		name string
		do   func() error
		want want
	}{
		{"empty", func() error { return nil },
			want{0, 0, map[string]int{}, map[string][]string{"parcel": nil}}},
		{"two articles", func() error {
			for _, a := range []tandem.Article{
				article("a", "parcel late", "parcel late again", "refund please"),
				article("b", "", "parcel lost"),
			} {
				if err := s.UpsertArticle(ctx, &a); err != nil {
					return err
				}
			}
			return nil
		}, want{3, 11.0 / 3, map[string]int{"parcel": 3, "late": 2, "refund": 1}, map[string][]string{
			"parcel": {"parcel late again", "refund please", "parcel lost"}, "refund": {"refund please"}, "zeppelin": nil}}},
		{"replace one", func() error {
			a := article("a", "", "refund please")
			return s.UpsertArticle(ctx, &a)
		}, want{2, 2, map[string]int{"parcel": 1, "refund": 1}, map[string][]string{"parcel": {"parcel lost"}}}},
		{"delete one", func() error { return s.DeleteArticle(ctx, "b") },
			want{1, 2, map[string]int{"refund": 1}, map[string][]string{"parcel": nil, "refund": {"refund please"}}}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		stats, err := s.IndexStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Passages != st.want.passages || math.Abs(stats.AvgTerms-st.want.avg) > 1e-9 {
			t.Errorf("%s: stats %+v, want %d passages of %.2f terms", st.name, stats, st.want.passages, st.want.avg)
		}
		// Twice: the second answer comes from the cache and must agree.
		for range 2 {
			docs, total, err := s.TermDocs(ctx, []string{"parcel", "late", "refund", "zeppelin"})
			if err != nil {
				t.Fatal(err)
			}
			if total != st.want.passages || !maps.Equal(docs, st.want.docs) {
				t.Errorf("%s: TermDocs = %v, %d; want %v, %d", st.name, docs, total, st.want.docs, st.want.passages)
			}
		}
		terms := slices.Sorted(maps.Keys(st.want.with))
		lists, err := s.PassagesWith(ctx, terms) // a bare word is an FTS5 query too
		if err != nil {
			t.Fatal(err)
		}
		for i, term := range terms {
			got := []string{}
			found, err := s.Passages(ctx, lists[i])
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range found {
				got = append(got, p.Terms)
			}
			want := append([]string{}, st.want.with[term]...)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: passages with %q = %q, want %q", st.name, term, got, want)
			}
		}
	}
}

// A large import lists the common terms (so that searches need not count
// them); smaller changes keep the list until the knowledge base has moved
// too far from it, and TermDocs stays right throughout.
func TestCommonTerms(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	arts := func(n int) []tandem.Article {
		out := make([]tandem.Article, n)
		for i := range out {
			text := "parcel"
			if i == 0 {
				text = "parcel zeppelin"
			}
			out[i] = tandem.Article{Key: fmt.Sprint(i), Title: "t", Hash: fmt.Sprint(i),
				Passages: []tandem.Passage{{Text: text, Terms: text}}}
		}
		return out
	}
	steps := []struct {
		name        string
		do          func() error
		wantCommon  map[string]int
		wantTrusted bool
		wantDocs    map[string]int
	}{
		{"import of 60", func() error { _, err := s.SyncArticles(ctx, "src", arts(60), nil); return err },
			map[string]int{"parcel": 60}, true, map[string]int{"parcel": 60, "zeppelin": 1}},
		{"one more: list kept", func() error { _, err := s.SyncArticles(ctx, "src", arts(61), nil); return err },
			map[string]int{"parcel": 60}, true, map[string]int{"parcel": 60, "zeppelin": 1}},
		{"ten more one by one: list no longer trusted", func() error {
			for i := range 10 {
				a := tandem.Article{Key: fmt.Sprint("x", i), Title: "t", Passages: []tandem.Passage{{Text: "parcel", Terms: "parcel"}}}
				if err := s.UpsertArticle(ctx, &a); err != nil {
					return err
				}
			}
			return nil
		}, map[string]int{"parcel": 60}, false, map[string]int{"parcel": 71, "zeppelin": 1}},
		{"down to 55: list made again", func() error { _, err := s.SyncArticles(ctx, "src", arts(45), nil); return err },
			map[string]int{"parcel": 55}, true, map[string]int{"parcel": 55, "zeppelin": 1}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		common, trusted, err := s.CommonTerms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(common, st.wantCommon) || trusted != st.wantTrusted {
			t.Errorf("%s: common terms %v (trusted %v), want %v (%v)", st.name, common, trusted, st.wantCommon, st.wantTrusted)
		}
		docs, _, err := s.TermDocs(ctx, []string{"parcel", "zeppelin"})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(docs, st.wantDocs) {
			t.Errorf("%s: TermDocs = %v, want %v", st.name, docs, st.wantDocs)
		}
	}
}

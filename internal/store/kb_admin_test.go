package store_test

import (
	"context"
	"errors"
	"testing"

	"tandem/internal/store"
	"tandem/internal/tandem"
)

func TestArticleList(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, a := range []tandem.Article{
		{Key: "refunds", Title: "Refund policy", Body: "We refund returned items within 14 days.", Tags: "returns"},
		{Key: "shipping", Title: "Shipping times", Body: "Parcels arrive in 3-5 days.", Lang: "en"},
		{Key: "zh/退货", Title: "退货政策", Body: "收到商品七天内可以退货。", Lang: "zh-CN"},
		{Key: "100%_cotton", Title: "Fabric care", Body: "Wash cold."},
	} {
		if err := s.UpsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		query string
		limit int
		want  []string
		total int
	}{
		{"", 10, []string{"100%_cotton", "refunds", "shipping", "zh/退货"}, 4}, // by title
		{"", 2, []string{"100%_cotton", "refunds"}, 4},                       // limited, total still counts all
		{"refunded", 10, []string{"refunds"}, 1},                             // full text, stemmed
		{"退货", 10, []string{"zh/退货"}, 1},                                     // Chinese inside a title
		{"parcels", 10, []string{"shipping"}, 1},                             // body words
		{"100%", 10, []string{"100%_cotton"}, 1},                             // LIKE wildcards taken as text
		{"ship", 10, []string{"shipping"}, 1},                                // part of a title
		{"nothing-like-it", 10, []string{}, 0},
	}
	for _, tt := range tests {
		got, total, err := s.ArticleList(ctx, tt.query, tt.limit)
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		if k := keys(got); !equal(k, tt.want) || total != tt.total {
			t.Errorf("ArticleList(%q, %d) = %v, %d; want %v, %d", tt.query, tt.limit, k, total, tt.want, tt.total)
		}
		for _, a := range got {
			if a.Body != "" {
				t.Errorf("%q: the list carries the body of %s", tt.query, a.Key)
			}
		}
	}

	srcs, err := s.ArticleSources(ctx)
	if err != nil || len(srcs) != 1 || srcs[0] != (store.ArticleSource{Path: "", Articles: 4}) {
		t.Fatalf("ArticleSources = %+v, %v", srcs, err)
	}

	a, err := s.Article(ctx, "zh/退货")
	if err != nil || a.Body != "收到商品七天内可以退货。" || a.Lang != "zh-CN" {
		t.Fatalf("Article = %+v, %v", a, err)
	}
	var terr *tandem.Error
	if _, err := s.Article(ctx, "gone"); !errors.As(err, &terr) || terr.Code != tandem.ENOTFOUND {
		t.Fatalf("Article(gone) error = %v, want not found", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWatchedFolders(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	steps := []struct {
		path string
		on   bool
		want []string
	}{
		{"/kb/b", true, []string{"/kb/b"}},
		{"/kb/a", true, []string{"/kb/a", "/kb/b"}},
		{"/kb/a", true, []string{"/kb/a", "/kb/b"}}, // twice is once
		{"/kb/b", false, []string{"/kb/a"}},
		{"/kb/b", false, []string{"/kb/a"}}, // not watched: no error
	}
	for i, st := range steps {
		if err := s.SetWatched(ctx, st.path, st.on); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		got, err := s.WatchedFolders(ctx)
		if err != nil || !equal(got, st.want) {
			t.Fatalf("step %d: WatchedFolders = %v, %v; want %v", i, got, err, st.want)
		}
	}
	if err := s.SetWatched(ctx, " ", true); err == nil {
		t.Fatal("an empty path was accepted")
	}
}

package kb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"

	"tandem/internal/store"
	"tandem/internal/tandem"
)

// Store is what an import needs of the database.
type Store interface {
	SyncArticles(ctx context.Context, source string, arts []tandem.Article, progress func(done, total int)) (store.SyncReport, error)
}

// Report says what an import did.
type Report struct {
	Source string `json:"source"`
	store.SyncReport
	Skipped []Skipped `json:"skipped"`
}

// Import reads path and makes the knowledge base's articles from it match:
// new and changed ones are (re)indexed, unchanged ones are left alone and
// ones no longer there are removed. Articles from other sources stay.
func Import(ctx context.Context, st Store, path string, progress func(done, total int)) (Report, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Report{}, fmt.Errorf("import %s: %w", path, err)
	}
	docs, skipped, err := Read(ctx, abs)
	rep := Report{Source: abs, Skipped: skipped}
	if rep.Skipped == nil {
		rep.Skipped = []Skipped{}
	}
	if err != nil {
		return rep, err
	}
	arts := make([]tandem.Article, len(docs))
	for i, d := range docs {
		arts[i] = d.Article()
		arts[i].Hash = hash(d)
		Prepare(&arts[i])
	}
	rep.SyncReport, err = st.SyncArticles(ctx, abs, arts, progress)
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", path, err)
	}
	return rep, nil
}

// indexVersion changes when passages or terms are made differently, so that
// a re-import re-indexes every article.
const indexVersion = "passages-1 terms-bigram-1"

func hash(d Doc) string {
	h := sha256.New()
	fmt.Fprint(h, indexVersion)
	for _, f := range []string{d.Key, d.Title, d.Body, d.Tags, d.Lang, d.URL} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

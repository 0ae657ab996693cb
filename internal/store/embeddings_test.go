package store_test

import (
	"context"
	"math"
	"testing"

	"tandem/internal/tandem"
)

func TestEmbeddings(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	art := func(key, body string) *tandem.Article {
		return &tandem.Article{Key: key, Title: key, Body: body,
			Passages: []tandem.Passage{{Text: body, Terms: body}, {Text: body + " 2", Terms: body}}}
	}
	for _, a := range []*tandem.Article{art("a", "alpha"), art("b", "beta")} {
		if err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	todo, total, err := s.PassagesWithoutEmbedding(ctx, "m", 3)
	if err != nil || len(todo) != 3 || total != 4 || todo[0].Title != "a" || todo[0].Text != "alpha" {
		t.Fatalf("to embed: %+v of %d, %v", todo, total, err)
	}
	gen0, _ := s.EmbeddingsGeneration(ctx)
	ids := []int64{todo[0].ID, todo[1].ID, todo[2].ID}
	if err := s.SaveEmbeddings(ctx, "m", ids, [][]float32{{3, 4}, {0, 2}, {1, 0}}); err != nil {
		t.Fatal(err)
	}
	gen, gotIDs, vecs, err := s.Embeddings(ctx, "m")
	if err != nil || len(gotIDs) != 3 || gen == gen0 {
		t.Fatalf("embeddings: %v %v gen %d→%d", gotIDs, err, gen0, gen)
	}
	// Stored at unit length.
	if v := vecs[0]; math.Abs(float64(v[0])-0.6) > 1e-6 || math.Abs(float64(v[1])-0.8) > 1e-6 {
		t.Fatalf("vector %v, want [0.6 0.8]", v)
	}
	if _, total, _ := s.PassagesWithoutEmbedding(ctx, "m", 10); total != 1 {
		t.Fatalf("%d left to embed, want 1", total)
	}
	if _, total, _ := s.PassagesWithoutEmbedding(ctx, "other", 10); total != 4 {
		t.Fatalf("%d left for another model, want 4", total)
	}

	// Re-importing an article replaces its passages, and their embeddings go with them.
	if err := s.UpsertArticle(ctx, art("a", "alpha changed")); err != nil {
		t.Fatal(err)
	}
	gen2, gotIDs, _, _ := s.Embeddings(ctx, "m")
	if len(gotIDs) != 1 || gen2 == gen {
		t.Fatalf("after re-import: %v, gen %d→%d", gotIDs, gen, gen2)
	}
	hits, err := s.PassageHits(ctx, []int64{gotIDs[0], 9999})
	if err != nil || len(hits) != 1 || hits[gotIDs[0]].Article.Key != "b" || hits[gotIDs[0]].Passage != "beta" {
		t.Fatalf("passage hits %+v, %v", hits, err)
	}
	// A passage gone meanwhile is skipped, not an error.
	if err := s.SaveEmbeddings(ctx, "m", []int64{ids[0]}, [][]float32{{1, 1}}); err != nil {
		t.Fatal(err)
	}
	if _, gotIDs, _, _ = s.Embeddings(ctx, "m"); len(gotIDs) != 1 {
		t.Fatalf("an embedding for a deleted passage was stored: %v", gotIDs)
	}
}

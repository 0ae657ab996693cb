package app

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"tandem/internal/demo"
	"tandem/internal/ollamatest"
	"tandem/internal/tandem"
)

// The demo knowledge base is embedded in the background by a real Ollama
// server once an embedding model is set, and fused search then uses it.
func TestEmbedRunnerAndFusedKnowledge(t *testing.T) {
	srv := ollamatest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := testStore(t)
	if _, err := demo.SeedOnce(ctx, st, time.Now()); err != nil {
		t.Fatal(err)
	}
	set := tandem.DefaultSettings(func(string) string { return "" })
	set.OllamaHost = srv.Host

	rec := &recorder{}
	runner := NewEmbedRunner(st, rec, slog.New(slog.NewTextHandler(io.Discard, nil)))
	knowledge := NewKnowledgeService(ctx, st)
	go runner.Run(ctx)
	runner.Apply(set) // no embedding model: nothing happens
	knowledge.Apply(set)

	convs, err := st.Conversations(ctx)
	if err != nil || len(convs) == 0 {
		t.Fatalf("demo conversations: %v", err)
	}
	id := convs[0].ID
	lexical, err := knowledge.ForConversation(id, true)
	if err != nil || len(lexical.Hits) == 0 || lexical.SemanticError != "" {
		t.Fatalf("lexical: %+v, %v", lexical, err)
	}

	set.EmbedModel = ollamatest.Model
	runner.Apply(set)
	knowledge.Apply(set)
	var last EmbedProgress
	deadline := time.Now().Add(30 * time.Second)
	for !last.Over && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		rec.mu.Lock()
		for _, e := range rec.events {
			if e.name == EventKBEmbedding {
				last = e.data.(EmbedProgress)
			}
		}
		rec.mu.Unlock()
	}
	if !last.Over || last.Error != "" || last.Done == 0 || last.Done != last.Total {
		t.Fatalf("embedding ended as %+v", last)
	}
	fused, err := knowledge.ForConversation(id, true)
	if err != nil || fused.SemanticError != "" || len(fused.Hits) == 0 {
		t.Fatalf("fused: %+v, %v", fused, err)
	}
	meaning := slices.ContainsFunc(fused.Hits, func(h tandem.KnowledgeHit) bool { return slices.Contains(h.Via, tandem.ViaMeaning) })
	if !meaning {
		t.Fatalf("no hit by meaning: %+v", fused.Hits)
	}
	// Asked for words alone, the answer does not wait for the model.
	words, err := knowledge.ForConversation(id, false)
	if err != nil || slices.ContainsFunc(words.Hits, func(h tandem.KnowledgeHit) bool { return slices.Contains(h.Via, tandem.ViaMeaning) }) {
		t.Fatalf("words alone: %+v, %v", words, err)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"tandem/internal/ollamatest"
)

// bench suggest against the real server: every turn after a conversation's
// first shares most of its prompt with the turn before.
func TestBenchSuggest(t *testing.T) {
	srv := ollamatest.Start(t)
	convs := filepath.Join(t.TempDir(), "c.jsonl")
	err := os.WriteFile(convs, []byte(`{"id": "a", "lang": "en", "messages": [{"role": "customer", "text": "Where is my parcel?"}, {"role": "agent", "text": "Which order?"}, {"role": "customer", "text": "Order 100482."}, {"role": "agent", "text": "Found it."}, {"role": "customer", "text": "When will it come?"}]}`+"\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"bench", "suggest", "--ollama", srv.Host, "--model", ollamatest.Model,
		"--conversations", convs, "--max-tokens", "24", "--json"}, &out); err != nil {
		t.Fatal(err)
	}
	var res suggestBench
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	_ = json.Unmarshal(out.Bytes(), &keys)
	for _, k := range []string{"turns", "prompt_chars", "prompt_chars_new", "p95_request_ms", "p95_cancel_ms"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	if res.Turns != 3 || len(res.PerTurn) != 3 {
		t.Fatalf("%d turns, want 3", res.Turns)
	}
	for _, tb := range res.PerTurn[1:] {
		if tb.PromptCharsNew*2 > tb.PromptChars || tb.Status != "done" {
			t.Errorf("turn %d: %d of %d characters new (%s)", tb.Turn, tb.PromptCharsNew, tb.PromptChars, tb.Status)
		}
	}
	if res.PerTurn[0].PromptCharsNew != res.PerTurn[0].PromptChars {
		t.Errorf("the first turn shares nothing, yet %d of %d are new", res.PerTurn[0].PromptCharsNew, res.PerTurn[0].PromptChars)
	}
	if err := run(context.Background(), []string{"bench", "suggest"}, &out); err == nil {
		t.Error("bench suggest without --model must be refused")
	}
}

package transcript

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

// checkingSink fails the test on any message that should never get through.
type checkingSink struct {
	t *testing.T
	*fakeSink
}

func (c checkingSink) Message(ctx context.Context, in ingest.MessageInput) (ingest.Result, error) {
	if !utf8.ValidString(in.Text) || strings.TrimSpace(in.Text) == "" || !in.Role.Valid() || in.ConversationID == "" {
		c.t.Fatalf("bad message delivered: %+v", in)
	}
	return c.fakeSink.Message(ctx, in)
}

func fuzzImport(t *testing.T, data []byte, name string) (Report, error) {
	return Import(context.Background(), checkingSink{t, newFakeSink()}, bytes.NewReader(data), int64(len(data)), name, Options{})
}

// Seeds for all four live in testdata/fuzz/<name>/.

func FuzzJSONL(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := fuzzImport(t, data, "f.jsonl")
		if err != nil && !strings.Contains(err.Error(), "token too long") {
			t.Fatalf("JSONL import stopped: %v", err)
		}
		// Every non-blank line is accounted for: stored, a repeat, or skipped with a reason.
		lines := 0
		for _, l := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines++
			}
		}
		if err == nil && rep.Messages+rep.Duplicates+len(rep.Skipped) != lines {
			t.Fatalf("%d lines, but %d stored + %d repeats + %d skipped", lines, rep.Messages, rep.Duplicates, len(rep.Skipped))
		}
	})
}

func FuzzJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := fuzzImport(t, data, "f.json"); err != nil && tandem.ErrorCode(err) != tandem.EINVALID {
			t.Fatalf("JSON import failed without saying what to fix: %v", err)
		}
	})
}

func FuzzCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := fuzzImport(t, data, "f.csv"); err != nil && tandem.ErrorCode(err) != tandem.EINVALID {
			t.Fatalf("CSV import failed without saying what to fix: %v", err)
		}
	})
}

func FuzzText(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := fuzzImport(t, data, "f.txt"); err != nil && !strings.Contains(err.Error(), "token too long") {
			t.Fatalf("text import stopped: %v", err)
		}
	})
}

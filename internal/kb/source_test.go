package kb

import (
	"context"
	"path/filepath"
	"testing"

	"tandem/internal/golden"
)

func TestReadFolder(t *testing.T) {
	docs, skipped, err := Read(context.Background(), filepath.Join("testdata", "shop"))
	if err != nil {
		t.Fatal(err)
	}
	golden.CheckJSON(t, filepath.Join("testdata", "shop.golden.json"), map[string]any{"docs": docs, "skipped": skipped})
}

func TestReadSingleFile(t *testing.T) {
	docs, skipped, err := Read(context.Background(), filepath.Join("testdata", "shop", "more.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Key != "j-1" || docs[1].Key != "2" || len(skipped) != 3 {
		t.Fatalf("docs %+v skipped %+v", docs, skipped)
	}
	if _, _, err := Read(context.Background(), filepath.Join("testdata", "missing")); err == nil {
		t.Fatal("reading a missing path did not fail")
	}
}

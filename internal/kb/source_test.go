package kb

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares v, as indented JSON, with testdata/name.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(path, append(got, '\n'), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(got)+"\n" {
		t.Fatalf("%s differs (go test -update to accept):\n%s", path, got)
	}
}

func TestReadFolder(t *testing.T) {
	docs, skipped, err := Read(context.Background(), filepath.Join("testdata", "shop"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "shop.golden.json", map[string]any{"docs": docs, "skipped": skipped})
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

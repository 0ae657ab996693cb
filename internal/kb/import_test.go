package kb

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"tandem/internal/store"
)

var _ Store = (*store.Store)(nil)

func TestImportIncremental(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "# Alpha\nfirst")
	write("b.txt", "bravo")
	write("c.csv", "id,title,body\nc1,Charlie,charlie text\n")

	rep, err := Import(ctx, st, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 3 || len(rep.Skipped) != 0 {
		t.Fatalf("first import %+v", rep)
	}

	write("a.md", "# Alpha\nfirst, edited")
	os.Remove(filepath.Join(dir, "b.txt"))
	write("bad.jsonl", "{oops\n")
	rep, err = Import(ctx, st, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 0 || len(rep.Updated) != 1 || rep.Updated[0] != "a.md" || rep.Unchanged != 1 ||
		len(rep.Removed) != 1 || rep.Removed[0] != "b.txt" || len(rep.Skipped) != 1 {
		t.Fatalf("second import %+v", rep)
	}
}

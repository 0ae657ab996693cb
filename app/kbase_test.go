package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tandem/internal/store"
)

type fakeFolders struct{ dir, file string }

func (f fakeFolders) OpenFile(string, string) (string, error) { return f.file, nil }
func (f fakeFolders) OpenDirectory(string) (string, error)    { return f.dir, nil }

var (
	_ FolderChooser = fakeFolders{}
	_ KBStore       = (*store.Store)(nil)
)

func (r *recorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.name == name {
			n++
		}
	}
	return n
}

// eventually waits up to 10 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestKBService(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "t.db")
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "returns.md"), "# Returns\nWithin 14 days of receipt.")
	writeFile(t, filepath.Join(dir, "退货.md"), "# 退货政策\n七天无理由退货。")
	writeFile(t, filepath.Join(dir, "bad.jsonl"), "{oops\n")
	rec := &recorder{}
	svc := NewKBService(ctx, st, fakeFolders{dir: dir}, rec, 50*time.Millisecond)
	defer StopWatches(svc)

	chosen, err := svc.ChooseFolder()
	if err != nil || chosen != dir {
		t.Fatalf("ChooseFolder() = %q, %v", chosen, err)
	}
	rep, err := svc.Import(chosen, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 2 || len(rep.Skipped) != 1 || rep.Skipped[0].Where != "bad.jsonl:1" {
		t.Fatalf("report %+v", rep)
	}
	if rec.count(EventKBProgress) == 0 || rec.count(EventKBChanged) == 0 {
		t.Fatalf("events %+v", rec.events)
	}

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"returns.md", "退货.md"}},
		{"receipt", []string{"returns.md"}},
		{"退货", []string{"退货.md"}},
		{"nothing", []string{}},
	}
	for _, tt := range tests {
		page, err := svc.List(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, a := range page.Articles {
			got = append(got, a.Key)
		}
		if !slices.Equal(got, tt.want) || page.Total != len(tt.want) {
			t.Errorf("List(%q) = %v (%d), want %v", tt.query, got, page.Total, tt.want)
		}
	}
	a, err := svc.Article("returns.md")
	if err != nil || !strings.Contains(a.Body, "Within 14 days of receipt.") {
		t.Fatalf("Article = %+v, %v", a, err)
	}

	srcs, err := svc.Sources()
	if err != nil || len(srcs) != 1 || srcs[0].Path != dir || srcs[0].Articles != 2 || !srcs[0].Watched {
		t.Fatalf("Sources = %+v, %v", srcs, err)
	}

	// Watched: a new file is followed, and its report shows in Sources.
	writeFile(t, filepath.Join(dir, "shipping.md"), "# Shipping\n3-5 days.")
	eventually(t, "the new file's re-import", func() bool {
		s, _ := svc.Sources()
		return len(s) == 1 && s[0].Last != nil && slices.Equal(s[0].Last.Added, []string{"shipping.md"})
	})
	if rec.count(EventKBWatched) == 0 {
		t.Fatal("no kb:watched event")
	}

	// Deleting an article; a missing one is an error.
	if err := svc.Delete("shipping.md"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete("shipping.md"); err == nil {
		t.Fatal("deleting a missing article was no error")
	}

	// Stopping the watch: changes are no longer followed, and it stays off.
	if err := svc.SetWatch(dir, false); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "late.md"), "# Late\nnot followed")
	time.Sleep(300 * time.Millisecond)
	if _, err := svc.Article("late.md"); err == nil {
		t.Fatal("an unwatched folder was re-imported")
	}
	if err := svc.SetWatch("demo", true); err == nil {
		t.Fatal("the demo source was accepted as a folder to watch")
	}

	// Watched again, then a new service (the next start) resumes it and
	// catches up with what changed meanwhile.
	if err := svc.SetWatch(dir, true); err != nil {
		t.Fatal(err)
	}
	StopWatches(svc)
	writeFile(t, filepath.Join(dir, "while-closed.md"), "# While closed\nadded while Tandem was closed")
	next := NewKBService(ctx, st, fakeFolders{}, &recorder{}, 50*time.Millisecond)
	defer StopWatches(next)
	if err := ResumeWatches(next); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the resumed watch's import", func() bool {
		_, err := next.Article("while-closed.md")
		return err == nil
	})
}

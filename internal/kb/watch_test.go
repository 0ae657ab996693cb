package kb

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

// watchRun is a Watcher running in the background on a real store, with its
// reports on a channel.
type watchRun struct {
	st      *store.Store
	reports chan Report
	errs    chan error
	done    chan error
}

func startWatch(t *testing.T, path string) *watchRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	r := &watchRun{st: st, reports: make(chan Report, 100), errs: make(chan error, 100), done: make(chan error, 1)}
	w := &Watcher{Store: st, Debounce: 50 * time.Millisecond, Report: func(rep Report, err error) {
		if err != nil {
			r.errs <- err
			return
		}
		r.reports <- rep
	}}
	go func() { r.done <- w.Watch(ctx, path) }()
	t.Cleanup(func() {
		cancel()
		if err := <-r.done; err != nil {
			t.Errorf("Watch returned %v after cancel", err)
		}
		st.Close()
	})
	return r
}

// next waits for the next report.
func (r *watchRun) next(t *testing.T) Report {
	t.Helper()
	select {
	case rep := <-r.reports:
		return rep
	case err := <-r.errs:
		t.Fatalf("watch reported an error: %v", err)
	case err := <-r.done:
		t.Fatalf("watch ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no re-import within 10 s")
	}
	return Report{}
}

func (r *watchRun) keys(t *testing.T) []string {
	t.Helper()
	list, err := r.st.Articles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, a := range list {
		ks = append(ks, a.Key)
	}
	slices.Sort(ks)
	return ks
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchFolder(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "returns.md"), "# Returns\nWithin 14 days.")
	r := startWatch(t, dir)
	if rep := r.next(t); !slices.Equal(rep.Added, []string{"returns.md"}) {
		t.Fatalf("first import: %+v", rep)
	}

	steps := []struct {
		name   string
		change func()
		check  func(Report) bool
		keys   []string
	}{
		{"a file is created",
			func() { write(t, filepath.Join(dir, "shipping.md"), "# Shipping\n3-5 days.") },
			func(r Report) bool { return slices.Equal(r.Added, []string{"shipping.md"}) && r.Unchanged == 1 },
			[]string{"returns.md", "shipping.md"}},
		{"a file changes",
			func() { write(t, filepath.Join(dir, "returns.md"), "# Returns\nWithin 30 days.") },
			func(r Report) bool { return slices.Equal(r.Updated, []string{"returns.md"}) },
			[]string{"returns.md", "shipping.md"}},
		{"a file in a new subfolder, and one in a sub-subfolder",
			func() {
				write(t, filepath.Join(dir, "zh", "退货.md"), "# 退货\n七天无理由退货。")
				write(t, filepath.Join(dir, "zh", "deep", "faq.txt"), "常见问题")
			},
			func(r Report) bool { return len(r.Added) == 2 },
			[]string{"returns.md", "shipping.md", "zh/deep/faq.txt", "zh/退货.md"}},
		{"a file changes in the new subfolder, which is watched now",
			func() { write(t, filepath.Join(dir, "zh", "deep", "faq.txt"), "常见问题（更新）") },
			func(r Report) bool { return slices.Equal(r.Updated, []string{"zh/deep/faq.txt"}) },
			[]string{"returns.md", "shipping.md", "zh/deep/faq.txt", "zh/退货.md"}},
		{"a file is deleted",
			func() { os.Remove(filepath.Join(dir, "shipping.md")) },
			func(r Report) bool { return slices.Equal(r.Removed, []string{"shipping.md"}) },
			[]string{"returns.md", "zh/deep/faq.txt", "zh/退货.md"}},
		{"a subfolder is deleted",
			func() { os.RemoveAll(filepath.Join(dir, "zh")) },
			func(r Report) bool { return len(r.Removed) == 2 },
			[]string{"returns.md"}},
		{"a burst of writes makes one import",
			func() {
				for i := range 5 {
					write(t, filepath.Join(dir, "burst.md"), "# Burst\nversion "+strings.Repeat("!", i))
				}
			},
			func(r Report) bool { return slices.Equal(r.Added, []string{"burst.md"}) },
			[]string{"burst.md", "returns.md"}},
	}
	for _, st := range steps {
		st.change()
		if rep := r.next(t); !st.check(rep) {
			t.Fatalf("%s: report %+v", st.name, rep)
		}
		if got := r.keys(t); !slices.Equal(got, st.keys) {
			t.Fatalf("%s: knowledge base has %v, want %v", st.name, got, st.keys)
		}
	}

	// Files an import does not read, and permission changes, start none.
	write(t, filepath.Join(dir, ".returns.md.swp"), "x")
	write(t, filepath.Join(dir, "tandem.db-wal"), "x")
	os.Chmod(filepath.Join(dir, "returns.md"), 0o600)
	select {
	case rep := <-r.reports:
		t.Fatalf("re-imported after an unrelated change: %+v", rep)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestWatchFile(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "faq.csv")
	write(t, csv, "id,title,body\nq1,Where is my parcel?,Track it here.\n")
	r := startWatch(t, csv)
	if rep := r.next(t); !slices.Equal(rep.Added, []string{"q1"}) {
		t.Fatalf("first import: %+v", rep)
	}
	write(t, filepath.Join(dir, "other.md"), "# Other\nnot watched") // beside it: no import
	// Saved the way editors do: a new file renamed over the old one.
	write(t, csv+".tmp", "id,title,body\nq1,Where is my parcel?,Track it here.\nq2,Refunds,Within 14 days.\n")
	if err := os.Rename(csv+".tmp", csv); err != nil {
		t.Fatal(err)
	}
	if rep := r.next(t); !slices.Equal(rep.Added, []string{"q2"}) || rep.Unchanged != 1 {
		t.Fatalf("after saving: %+v", rep)
	}
	if got := r.keys(t); !slices.Equal(got, []string{"q1", "q2"}) {
		t.Fatalf("knowledge base has %v", got)
	}
}

func TestWatchMissing(t *testing.T) {
	w := &Watcher{Store: nil}
	if err := w.Watch(context.Background(), filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("watching a missing folder was no error")
	}
}

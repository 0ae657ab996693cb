package kb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher keeps the knowledge base in step with a folder (or one file):
// it imports it, then imports it again whenever something in it or in any
// folder below it changes, once the changes have been quiet for Debounce.
// Each import is incremental, so a re-import costs only what changed.
type Watcher struct {
	Store Store
	// Debounce is how long changes must stop before the re-import, so that
	// copying in a hundred files makes one import; 0 means one second.
	Debounce time.Duration
	// Progress, if set, is called as an import writes, as for Import.
	Progress func(done, total int)
	// Report, if set, is called after every import with what it did, or
	// with the error that stopped it (the watch itself goes on).
	Report func(rep Report, err error)
}

// Watch imports path at once and after every change until ctx ends; it
// returns nil then. It returns an error only when path cannot be watched at
// all.
func (w *Watcher) Watch(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("watch %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("watch %s: %w", path, err)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", path, err)
	}
	defer fw.Close()

	// One file is watched through its folder: editors often save by
	// writing a new file and renaming it over the old one.
	dir, only := abs, ""
	if !info.IsDir() {
		dir, only = filepath.Dir(abs), abs
		err = fw.Add(dir)
	} else {
		err = addTree(fw, abs)
	}
	if err != nil {
		return fmt.Errorf("watch %s: %w", path, err)
	}

	debounce := w.Debounce
	if debounce <= 0 {
		debounce = time.Second
	}
	timer := time.NewTimer(0) // the first import, at once
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if !relevant(ev, only) {
				continue
			}
			if only == "" && ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && !hidden(ev.Name) {
					// A new folder: follow it too. Files already in it are
					// read by the import anyway.
					if err := addTree(fw, ev.Name); err != nil {
						w.report(Report{Source: abs, Skipped: []Skipped{}}, fmt.Errorf("watch %s: %w", ev.Name, err))
					}
				}
			}
			timer.Reset(debounce)
		case err, ok := <-fw.Errors:
			if !ok {
				return nil
			}
			// Most likely the kernel's event queue overflowed: events were
			// lost, so import to be sure.
			w.report(Report{Source: abs, Skipped: []Skipped{}}, fmt.Errorf("watch %s: %w", dir, err))
			timer.Reset(debounce)
		case <-timer.C:
			rep, err := Import(ctx, w.Store, abs, w.Progress)
			if ctx.Err() != nil {
				return nil
			}
			w.report(rep, err)
		}
	}
}

func (w *Watcher) report(rep Report, err error) {
	if w.Report != nil {
		w.Report(rep, err)
	}
}

// addTree watches root and every folder below it that an import reads.
func addTree(fw *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone meanwhile
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != root && hidden(p) {
			return filepath.SkipDir
		}
		return fw.Add(p)
	})
}

func hidden(p string) bool { return strings.HasPrefix(filepath.Base(p), ".") }

// relevant says whether an event can change what an import reads: a file of
// a type it reads, or a folder (created, removed or renamed). Other files,
// such as an editor's swap files or a database beside the articles, are
// left alone, and so are changes of permissions only.
func relevant(ev fsnotify.Event, only string) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	if only != "" {
		return ev.Name == only
	}
	ext := strings.ToLower(filepath.Ext(ev.Name))
	if slices.Contains(fileExts, ext) {
		return true
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// Gone, so it cannot be asked whether it was a folder; a name
		// without an extension most likely was one.
		return ext == "" && !hidden(ev.Name)
	}
	fi, err := os.Stat(ev.Name)
	return err == nil && fi.IsDir() && !hidden(ev.Name)
}

package app

import (
	"context"
	"path/filepath"
	"sync"
	"time"

	"tandem/internal/kb"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

// KBStore is what KBService needs of the database.
type KBStore interface {
	kb.Store
	ArticleList(ctx context.Context, query string, limit int) ([]tandem.Article, int, error)
	Article(ctx context.Context, key string) (tandem.Article, error)
	DeleteArticle(ctx context.Context, key string) error
	ArticleSources(ctx context.Context) ([]store.ArticleSource, error)
	WatchedFolders(ctx context.Context) ([]string, error)
	SetWatched(ctx context.Context, path string, on bool) error
}

// FolderChooser asks the agent to pick a file or a folder; "" means cancelled.
type FolderChooser interface {
	FileChooser
	OpenDirectory(title string) (string, error)
}

// ArticlePage is a page of the article list and how many articles match in all.
type ArticlePage struct {
	Articles []tandem.Article `json:"articles"`
	Total    int              `json:"total"`
}

// KBProgress is sent as EventKBProgress while articles are indexed.
type KBProgress struct {
	Path  string `json:"path"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// KBSource is where articles came from: how many, whether Tandem follows
// it, and what its last re-import while watched did.
type KBSource struct {
	Path     string     `json:"path"`
	Articles int        `json:"articles"`
	Watched  bool       `json:"watched"`
	Last     *kb.Report `json:"last"`  // nil until a watched re-import
	Error    string     `json:"error"` // of the last re-import
	At       time.Time  `json:"at"`    // of the last re-import
}

// listLimit bounds the article list; the search box narrows a larger KB.
const listLimit = 500

// KBService manages the knowledge base from the app: list, search, open,
// delete, import with progress and report, and watched folders.
type KBService struct {
	ctx      context.Context
	store    KBStore
	files    FolderChooser
	events   Emitter
	debounce time.Duration
	job      cancelSlot

	mu       sync.Mutex
	watches  map[string]*kbWatch
	onChange []func()
}

// OnKBChange calls fn after every change to the knowledge base made through
// s or by a watched folder, for work that follows it (embedding the new
// passages). A plain function, like ResumeWatches, so the window cannot call it.
func OnKBChange(s *KBService, fn func()) {
	s.mu.Lock()
	s.onChange = append(s.onChange, fn)
	s.mu.Unlock()
}

// changed tells the window and the OnChange functions.
func (s *KBService) changed() {
	s.events.Emit(EventKBChanged, nil)
	s.mu.Lock()
	fns := s.onChange
	s.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

type kbWatch struct {
	cancel context.CancelFunc
	done   chan struct{}
	last   *kb.Report
	err    string
	at     time.Time
}

// NewKBService returns the service; debounce is the watched folders' quiet
// time before a re-import (0: one second).
func NewKBService(ctx context.Context, st KBStore, files FolderChooser, events Emitter, debounce time.Duration) *KBService {
	return &KBService{ctx: ctx, store: st, files: files, events: events, debounce: debounce, watches: map[string]*kbWatch{}}
}

// List returns the articles, without their text, that match query (all for
// ""), by title.
func (s *KBService) List(query string) (ArticlePage, error) {
	list, total, err := s.store.ArticleList(s.ctx, query, listLimit)
	return ArticlePage{Articles: list, Total: total}, err
}

// Article returns one article with its full text.
func (s *KBService) Article(key string) (tandem.Article, error) {
	return s.store.Article(s.ctx, key)
}

// Delete removes one article. A re-import of its source brings it back if
// the source still has it.
func (s *KBService) Delete(key string) error {
	if err := s.store.DeleteArticle(s.ctx, key); err != nil {
		return err
	}
	s.changed()
	return nil
}

// ChooseFolder asks for a folder of articles; "" means the agent cancelled.
func (s *KBService) ChooseFolder() (string, error) {
	return s.files.OpenDirectory("Knowledge-base folder")
}

// ChooseFile asks for a file of articles; "" means the agent cancelled.
func (s *KBService) ChooseFile() (string, error) {
	return s.files.OpenFile("Knowledge-base file", "*.csv;*.jsonl;*.md;*.markdown;*.html;*.htm;*.txt")
}

// Import imports a folder or file, sending progress as it indexes, and
// returns what was added, updated, unchanged, removed and skipped and why.
// With watch, Tandem then follows the source, now and at every start.
func (s *KBService) Import(path string, watch bool) (kb.Report, error) {
	ctx, done := s.job.start(s.ctx)
	defer done()
	rep, err := kb.Import(ctx, s.store, path, func(d, total int) {
		s.events.Emit(EventKBProgress, KBProgress{Path: path, Done: d, Total: total})
	})
	s.changed()
	if err != nil {
		return rep, err
	}
	if watch {
		err = s.SetWatch(rep.Source, true)
	}
	return rep, err
}

// Cancel stops a running import; what was indexed stays.
func (s *KBService) Cancel() { s.job.stop() }

// Sources lists where the articles came from and the watched folders.
func (s *KBService) Sources() ([]KBSource, error) {
	counts, err := s.store.ArticleSources(s.ctx)
	if err != nil {
		return nil, err
	}
	watched, err := s.store.WatchedFolders(s.ctx)
	if err != nil {
		return nil, err
	}
	list := []KBSource{}
	seen := map[string]int{}
	for _, c := range counts {
		seen[c.Path] = len(list)
		list = append(list, KBSource{Path: c.Path, Articles: c.Articles})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range watched {
		i, ok := seen[p]
		if !ok { // watched, with no articles (yet)
			i = len(list)
			list = append(list, KBSource{Path: p})
		}
		list[i].Watched = true
		if w := s.watches[p]; w != nil {
			list[i].Last, list[i].Error, list[i].At = w.last, w.err, w.at
		}
	}
	return list, nil
}

// SetWatch starts or stops following a folder (or file) that was imported,
// and remembers the choice for the next start.
func (s *KBService) SetWatch(path string, on bool) error {
	if on && !filepath.IsAbs(path) {
		return tandem.Errorf(tandem.EINVALID, "only an imported folder or file can be watched, not %q", path)
	}
	if err := s.store.SetWatched(s.ctx, path, on); err != nil {
		return err
	}
	if on {
		s.startWatch(path)
	} else {
		s.stopWatch(path)
	}
	s.events.Emit(EventKBWatched, KBSource{Path: path, Watched: on})
	return nil
}

// ResumeWatches follows the watched folders again, at start: each is
// re-imported at once, catching what changed while Tandem was closed. (A
// function, not a method, so that Wails does not offer it to the window.)
func ResumeWatches(s *KBService) error { return s.resume() }

// StopWatches ends every watch and waits for them, at shutdown.
func StopWatches(s *KBService) { s.stop() }

func (s *KBService) resume() error {
	paths, err := s.store.WatchedFolders(s.ctx)
	if err != nil {
		return err
	}
	for _, p := range paths {
		s.startWatch(p)
	}
	return nil
}

func (s *KBService) stop() {
	s.mu.Lock()
	ws := s.watches
	s.watches = map[string]*kbWatch{}
	s.mu.Unlock()
	for _, w := range ws {
		w.cancel()
		<-w.done
	}
}

func (s *KBService) startWatch(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.watches[path]; ok {
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	w := &kbWatch{cancel: cancel, done: make(chan struct{})}
	s.watches[path] = w
	watcher := &kb.Watcher{Store: s.store, Debounce: s.debounce, Report: func(rep kb.Report, err error) {
		if err != nil {
			s.watched(path, w, nil, err)
		} else {
			s.watched(path, w, &rep, nil)
		}
	}}
	go func() {
		defer close(w.done)
		if err := watcher.Watch(ctx, path); err != nil {
			// The folder is gone or unreadable: say so in its row; it stays
			// watched, to be tried again at the next start.
			s.watched(path, w, nil, err)
		}
	}()
}

func (s *KBService) stopWatch(path string) {
	s.mu.Lock()
	w := s.watches[path]
	delete(s.watches, path)
	s.mu.Unlock()
	if w != nil {
		w.cancel()
		<-w.done
	}
}

// watched keeps what a watched re-import did and tells the window.
func (s *KBService) watched(path string, w *kbWatch, rep *kb.Report, err error) {
	s.mu.Lock()
	if rep != nil {
		w.last = rep
	}
	w.err, w.at = "", time.Now()
	if err != nil {
		w.err = err.Error()
	}
	src := KBSource{Path: path, Watched: true, Last: w.last, Error: w.err, At: w.at}
	s.mu.Unlock()
	s.events.Emit(EventKBWatched, src)
	if rep != nil && (len(rep.Added) > 0 || len(rep.Updated) > 0 || len(rep.Removed) > 0) {
		s.changed()
	}
}

// Package app holds the thin services that Wails binds to the frontend. Each
// one turns calls and events into work for the internal packages; none holds
// domain logic of its own.
package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Events sent to the frontend, named domain:action. frontend/src/lib/events.ts
// mirrors this list; TestEventNamesMirrored keeps the two in step.
const (
	EventStatusChanged        = "status:changed"        // health.Status
	EventSettingsChanged      = "settings:changed"      // tandem.Settings
	EventConversationsChanged = "conversations:changed" // no payload: reload the list and the open transcript
	EventClipboardChanged     = "clipboard:changed"     // bool: watch on
	EventIngestFailed         = "ingest:failed"         // error text
	EventAPIChanged           = "api:changed"           // APIStatus
	EventImportProgress       = "import:progress"       // ImportProgress
	EventKBEmbedding          = "kb:embedding"          // EmbedProgress
	EventKBProgress           = "kb:progress"           // KBProgress
	EventKBChanged            = "kb:changed"            // no payload: reload the article list
	EventKBWatched            = "kb:watched"            // KBSource: a watched source was re-imported
	EventSuggestUpdate        = "suggest:update"        // suggest.Update, as it streams
	EventSuggestTranslation   = "suggest:translation"   // TranslationView, as it streams
)

// EventNames lists every event, for the mirror test.
var EventNames = []string{EventStatusChanged, EventSettingsChanged, EventConversationsChanged,
	EventClipboardChanged, EventIngestFailed, EventAPIChanged, EventImportProgress, EventKBEmbedding,
	EventKBProgress, EventKBChanged, EventKBWatched, EventSuggestUpdate, EventSuggestTranslation}

// Emitter sends named events to the frontend.
type Emitter interface {
	Emit(name string, data any)
}

// Throttle passes on at most one event of each name per interval: the first
// at once, then the latest of those that arrived meanwhile at the end of the
// interval. Streams of small updates thus reach the UI at a steady rate and
// the last state is never lost.
type Throttle struct {
	next     func(name string, data any)
	interval time.Duration

	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	name    string // the event's
	pending bool
	data    any
	timer   *time.Timer
}

// NewThrottle returns a throttle that sends through next.
func NewThrottle(interval time.Duration, next func(name string, data any)) *Throttle {
	return &Throttle{next: next, interval: interval, windows: map[string]*window{}}
}

// Keyed is event data throttled apart from other data of the same event
// name: a stream per conversation must not swallow another conversation's
// last update. The frontend receives Data.
type Keyed struct {
	Key  string
	Data any
}

// Emit sends now if no event of this name (and Keyed key) went out within
// the interval, otherwise keeps data to send at the interval's end.
func (t *Throttle) Emit(name string, data any) {
	key := name
	if k, ok := data.(Keyed); ok {
		key, data = name+"\x00"+k.Key, k.Data
	}
	t.emit(key, name, data)
}

func (t *Throttle) emit(key, name string, data any) {
	t.mu.Lock()
	w, open := t.windows[key]
	if open {
		w.pending, w.data = true, data
		t.mu.Unlock()
		return
	}
	w = &window{name: name}
	w.timer = time.AfterFunc(t.interval, func() { t.closeWindow(key) })
	t.windows[key] = w
	t.mu.Unlock()
	t.next(name, data)
}

func (t *Throttle) closeWindow(key string) {
	t.mu.Lock()
	w := t.windows[key]
	delete(t.windows, key)
	t.mu.Unlock()
	if w != nil && w.pending {
		t.emit(key, w.name, w.data) // opens the next window
	}
}

// Flush sends every pending event now, for shutdown.
func (t *Throttle) Flush() {
	t.mu.Lock()
	ws := t.windows
	t.windows = map[string]*window{}
	t.mu.Unlock()
	for _, w := range ws {
		w.timer.Stop()
		if w.pending {
			t.next(w.name, w.data)
		}
	}
}

// WailsRuntime reaches the window through the Wails runtime once the app has
// started; events before that have no window to go to and are dropped.
type WailsRuntime struct {
	mu  sync.Mutex
	ctx context.Context
}

// Start is called from Wails' OnStartup with the runtime's context.
func (w *WailsRuntime) Start(ctx context.Context) {
	w.mu.Lock()
	w.ctx = ctx
	w.mu.Unlock()
}

func (w *WailsRuntime) wctx() context.Context {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ctx
}

// Emit sends one event to the frontend.
func (w *WailsRuntime) Emit(name string, data any) {
	if ctx := w.wctx(); ctx != nil {
		runtime.EventsEmit(ctx, name, data)
	}
}

var errNoWindow = errors.New("the window is not open yet")

// Text reads the system clipboard.
func (w *WailsRuntime) Text(context.Context) (string, error) {
	ctx := w.wctx()
	if ctx == nil {
		return "", errNoWindow
	}
	return runtime.ClipboardGetText(ctx)
}

// SetText writes the system clipboard.
func (w *WailsRuntime) SetText(_ context.Context, text string) error {
	ctx := w.wctx()
	if ctx == nil {
		return errNoWindow
	}
	return runtime.ClipboardSetText(ctx, text)
}

// OpenFile asks the agent to choose a file; "" means cancelled.
func (w *WailsRuntime) OpenFile(title string, patterns string) (string, error) {
	ctx := w.wctx()
	if ctx == nil {
		return "", errNoWindow
	}
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title:   title,
		Filters: []runtime.FileFilter{{DisplayName: title, Pattern: patterns}},
	})
}

// OpenDirectory asks the agent to choose a folder; "" means cancelled.
func (w *WailsRuntime) OpenDirectory(title string) (string, error) {
	ctx := w.wctx()
	if ctx == nil {
		return "", errNoWindow
	}
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title})
}

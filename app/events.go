// Package app holds the thin services that Wails binds to the frontend. Each
// one turns calls and events into work for the internal packages; none holds
// domain logic of its own.
package app

import (
	"context"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Events sent to the frontend, named domain:action. frontend/src/lib/events.ts
// mirrors this list; TestEventNamesMirrored keeps the two in step.
const (
	EventStatusChanged        = "status:changed"        // health.Status
	EventSettingsChanged      = "settings:changed"      // tandem.Settings
	EventConversationsChanged = "conversations:changed" // no payload: reload the list
)

// EventNames lists every event, for the mirror test.
var EventNames = []string{EventStatusChanged, EventSettingsChanged, EventConversationsChanged}

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
	pending bool
	data    any
	timer   *time.Timer
}

// NewThrottle returns a throttle that sends through next.
func NewThrottle(interval time.Duration, next func(name string, data any)) *Throttle {
	return &Throttle{next: next, interval: interval, windows: map[string]*window{}}
}

// Emit sends now if no event of this name went out within the interval,
// otherwise keeps data to send at the interval's end.
func (t *Throttle) Emit(name string, data any) {
	t.mu.Lock()
	w, open := t.windows[name]
	if open {
		w.pending, w.data = true, data
		t.mu.Unlock()
		return
	}
	w = &window{}
	w.timer = time.AfterFunc(t.interval, func() { t.closeWindow(name) })
	t.windows[name] = w
	t.mu.Unlock()
	t.next(name, data)
}

func (t *Throttle) closeWindow(name string) {
	t.mu.Lock()
	w := t.windows[name]
	delete(t.windows, name)
	t.mu.Unlock()
	if w != nil && w.pending {
		t.Emit(name, w.data) // opens the next window
	}
}

// Flush sends every pending event now, for shutdown.
func (t *Throttle) Flush() {
	t.mu.Lock()
	ws := t.windows
	t.windows = map[string]*window{}
	t.mu.Unlock()
	for name, w := range ws {
		w.timer.Stop()
		if w.pending {
			t.next(name, w.data)
		}
	}
}

// WailsEvents emits through the Wails runtime once the app has started;
// events before that have no window to go to and are dropped.
type WailsEvents struct {
	mu  sync.Mutex
	ctx context.Context
}

// Start is called from Wails' OnStartup with the runtime's context.
func (e *WailsEvents) Start(ctx context.Context) {
	e.mu.Lock()
	e.ctx = ctx
	e.mu.Unlock()
}

// Emit sends one event to the frontend.
func (e *WailsEvents) Emit(name string, data any) {
	e.mu.Lock()
	ctx := e.ctx
	e.mu.Unlock()
	if ctx != nil {
		runtime.EventsEmit(ctx, name, data)
	}
}

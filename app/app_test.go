package app

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"tandem/internal/store"
	"tandem/internal/tandem"
)

type recorder struct {
	mu     sync.Mutex
	events []struct {
		name string
		data any
	}
}

var _ Emitter = (*recorder)(nil)

// testStore opens a database of the test's own, closed when it ends.
func testStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func (r *recorder) Emit(name string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, struct {
		name string
		data any
	}{name, data})
}

func TestThrottle(t *testing.T) {
	tests := []struct {
		name      string
		emits     []string // event names, payload is the index
		wantCalls []string // name=payload delivered, in order, after Flush
	}{
		{"single", []string{"a"}, []string{"a=0"}},
		{"burst keeps first and last", []string{"a", "a", "a", "a"}, []string{"a=0", "a=3"}},
		{"names are independent", []string{"a", "b", "a", "b", "b"}, []string{"a=0", "b=1", "a=2", "b=4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{}
			// An hour-long window: nothing closes by time during the test.
			th := NewThrottle(time.Hour, r.Emit)
			for i, n := range tt.emits {
				th.Emit(n, i)
			}
			th.Flush()
			var got []string
			for _, e := range r.events {
				got = append(got, e.name+"="+string(rune('0'+e.data.(int))))
			}
			slices.Sort(got)
			want := slices.Clone(tt.wantCalls)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("delivered %v, want %v", got, want)
			}
		})
	}
}

// After the window closes the pending payload goes out by itself.
func TestThrottleTrailing(t *testing.T) {
	r := &recorder{}
	th := NewThrottle(10*time.Millisecond, r.Emit)
	th.Emit("a", 1)
	th.Emit("a", 2)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		n := len(r.events)
		r.mu.Unlock()
		if n == 2 {
			if r.events[1].data != 2 {
				t.Fatalf("trailing payload %v, want 2", r.events[1].data)
			}
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("trailing event never sent: %+v", r.events)
}

func TestSettingsSaveApplies(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	defaults := tandem.DefaultSettings(func(string) string { return "" })
	var applied []tandem.Settings
	rec := &recorder{}
	svc := NewSettingsService(ctx, st, defaults, rec, func(s tandem.Settings) { applied = append(applied, s) })

	next := defaults
	next.OllamaHost, next.ChatModel, next.UILang = "127.0.0.1:11999", "llama3.2:3b", "zh-CN"
	if err := svc.Save(next); err != nil {
		t.Fatal(err)
	}
	if len(applied) != 1 || !reflect.DeepEqual(applied[0], next) {
		t.Fatalf("applied %+v", applied)
	}
	if len(rec.events) != 1 || rec.events[0].name != EventSettingsChanged || !reflect.DeepEqual(rec.events[0].data, next) {
		t.Fatalf("events %+v", rec.events)
	}
	if got, _ := svc.Get(); !reflect.DeepEqual(got, next) {
		t.Fatalf("Get() = %+v after save", got)
	}

	bad := next
	bad.ChatModel = ""
	if err := svc.Save(bad); tandem.ErrorCode(err) != tandem.EINVALID {
		t.Fatalf("Save(bad) = %v", err)
	}
	if len(applied) != 1 || len(rec.events) != 1 {
		t.Fatal("a rejected save was applied")
	}
}

// The frontend's list of event names must match this package's.
func TestEventNamesMirrored(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "frontend", "src", "lib", "events.ts"))
	if err != nil {
		t.Fatal(err)
	}
	var ts []string
	for _, m := range regexp.MustCompile(`'([a-z]+:[a-z]+)'`).FindAllStringSubmatch(string(src), -1) {
		ts = append(ts, m[1])
	}
	goNames := slices.Clone(EventNames)
	slices.Sort(ts)
	slices.Sort(goNames)
	if !slices.Equal(ts, goNames) {
		t.Fatalf("frontend events %v, Go events %v", ts, goNames)
	}
	for _, n := range goNames {
		if !regexp.MustCompile(`^[a-z]+:[a-z]+$`).MatchString(n) {
			t.Errorf("event %q is not domain:action", n)
		}
	}
}

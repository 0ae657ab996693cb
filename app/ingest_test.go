package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"tandem/internal/httpapi"
	"tandem/internal/ingest"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

type fakeClipboard struct {
	mu   sync.Mutex
	text string
}

var _ Clipboard = (*fakeClipboard)(nil)

func (f *fakeClipboard) Text(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.text, nil
}

func (f *fakeClipboard) SetText(_ context.Context, t string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text = t
	return nil
}

func newIngestService(t *testing.T) (*IngestService, *store.Store, *fakeClipboard) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clip := &fakeClipboard{text: "on the clipboard before the watch"}
	svc := NewIngestService(ctx, ingest.New(st), st, clip, &recorder{}, func() APIStatus { return APIStatus{} })
	return svc, st, clip
}

func texts(t *testing.T, st *store.Store, id int64) []string {
	t.Helper()
	msgs, err := st.Messages(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, m := range msgs {
		out = append(out, string(m.Role)+": "+m.Text)
	}
	return out
}

func TestAddByHand(t *testing.T) {
	svc, st, _ := newIngestService(t)
	c, err := svc.NewConversation("Phone call", "Li Wei")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Add(c.ID, "customer", "  My order never came.  "); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Add(c.ID, "agent", "Sorry to hear that."); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Add(c.ID, "robot", "beep"); tandem.ErrorCode(err) != tandem.EINVALID {
		t.Fatalf("unknown role: %v", err)
	}
	if _, err := svc.Add(999, "customer", "hi"); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Fatalf("unknown conversation: %v", err)
	}
	got := texts(t, st, c.ID)
	if len(got) != 2 || got[0] != "customer: My order never came." || got[1] != "agent: Sorry to hear that." {
		t.Fatalf("messages %q", got)
	}
}

func TestClipboardWatch(t *testing.T) {
	svc, st, clip := newIngestService(t)
	ctx := context.Background()
	c, _ := svc.NewConversation("Marketplace chat", "")
	svc.SetActive(c.ID)

	steps := []struct {
		name string
		do   func()
	}{
		{"off: ignored", func() { clip.SetText(ctx, "copied while off") }},
		{"turn on: what is there is not taken", func() { svc.SetClipboardWatch(true) }},
		{"new text: taken", func() { clip.SetText(ctx, "Where is my refund?") }},
		{"same text again: ignored", func() {}},
		{"Tandem's own copy: ignored", func() { svc.Copy("Draft reply from Tandem") }},
		{"cleared clipboard: ignored", func() { clip.SetText(ctx, "  ") }},
		{"another text: taken", func() { clip.SetText(ctx, "Order 20261118-7731") }},
		{"turn off, copy: ignored", func() { svc.SetClipboardWatch(false); clip.SetText(ctx, "private note") }},
	}
	for _, s := range steps {
		s.do()
		svc.pollClipboard(ctx)
	}
	got := texts(t, st, c.ID)
	want := []string{"customer: Where is my refund?", "customer: Order 20261118-7731"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("clipboard gave %q, want %q", got, want)
	}
}

func TestAPIRunner(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, st, _ := newIngestService(t)
	r := NewAPIRunner(ctx, func(token string) *httpapi.Server {
		return httpapi.New(ingest.New(st), st, token, slog.New(slog.DiscardHandler))
	}, &recorder{}, slog.New(slog.DiscardHandler))

	port := freePort(t)
	s := tandem.DefaultSettings(func(string) string { return "" })
	s.IngestPort, s.IngestToken = port, "tok"
	r.Apply(s)
	if st := r.Status(); !st.Listening || st.URL != "http://127.0.0.1:"+strconv.Itoa(port) {
		t.Fatalf("status %+v", st)
	}
	get := func(p int) int {
		resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(p) + "/v1/health")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(port); code != 200 {
		t.Fatalf("health on %d: %d", port, code)
	}

	// A port already taken: a clear error, not a crash.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	s.IngestPort = busy.Addr().(*net.TCPAddr).Port
	r.Apply(s)
	if st := r.Status(); st.Listening || st.Error == "" {
		t.Fatalf("busy port: status %+v", st)
	}
	if code := get(port); code != 0 {
		t.Fatalf("old port still answers after the move: %d", code)
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type fakeChooser struct{ path string }

func (f fakeChooser) OpenFile(string, string) (string, error) { return f.path, nil }

var _ FileChooser = fakeChooser{}

func TestImportService(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec := &recorder{}
	path := filepath.Join("..", "internal", "transcript", "testdata", "chats.csv")
	svc := NewImportService(ctx, ingest.New(st), fakeChooser{path}, rec)
	chosen, err := svc.Choose()
	if err != nil || chosen != path {
		t.Fatalf("Choose() = %q, %v", chosen, err)
	}
	rep, err := svc.Import(chosen)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Messages != 3 || len(rep.Skipped) != 2 {
		t.Fatalf("report %+v", rep)
	}
	last := rec.events[len(rec.events)-1]
	if p, ok := last.data.(ImportProgress); !ok || last.name != EventImportProgress || p.Done != p.Total || p.Total == 0 {
		t.Fatalf("last event %+v", last)
	}
	if _, err := svc.Import("/no/such/file.csv"); err == nil {
		t.Fatal("importing a missing file did not fail")
	}
}

package health

import (
	"context"
	"errors"
	"testing"
	"time"

	"tandem/internal/llm"
	"tandem/internal/ollamatest"
)

type fakeOllama struct {
	version string
	models  []string
	err     error
}

var _ Ollama = (*fakeOllama)(nil)

func (f *fakeOllama) Version(context.Context) (string, error) { return f.version, f.err }
func (f *fakeOllama) Models(context.Context) ([]llm.Model, error) {
	var out []llm.Model
	for _, n := range f.models {
		out = append(out, llm.Model{Name: n})
	}
	return out, f.err
}

func TestCheck(t *testing.T) {
	up := &fakeOllama{version: "0.6.5", models: []string{"qwen2.5:3b", "nomic-embed-text:latest"}}
	tests := []struct {
		name        string
		ollama      *fakeOllama
		dialErr     error
		cfg         Config
		want        State
		wantMissing string
	}{
		{"ok", up, nil, Config{ChatModel: "qwen2.5:3b"}, OK, ""},
		{"ok with embedder, no tag", up, nil, Config{ChatModel: "qwen2.5:3b", EmbedModel: "nomic-embed-text"}, OK, ""},
		{"chat model missing", up, nil, Config{ChatModel: "llama3.2:3b", EmbedModel: "nomic-embed-text"}, ModelMissing, "llama3.2:3b"},
		{"embed model missing", up, nil, Config{ChatModel: "qwen2.5:3b", EmbedModel: "bge-m3"}, ModelMissing, "bge-m3"},
		{"down", &fakeOllama{err: &llm.UnreachableError{Host: "h", Err: errors.New("refused")}}, nil, Config{ChatModel: "x"}, Unreachable, ""},
		{"hung", &fakeOllama{err: context.DeadlineExceeded}, nil, Config{ChatModel: "x"}, Unreachable, ""},
		{"server error", &fakeOllama{err: errors.New("500 boom")}, nil, Config{ChatModel: "x"}, Failing, ""},
		{"bad host", nil, errors.New("scheme must be http"), Config{ChatModel: "x"}, Failing, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Check(context.Background(), func(string) (Ollama, error) { return tt.ollama, tt.dialErr }, tt.cfg)
			if st.State != tt.want || st.MissingModel != tt.wantMissing {
				t.Fatalf("Check = %s (missing %q), want %s (missing %q)", st.State, st.MissingModel, tt.want, tt.wantMissing)
			}
			if (st.State == Failing) != (st.Detail != "") {
				t.Fatalf("detail %q for state %s", st.Detail, st.State)
			}
		})
	}
}

func TestNextDelay(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, time.Second}, // healthy: a stop is noticed within a second and a bit
		{1, 500 * time.Millisecond},
		{2, time.Second},
		{3, 2 * time.Second},
		{4, 3 * time.Second},
		{50, 3 * time.Second},
	}
	for _, tt := range tests {
		if got := nextDelay(tt.failures); got != tt.want {
			t.Errorf("nextDelay(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}

// Against a real server: stopping it is reported, starting it again clears
// the report, and a model that is not installed is named.
func TestMonitorRealServer(t *testing.T) {
	srv := ollamatest.Start(t)
	changes := make(chan Status, 16)
	dial := func(host string) (Ollama, error) { return llm.New(host) }
	m := New(Config{Host: srv.Host, ChatModel: ollamatest.Model}, dial, func(s Status) { changes <- s })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Run(ctx)

	await := func(want State, limit time.Duration) (Status, time.Duration) {
		t.Helper()
		start := time.Now()
		timeout := time.After(limit)
		for {
			select {
			case s := <-changes:
				if s.State == want {
					return s, time.Since(start)
				}
			case <-timeout:
				t.Fatalf("no %s status within %v (now %+v)", want, limit, m.Status())
			}
		}
	}

	st, _ := await(OK, 10*time.Second)
	if st.Version == "" || st.Host != srv.Host {
		t.Fatalf("ok status lacks version or host: %+v", st)
	}

	srv.Stop()
	_, took := await(Unreachable, 5*time.Second)
	t.Logf("stop noticed after %v", took)

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	_, took = await(OK, 10*time.Second)
	t.Logf("restart noticed after %v", took)

	m.Configure(Config{Host: srv.Host, ChatModel: "qwen2.5:3b"})
	st, _ = await(ModelMissing, 5*time.Second)
	if st.MissingModel != "qwen2.5:3b" {
		t.Fatalf("missing model %q", st.MissingModel)
	}
}

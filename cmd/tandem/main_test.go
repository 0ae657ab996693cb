package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tandem/internal/ollamatest"
	"tandem/internal/store"
)

func TestCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	tests := []struct {
		args    []string
		want    string // in the output
		wantErr string // in the error; "" for none
	}{
		{args: []string{"--help"}, want: "tandem status"},
		{args: []string{"settings", "--db", db}, want: "chatModel=qwen2.5:3b"},
		{args: []string{"settings", "set", "--db", db, "uiLang=zh-CN", "agentLang=zh-CN"}, want: "saved"},
		{args: []string{"settings", "--db", db, "--json"}, want: `"uiLang": "zh-CN"`},
		{args: []string{"settings", "set", "--db", db, "uiLang=fr"}, wantErr: "interface language"},
		{args: []string{"settings", "set", "--db", db, "colour=red"}, wantErr: "known key"},
		{args: []string{"settings", "set", "--db", db, "ingestPort=9001"}, want: "saved"},
		{args: []string{"settings", "set", "--db", db, "ingestPort=lots"}, wantErr: "whole number"},
		{args: []string{"settings", "set", "--db", db}, wantErr: "KEY=VALUE"},
		{args: []string{"db", "check", "--db", db}, want: ": ok"},
		{args: []string{"db", "schema", "--db", db}, want: "CREATE VIRTUAL TABLE kb_articles_fts"},
		{args: []string{"db"}, wantErr: "check or schema"},
		{args: []string{"conversations", "--db", db}, want: ""},
		{args: []string{"frobnicate"}, wantErr: "unknown command"},
		{args: []string{"bench", "ingest", "--messages", "200", "--json"}, want: `"messages_per_s"`},
		{args: []string{"bench"}, wantErr: "ingest"},
		{args: []string{"bench", "kb", "--articles", "300", "--queries", "20", "--json"}, want: `"p95_ms"`},
		{args: []string{"kb", "import", "--db", db, "../../internal/kb/testdata/shop"}, want: "9 added, 0 updated, 0 unchanged, 0 removed, 10 skipped"},
		{args: []string{"kb", "import", "--db", db, "../../internal/kb/testdata/shop"}, want: "0 added, 0 updated, 9 unchanged"},
		{args: []string{"kb", "import", "--db", db}, wantErr: "one PATH"},
		{args: []string{"kb", "list", "--db", db}, want: "\n9 articles\n"},
		{args: []string{"kb", "list", "--db", db, "no-such-words"}, want: "0 articles\n"},
		{args: []string{"serve", "--db", db, "--addr", "0.0.0.0:8765"}, wantErr: "loopback"},
		{args: []string{"settings", "set", "--db", db, "ollamaHost=127.0.0.1:1"}, want: "saved"},
		{args: []string{"status", "--db", db}, want: "state:   unreachable", wantErr: "not reachable at 127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tt.args, &out)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("error %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Fatalf("output %q lacks %q", out.String(), tt.want)
			}
		})
	}
}

func TestStatusAgainstRealServer(t *testing.T) {
	srv := ollamatest.Start(t)
	db := filepath.Join(t.TempDir(), "t.db")
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"settings", "set", "--db", db, "ollamaHost=" + srv.Host}, &out); err != nil {
		t.Fatal(err)
	}
	err := run(ctx, []string{"status", "--db", db}, &out)
	if err == nil || !strings.Contains(err.Error(), "model qwen2.5:3b is not installed") {
		t.Fatalf("status with a missing model: %v", err)
	}
	if err := run(ctx, []string{"settings", "set", "--db", db, "chatModel=" + ollamatest.Model}, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"status", "--db", db, "--json"}, &out); err != nil {
		t.Fatalf("status: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), `"state": "ok"`) {
		t.Fatalf("status output %s", out.String())
	}
}

// With an embedding model in Settings, kb import also embeds the passages;
// with Ollama gone it still imports and says what is missing.
func TestKBImportEmbeds(t *testing.T) {
	srv := ollamatest.Start(t)
	db := filepath.Join(t.TempDir(), "t.db")
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"settings", "set", "--db", db, "ollamaHost=" + srv.Host, "embedModel=" + ollamatest.Model}, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"kb", "import", "--db", db, "../../internal/kb/testdata/shop"}, &out); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if left, n, err := st.PassagesWithoutEmbedding(ctx, ollamatest.Model, 1); err != nil || n != 0 || len(left) != 0 {
		t.Fatalf("%d passages left without an embedding (%v)", n, err)
	}
	if err := run(ctx, []string{"settings", "set", "--db", db, "ollamaHost=127.0.0.1:1", "embedModel=other"}, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"kb", "import", "--db", db, "../../internal/kb/testdata/shop"}, &out); err != nil {
		t.Fatalf("import without Ollama: %v", err)
	}
	if !strings.Contains(out.String(), "9 unchanged") {
		t.Fatalf("output %q", out.String())
	}
}

// syncBuffer is written by the watch's goroutine and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestKBImportWatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("# Alpha\nfirst"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"kb", "import", "--watch", "--db", filepath.Join(t.TempDir(), "t.db"), dir}, out)
	}()
	await := func(want string) {
		t.Helper()
		for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if strings.Contains(out.String(), want) {
				return
			}
		}
		t.Fatalf("no %q in:\n%s", want, out.String())
	}
	await(dir + ": 1 added, 0 updated, 0 unchanged, 0 removed, 0 skipped")
	if err := os.WriteFile(filepath.Join(dir, "b.md"), []byte("# Bravo\nsecond"), 0o644); err != nil {
		t.Fatal(err)
	}
	await(dir + ": 1 added, 0 updated, 1 unchanged, 0 removed, 0 skipped")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("interrupted watch returned %v", err)
	}
}

package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"tandem/internal/llm"
	"tandem/internal/ollamatest"
)

// server is the real Ollama server shared by this package's integration tests.
var server *ollamatest.Server

func TestMain(m *testing.M) {
	s, err := ollamatest.StartMain()
	switch {
	case errors.Is(err, ollamatest.ErrNoBinary):
		fmt.Fprintln(os.Stderr, "skipping Ollama integration tests:", err)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	default:
		server = s
	}
	code := m.Run()
	if server != nil {
		server.Close()
	}
	os.Exit(code)
}

func client(t *testing.T) *llm.Client {
	t.Helper()
	if server == nil {
		t.Skip("no Ollama server")
	}
	c, err := llm.New(server.Host)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Small, fixed generations keep the tests quick and repeatable.
func opts(n int) map[string]any {
	return map[string]any{"num_predict": n, "seed": 42, "temperature": 0}
}

func TestVersionAndModels(t *testing.T) {
	c := client(t)
	ctx := context.Background()
	v, err := c.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v == "" {
		t.Fatal("empty version")
	}
	models, err := c.Models(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range models {
		found = found || llm.SameModel(m.Name, ollamatest.Model)
	}
	if !found {
		t.Fatalf("models %+v do not include %s", models, ollamatest.Model)
	}
}

func TestChatStreams(t *testing.T) {
	c := client(t)
	var deltas []string
	res, err := c.Chat(context.Background(), llm.ChatRequest{
		Model: ollamatest.Model,
		Messages: []llm.Message{
			{Role: "system", Content: "You help customer-service agents."},
			{Role: "user", Content: "Where is my parcel?"},
		},
		Options: opts(24),
	}, func(d string) { deltas = append(deltas, d) })
	if err != nil {
		t.Fatal(err)
	}
	if !res.Done {
		t.Fatal("finished chat not marked done")
	}
	if len(deltas) < 2 {
		t.Fatalf("got %d deltas, want a stream of several", len(deltas))
	}
	if strings.Join(deltas, "") != res.Text {
		t.Fatalf("deltas %q do not add up to the text %q", deltas, res.Text)
	}
	if res.EvalCount == 0 || res.PromptEvalCount == 0 || res.FirstToken <= 0 {
		t.Fatalf("missing figures: %+v", res)
	}
}

func TestChatCancelKeepsPartialText(t *testing.T) {
	c := client(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got strings.Builder
	n := 0
	res, err := c.Chat(ctx, llm.ChatRequest{
		Model:    ollamatest.Model,
		Messages: []llm.Message{{Role: "user", Content: "Tell me a very long story."}},
		Options:  opts(4000),
	}, func(d string) {
		got.WriteString(d)
		if n++; n == 5 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.Done {
		t.Fatal("a cancelled chat is marked done")
	}
	if res.Text == "" || !strings.HasPrefix(got.String(), res.Text) {
		t.Fatalf("partial text %q not kept (streamed %q)", res.Text, got.String())
	}
	if n > 50 {
		t.Fatalf("stream went on for %d deltas after cancel at 5", n)
	}
}

func TestChatJSONSchema(t *testing.T) {
	c := client(t)
	schema := json.RawMessage(`{"type":"object","properties":{"mood":{"type":"string","enum":["calm","worried","angry"]}},"required":["mood"]}`)
	res, err := c.Chat(context.Background(), llm.ChatRequest{
		Model:    ollamatest.Model,
		Messages: []llm.Message{{Role: "user", Content: "My parcel is late again!"}},
		Format:   schema,
		Options:  opts(64),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Mood string `json:"mood"`
	}
	if err := json.Unmarshal([]byte(res.Text), &out); err != nil {
		t.Fatalf("reply %q is not JSON: %v", res.Text, err)
	}
	switch out.Mood {
	case "calm", "worried", "angry":
	default:
		t.Fatalf("mood %q is outside the schema's enum", out.Mood)
	}
}

func TestEmbed(t *testing.T) {
	c := client(t)
	vecs, err := c.Embed(context.Background(), ollamatest.Model, []string{"refund policy", "退货政策"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != 2 || len(vecs[0]) == 0 || len(vecs[0]) != len(vecs[1]) {
		t.Fatalf("got %d vectors of sizes %d", len(vecs), len(vecs[0]))
	}
	if fmt.Sprint(vecs[0]) == fmt.Sprint(vecs[1]) {
		t.Fatal("different texts got the same embedding")
	}
}

func TestModelMissing(t *testing.T) {
	c := client(t)
	ctx := context.Background()
	calls := map[string]func() error{
		"chat": func() error {
			_, err := c.Chat(ctx, llm.ChatRequest{Model: "qwen2.5:3b", Messages: []llm.Message{{Role: "user", Content: "hi"}}}, nil)
			return err
		},
		"embed": func() error {
			_, err := c.Embed(ctx, "qwen2.5:3b", []string{"hi"})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			var mm *llm.ModelMissingError
			if !errors.As(err, &mm) {
				t.Fatalf("err = %v (%T), want *ModelMissingError", err, err)
			}
			if mm.Model != "qwen2.5:3b" {
				t.Fatalf("missing model %q, want qwen2.5:3b", mm.Model)
			}
		})
	}
}

func TestServerDown(t *testing.T) {
	if server == nil {
		t.Skip("no Ollama server")
	}
	// A second server of our own, stopped: the port is known and closed.
	s := ollamatest.Start(t)
	c, err := llm.New(s.Host)
	if err != nil {
		t.Fatal(err)
	}
	s.Stop()
	ctx := context.Background()
	calls := map[string]func() error{
		"version": func() error { _, err := c.Version(ctx); return err },
		"models":  func() error { _, err := c.Models(ctx); return err },
		"chat": func() error {
			_, err := c.Chat(ctx, llm.ChatRequest{Model: ollamatest.Model, Messages: []llm.Message{{Role: "user", Content: "hi"}}}, nil)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var ue *llm.UnreachableError
			if err := call(); !errors.As(err, &ue) || ue.Host != s.Host {
				t.Fatalf("err = %v (%T), want *UnreachableError for %s", err, err, s.Host)
			}
		})
	}
	// It comes back by itself once the server does.
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Version(ctx); err != nil {
		t.Fatalf("after restart: %v", err)
	}
}

package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tandem/internal/httpapi"
	"tandem/internal/ingest"
	"tandem/internal/store"
)

const token = "test-token"

func newServer(t testing.TB) (*httptest.Server, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(httpapi.New(ingest.New(st), st, token, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return srv, st
}

type call struct {
	method, path, body string
	header             map[string]string
}

func do(t testing.TB, srv *httptest.Server, c call) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range c.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s %s: answer %q is not JSON", c.method, c.path, b)
	}
	return resp.StatusCode, out
}

func TestAPI(t *testing.T) {
	srv, _ := newServer(t)
	msgs := "/v1/conversations/c1/messages"
	tests := []struct {
		name      string
		call      call
		want      int
		wantError string // part of "error"
	}{
		{"health needs no token", call{"GET", "/v1/health", "", map[string]string{"Authorization": ""}}, 200, ""},
		{"no token", call{"GET", msgs, "", map[string]string{"Authorization": ""}}, 401, "token"},
		{"wrong token", call{"GET", msgs, "", map[string]string{"Authorization": "Bearer nope"}}, 401, "token"},
		{"from a web page", call{"GET", msgs, "", map[string]string{"Origin": "https://evil.example"}}, 403, "web pages"},
		{"message before conversation", call{"POST", msgs, `{"role":"customer","text":"hi"}`, nil}, 404, "create it first"},
		{"create conversation", call{"PUT", "/v1/conversations/c1", `{"title":"Late parcel","customer_name":"Emma","lang":"en"}`, nil}, 200, ""},
		{"new message", call{"POST", msgs, `{"role":"customer","text":"Where is my parcel?","external_id":"m1","lang":"en","ts":"2026-11-24T09:30:00Z"}`, nil}, 201, ""},
		{"repeat external id", call{"POST", msgs, `{"role":"customer","text":"Where is my parcel?","external_id":"m1"}`, nil}, 200, ""},
		{"unix ts", call{"POST", msgs, `{"role":"agent","text":"Let me check.","external_id":"m2","ts":1795512660}`, nil}, 201, ""},
		{"malformed JSON", call{"POST", msgs, `{"role":"customer",`, nil}, 400, "malformed JSON"},
		{"wrong type", call{"POST", msgs, `{"role":5,"text":"hi"}`, nil}, 400, `"role" must be a string`},
		{"not an object", call{"POST", msgs, `["hi"]`, nil}, 400, "JSON object"},
		{"unknown field", call{"POST", msgs, `{"role":"customer","text":"hi","sender":"x"}`, nil}, 400, "unknown field"},
		{"two values", call{"POST", msgs, `{"role":"customer","text":"hi"} {}`, nil}, 400, "more than one"},
		{"empty body", call{"POST", msgs, ``, nil}, 400, "empty"},
		{"missing text", call{"POST", msgs, `{"role":"customer"}`, nil}, 400, "required"},
		{"unknown role", call{"POST", msgs, `{"role":"bot","text":"hi"}`, nil}, 422, `"bot"`},
		{"empty text", call{"POST", msgs, `{"role":"customer","text":"   "}`, nil}, 422, "empty"},
		{"invalid UTF-8", call{"POST", msgs, "{\"role\":\"customer\",\"text\":\"\xff\xfe\"}", nil}, 400, "UTF-8"},
		{"text too long", call{"POST", msgs, `{"role":"customer","text":"` + strings.Repeat("a", 100<<10) + `"}`, nil}, 413, "split"},
		{"1 MB body", call{"POST", msgs, `{"role":"customer","text":"` + strings.Repeat("a", 1<<20) + `"}`, nil}, 413, "over"},
		{"bad ts", call{"POST", msgs, `{"role":"customer","text":"hi","ts":"yesterday"}`, nil}, 400, "RFC 3339"},
		{"bad lang", call{"POST", msgs, `{"role":"customer","text":"hi","lang":"english please"}`, nil}, 422, "language tag"},
		{"curl's default content type", call{"POST", msgs, `{"role":"customer","text":"form-typed","external_id":"m3"}`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 201, ""},
		{"long external id", call{"POST", msgs, `{"role":"customer","text":"hi","external_id":"` + strings.Repeat("x", 300) + `"}`, nil}, 422, "external_id"},
		{"end unknown", call{"POST", "/v1/conversations/nope/end", ``, nil}, 404, "does not exist"},
		{"end", call{"POST", "/v1/conversations/c1/end", ``, nil}, 200, ""},
		{"message after end", call{"POST", msgs, `{"role":"customer","text":"still there?"}`, nil}, 409, "ended"},
		{"reopen", call{"PUT", "/v1/conversations/c1", `{"status":"open"}`, nil}, 200, ""},
		{"bad status", call{"PUT", "/v1/conversations/c1", `{"status":"closed"}`, nil}, 422, "open or ended"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, body := do(t, srv, tt.call)
			if got != tt.want {
				t.Fatalf("status %d, want %d: %v", got, tt.want, body)
			}
			if tt.wantError != "" && !strings.Contains(body["error"].(string), tt.wantError) {
				t.Fatalf("error %q does not say %q", body["error"], tt.wantError)
			}
		})
	}

	// What was acknowledged is what is stored, once, in order.
	status, body := do(t, srv, call{"GET", msgs, "", nil})
	if status != 200 {
		t.Fatalf("GET messages: %d %v", status, body)
	}
	list := body["messages"].([]any)
	if len(list) != 3 {
		t.Fatalf("stored %d messages, want 3: %v", len(list), list)
	}
	first := list[0].(map[string]any)
	if first["external_id"] != "m1" || first["text"] != "Where is my parcel?" || first["conversation_id"] != "c1" || first["ts"] != "2026-11-24T09:30:00Z" {
		t.Fatalf("first message %v", first)
	}
	if status, _ := do(t, srv, call{"GET", "/v1/conversations/nope/messages", "", nil}); status != 404 {
		t.Fatalf("GET messages of unknown conversation: %d", status)
	}
}

func TestEvents(t *testing.T) {
	srv, _ := newServer(t)
	do(t, srv, call{"PUT", "/v1/conversations/c9", `{"title":"t"}`, nil})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := bufio.NewScanner(resp.Body)
	lines.Scan() // the opening comment

	do(t, srv, call{"POST", "/v1/conversations/c9/messages", `{"role":"customer","text":"hello there","external_id":"e1"}`, nil})
	var event, data string
	for lines.Scan() {
		l := lines.Text()
		if v, ok := strings.CutPrefix(l, "event: "); ok {
			event = v
		}
		if v, ok := strings.CutPrefix(l, "data: "); ok {
			data = v
			break
		}
	}
	if event != ingest.EventMessage || !strings.Contains(data, `"text":"hello there"`) || !strings.Contains(data, `"conversation_id":"c9"`) {
		t.Fatalf("event %q data %s", event, data)
	}
}

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.10:8765", ":8765", "example.com:80", "nonsense"} {
		if l, err := httpapi.Listen(addr); err == nil {
			l.Close()
			t.Errorf("Listen(%q) accepted a non-loopback address", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0"} {
		l, err := httpapi.Listen(addr)
		if err != nil {
			if addr == "[::1]:0" {
				continue // no IPv6 here
			}
			t.Errorf("Listen(%q): %v", addr, err)
			continue
		}
		l.Close()
	}
}

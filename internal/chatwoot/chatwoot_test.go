package chatwoot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tandem/internal/golden"
	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

var _ Sink = (*ingest.Service)(nil)

// Payloads in testdata/ are shaped like Chatwoot's Message#webhook_data and
// Conversation#webhook_data; the parsed events are golden files beside them.
func TestParseWebhook(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			e, err := ParseWebhook(body)
			if err != nil {
				t.Fatal(err)
			}
			golden.CheckJSON(t, strings.TrimSuffix(f, ".json")+".golden.json", e)
		})
	}
}

func TestParseWebhookMalformed(t *testing.T) {
	for _, body := range []string{`{`, `[]`, `{"event":"message_created","id":1}`, `{"event":"message_created","conversation":{"id":4}}`,
		`{"event":"conversation_created"}`, `{"event":"message_created","id":"x","conversation":{"id":4}}`, "\xff"} {
		if _, err := ParseWebhook([]byte(body)); err == nil {
			t.Errorf("ParseWebhook(%q) accepted it", body)
		}
	}
}

type fakeSink struct {
	convs map[string]ingest.ConversationInput
	msgs  []ingest.MessageInput
	fail  error
}

var _ Sink = (*fakeSink)(nil)

func (f *fakeSink) Conversation(_ context.Context, in ingest.ConversationInput) (tandem.Conversation, error) {
	if f.fail != nil {
		return tandem.Conversation{}, f.fail
	}
	if f.convs == nil {
		f.convs = map[string]ingest.ConversationInput{}
	}
	f.convs[in.ExternalID] = in
	return tandem.Conversation{ExternalID: in.ExternalID}, nil
}

func (f *fakeSink) Message(_ context.Context, in ingest.MessageInput) (ingest.Result, error) {
	for _, m := range f.msgs {
		if m.ExternalID == in.ExternalID {
			return ingest.Result{}, nil
		}
	}
	f.msgs = append(f.msgs, in)
	return ingest.Result{Created: true}, nil
}

func TestWebhook(t *testing.T) {
	now := time.Unix(1795600000, 0)
	sink := &fakeSink{}
	h := NewWebhookHandler(WebhookConfig{Secret: "s3cret", Now: func() time.Time { return now }}, sink)
	incoming, _ := os.ReadFile(filepath.Join("testdata", "message_created_incoming.json"))
	private, _ := os.ReadFile(filepath.Join("testdata", "message_created_private.json"))
	ts := strconv.FormatInt(now.Unix(), 10)

	type req struct {
		body                      []byte
		ts, sig, delivery, method string
	}
	signed := func(body []byte, ts, delivery string) req {
		return req{body: body, ts: ts, sig: Sign("s3cret", ts, body), delivery: delivery, method: "POST"}
	}
	tests := []struct {
		name string
		req  req
		want int
		say  string // in the answer
	}{
		{"good", signed(incoming, ts, "d-1"), 200, `"created":true`},
		{"same delivery again", signed(incoming, ts, "d-1"), 200, "duplicate delivery"},
		{"replayed signature, new delivery id", signed(incoming, ts, "d-2"), 409, "replays"},
		{"private note", signed(private, ts, "d-3"), 200, "private notes"},
		{"wrong secret", req{incoming, ts, Sign("other", ts, incoming), "d-4", "POST"}, 401, "differs"},
		{"no signature", req{incoming, ts, "", "d-5", "POST"}, 401, "missing"},
		{"stale", signed(incoming, strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10), "d-6"), 401, "clock"},
		{"future", signed(incoming, strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10), "d-7"), 401, "clock"},
		{"malformed", signed([]byte(`{"event":`), ts, "d-8"), 400, "malformed JSON"},
		{"wrong types", signed([]byte(`{"event":"message_created","id":901,"conversation":{"id":"forty"}}`), ts, "d-9"), 400, ""},
		{"too big", signed([]byte(`{"x":"`+strings.Repeat("a", MaxBody)+`"}`), ts, "d-10"), 413, "over"},
		{"GET", req{nil, ts, "", "", "GET"}, 405, "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.req.method, "/v1/chatwoot/webhook", strings.NewReader(string(tt.req.body)))
			if tt.req.ts != "" {
				r.Header.Set("X-Chatwoot-Timestamp", tt.req.ts)
			}
			if tt.req.sig != "" {
				r.Header.Set("X-Chatwoot-Signature", tt.req.sig)
			}
			if tt.req.delivery != "" {
				r.Header.Set("X-Chatwoot-Delivery", tt.req.delivery)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.say) {
				t.Fatalf("answer %d %s, want %d saying %q", w.Code, w.Body, tt.want, tt.say)
			}
		})
	}
	if len(sink.msgs) != 1 || sink.msgs[0].Text != "Where is my parcel? Order #100482." || sink.msgs[0].Role != tandem.RoleCustomer {
		t.Fatalf("ingested %+v", sink.msgs)
	}
	if c := sink.convs["42"]; c.CustomerName != "Emma Clarke" || c.Source != ingest.SourceChatwoot {
		t.Fatalf("conversation %+v", c)
	}
}

// fakeChatwoot serves the REST endpoints the client uses.
func fakeChatwoot(t *testing.T, posted *[]map[string]any) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("api_access_token") != "tok" {
			w.WriteHeader(401)
			w.Write([]byte(`{"error":"You need to sign in or sign up before continuing."}`))
			return
		}
		switch {
		case r.Method == "GET" && r.URL.Path == "/api/v1/accounts/1/conversations":
			if r.URL.Query().Get("status") != "open" || r.URL.Query().Get("assignee_type") != "me" {
				t.Errorf("conversations query %s", r.URL.RawQuery)
			}
			w.Write([]byte(`{"data":{"meta":{"mine_count":1},"payload":[{"id":42,"status":"open","meta":{"sender":{"name":"Emma Clarke"}}}]}}`))
		case r.Method == "GET" && r.URL.Path == "/api/v1/accounts/1/conversations/42/messages":
			after, _ := strconv.Atoi(r.URL.Query().Get("after"))
			all := []string{
				`{"id":901,"content":"Where is my parcel?","message_type":0,"private":false,"created_at":1795600000}`,
				`{"id":902,"content":"Checking.","message_type":1,"private":false,"created_at":1795600060}`,
				`{"id":903,"content":"VIP","message_type":1,"private":true,"created_at":1795600070}`,
				`{"id":904,"content":"Assigned to Li","message_type":2,"private":false,"created_at":1795600080}`,
			}
			var out []string
			for _, m := range all {
				var id struct{ ID int }
				json.Unmarshal([]byte(m), &id)
				if id.ID > after {
					out = append(out, m)
				}
			}
			fmt.Fprintf(w, `{"meta":{},"payload":[%s]}`, strings.Join(out, ","))
		case r.Method == "POST" && r.URL.Path == "/api/v1/accounts/1/conversations/42/messages":
			var body map[string]any
			json.NewDecoder(r.Body).Decode(&body)
			*posted = append(*posted, body)
			w.Write([]byte(`{"id":950,"content":"ok","message_type":1,"private":false}`))
		default:
			w.WriteHeader(404)
		}
	}))
}

func TestPollerAndSend(t *testing.T) {
	var posted []map[string]any
	srv := fakeChatwoot(t, &posted)
	defer srv.Close()
	ctx := context.Background()
	sink := &fakeSink{}
	p := &Poller{Client: &Client{BaseURL: srv.URL, AccountID: 1, Token: "tok"}, Sink: sink}

	rep, err := p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conversations != 1 || rep.Messages != 2 || len(sink.msgs) != 2 {
		t.Fatalf("first poll %+v, ingested %+v", rep, sink.msgs)
	}
	if sink.msgs[0].Role != tandem.RoleCustomer || sink.msgs[1].Role != tandem.RoleAgent || sink.msgs[1].ExternalID != "902" {
		t.Fatalf("ingested %+v", sink.msgs)
	}
	if rep, _ := p.PollOnce(ctx); rep.Messages != 0 {
		t.Fatalf("second poll found %d new messages", rep.Messages)
	}

	m, err := p.Client.PostMessage(ctx, 42, "Your parcel ships today.", false)
	if err != nil || m.ID != 950 {
		t.Fatalf("PostMessage = %+v, %v", m, err)
	}
	if _, err := p.Client.PostMessage(ctx, 42, "Note for the team", true); err != nil {
		t.Fatal(err)
	}
	if len(posted) != 2 || posted[0]["content"] != "Your parcel ships today." || posted[0]["message_type"] != "outgoing" ||
		posted[0]["private"] != false || posted[1]["private"] != true {
		t.Fatalf("posted %+v", posted)
	}

	// Errors the Settings screen explains.
	bad := &Client{BaseURL: srv.URL, AccountID: 1, Token: "wrong"}
	if _, err := bad.Conversations(ctx); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("wrong token: %v", err)
	}
	missing := &Client{BaseURL: srv.URL, AccountID: 9, Token: "tok"}
	if _, err := missing.Messages(ctx, 42, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("wrong account: %v", err)
	}
	srv.Close()
	var ue *UnreachableError
	if _, err := p.Client.Conversations(ctx); !errors.As(err, &ue) {
		t.Fatalf("server down: %v", err)
	}
}

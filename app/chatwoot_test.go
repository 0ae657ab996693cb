package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"tandem/internal/chatwoot"
	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

func TestChatwoot(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := testStore(t)
	ing := ingest.New(st)
	var posted []map[string]any
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/api/v1/accounts/1/conversations/42/messages" && r.Header.Get("api_access_token") == "tok" {
			var body map[string]any
			json.NewDecoder(r.Body).Decode(&body)
			posted = append(posted, body)
			w.Write([]byte(`{"id":` + strconv.Itoa(960+len(posted)) + `}`))
			return
		}
		w.WriteHeader(404)
	}))
	defer fake.Close()
	runner := NewChatwootRunner(ctx, ing, slog.New(slog.DiscardHandler))
	svc := NewChatwootService(ctx, runner, st, ing)

	// Off: the webhook says so.
	s := tandem.DefaultSettings(func(string) string { return "" })
	runner.Apply(s)
	w := httptest.NewRecorder()
	runner.ServeHTTP(w, httptest.NewRequest("POST", "/v1/chatwoot/webhook", strings.NewReader("{}")))
	if w.Code != 404 || !strings.Contains(w.Body.String(), "off") {
		t.Fatalf("webhook while off: %d %s", w.Code, w.Body)
	}

	// Webhook mode: a signed message_created lands in the conversation.
	s.ChatwootMode, s.ChatwootSecret = "webhook", "sec"
	s.ChatwootURL, s.ChatwootAccountID, s.ChatwootToken = fake.URL, 1, "tok"
	runner.Apply(s)
	body := []byte(`{"event":"message_created","id":901,"content":"Where is my parcel?","message_type":"incoming","private":false,
		"created_at":"2026-11-24T09:30:00.000Z","conversation":{"id":42,"status":"open","meta":{"sender":{"name":"Emma"}}}}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req := httptest.NewRequest("POST", "/v1/chatwoot/webhook", strings.NewReader(string(body)))
	req.Header.Set("X-Chatwoot-Timestamp", ts)
	req.Header.Set("X-Chatwoot-Signature", chatwoot.Sign("sec", ts, body))
	w = httptest.NewRecorder()
	runner.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("signed webhook: %d %s", w.Code, w.Body)
	}
	c, err := st.ConversationByExternalID(ctx, ingest.SourceChatwoot, "42")
	if err != nil {
		t.Fatal(err)
	}

	// The agent's confirmed reply goes back, and joins the transcript; a note does not.
	if err := svc.Send(c.ID, "It ships today.", false); err != nil {
		t.Fatal(err)
	}
	if err := svc.Send(c.ID, "VIP customer", true); err != nil {
		t.Fatal(err)
	}
	if len(posted) != 2 || posted[0]["private"] != false || posted[1]["private"] != true {
		t.Fatalf("posted %+v", posted)
	}
	got := texts(t, st, c.ID)
	if len(got) != 2 || got[1] != "agent: It ships today." {
		t.Fatalf("transcript %q", got)
	}

	// Only Chatwoot conversations can be sent to.
	other, _ := ing.Conversation(ctx, ingest.ConversationInput{Source: ingest.SourceManual, ExternalID: "m1"})
	if err := svc.Send(other.ID, "hi", false); tandem.ErrorCode(err) != tandem.EINVALID {
		t.Fatalf("send to a manual conversation: %v", err)
	}
}

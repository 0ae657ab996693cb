// Package chatwoot follows conversations in Chatwoot, the open-source
// helpdesk: it receives Chatwoot's webhooks (signed, checked for freshness
// and replays), polls Chatwoot's REST API where Chatwoot cannot reach the
// agent's desktop, and posts the agent's confirmed replies back.
package chatwoot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

// Sink is the ingest path.
type Sink interface {
	Conversation(ctx context.Context, in ingest.ConversationInput) (tandem.Conversation, error)
	Message(ctx context.Context, in ingest.MessageInput) (ingest.Result, error)
}

// Event is what a webhook asks Tandem to do, or why it asks nothing.
type Event struct {
	Name         string                   `json:"name"`
	Conversation ingest.ConversationInput `json:"conversation"`
	Message      *ingest.MessageInput     `json:"message,omitempty"`
	Skip         string                   `json:"skip,omitempty"` // why nothing is ingested
}

// payload holds the fields of Chatwoot's Message#webhook_data and
// Conversation#webhook_data that Tandem reads. message_type is a string
// ("incoming") in webhooks and a number (0) in REST answers; times are ISO
// text in webhooks and unix seconds in REST answers.
type payload struct {
	Event        string          `json:"event"`
	ID           json.Number     `json:"id"`
	Content      *string         `json:"content"`
	MessageType  json.RawMessage `json:"message_type"`
	Private      bool            `json:"private"`
	CreatedAt    json.RawMessage `json:"created_at"`
	Status       string          `json:"status"`
	Conversation *conversation   `json:"conversation"`
	Meta         *meta           `json:"meta"`
	Sender       *struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"sender"`
}

type conversation struct {
	ID     json.Number `json:"id"`
	Status string      `json:"status"`
	Meta   *meta       `json:"meta"`
}

type meta struct {
	Sender *struct {
		Name string `json:"name"`
	} `json:"sender"`
}

func (m *meta) name() string {
	if m == nil || m.Sender == nil {
		return ""
	}
	return m.Sender.Name
}

// role maps Chatwoot's message_type: incoming is the customer, outgoing the
// agent; activity and template messages are not turns of the conversation.
func role(raw json.RawMessage) (tandem.Role, string) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var n int
		if json.Unmarshal(raw, &n) != nil {
			return "", "message_type is missing or not a string or number"
		}
		s = map[int]string{0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}[n]
	}
	switch s {
	case "incoming":
		return tandem.RoleCustomer, ""
	case "outgoing":
		return tandem.RoleAgent, ""
	case "activity", "template":
		return "", s + " messages are not customer or agent turns"
	}
	return "", fmt.Sprintf("message_type %s is unknown", raw)
}

func parseTime(raw json.RawMessage) time.Time {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		t, _ := time.Parse(time.RFC3339Nano, s)
		return t
	}
	var n float64
	if json.Unmarshal(raw, &n) == nil && n > 0 {
		return time.Unix(int64(n), 0)
	}
	return time.Time{}
}

func status(s string) tandem.ConversationStatus {
	switch s {
	case "resolved":
		return tandem.ConversationEnded
	case "open", "pending", "snoozed":
		return tandem.ConversationOpen
	}
	return ""
}

// ParseWebhook reads one webhook body. An error means the body is malformed;
// an Event with Skip set is well-formed but not for Tandem.
func ParseWebhook(body []byte) (Event, error) {
	if !utf8.Valid(body) {
		return Event{}, errors.New("body is not valid UTF-8")
	}
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		return Event{}, fmt.Errorf("malformed JSON: %v", err)
	}
	e := Event{Name: p.Event}
	switch p.Event {
	case "message_created", "message_updated":
		if p.Conversation == nil || p.Conversation.ID == "" {
			return e, errors.New(`message event without "conversation.id"`)
		}
		if p.ID == "" {
			return e, errors.New(`message event without "id"`)
		}
		e.Conversation = ingest.ConversationInput{Source: ingest.SourceChatwoot, ExternalID: p.Conversation.ID.String(),
			Title: "Chatwoot #" + p.Conversation.ID.String(), CustomerName: p.Conversation.Meta.name(), Status: status(p.Conversation.Status)}
		if p.Private {
			e.Skip = "private notes are not customer turns"
			return e, nil
		}
		r, why := role(p.MessageType)
		if why != "" {
			e.Skip = why
			return e, nil
		}
		if p.Content == nil || strings.TrimSpace(*p.Content) == "" {
			e.Skip = "the message has no text (attachments only)"
			return e, nil
		}
		e.Message = &ingest.MessageInput{Source: ingest.SourceChatwoot, ConversationID: p.Conversation.ID.String(),
			ExternalID: p.ID.String(), Role: r, Text: *p.Content, SentAt: parseTime(p.CreatedAt)}
		return e, nil
	case "conversation_created", "conversation_status_changed", "conversation_updated":
		if p.ID == "" {
			return e, errors.New(`conversation event without "id"`)
		}
		e.Conversation = ingest.ConversationInput{Source: ingest.SourceChatwoot, ExternalID: p.ID.String(),
			Title: "Chatwoot #" + p.ID.String(), CustomerName: p.Meta.name(), Status: status(p.Status)}
		return e, nil
	}
	e.Skip = fmt.Sprintf("event %q is not one Tandem follows", p.Event)
	return e, nil
}

// WebhookConfig configures the receiver.
type WebhookConfig struct {
	Secret string           // the webhook's signing secret from Chatwoot
	Now    func() time.Time // nil: time.Now
}

// MaxSkew is how far a webhook's timestamp may be from now.
const MaxSkew = 5 * time.Minute

// MaxBody bounds a webhook body.
const MaxBody = 1 << 20

// webhook verifies and ingests Chatwoot's webhook calls.
type webhook struct {
	cfg  WebhookConfig
	sink Sink

	mu         sync.Mutex
	signatures map[string]time.Time // seen within MaxSkew: replays
	deliveries map[string]time.Time // X-Chatwoot-Delivery ids seen
}

// NewWebhookHandler returns the receiver for POST /v1/chatwoot/webhook.
func NewWebhookHandler(cfg WebhookConfig, sink Sink) http.Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &webhook{cfg: cfg, sink: sink, signatures: map[string]time.Time{}, deliveries: map[string]time.Time{}}
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func refuse(w http.ResponseWriter, status int, format string, args ...any) {
	reply(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// Sign computes the X-Chatwoot-Signature value for a body sent at ts.
func Sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		refuse(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		refuse(w, http.StatusRequestEntityTooLarge, "body is over %d bytes", MaxBody)
		return
	} else if err != nil {
		refuse(w, http.StatusBadRequest, "read body: %v", err)
		return
	}

	ts, sig := r.Header.Get("X-Chatwoot-Timestamp"), r.Header.Get("X-Chatwoot-Signature")
	if ts == "" || sig == "" {
		refuse(w, http.StatusUnauthorized, "missing X-Chatwoot-Signature or X-Chatwoot-Timestamp: set the webhook secret in Chatwoot and in Tandem's Settings")
		return
	}
	if !hmac.Equal([]byte(sig), []byte(Sign(h.cfg.Secret, ts, body))) {
		refuse(w, http.StatusUnauthorized, "signature does not match: the webhook secret in Tandem's Settings differs from Chatwoot's")
		return
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	now := h.cfg.Now()
	if err != nil {
		refuse(w, http.StatusUnauthorized, "X-Chatwoot-Timestamp %q is not unix seconds", ts)
		return
	}
	if d := now.Sub(time.Unix(secs, 0)); d > MaxSkew || d < -MaxSkew {
		refuse(w, http.StatusUnauthorized, "timestamp is %v from now; at most %v is allowed: check this computer's clock", d.Round(time.Second), MaxSkew)
		return
	}
	delivery := r.Header.Get("X-Chatwoot-Delivery")
	if dup, replay := h.remember(now, delivery, sig); dup {
		reply(w, http.StatusOK, map[string]any{"ok": true, "skipped": "duplicate delivery, ignored"})
		return
	} else if replay {
		refuse(w, http.StatusConflict, "this signed request was already received: replays are refused")
		return
	}

	e, err := ParseWebhook(body)
	if err != nil {
		h.forget(delivery, sig) // a corrected resend must not count as a replay
		refuse(w, http.StatusBadRequest, "%v", err)
		return
	}
	if e.Skip != "" && e.Conversation.ExternalID == "" {
		reply(w, http.StatusOK, map[string]any{"ok": true, "skipped": e.Skip})
		return
	}
	if _, err := h.sink.Conversation(r.Context(), e.Conversation); err != nil {
		h.forget(delivery, sig)
		sinkError(w, err)
		return
	}
	if e.Message == nil {
		reply(w, http.StatusOK, map[string]any{"ok": true, "skipped": e.Skip})
		return
	}
	res, err := h.sink.Message(r.Context(), *e.Message)
	if err != nil {
		h.forget(delivery, sig)
		sinkError(w, err)
		return
	}
	reply(w, http.StatusOK, map[string]any{"ok": true, "created": res.Created})
}

// remember records a delivery and a signature; it reports a repeated
// delivery id (harmless: Chatwoot retried) or a repeated signature without
// one (a replay).
func (h *webhook) remember(now time.Time, delivery, sig string) (dup, replay bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, t := range h.signatures {
		if now.Sub(t) > 2*MaxSkew {
			delete(h.signatures, k)
		}
	}
	for k, t := range h.deliveries {
		if now.Sub(t) > 2*MaxSkew {
			delete(h.deliveries, k)
		}
	}
	if delivery != "" {
		if _, seen := h.deliveries[delivery]; seen {
			return true, false
		}
	}
	if _, seen := h.signatures[sig]; seen {
		return false, true
	}
	h.signatures[sig] = now
	if delivery != "" {
		h.deliveries[delivery] = now
	}
	return false, false
}

func (h *webhook) forget(delivery, sig string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.signatures, sig)
	delete(h.deliveries, delivery)
}

func sinkError(w http.ResponseWriter, err error) {
	var e *tandem.Error
	if !errors.As(err, &e) {
		refuse(w, http.StatusInternalServerError, "could not store the event; Chatwoot will retry")
		return
	}
	status := map[string]int{tandem.EINVALID: http.StatusUnprocessableEntity, tandem.ENOTFOUND: http.StatusNotFound,
		tandem.ECONFLICT: http.StatusConflict}[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	refuse(w, status, "%s", e.Message)
}

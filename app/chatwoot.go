package app

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"tandem/internal/chatwoot"
	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

// ChatwootRunner follows the Chatwoot connection chosen in Settings: it
// answers Chatwoot's webhooks when the mode is "webhook" and polls Chatwoot's
// REST API when it is "poll".
type ChatwootRunner struct {
	ctx  context.Context
	sink chatwoot.Sink
	log  *slog.Logger

	mu       sync.Mutex
	settings tandem.Settings
	webhook  http.Handler // nil unless the mode is webhook
	stopPoll context.CancelFunc
}

func NewChatwootRunner(ctx context.Context, sink chatwoot.Sink, log *slog.Logger) *ChatwootRunner {
	return &ChatwootRunner{ctx: ctx, sink: sink, log: log}
}

// Apply switches to the settings' Chatwoot mode.
func (r *ChatwootRunner) Apply(s tandem.Settings) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.settings = s
	if r.stopPoll != nil {
		r.stopPoll()
		r.stopPoll = nil
	}
	r.webhook = nil
	switch s.ChatwootMode {
	case "webhook":
		r.webhook = chatwoot.NewWebhookHandler(chatwoot.WebhookConfig{Secret: s.ChatwootSecret, Now: time.Now}, r.sink)
	case "poll":
		ctx, cancel := context.WithCancel(r.ctx)
		r.stopPoll = cancel
		p := &chatwoot.Poller{Client: r.client(s), Sink: r.sink, Every: 3 * time.Second, Log: r.log}
		go p.Run(ctx)
	}
}

func (r *ChatwootRunner) client(s tandem.Settings) *chatwoot.Client {
	return &chatwoot.Client{BaseURL: s.ChatwootURL, AccountID: s.ChatwootAccountID, Token: s.ChatwootToken,
		HTTP: &http.Client{Timeout: 15 * time.Second}}
}

// ServeHTTP answers Chatwoot's webhook, or says that webhooks are off.
func (r *ChatwootRunner) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	h := r.webhook
	r.mu.Unlock()
	if h == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"Chatwoot webhooks are off: choose Webhook under Settings → Chatwoot"}`))
		return
	}
	h.ServeHTTP(w, req)
}

// ChatwootService sends the agent's confirmed reply back to Chatwoot.
type ChatwootService struct {
	ctx    context.Context
	runner *ChatwootRunner
	convs  ConversationReader
	ingest *ingest.Service
}

func NewChatwootService(ctx context.Context, runner *ChatwootRunner, convs ConversationReader, ing *ingest.Service) *ChatwootService {
	return &ChatwootService{ctx: ctx, runner: runner, convs: convs, ingest: ing}
}

// Send posts text to the Chatwoot conversation, as a reply the customer sees
// or, with private, as a private note. The window asks the agent to confirm
// first: nothing is ever sent on the copilot's own initiative.
func (s *ChatwootService) Send(conversationID int64, text string, private bool) error {
	c, err := s.convs.Conversation(s.ctx, conversationID)
	if err != nil {
		return err
	}
	if c.Source != ingest.SourceChatwoot {
		return tandem.Errorf(tandem.EINVALID, "this conversation did not come from Chatwoot")
	}
	id, err := strconv.Atoi(c.ExternalID)
	if err != nil {
		return tandem.Errorf(tandem.EINVALID, "Chatwoot conversation id %q is not a number", c.ExternalID)
	}
	s.runner.mu.Lock()
	set := s.runner.settings
	s.runner.mu.Unlock()
	if set.ChatwootURL == "" || set.ChatwootToken == "" || set.ChatwootAccountID == 0 {
		return tandem.Errorf(tandem.EINVALID, "to send to Chatwoot, fill in its address, account id and access token in Settings")
	}
	m, err := s.runner.client(set).PostMessage(s.ctx, id, text, private)
	if err != nil {
		return err
	}
	if private {
		return nil // a note is for colleagues, not a turn of the conversation
	}
	_, err = s.ingest.Message(s.ctx, ingest.MessageInput{
		Source: ingest.SourceChatwoot, ConversationID: c.ExternalID, ExternalID: strconv.Itoa(m.ID),
		Role: tandem.RoleAgent, Text: text,
	})
	return err
}

// Package ingest is the one way a conversation's messages get into Tandem,
// whatever their source: the local HTTP API, Chatwoot (webhook or polling),
// the clipboard, typing or pasting in the app, or a transcript file. Every
// source builds the same inputs below; ingest validates them, commits them
// to the store and only then tells its subscribers (the window, the event
// stream), so a message acknowledged anywhere is on disk.
package ingest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tandem/internal/tandem"
)

// Sources of conversations and messages.
const (
	SourceAPI       = "api"
	SourceChatwoot  = "chatwoot"
	SourceClipboard = "clipboard"
	SourceManual    = "manual"
	SourceImport    = "import"
)

// ConversationInput creates or updates a conversation, found by its source
// and external id. Empty fields leave what is stored as it is.
type ConversationInput struct {
	Source       string
	ExternalID   string
	Title        string
	CustomerName string
	CustomerLang string
	Status       tandem.ConversationStatus
}

// MessageInput is one message from a source.
type MessageInput struct {
	Source         string
	ConversationID string // the conversation's external id in Source
	ExternalID     string // the message's id in Source, if any: repeats are stored once
	Role           tandem.Role
	Text           string
	Lang           string
	SentAt         time.Time // zero: now
}

// Result is what became of a message.
type Result struct {
	Message tandem.Message `json:"message"`
	Created bool           `json:"created"` // false: the external id was already stored
}

// Store is what ingest needs of the database.
type Store interface {
	UpsertConversation(ctx context.Context, c *tandem.Conversation) error
	ConversationByExternalID(ctx context.Context, source, externalID string) (tandem.Conversation, error)
	AddMessage(ctx context.Context, m *tandem.Message) (bool, error)
}

// Event tells subscribers what was committed.
type Event struct {
	Type         string               `json:"type"` // EventMessage or EventConversation
	Conversation *tandem.Conversation `json:"conversation,omitempty"`
	Message      *tandem.Message      `json:"message,omitempty"`
}

const (
	EventMessage      = "message.created"
	EventConversation = "conversation.updated"
)

// Service validates and stores messages and tells subscribers.
type Service struct {
	store Store

	mu   sync.Mutex
	subs map[chan Event]struct{}
}

func New(store Store) *Service {
	return &Service{store: store, subs: map[chan Event]struct{}{}}
}

// Subscribe returns a channel of events and a function that ends the
// subscription. A subscriber that falls 256 events behind misses events
// rather than holding up ingest.
func (s *Service) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, 256)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.subs[ch]; ok {
			delete(s.subs, ch)
			close(ch)
		}
	}
}

func (s *Service) publish(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

// MaxIDLen bounds external ids.
const MaxIDLen = 256

func checkID(what, id string, required bool) error {
	switch {
	case id == "" && required:
		return tandem.Errorf(tandem.EINVALID, "%s is empty", what)
	case len(id) > MaxIDLen:
		return tandem.Errorf(tandem.EINVALID, "%s is %d bytes; the limit is %d", what, len(id), MaxIDLen)
	case !utf8.ValidString(id) || strings.ContainsAny(id, "\x00\n\r"):
		return tandem.Errorf(tandem.EINVALID, "%s must be valid UTF-8 on one line", what)
	}
	return nil
}

// Conversation creates or updates a conversation.
func (s *Service) Conversation(ctx context.Context, in ConversationInput) (tandem.Conversation, error) {
	if err := checkID("conversation id", in.ExternalID, true); err != nil {
		return tandem.Conversation{}, err
	}
	if in.Source == "" {
		return tandem.Conversation{}, tandem.Errorf(tandem.EINVALID, "conversation source is empty")
	}
	for what, v := range map[string]string{"title": in.Title, "customer name": in.CustomerName, "customer language": in.CustomerLang} {
		if !utf8.ValidString(v) || len(v) > 1024 {
			return tandem.Conversation{}, tandem.Errorf(tandem.EINVALID, "%s must be valid UTF-8 of at most 1024 bytes", what)
		}
	}
	switch in.Status {
	case "", tandem.ConversationOpen, tandem.ConversationEnded:
	default:
		return tandem.Conversation{}, tandem.Errorf(tandem.EINVALID, "status %q is not open or ended", in.Status)
	}
	c := tandem.Conversation{Source: in.Source, ExternalID: in.ExternalID, Title: in.Title,
		CustomerName: in.CustomerName, CustomerLang: in.CustomerLang, Status: in.Status}
	if err := s.store.UpsertConversation(ctx, &c); err != nil {
		return c, fmt.Errorf("save conversation %s: %w", in.ExternalID, err)
	}
	s.publish(Event{Type: EventConversation, Conversation: &c})
	return c, nil
}

// Message validates and stores one message in an existing conversation. It
// returns once the message is committed.
func (s *Service) Message(ctx context.Context, in MessageInput) (Result, error) {
	if err := checkID("conversation id", in.ConversationID, true); err != nil {
		return Result{}, err
	}
	if err := checkID("external_id", in.ExternalID, false); err != nil {
		return Result{}, err
	}
	if !utf8.ValidString(in.Text) {
		return Result{}, tandem.Errorf(tandem.EINVALID, "text is not valid UTF-8")
	}
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" {
		return Result{}, tandem.Errorf(tandem.EINVALID, "text is empty")
	}
	if in.Lang != "" && !tandem.ValidLangTag(in.Lang) {
		return Result{}, tandem.Errorf(tandem.EINVALID, "lang %q is not a language tag such as en or zh-CN", in.Lang)
	}
	c, err := s.store.ConversationByExternalID(ctx, in.Source, in.ConversationID)
	if err != nil {
		if tandem.ErrorCode(err) == tandem.ENOTFOUND {
			return Result{}, tandem.Errorf(tandem.ENOTFOUND, "conversation %q does not exist: create it first", in.ConversationID)
		}
		return Result{}, err
	}
	if c.Status == tandem.ConversationEnded {
		return Result{}, tandem.Errorf(tandem.ECONFLICT, "conversation %q has ended; reopen it to add messages", in.ConversationID)
	}
	m := tandem.Message{ConversationID: c.ID, ExternalID: in.ExternalID, Role: in.Role, Text: in.Text,
		Lang: in.Lang, SentAt: in.SentAt}
	created, err := s.store.AddMessage(ctx, &m)
	if err != nil {
		return Result{}, err
	}
	if created {
		s.publish(Event{Type: EventMessage, Conversation: &c, Message: &m})
	}
	return Result{Message: m, Created: created}, nil
}

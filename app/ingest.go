package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"tandem/internal/httpapi"
	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

// ConversationReader finds conversations by Tandem's id.
type ConversationReader interface {
	Conversation(ctx context.Context, id int64) (tandem.Conversation, error)
}

// Clipboard is the system clipboard.
type Clipboard interface {
	Text(ctx context.Context) (string, error)
	SetText(ctx context.Context, text string) error
}

// IngestService lets the agent add messages by hand and follow the clipboard.
type IngestService struct {
	ctx    context.Context
	ingest *ingest.Service
	convs  ConversationReader
	clip   Clipboard
	events Emitter
	api    func() APIStatus

	mu       sync.Mutex
	active   int64  // the conversation on screen
	watching bool   // clipboard watch on
	lastClip string // the clipboard's text at the last look
	ownClip  string // the last text Tandem itself copied
}

func NewIngestService(ctx context.Context, ing *ingest.Service, convs ConversationReader, clip Clipboard, events Emitter, api func() APIStatus) *IngestService {
	return &IngestService{ctx: ctx, ingest: ing, convs: convs, clip: clip, events: events, api: api}
}

// APIStatus says whether the local ingest API listens, and where.
func (s *IngestService) APIStatus() APIStatus { return s.api() }

// Add appends a typed or pasted message to a conversation.
func (s *IngestService) Add(conversationID int64, role string, text string) (tandem.Message, error) {
	c, err := s.convs.Conversation(s.ctx, conversationID)
	if err != nil {
		return tandem.Message{}, err
	}
	res, err := s.ingest.Message(s.ctx, ingest.MessageInput{
		Source: c.Source, ConversationID: c.ExternalID, Role: tandem.Role(role), Text: text,
	})
	return res.Message, err
}

// NewConversation starts a conversation for messages typed or pasted by hand.
func (s *IngestService) NewConversation(title, customerName string) (tandem.Conversation, error) {
	return s.ingest.Conversation(s.ctx, ingest.ConversationInput{
		Source: ingest.SourceManual, ExternalID: "manual-" + strconv.FormatInt(time.Now().UnixNano(), 36),
		Title: title, CustomerName: customerName,
	})
}

// SetActive tells which conversation is on screen; the clipboard feeds it.
func (s *IngestService) SetActive(conversationID int64) {
	s.mu.Lock()
	s.active = conversationID
	s.mu.Unlock()
}

// SetClipboardWatch turns the clipboard watch on or off. Text already on
// the clipboard when it is turned on is not taken.
func (s *IngestService) SetClipboardWatch(on bool) bool {
	var current string
	if on {
		current, _ = s.clip.Text(s.ctx)
	}
	s.mu.Lock()
	s.watching, s.lastClip = on, current
	s.mu.Unlock()
	s.events.Emit(EventClipboardChanged, on)
	return on
}

// ClipboardWatch reports whether the clipboard watch is on.
func (s *IngestService) ClipboardWatch() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.watching
}

// Copy puts text on the clipboard as Tandem's own, which the watch ignores.
func (s *IngestService) Copy(text string) error {
	s.mu.Lock()
	s.ownClip = text
	s.mu.Unlock()
	return s.clip.SetText(s.ctx, text)
}

// WatchClipboard looks at the clipboard every interval while the watch is on,
// and adds each new text as the active conversation's next customer message.
// (A function, not a method, so that Wails does not offer it to the window.)
func WatchClipboard(ctx context.Context, s *IngestService, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.pollClipboard(ctx)
		}
	}
}

func (s *IngestService) pollClipboard(ctx context.Context) {
	s.mu.Lock()
	on, active := s.watching, s.active
	s.mu.Unlock()
	if !on {
		return
	}
	text, err := s.clip.Text(ctx)
	if err != nil {
		return
	}
	s.mu.Lock()
	// Empty or whitespace-only clipboards (an image, a cleared selection) are not messages.
	fresh := text != s.lastClip && text != s.ownClip && strings.TrimSpace(text) != ""
	s.lastClip = text
	s.mu.Unlock()
	if !fresh || active == 0 {
		return
	}
	if _, err := s.Add(active, string(tandem.RoleCustomer), text); err != nil {
		s.events.Emit(EventIngestFailed, err.Error())
	}
}

// ForwardIngestEvents tells the window about every committed change until ctx ends.
func ForwardIngestEvents(ctx context.Context, ing *ingest.Service, events Emitter) {
	eachIngestEvent(ctx, ing, func(ingest.Event) { events.Emit(EventConversationsChanged, nil) })
}

// eachIngestEvent calls fn with every ingest event until ctx ends.
func eachIngestEvent(ctx context.Context, ing *ingest.Service, fn func(ingest.Event)) {
	ch, cancel := ing.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-ch:
			if !ok {
				return
			}
			fn(e)
		}
	}
}

// APIStatus says whether the local ingest API is listening.
type APIStatus struct {
	Listening bool   `json:"listening"`
	URL       string `json:"url"`
	Error     string `json:"error"`
}

// APIRunner keeps the local ingest API listening on the port and with the
// token from Settings, restarting it when they change.
type APIRunner struct {
	ctx    context.Context
	newAPI func(token string) *httpapi.Server
	events Emitter
	log    *slog.Logger

	mu     sync.Mutex
	port   int
	token  string
	stop   context.CancelFunc
	status APIStatus
}

func NewAPIRunner(ctx context.Context, newAPI func(token string) *httpapi.Server, events Emitter, log *slog.Logger) *APIRunner {
	return &APIRunner{ctx: ctx, newAPI: newAPI, events: events, log: log}
}

// Apply (re)starts the API if the port or token changed.
func (r *APIRunner) Apply(s tandem.Settings) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stop != nil && s.IngestPort == r.port && s.IngestToken == r.token {
		return
	}
	if r.stop != nil {
		r.stop()
		r.stop = nil
	}
	r.port, r.token = s.IngestPort, s.IngestToken
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.IngestPort))
	r.status = APIStatus{URL: "http://" + addr}
	l, err := httpapi.Listen(addr)
	if err != nil {
		r.status.Error = fmt.Sprintf("%v: choose another port in Settings", err)
		r.log.Warn("ingest api", "err", err)
	} else {
		ctx, cancel := context.WithCancel(r.ctx)
		r.stop = cancel
		r.status.Listening = true
		go httpapi.Serve(ctx, l, r.newAPI(s.IngestToken))
	}
	r.events.Emit(EventAPIChanged, r.status)
}

// Status reports whether the API listens.
func (r *APIRunner) Status() APIStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

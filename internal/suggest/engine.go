package suggest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"tandem/internal/llm"
	"tandem/internal/tandem"
)

// Chatter streams a chat completion; *llm.Client is one.
type Chatter interface {
	Chat(ctx context.Context, req llm.ChatRequest, onDelta func(string)) (llm.ChatResult, error)
}

// Store is what the engine needs of the database.
type Store interface {
	Messages(ctx context.Context, conversationID int64) ([]tandem.Message, error)
	AddSuggestion(ctx context.Context, sg *tandem.Suggestion) error
	UpdateSuggestion(ctx context.Context, sg *tandem.Suggestion) error
}

// Articles finds the knowledge-base articles for a conversation.
type Articles func(ctx context.Context, msgs []tandem.Message) ([]tandem.KnowledgeHit, error)

// Request is one turn to suggest for.
type Request struct {
	ConversationID int64
	MessageID      int64     // the customer message; the conversation is read up to it
	StoredAt       time.Time // when the message was committed, for the queue time
	Model          string
	AgentLang      string
	CustomerLang   string // as detected; "" to take the message's own tag
	Glossary       []GlossaryEntry
	Tone           string         // "" or one of Tones: the agent asked to re-run the draft so
	Budget         int            // prompt characters; 0 for DefaultBudget
	Options        map[string]any // model options over the defaults, e.g. num_predict
}

// DefaultBudget fits a 4,096-token context with room for the answer: about
// three characters a token for mixed English and Chinese.
const DefaultBudget = 9000

// Update is the state of a suggestion as it streams; the last one of a run
// has Status done, cancelled or failed.
type Update struct {
	ConversationID int64                   `json:"conversationId"`
	MessageID      int64                   `json:"messageId"`
	SuggestionID   int64                   `json:"suggestionId"`
	Status         tandem.SuggestionStatus `json:"status"`
	Suggestion     Suggestion              `json:"suggestion"`
	Articles       []tandem.KnowledgeHit   `json:"articles"` // numbered [1]..[n] as cited
	Known          Known                   `json:"known"`
	Dropped        []string                `json:"dropped"`  // follow-ups removed for asking for a known fact
	Repaired       bool                    `json:"repaired"` // the model's answer was broken and repaired
	Flagged        bool                    `json:"flagged"`  // the customer turn tried to instruct the model
	Tone           string                  `json:"tone"`     // the tone the agent asked for, if any
	Error          string                  `json:"error"`
}

// StoredUpdate reads a stored draft suggestion back as the last update of
// its run, for a conversation reopened: shown again without regenerating.
func StoredUpdate(sg tandem.Suggestion) (Update, error) {
	var u Update
	if err := json.Unmarshal(sg.Content, &u); err != nil {
		return u, fmt.Errorf("read suggestion %d: %w", sg.ID, err)
	}
	u.ConversationID, u.MessageID, u.SuggestionID, u.Status = sg.ConversationID, sg.MessageID, sg.ID, sg.Status
	return u, nil
}

// Engine runs one suggestion at a time per conversation: a newer customer
// message cancels the older run at once, and the cancelled draft is stored
// and reported as cancelled, never as finished.
type Engine struct {
	chat     Chatter
	store    Store
	articles Articles
	onUpdate func(Update)

	startMu sync.Mutex // one Start at a time, so two cannot both replace the same run
	mu      sync.Mutex
	running map[int64]*run // by conversation
}

type run struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// NewEngine returns an engine that reports every update to onUpdate, which
// must not block (the app throttles it on the way to the window).
func NewEngine(chat Chatter, store Store, articles Articles, onUpdate func(Update)) *Engine {
	return &Engine{chat: chat, store: store, articles: articles, onUpdate: onUpdate, running: map[int64]*run{}}
}

// Start begins a suggestion for req, cancelling the one running for the
// same conversation and waiting until it has stopped. It returns at once
// after that; the run goes on until ctx ends, it finishes or a newer Start
// cancels it.
func (e *Engine) Start(ctx context.Context, req Request) {
	e.startMu.Lock()
	defer e.startMu.Unlock()
	e.mu.Lock()
	if old := e.running[req.ConversationID]; old != nil {
		old.cancel()
		e.mu.Unlock()
		<-old.done
		e.mu.Lock()
	}
	runCtx, cancel := context.WithCancel(ctx)
	r := &run{cancel: cancel, done: make(chan struct{})}
	e.running[req.ConversationID] = r
	e.mu.Unlock()
	go func() {
		defer close(r.done)
		defer cancel()
		e.run(runCtx, req)
		e.mu.Lock()
		if e.running[req.ConversationID] == r {
			delete(e.running, req.ConversationID)
		}
		e.mu.Unlock()
	}()
}

// Cancel stops the run for a conversation, if any, and waits for it.
func (e *Engine) Cancel(conversationID int64) {
	e.mu.Lock()
	r := e.running[conversationID]
	e.mu.Unlock()
	if r != nil {
		r.cancel()
		<-r.done
	}
}

// Wait blocks until no run is left, for shutdown and tests.
func (e *Engine) Wait() {
	for {
		e.mu.Lock()
		var r *run
		for _, x := range e.running {
			r = x
			break
		}
		e.mu.Unlock()
		if r == nil {
			return
		}
		<-r.done
	}
}

func (e *Engine) run(ctx context.Context, req Request) {
	u := Update{ConversationID: req.ConversationID, MessageID: req.MessageID, Status: tandem.SuggestionStreaming, Tone: req.Tone}
	sg := &tandem.Suggestion{ConversationID: req.ConversationID, MessageID: req.MessageID, Kind: tandem.KindDraft,
		Status: tandem.SuggestionStreaming, Model: req.Model, PromptVersion: PromptVersion}
	fail := func(err error) {
		u.Status, u.Error = tandem.SuggestionFailed, err.Error()
		if errors.Is(err, context.Canceled) {
			u.Status, u.Error = tandem.SuggestionCancelled, ""
		}
		sg.Status = u.Status
		if sg.ID != 0 {
			// Recorded even when cancelled: the row must not stay "streaming".
			sg.Content, _ = json.Marshal(u)
			_ = e.store.UpdateSuggestion(context.WithoutCancel(ctx), sg)
		}
		e.onUpdate(u)
	}

	msgs, err := e.store.Messages(ctx, req.ConversationID)
	if err != nil {
		fail(err)
		return
	}
	msgs = upTo(msgs, req.MessageID)
	if len(msgs) == 0 {
		fail(fmt.Errorf("message %d is not in conversation %d", req.MessageID, req.ConversationID))
		return
	}
	last := msgs[len(msgs)-1]
	arts, err := e.articles(ctx, msgs)
	if err != nil {
		fail(err)
		return
	}
	u.Articles = arts
	u.Known = ExtractFacts(msgs)
	u.Flagged = last.Role == tandem.RoleCustomer && LooksLikeInjection(last.Text)
	custLang := req.CustomerLang
	if custLang == "" {
		custLang = last.Lang
	}
	in := Input{Messages: msgs, Articles: arts, Facts: u.Known, AgentLang: req.AgentLang,
		CustomerLang: custLang, Glossary: req.Glossary, Tone: req.Tone, Flagged: u.Flagged}
	budget := req.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	prompt := BuildPrompt(in, budget)

	if err := e.store.AddSuggestion(ctx, sg); err != nil {
		fail(err)
		return
	}
	u.SuggestionID = sg.ID
	e.onUpdate(u)

	sent := time.Now()
	if !req.StoredAt.IsZero() {
		sg.Queue = sent.Sub(req.StoredAt)
	}
	var text []byte
	// num_predict bounds the answer: Ollama would otherwise shift the context
	// and let a model that never stops write for ever.
	opts := map[string]any{"temperature": 0.3, "num_predict": 768}
	for k, v := range req.Options {
		opts[k] = v
	}
	res, err := e.chat.Chat(ctx, llm.ChatRequest{Model: req.Model, Messages: prompt, Format: Schema, Options: opts}, func(d string) {
		text = append(text, d...)
		if closed := ClosePartial(string(text)); closed != "" {
			var p Suggestion
			if json.Unmarshal([]byte(closed), &p) == nil {
				u.Suggestion = p.normalised()
				e.onUpdate(u)
			}
		}
	})
	sg.FirstToken, sg.Total = res.FirstToken, res.Total
	sg.PromptTokens, sg.OutputTokens = res.PromptEvalCount, res.EvalCount
	if err != nil {
		fail(err)
		return
	}
	s, repaired := Parse(res.Text)
	s = FilterCitations(s, len(arts))
	// The model's reading of what was given counts too: a fact the patterns
	// missed ("it's the blue one") must not be asked for either.
	known := maps.Clone(u.Known)
	for _, f := range s.Given {
		if _, ok := known[f]; !ok {
			known[f] = "(given, as the model read it)"
		}
	}
	s.Followups, u.Dropped = FilterFollowups(s.Followups, known)
	u.Suggestion, u.Repaired, u.Status = s, repaired, tandem.SuggestionDone
	sg.Status = tandem.SuggestionDone
	sg.Content, _ = json.Marshal(u)
	if err := e.store.UpdateSuggestion(ctx, sg); err != nil {
		fail(err)
		return
	}
	e.onUpdate(u)
}

// upTo returns the messages up to and including id.
func upTo(msgs []tandem.Message, id int64) []tandem.Message {
	for i, m := range msgs {
		if m.ID == id {
			return msgs[:i+1]
		}
	}
	return nil
}

package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"tandem/internal/ingest"
	"tandem/internal/lang"
	"tandem/internal/llm"
	"tandem/internal/suggest"
	"tandem/internal/tandem"
)

// SuggestStore is what SuggestService needs of the database.
type SuggestStore interface {
	suggest.Store
	Suggestions(ctx context.Context, conversationID int64) ([]tandem.Suggestion, error)
	Suggestion(ctx context.Context, id int64) (tandem.Suggestion, error)
	Conversation(ctx context.Context, id int64) (tandem.Conversation, error)
	AddFeedback(ctx context.Context, f *tandem.Feedback) error
}

// Turn is what the Suggestions panel shows for a conversation: the latest
// structured suggestion and the customer's message in the agent's language.
type Turn struct {
	Update      *suggest.Update  `json:"update"`      // nil before the first customer message
	Translation *TranslationView `json:"translation"` // nil when no translation is needed
}

// TranslationView is a translation as it streams or as it was stored.
type TranslationView struct {
	ConversationID int64                   `json:"conversationId"`
	MessageID      int64                   `json:"messageId"`
	SuggestionID   int64                   `json:"suggestionId"`
	Status         tandem.SuggestionStatus `json:"status"`
	suggest.Translation
	Error string `json:"error"`
}

// SuggestService runs the suggestion engine on every customer message and
// takes the agent's feedback. Nothing it does sends anything to the
// customer: the agent inserts, edits and sends.
type SuggestService struct {
	ctx       context.Context
	store     SuggestStore
	knowledge *KnowledgeService
	events    Emitter
	detector  *lang.Detector
	logger    *slog.Logger
	engine    *suggest.Engine

	mu          sync.Mutex
	set         tandem.Settings
	client      *llm.Client
	translating map[int64]context.CancelFunc // by conversation
	started     map[int64]int64              // by conversation: the message last started for
}

// NewSuggestService returns the service; Apply must give it settings.
func NewSuggestService(ctx context.Context, store SuggestStore, knowledge *KnowledgeService, events Emitter, logger *slog.Logger) *SuggestService {
	s := &SuggestService{ctx: ctx, store: store, knowledge: knowledge, events: events, detector: lang.New(), logger: logger,
		translating: map[int64]context.CancelFunc{}, started: map[int64]int64{}}
	s.engine = suggest.NewEngine(currentServer{s}, store, s.articles, func(u suggest.Update) {
		events.Emit(EventSuggestUpdate, Keyed{Key: fmt.Sprint(u.ConversationID), Data: u})
	})
	return s
}

// Apply follows the settings' server, chat model, agent language and glossary.
func (s *SuggestService) Apply(set tandem.Settings) {
	c, err := llm.New(set.OllamaHost)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set = set
	if err == nil {
		s.client = c
	}
}

func (s *SuggestService) settings() (tandem.Settings, *llm.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.set, s.client
}

// currentServer is the Chatter of the Ollama server in Settings at the
// time of each call, so a changed host takes effect at the next turn. It is
// a type of its own so that Wails does not offer Chat to the window.
type currentServer struct{ s *SuggestService }

func (cs currentServer) Chat(ctx context.Context, req llm.ChatRequest, onDelta func(string)) (llm.ChatResult, error) {
	_, c := cs.s.settings()
	if c == nil {
		return llm.ChatResult{}, fmt.Errorf("no usable Ollama host in Settings")
	}
	return c.Chat(ctx, req, onDelta)
}

// articles are the ones the Knowledge panel shows: fused with meaning when
// an embedding model is set.
func (s *SuggestService) articles(ctx context.Context, msgs []tandem.Message) ([]tandem.KnowledgeHit, error) {
	found, err := s.knowledge.articles(ctx, msgs, true)
	return found.Hits, err
}

// FollowIngest starts a suggestion for every new customer message until ctx ends.
// A message sent longer ago than liveTurn (a transcript imported, a backlog
// polled) is history, not a customer waiting: it gets no suggestion of its
// own; the agent can ask for one with Regenerate.
func FollowIngest(ctx context.Context, ing *ingest.Service, s *SuggestService) {
	eachIngestEvent(ctx, ing, func(e ingest.Event) {
		if e.Type == ingest.EventMessage && e.Message != nil && e.Message.Role == tandem.RoleCustomer &&
			time.Since(e.Message.SentAt) < liveTurn {
			s.turn(*e.Message, "", false)
		}
	})
}

const liveTurn = 30 * time.Minute

// turn starts the structured pass for a customer message and, when the
// customer writes another language than the agent, its translation. A
// message is started once, however many paths ask (the message arriving,
// the agent opening the conversation at that moment); again only when the
// agent asks (again).
func (s *SuggestService) turn(m tandem.Message, tone string, again bool) {
	set, _ := s.settings()
	s.mu.Lock()
	if s.started[m.ConversationID] == m.ID && !again {
		s.mu.Unlock()
		return
	}
	s.started[m.ConversationID] = m.ID
	s.mu.Unlock()
	msgs, err := s.store.Messages(s.ctx, m.ConversationID)
	if err != nil {
		s.logger.Error("suggest: read the conversation", "conversation", m.ConversationID, "err", err)
		return
	}
	custLang := s.detector.Conversation(msgs)
	if custLang == "" {
		custLang = m.Lang
	}
	s.engine.Start(s.ctx, suggest.Request{ConversationID: m.ConversationID, MessageID: m.ID, StoredAt: m.CreatedAt,
		Model: set.ChatModel, AgentLang: set.AgentLang, CustomerLang: custLang, Glossary: set.Glossary, Tone: tone})
	if tone == "" && suggest.NeedsTranslation(s.detector.Detect(m.Text), set.AgentLang) {
		s.translate(m, custLang)
	}
}

// translate streams the customer's message into the agent's language,
// cancelling the translation of an older message of the conversation.
func (s *SuggestService) translate(m tandem.Message, from string) {
	set, _ := s.settings()
	ctx, cancel := context.WithCancel(s.ctx)
	s.mu.Lock()
	if old := s.translating[m.ConversationID]; old != nil {
		old()
	}
	s.translating[m.ConversationID] = cancel
	s.mu.Unlock()
	go func() {
		defer cancel()
		v := TranslationView{ConversationID: m.ConversationID, MessageID: m.ID, Status: tandem.SuggestionStreaming,
			Translation: suggest.Translation{From: from, To: set.AgentLang}}
		sg := &tandem.Suggestion{ConversationID: m.ConversationID, MessageID: m.ID, Kind: tandem.KindTranslation,
			Status: tandem.SuggestionStreaming, Model: set.ChatModel, PromptVersion: suggest.PromptVersion}
		if err := s.store.AddSuggestion(ctx, sg); err != nil {
			s.logger.Error("suggest: store a translation", "err", err)
			return
		}
		v.SuggestionID = sg.ID
		var text strings.Builder
		tr, err := suggest.Translate(ctx, currentServer{s}, suggest.TranslateRequest{Model: set.ChatModel, Text: m.Text, From: from,
			To: set.AgentLang, AgentLang: set.AgentLang, Glossary: set.Glossary}, func(d string) {
			text.WriteString(d)
			v.Text = text.String()
			s.events.Emit(EventSuggestTranslation, Keyed{Key: fmt.Sprint(v.ConversationID), Data: v})
		})
		v.Translation, v.Status = tr, tandem.SuggestionDone
		switch {
		case ctx.Err() != nil:
			v.Status = tandem.SuggestionCancelled
		case err != nil:
			v.Status, v.Error = tandem.SuggestionFailed, err.Error()
		}
		sg.Status, sg.FirstToken, sg.Total = v.Status, tr.Result.FirstToken, tr.Result.Total
		sg.PromptTokens, sg.OutputTokens = tr.Result.PromptEvalCount, tr.Result.EvalCount
		sg.Content, _ = json.Marshal(v)
		if err := s.store.UpdateSuggestion(context.WithoutCancel(ctx), sg); err != nil {
			s.logger.Error("suggest: store a translation", "err", err)
		}
		s.events.Emit(EventSuggestTranslation, Keyed{Key: fmt.Sprint(v.ConversationID), Data: v})
	}()
}

// Latest returns what the panel showed last for the conversation, from the
// database: a reopened conversation is not generated again. A conversation
// whose last customer message never had a suggestion (one seeded, imported,
// or that came while Tandem was closed) gets one started, which streams in
// as events.
func (s *SuggestService) Latest(conversationID int64) (Turn, error) {
	list, err := s.store.Suggestions(s.ctx, conversationID)
	if err != nil {
		return Turn{}, err
	}

	var t Turn
	for _, sg := range slices.Backward(list) {
		switch {
		case sg.Kind == tandem.KindDraft && t.Update == nil:
			u, err := suggest.StoredUpdate(sg)
			if err != nil {
				return t, err
			}
			if u.Status == tandem.SuggestionStreaming && time.Since(sg.CreatedAt) > time.Minute {
				u.Status = tandem.SuggestionCancelled // cut off by a quit or a crash
			}
			t.Update = &u
		case sg.Kind == tandem.KindTranslation && t.Translation == nil:
			var v TranslationView
			if err := json.Unmarshal(sg.Content, &v); err == nil {
				v.SuggestionID, v.Status = sg.ID, sg.Status
				t.Translation = &v
			}
		}
	}
	// A translation of an older message than the draft's is stale.
	if t.Update != nil && t.Translation != nil && t.Translation.MessageID != t.Update.MessageID {
		t.Translation = nil
	}
	var answered int64
	if t.Update != nil {
		answered = t.Update.MessageID
	}
	if err := s.startIfWaiting(conversationID, answered); err != nil {
		return t, err
	}
	return t, nil
}

// startIfWaiting starts a suggestion when the conversation is open, its
// last message is the customer's, and that message is not the one answered.
func (s *SuggestService) startIfWaiting(conversationID, answered int64) error {
	c, err := s.store.Conversation(s.ctx, conversationID)
	if err != nil || c.Status != tandem.ConversationOpen {
		return err
	}
	msgs, err := s.store.Messages(s.ctx, conversationID)
	if err != nil {
		return err
	}
	if n := len(msgs); n > 0 && msgs[n-1].Role == tandem.RoleCustomer && msgs[n-1].ID != answered {
		s.turn(msgs[n-1], "", false)
	}
	return nil
}

// Regenerate runs the draft again for the conversation's last customer
// message, in a tone: "", "friendly", "formal", "empathetic" or "shorter".
func (s *SuggestService) Regenerate(conversationID int64, tone string) error {
	if tone != "" && !slices.Contains(suggest.Tones, tone) {
		return tandem.Errorf(tandem.EINVALID, "tone %q is not one of %s", tone, strings.Join(suggest.Tones, ", "))
	}
	msgs, err := s.store.Messages(s.ctx, conversationID)
	if err != nil {
		return err
	}
	for _, m := range slices.Backward(msgs) {
		if m.Role == tandem.RoleCustomer {
			s.turn(m, tone, true)
			return nil
		}
	}
	return tandem.Errorf(tandem.EINVALID, "the conversation has no customer message to answer yet")
}

// Feedback records what the agent did with a suggestion: shown, inserted,
// copied, edited (with the text sent: its distance to the draft is kept),
// dismissed, thumbs_up or thumbs_down (with an optional reason).
func (s *SuggestService) Feedback(suggestionID int64, action string, finalText string, reason string) error {
	f := tandem.Feedback{SuggestionID: suggestionID, Action: tandem.FeedbackAction(action), FinalText: finalText, Reason: reason}
	if f.Action == tandem.FeedbackEdited {
		draft, err := s.draftOf(suggestionID)
		if err != nil {
			return err
		}
		f.EditDistance = suggest.EditDistance(draft, finalText)
	}
	return s.store.AddFeedback(s.ctx, &f)
}

func (s *SuggestService) draftOf(suggestionID int64) (string, error) {
	sg, err := s.store.Suggestion(s.ctx, suggestionID)
	if err != nil {
		return "", err
	}
	u, err := suggest.StoredUpdate(sg)
	return u.Suggestion.Draft, err
}

// TranslateReply turns the agent's reply into the customer's language, for
// the agent to read both before sending.
func (s *SuggestService) TranslateReply(conversationID int64, text string) (suggest.Translation, error) {
	set, _ := s.settings()
	msgs, err := s.store.Messages(s.ctx, conversationID)
	if err != nil {
		return suggest.Translation{}, err
	}
	to := s.detector.Conversation(msgs)
	if to == "" {
		return suggest.Translation{}, tandem.Errorf(tandem.EINVALID, "the customer's language is not known yet: wait for a customer message")
	}
	from := s.detector.Detect(text)
	if from == "" {
		from = set.AgentLang
	}
	return suggest.Translate(s.ctx, currentServer{s}, suggest.TranslateRequest{Model: set.ChatModel, Text: text, From: from, To: to,
		AgentLang: set.AgentLang, Glossary: set.Glossary}, nil)
}

package app

import (
	"context"
	"log/slog"
	"sync"

	"tandem/internal/kb"
	"tandem/internal/llm"
	"tandem/internal/tandem"
)

// KnowledgeStore is what KnowledgeService needs of the database.
type KnowledgeStore interface {
	kb.VectorStore
	kb.HistoryStore
}

// KnowledgeService finds the knowledge-base articles that answer a
// conversation, and resolved conversations like it. The lexical search needs
// no model, so results show as soon as a message is stored; the frontend
// then asks again with semantic on, which adds an embedding call.
type KnowledgeService struct {
	ctx       context.Context
	store     KnowledgeStore
	retriever *kb.Retriever

	mu       sync.Mutex
	semantic kb.Semantic
}

func NewKnowledgeService(ctx context.Context, store KnowledgeStore) *KnowledgeService {
	return &KnowledgeService{ctx: ctx, store: store, retriever: kb.NewRetriever(store)}
}

// Apply follows the settings' Ollama host and embedding model.
func (s *KnowledgeService) Apply(set tandem.Settings) {
	sem := semanticOf(set)
	s.mu.Lock()
	s.semantic = sem
	s.mu.Unlock()
}

// semanticOf is the embedding model of the settings, or lexical search alone
// when none is set or the host is unusable (Settings says why).
func semanticOf(set tandem.Settings) kb.Semantic {
	if set.EmbedModel == "" {
		return kb.Semantic{}
	}
	c, err := llm.New(set.OllamaHost)
	if err != nil {
		return kb.Semantic{}
	}
	return kb.Semantic{Embedder: c, Model: set.EmbedModel}
}

// ForConversation returns up to five articles for the conversation as it
// stands: by words alone when semantic is false, fused with meaning-based
// search when it is true and an embedding model is set.
func (s *KnowledgeService) ForConversation(conversationID int64, semantic bool) (kb.Found, error) {
	msgs, err := s.store.Messages(s.ctx, conversationID)
	if err != nil {
		return kb.Found{}, err
	}
	return s.articles(s.ctx, msgs, semantic)
}

// articles is ForConversation on messages at hand; the suggestion engine
// grounds its drafts in the same articles the panel shows.
func (s *KnowledgeService) articles(ctx context.Context, msgs []tandem.Message, semantic bool) (kb.Found, error) {
	var sem kb.Semantic
	if semantic {
		s.mu.Lock()
		sem = s.semantic
		s.mu.Unlock()
	}
	return s.retriever.Articles(ctx, msgs, 5, sem)
}

// Similar returns up to three resolved conversations like this one.
func (s *KnowledgeService) Similar(conversationID int64) ([]tandem.SimilarConversation, error) {
	msgs, err := s.store.Messages(s.ctx, conversationID)
	if err != nil {
		return nil, err
	}
	return kb.SimilarConversations(s.ctx, s.store, conversationID, msgs, 3)
}

// EmbedProgress is sent while passages are being embedded.
type EmbedProgress struct {
	Model string `json:"model"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Error string `json:"error"` // why the run stopped early; it resumes on the next kick
	Over  bool   `json:"over"`  // the run has ended
}

// EmbedRunner computes the embeddings the knowledge base lacks for the
// embedding model in Settings, in the background: at start, when Settings
// change and after every import. A new kick cancels a run under way.
type EmbedRunner struct {
	store  kb.EmbedStore
	events Emitter
	logger *slog.Logger
	kick   chan struct{}

	mu  sync.Mutex
	sem kb.Semantic
}

func NewEmbedRunner(store kb.EmbedStore, events Emitter, logger *slog.Logger) *EmbedRunner {
	return &EmbedRunner{store: store, events: events, logger: logger, kick: make(chan struct{}, 1)}
}

// Apply follows the settings' embedding model and starts a run.
func (r *EmbedRunner) Apply(set tandem.Settings) {
	r.mu.Lock()
	r.sem = semanticOf(set)
	r.mu.Unlock()
	r.Kick()
}

// Kick asks for a run, for example after an import.
func (r *EmbedRunner) Kick() {
	select {
	case r.kick <- struct{}{}:
	default: // one is pending already
	}
}

// Run embeds on every kick until ctx ends.
func (r *EmbedRunner) Run(ctx context.Context) {
	var stop context.CancelFunc
	var done chan struct{}
	wait := func() { // ends the run under way, if any
		if stop != nil {
			stop()
			<-done
		}
	}
	defer wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.kick:
		}
		wait()
		r.mu.Lock()
		sem := r.sem
		r.mu.Unlock()
		if sem.Embedder == nil {
			stop = nil
			continue
		}
		runCtx, cancel := context.WithCancel(ctx)
		stop, done = cancel, make(chan struct{})
		go func(done chan struct{}) {
			defer close(done)
			r.embed(runCtx, sem)
		}(done)
	}
}

func (r *EmbedRunner) embed(ctx context.Context, sem kb.Semantic) {
	last := EmbedProgress{Model: sem.Model}
	n, err := kb.EmbedPassages(ctx, r.store, sem.Embedder, sem.Model, func(done, total int) {
		last.Done, last.Total = done, total
		r.events.Emit(EventKBEmbedding, last)
	})
	if ctx.Err() != nil {
		return // a newer run takes over
	}
	last.Over = true
	if err != nil {
		last.Error = err.Error()
		r.logger.Warn("embedding the knowledge base stopped", "model", sem.Model, "err", err)
	}
	if n > 0 || err != nil {
		r.events.Emit(EventKBEmbedding, last)
	}
}

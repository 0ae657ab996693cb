package app

import (
	"context"

	"tandem/internal/kb"
	"tandem/internal/tandem"
)

// KnowledgeStore is what KnowledgeService needs of the database.
type KnowledgeStore interface {
	kb.Searcher
	Messages(ctx context.Context, conversationID int64) ([]tandem.Message, error)
}

// KnowledgeService finds the knowledge-base articles that answer a
// conversation. It needs no model, so results show as soon as a message is stored.
type KnowledgeService struct {
	ctx   context.Context
	store KnowledgeStore
}

func NewKnowledgeService(ctx context.Context, store KnowledgeStore) *KnowledgeService {
	return &KnowledgeService{ctx: ctx, store: store}
}

// ForConversation returns up to five articles for the conversation as it stands.
func (s *KnowledgeService) ForConversation(conversationID int64) ([]tandem.KnowledgeHit, error) {
	msgs, err := s.store.Messages(s.ctx, conversationID)
	if err != nil {
		return nil, err
	}
	return kb.Search(s.ctx, s.store, msgs, 5)
}

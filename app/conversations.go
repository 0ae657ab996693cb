package app

import (
	"context"

	"tandem/internal/tandem"
)

// ConversationStore is what ConversationService needs of the database.
type ConversationStore interface {
	Conversations(ctx context.Context) ([]tandem.Conversation, error)
	Messages(ctx context.Context, conversationID int64) ([]tandem.Message, error)
}

// ConversationService lists conversations and their transcripts.
type ConversationService struct {
	ctx   context.Context
	store ConversationStore
}

func NewConversationService(ctx context.Context, store ConversationStore) *ConversationService {
	return &ConversationService{ctx: ctx, store: store}
}

// List returns the conversations, most recently active first.
func (s *ConversationService) List() ([]tandem.Conversation, error) {
	return s.store.Conversations(s.ctx)
}

// Messages returns one conversation's transcript.
func (s *ConversationService) Messages(conversationID int64) ([]tandem.Message, error) {
	return s.store.Messages(s.ctx, conversationID)
}

package tandem

import (
	"encoding/json"
	"time"
)

// SuggestionKind is what a suggestion suggests.
type SuggestionKind string

const (
	KindKnowledge   SuggestionKind = "knowledge"
	KindDraft       SuggestionKind = "draft" // the structured pass: draft, follow-ups, mood
	KindTranslation SuggestionKind = "translation"
	KindFollowups   SuggestionKind = "followups"
)

// SuggestionStatus is where a suggestion's generation stands.
type SuggestionStatus string

const (
	SuggestionStreaming SuggestionStatus = "streaming"
	SuggestionDone      SuggestionStatus = "done"
	SuggestionCancelled SuggestionStatus = "cancelled" // a newer message came first; never shown as finished
	SuggestionFailed    SuggestionStatus = "failed"
)

// Suggestion is one stored suggestion for a customer message, with what
// produced it and how fast, so that a conversation reopened shows it again
// without regenerating, and a team lead can judge it.
type Suggestion struct {
	ID             int64            `json:"id"`
	ConversationID int64            `json:"conversationId"`
	MessageID      int64            `json:"messageId"` // the customer message it answers
	Kind           SuggestionKind   `json:"kind"`
	Status         SuggestionStatus `json:"status"`
	Content        json.RawMessage  `json:"content"` // kind-specific JSON
	Model          string           `json:"model"`
	PromptVersion  string           `json:"promptVersion"`
	Queue          time.Duration    `json:"queueMs"`      // from message stored to request sent
	FirstToken     time.Duration    `json:"firstTokenMs"` // from request sent to the first token
	Total          time.Duration    `json:"totalMs"`      // from request sent to the end
	PromptTokens   int              `json:"promptTokens"`
	OutputTokens   int              `json:"outputTokens"`
	CreatedAt      time.Time        `json:"createdAt"`
}

// FeedbackAction is what the agent did with a suggestion.
type FeedbackAction string

const (
	FeedbackShown      FeedbackAction = "shown"
	FeedbackInserted   FeedbackAction = "inserted"
	FeedbackCopied     FeedbackAction = "copied"
	FeedbackEdited     FeedbackAction = "edited" // sent after changes: FinalText and EditDistance say how much
	FeedbackDismissed  FeedbackAction = "dismissed"
	FeedbackThumbsUp   FeedbackAction = "thumbs_up"
	FeedbackThumbsDown FeedbackAction = "thumbs_down"
)

// Valid reports whether a is a known action.
func (a FeedbackAction) Valid() bool {
	switch a {
	case FeedbackShown, FeedbackInserted, FeedbackCopied, FeedbackEdited, FeedbackDismissed, FeedbackThumbsUp, FeedbackThumbsDown:
		return true
	}
	return false
}

// Feedback is one agent action on a suggestion.
type Feedback struct {
	ID           int64          `json:"id"`
	SuggestionID int64          `json:"suggestionId"`
	Action       FeedbackAction `json:"action"`
	FinalText    string         `json:"finalText"`
	EditDistance int            `json:"editDistance"`
	Reason       string         `json:"reason"`
	CreatedAt    time.Time      `json:"createdAt"`
}

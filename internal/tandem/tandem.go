// Package tandem holds the domain types shared by every part of the copilot:
// conversations and their messages, knowledge-base articles, suggestions,
// feedback and settings. It imports nothing but the standard library, so any
// package may depend on it and it depends on none of them.
package tandem

import (
	"errors"
	"fmt"
	"time"
)

// Role is who wrote a message.
type Role string

const (
	RoleCustomer Role = "customer"
	RoleAgent    Role = "agent"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleCustomer || r == RoleAgent }

// ConversationStatus tells whether a conversation still expects messages.
type ConversationStatus string

const (
	ConversationOpen  ConversationStatus = "open"
	ConversationEnded ConversationStatus = "ended"
)

// Conversation is one chat between a customer and an agent, from any source.
type Conversation struct {
	ID           int64              `json:"id"`
	ExternalID   string             `json:"externalId"` // id in the source system, unique per source
	Source       string             `json:"source"`     // "demo", "api", "chatwoot", ...
	Title        string             `json:"title"`
	CustomerName string             `json:"customerName"`
	CustomerLang string             `json:"customerLang"` // BCP 47 tag, "" when unknown
	Status       ConversationStatus `json:"status"`
	CreatedAt    time.Time          `json:"createdAt"`
	UpdatedAt    time.Time          `json:"updatedAt"`

	// Filled by list queries for the conversation list.
	LastMessage  string `json:"lastMessage"`
	MessageCount int    `json:"messageCount"`
	Sentiment    string `json:"sentiment"` // as the latest finished suggestion read the customer: calm, worried, angry or ""
	Urgency      string `json:"urgency"`   // low, normal, high or ""
}

// Message is one turn of a conversation.
type Message struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversationId"`
	ExternalID     string    `json:"externalId"` // makes ingest idempotent; "" when the source has none
	Role           Role      `json:"role"`
	Text           string    `json:"text"`
	Lang           string    `json:"lang"`
	SentAt         time.Time `json:"sentAt"`    // when the author sent it, as the source says
	CreatedAt      time.Time `json:"createdAt"` // when Tandem stored it
}

// MaxMessageBytes bounds a message's text; longer input is rejected, not cut.
const MaxMessageBytes = 64 << 10

// Validate reports what is wrong with m, in words a caller can act on.
func (m *Message) Validate() error {
	switch {
	case !m.Role.Valid():
		return Errorf(EINVALID, "role %q is not customer or agent", m.Role)
	case m.Text == "":
		return Errorf(EINVALID, "text is empty")
	case len(m.Text) > MaxMessageBytes:
		return Errorf(EINVALID, "text is %d bytes; the limit is %d", len(m.Text), MaxMessageBytes)
	}
	return nil
}

// Article is one knowledge-base article.
type Article struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"` // the id given by the source, else its path
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Tags      string    `json:"tags"`
	Lang      string    `json:"lang"`
	URL       string    `json:"url"`
	Source    string    `json:"source"` // what it was imported from: a path, or "demo"
	Hash      string    `json:"-"`      // of the content, to skip unchanged re-imports
	UpdatedAt time.Time `json:"updatedAt"`

	// Passages are what search matches; package kb makes them.
	Passages []Passage `json:"-"`
}

// Passage is a piece of an article, with its text as the search index sees it.
type Passage struct {
	Text       string
	TitleTerms string
	Terms      string
}

// PassageMatch is a passage the index found for a query, with its text as
// the search index sees it, for package kb to score.
type PassageMatch struct {
	ID         int64
	ArticleID  int64
	TitleTerms string
	Terms      string
}

// IndexStats describes the passage index as a whole, for BM25.
type IndexStats struct {
	Passages int     // how many passages there are
	AvgTerms float64 // index terms per passage (title and text), on average
}

// KnowledgeHit is an article found for a conversation, with the passage
// that matched best and the query terms found in it.
type KnowledgeHit struct {
	Article Article  `json:"article"`
	Passage string   `json:"passage"`
	Matches []string `json:"matches"` // words of the passage to highlight
	Score   float64  `json:"score"`   // higher is better
	// Via says why it was found: "words" (the lexical index), "meaning"
	// (embeddings), or both.
	Via []string `json:"via"`
}

// Ways a knowledge hit was found, for KnowledgeHit.Via.
const (
	ViaWords   = "words"
	ViaMeaning = "meaning"
)

// SimilarConversation is a resolved conversation like the open one: what
// the customer asked then and the agent's last answer, to reuse what worked.
type SimilarConversation struct {
	Conversation Conversation `json:"conversation"`
	Question     string       `json:"question"`   // the customer message that matched best
	Resolution   string       `json:"resolution"` // the agent's last message
	Matches      []string     `json:"matches"`    // words of Question to highlight
	Score        float64      `json:"score"`      // higher is better
}

// Error codes, after Ben Johnson's WTF Dial: a few codes the edges map to
// HTTP statuses or UI states, with a message fit to show a person.
const (
	ECONFLICT = "conflict"
	EINTERNAL = "internal"
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
)

// Error is a domain error with a code and a human-readable message.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

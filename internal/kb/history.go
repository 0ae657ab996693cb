package kb

import (
	"context"
	"strings"

	"tandem/internal/tandem"
)

// HistoryStore is what "solved before" needs of the database.
type HistoryStore interface {
	EndedUnindexed(ctx context.Context, limit int) ([]int64, error)
	IndexHistory(ctx context.Context, conversationID int64, terms string) error
	SearchHistory(ctx context.Context, match string, exclude int64, limit int) ([]tandem.SimilarConversation, error)
	Messages(ctx context.Context, conversationID int64) ([]tandem.Message, error)
}

// HistoryTerms is what the history index holds of a resolved conversation:
// the index terms of its customer turns, without filler. The agent's turns
// are left out for the reason QueryTerms leaves them out.
func HistoryTerms(msgs []tandem.Message) string {
	var out []string
	for _, m := range msgs {
		if m.Role != tandem.RoleCustomer {
			continue
		}
		for _, t := range Terms(m.Text) {
			if telling(t) {
				out = append(out, t)
			}
		}
	}
	return strings.Join(out, " ")
}

// IndexHistory adds the ended conversations that are not in the history
// index yet. It is cheap when there are none, so searches call it first.
func IndexHistory(ctx context.Context, st HistoryStore) error {
	for {
		ids, err := st.EndedUnindexed(ctx, 200)
		if err != nil || len(ids) == 0 {
			return err
		}
		for _, id := range ids {
			msgs, err := st.Messages(ctx, id)
			if err != nil {
				return err
			}
			if err := st.IndexHistory(ctx, id, HistoryTerms(msgs)); err != nil {
				return err
			}
		}
	}
}

// SimilarConversations finds resolved conversations like this one, best
// first, each with the customer message that matched best and the agent's
// last answer.
func SimilarConversations(ctx context.Context, st HistoryStore, conversationID int64, msgs []tandem.Message, limit int) ([]tandem.SimilarConversation, error) {
	if err := IndexHistory(ctx, st); err != nil {
		return nil, err
	}
	terms := QueryTerms(msgs)
	if len(terms) == 0 {
		return []tandem.SimilarConversation{}, nil
	}
	found, err := st.SearchHistory(ctx, MatchAny(terms[:min(len(terms), keepAtMost)]), conversationID, limit)
	if err != nil {
		return nil, err
	}
	for i := range found {
		past, err := st.Messages(ctx, found[i].Conversation.ID)
		if err != nil {
			return nil, err
		}
		best := -1
		for _, m := range past {
			switch m.Role {
			case tandem.RoleCustomer:
				if ms := matches(m.Text, terms); len(ms) > best {
					best, found[i].Question, found[i].Matches = len(ms), m.Text, ms
				}
			case tandem.RoleAgent:
				found[i].Resolution = m.Text
			}
		}
	}
	return found, nil
}

// MatchAny is an FTS5 query for any of terms, each quoted so that no term
// is read as query syntax.
func MatchAny(terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = ftsTerm(t)
	}
	return strings.Join(quoted, " OR ")
}

// ftsTerm quotes one term for an FTS5 query.
func ftsTerm(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }

package kb

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"tandem/internal/store"
	"tandem/internal/tandem"
)

func TestSimilarConversations(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	add := func(id string, status tandem.ConversationStatus, turns ...string) int64 {
		t.Helper()
		c := &tandem.Conversation{Source: "test", ExternalID: id, Title: id}
		if err := st.UpsertConversation(ctx, c); err != nil {
			t.Fatal(err)
		}
		for i, m := range msgs(turns...) {
			m.ConversationID, m.ExternalID = c.ID, fmt.Sprint(i)
			if _, err := st.AddMessage(ctx, &m); err != nil {
				t.Fatal(err)
			}
		}
		if status != "" {
			c.Status = status
			if err := st.UpsertConversation(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		return c.ID
	}
	add("parcel", tandem.ConversationEnded, "Hello", "Hi, how can I help?", "My parcel has been stuck in customs for a week",
		"I opened a trace with the courier; it will arrive Friday.")
	add("shoes", tandem.ConversationEnded, "These shoes are too small, can I exchange them?", "Yes, send them back with the form.")
	add("退款", tandem.ConversationEnded, "我的退款还没到账", "退款已处理，3到5个工作日到账。")
	add("open one", "", "My parcel is stuck in customs too") // not resolved: never suggested
	current := add("current", "", "Hi", "Hello!", "my parcel is stuck at customs, what now?")

	tests := []struct {
		name           string
		convo          []tandem.Message
		want           []string
		wantQuestion   string
		wantResolution string
	}{
		{"english", msgs("Hi", "Hello!", "my parcel is stuck at customs, what now?"), []string{"parcel"},
			"My parcel has been stuck in customs for a week", "I opened a trace with the courier; it will arrive Friday."},
		{"chinese", msgs("退款什么时候到账？"), []string{"退款"}, "我的退款还没到账", "退款已处理，3到5个工作日到账。"},
		{"greeting only", msgs("Hello, thanks"), nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SimilarConversations(ctx, st, current, tt.convo, 3)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.Conversation.ExternalID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("similar = %v, want %v", ids, tt.want)
			}
			if len(got) > 0 && (got[0].Question != tt.wantQuestion || got[0].Resolution != tt.wantResolution || len(got[0].Matches) == 0) {
				t.Fatalf("first = %q / %q / %q", got[0].Question, got[0].Resolution, got[0].Matches)
			}
		})
	}

	// Reopened, it leaves the index; a new message makes it stale; ended
	// again, it is found by its new words.
	shoes, err := st.ConversationByExternalID(ctx, "test", "shoes")
	if err != nil {
		t.Fatal(err)
	}
	shoes.Status = tandem.ConversationOpen
	if err := st.UpsertConversation(ctx, &shoes); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddMessage(ctx, &tandem.Message{ConversationID: shoes.ID, ExternalID: "late", Role: tandem.RoleCustomer, Text: "Also my zipper broke"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := SimilarConversations(ctx, st, current, msgs("zipper broke"), 3); len(got) != 0 {
		t.Fatalf("an open conversation was suggested: %+v", got)
	}
	shoes.Status = tandem.ConversationEnded
	if err := st.UpsertConversation(ctx, &shoes); err != nil {
		t.Fatal(err)
	}
	got, err := SimilarConversations(ctx, st, current, msgs("zipper broke"), 3)
	if err != nil || len(got) != 1 || got[0].Conversation.ExternalID != "shoes" {
		t.Fatalf("after ending again: %+v, %v", got, err)
	}
	if ok, err := st.FTSIntegrityCheck(ctx); !ok || err != nil {
		t.Fatalf("FTS integrity: %v", err)
	}
}

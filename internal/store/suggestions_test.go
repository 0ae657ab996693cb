package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tandem/internal/tandem"
)

func TestSuggestionsAndFeedback(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	c := &tandem.Conversation{Source: "test", ExternalID: "c1"}
	if err := s.UpsertConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	m := &tandem.Message{ConversationID: c.ID, Role: tandem.RoleCustomer, Text: "Where is my parcel?"}
	if _, err := s.AddMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	sg := &tandem.Suggestion{ConversationID: c.ID, MessageID: m.ID, Kind: tandem.KindDraft, Status: tandem.SuggestionStreaming,
		Model: "tiny", PromptVersion: "suggest-1", Queue: 12 * time.Millisecond}
	if err := s.AddSuggestion(ctx, sg); err != nil || sg.ID == 0 {
		t.Fatalf("AddSuggestion: %v", err)
	}
	sg.Status, sg.Content = tandem.SuggestionDone, json.RawMessage(`{"draft":"On its way."}`)
	sg.FirstToken, sg.Total, sg.PromptTokens, sg.OutputTokens = 80*time.Millisecond, 900*time.Millisecond, 812, 40
	if err := s.UpdateSuggestion(ctx, sg); err != nil {
		t.Fatal(err)
	}
	list, err := s.Suggestions(ctx, c.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("Suggestions: %v, %v", list, err)
	}
	got := list[0]
	if got.Status != tandem.SuggestionDone || string(got.Content) != `{"draft":"On its way."}` || got.Queue != 12*time.Millisecond ||
		got.Total != 900*time.Millisecond || got.PromptTokens != 812 || got.Model != "tiny" {
		t.Fatalf("stored %+v", got)
	}

	tests := []struct {
		name    string
		f       tandem.Feedback
		wantErr string
	}{
		{"shown", tandem.Feedback{SuggestionID: sg.ID, Action: tandem.FeedbackShown}, ""},
		{"edited", tandem.Feedback{SuggestionID: sg.ID, Action: tandem.FeedbackEdited, FinalText: "On its way!", EditDistance: 1}, ""},
		{"thumbs down", tandem.Feedback{SuggestionID: sg.ID, Action: tandem.FeedbackThumbsDown, Reason: "wrong policy"}, ""},
		{"unknown action", tandem.Feedback{SuggestionID: sg.ID, Action: "liked"}, "not one of"},
		{"no such suggestion", tandem.Feedback{SuggestionID: 999, Action: tandem.FeedbackShown}, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.AddFeedback(ctx, &tt.f)
			if (tt.wantErr == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("AddFeedback: %v, want %q", err, tt.wantErr)
			}
		})
	}
	fb, err := s.Feedback(ctx, sg.ID)
	if err != nil || len(fb) != 3 || fb[1].FinalText != "On its way!" || fb[1].EditDistance != 1 || fb[2].Reason != "wrong policy" {
		t.Fatalf("Feedback: %+v, %v", fb, err)
	}
}

// The conversation list carries the mood the latest finished draft read.
func TestConversationMood(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	c := &tandem.Conversation{Source: "test", ExternalID: "m"}
	if err := s.UpsertConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	m := &tandem.Message{ConversationID: c.ID, Role: tandem.RoleCustomer, Text: "This is the third time!"}
	if _, err := s.AddMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		status  tandem.SuggestionStatus
		content string
	}{
		{tandem.SuggestionDone, `{"suggestion":{"sentiment":"worried","urgency":"normal"}}`},
		{tandem.SuggestionDone, `{"suggestion":{"sentiment":"angry","urgency":"high"}}`},
		{tandem.SuggestionCancelled, `{"suggestion":{"sentiment":"calm","urgency":"low"}}`}, // not finished: not counted
	} {
		sg := &tandem.Suggestion{ConversationID: c.ID, MessageID: m.ID, Kind: tandem.KindDraft, Status: x.status, Content: json.RawMessage(x.content)}
		if err := s.AddSuggestion(ctx, sg); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Conversations(ctx)
	if err != nil || len(list) != 1 || list[0].Sentiment != "angry" || list[0].Urgency != "high" {
		t.Fatalf("list %+v, %v", list, err)
	}
}

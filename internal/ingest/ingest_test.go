package ingest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tandem/internal/ingest"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

var _ ingest.Store = (*store.Store)(nil)

func TestMessage(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := ingest.New(st)
	events, cancel := svc.Subscribe()
	defer cancel()

	if _, err := svc.Conversation(ctx, ingest.ConversationInput{Source: "api", ExternalID: "c1", Title: "Refund"}); err != nil {
		t.Fatal(err)
	}
	<-events // conversation.updated

	msg := func(ext, text string) ingest.MessageInput {
		return ingest.MessageInput{Source: "api", ConversationID: "c1", ExternalID: ext, Role: tandem.RoleCustomer, Text: text}
	}
	tests := []struct {
		name        string
		in          ingest.MessageInput
		wantCode    string
		wantCreated bool
		wantEvent   bool
	}{
		{"new", msg("m1", "  I want my money back  "), "", true, true},
		{"repeat: stored once, no event", msg("m1", "I want my money back"), "", false, false},
		{"invalid UTF-8", msg("m2", "bad \xff"), tandem.EINVALID, false, false},
		{"blank", msg("m3", " \n\t "), tandem.EINVALID, false, false},
		{"long id", msg(strings.Repeat("x", ingest.MaxIDLen+1), "hi"), tandem.EINVALID, false, false},
		{"id with newline", msg("a\nb", "hi"), tandem.EINVALID, false, false},
		{"unknown conversation", ingest.MessageInput{Source: "api", ConversationID: "nope", Role: tandem.RoleCustomer, Text: "hi"}, tandem.ENOTFOUND, false, false},
		{"same id, other source", ingest.MessageInput{Source: "chatwoot", ConversationID: "c1", Role: tandem.RoleCustomer, Text: "hi"}, tandem.ENOTFOUND, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := svc.Message(ctx, tt.in)
			if code := tandem.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("error %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if res.Created != tt.wantCreated {
				t.Fatalf("created %v", res.Created)
			}
			select {
			case e := <-events:
				if !tt.wantEvent {
					t.Fatalf("unexpected event %+v", e)
				}
				if e.Type != ingest.EventMessage || e.Message.Text != "I want my money back" {
					t.Fatalf("event %+v", e)
				}
				// The event comes after the commit: the message is readable.
				msgs, _ := st.Messages(ctx, e.Message.ConversationID)
				if len(msgs) == 0 || msgs[len(msgs)-1].ID != e.Message.ID {
					t.Fatal("event before the message was stored")
				}
			case <-time.After(50 * time.Millisecond):
				if tt.wantEvent {
					t.Fatal("no event")
				}
			}
		})
	}

	// An ended conversation takes no more messages until it is reopened.
	svc.Conversation(ctx, ingest.ConversationInput{Source: "api", ExternalID: "c1", Status: tandem.ConversationEnded})
	if _, err := svc.Message(ctx, msg("m9", "hello?")); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Fatalf("message to ended conversation: %v", err)
	}
	c, _ := svc.Conversation(ctx, ingest.ConversationInput{Source: "api", ExternalID: "c1", Status: tandem.ConversationOpen})
	if c.Title != "Refund" {
		t.Fatalf("reopening lost the title: %+v", c)
	}
	if _, err := svc.Message(ctx, msg("m9", "hello?")); err != nil {
		t.Fatal(err)
	}
}

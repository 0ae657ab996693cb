package chatwoot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// ParseWebhook never panics, and what it accepts is usable: a conversation
// id, and for a message non-empty UTF-8 text from the customer or the
// agent. Seeds: testdata/fuzz/FuzzParseWebhook.
func FuzzParseWebhook(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := ParseWebhook(body)
		if err != nil {
			return
		}
		if e.Skip == "" && e.Conversation.ExternalID == "" {
			t.Fatalf("accepted an event without a conversation id: %+v", e)
		}
		if m := e.Message; m != nil {
			if m.ConversationID == "" || m.ExternalID == "" || !m.Role.Valid() || !utf8.ValidString(m.Text) || strings.TrimSpace(m.Text) == "" {
				t.Fatalf("accepted an unusable message: %+v", m)
			}
		}
	})
}

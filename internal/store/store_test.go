package store_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"tandem/internal/golden"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tandem.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The schema a fresh database gets from the migrations must equal the reviewed
// snapshot in testdata/schema.sql, and a database migrated up one version at a
// time, with data in it, must end with the same schema.
func TestSchema(t *testing.T) {
	ctx := context.Background()
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	s, err := store.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	golden.Check(t, filepath.Join("testdata", "schema.sql"), []byte(got))

	stepped := filepath.Join(t.TempDir(), "stepped.db")
	if err := store.MigrateStepwise(ctx, stepped, func(version int64, s *store.Store) error {
		// Leave data behind at every version, as a real user's database would have.
		c := &tandem.Conversation{Source: "test", ExternalID: "v" + string(rune('0'+version)), Title: "t"}
		if err := s.UpsertConversation(ctx, c); err != nil {
			return err
		}
		_, err := s.AddMessage(ctx, &tandem.Message{ConversationID: c.ID, Role: tandem.RoleCustomer, Text: "hello"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(ctx, stepped)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	gotStepped, err := s.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if gotStepped != got {
		t.Fatalf("stepwise-migrated schema differs from fresh:\n%s\nvs\n%s", gotStepped, got)
	}
	if ok, err := s.IntegrityCheck(ctx); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
}

func TestPragmas(t *testing.T) {
	s := openStore(t)
	got, err := s.Pragmas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"writer journal_mode": "wal", "writer foreign_keys": "1", "writer busy_timeout": "5000", "writer synchronous": "1",
		"reader journal_mode": "wal", "reader foreign_keys": "1", "reader busy_timeout": "5000", "reader query_only": "1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	defaults := tandem.DefaultSettings(func(string) string { return "" })

	got, err := s.Settings(ctx, defaults)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, defaults) {
		t.Fatalf("unsaved settings = %+v, want defaults %+v", got, defaults)
	}

	want := defaults
	want.OllamaHost, want.ChatModel, want.EmbedModel = "10.1.2.3:11500", "llama3.2:3b", "nomic-embed-text"
	want.AgentLang, want.UILang, want.IngestPort, want.IngestToken = "zh-CN", "zh-CN", 9123, "secret-token"
	want.ChatwootMode, want.ChatwootURL, want.ChatwootAccountID, want.ChatwootToken = "poll", "https://chat.example.com", 3, "tok"
	want.Glossary = []tandem.GlossaryEntry{{Source: "补发", Target: "reshipment", Lang: "en"}, {Source: "退款", Target: "refund"}}
	if err := s.SaveSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Settings(ctx, defaults); !reflect.DeepEqual(got, want) {
		t.Fatalf("saved settings read back as %+v, want %+v", got, want)
	}

	bad := want
	bad.UILang = "klingon"
	if err := s.SaveSettings(ctx, bad); tandem.ErrorCode(err) != tandem.EINVALID {
		t.Fatalf("SaveSettings(bad) = %v, want invalid", err)
	}
	bad = want
	bad.Glossary = []tandem.GlossaryEntry{{Source: "退款", Target: ""}}
	if err := s.SaveSettings(ctx, bad); err == nil || !strings.Contains(err.Error(), "glossary line 1") {
		t.Fatalf("SaveSettings(half a glossary entry) = %v", err)
	}
	if got, _ = s.Settings(ctx, defaults); !reflect.DeepEqual(got, want) {
		t.Fatalf("a rejected save changed settings to %+v", got)
	}
}

func TestMessages(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	c := &tandem.Conversation{Source: "api", ExternalID: "c-1", Title: "Parcel late", CustomerLang: "en"}
	if err := s.UpsertConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	first := c.ID
	c.Title = "Parcel late (renamed)"
	if err := s.UpsertConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.ID != first {
		t.Fatalf("upsert gave a new id %d, want %d", c.ID, first)
	}

	tests := []struct {
		name        string
		msg         tandem.Message
		wantCreated bool
		wantCode    string
	}{
		{"new", tandem.Message{ConversationID: c.ID, ExternalID: "m1", Role: tandem.RoleCustomer, Text: "Where is my parcel?"}, true, ""},
		{"repeat external id", tandem.Message{ConversationID: c.ID, ExternalID: "m1", Role: tandem.RoleCustomer, Text: "changed"}, false, ""},
		{"no external id", tandem.Message{ConversationID: c.ID, Role: tandem.RoleAgent, Text: "Let me check."}, true, ""},
		{"no external id again", tandem.Message{ConversationID: c.ID, Role: tandem.RoleAgent, Text: "Let me check."}, true, ""},
		{"unknown role", tandem.Message{ConversationID: c.ID, Role: "bot", Text: "x"}, false, tandem.EINVALID},
		{"empty", tandem.Message{ConversationID: c.ID, Role: tandem.RoleCustomer}, false, tandem.EINVALID},
		{"too long", tandem.Message{ConversationID: c.ID, Role: tandem.RoleCustomer, Text: strings.Repeat("a", tandem.MaxMessageBytes+1)}, false, tandem.EINVALID},
		{"unknown conversation", tandem.Message{ConversationID: 9999, Role: tandem.RoleCustomer, Text: "hi"}, false, tandem.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.msg
			created, err := s.AddMessage(ctx, &m)
			if code := tandem.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("AddMessage error = %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if created != tt.wantCreated {
				t.Fatalf("created = %v, want %v", created, tt.wantCreated)
			}
			if err == nil && m.ID == 0 {
				t.Fatal("message id not set")
			}
		})
	}

	msgs, err := s.Messages(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3: %+v", len(msgs), msgs)
	}
	if msgs[0].Text != "Where is my parcel?" {
		t.Fatalf("a repeated external id overwrote the first message: %q", msgs[0].Text)
	}
	if _, err := s.Messages(ctx, 9999); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Fatalf("Messages(unknown) = %v, want not found", err)
	}

	list, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].MessageCount != 3 || list[0].LastMessage != "Let me check." || list[0].Title != "Parcel late (renamed)" {
		t.Fatalf("Conversations() = %+v", list)
	}
}

// Many goroutines writing at once must all succeed: the single writer
// connection queues them instead of failing with SQLITE_BUSY.
func TestConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	c := &tandem.Conversation{Source: "api", ExternalID: "busy"}
	if err := s.UpsertConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m := &tandem.Message{ConversationID: c.ID, Role: tandem.RoleCustomer, Text: "hi",
					ExternalID: string(rune('a'+w)) + "-" + string(rune('0'+i%10)) + string(rune('0'+i/10))}
				if _, err := s.AddMessage(ctx, m); err != nil {
					errs <- err
				}
				if _, err := s.Messages(ctx, c.ID); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	msgs, _ := s.Messages(ctx, c.ID)
	if len(msgs) != writers*each {
		t.Fatalf("stored %d messages, want %d", len(msgs), writers*each)
	}
}

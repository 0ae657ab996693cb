package suggest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tandem/internal/llm"
	"tandem/internal/ollamatest"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

var (
	_ Store   = (*store.Store)(nil)
	_ Chatter = (*llm.Client)(nil)
)

type updates struct {
	mu   sync.Mutex
	list []Update
}

func (u *updates) add(x Update) {
	u.mu.Lock()
	u.list = append(u.list, x)
	u.mu.Unlock()
}

func (u *updates) of(msg int64) []Update {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []Update
	for _, x := range u.list {
		if x.MessageID == msg {
			out = append(out, x)
		}
	}
	return out
}

// engineFixture is a database with one conversation and a real Ollama server.
func engineFixture(t *testing.T) (*store.Store, *llm.Client, *tandem.Conversation) {
	t.Helper()
	srv := ollamatest.Start(t)
	c, err := llm.New(srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	conv := &tandem.Conversation{Source: "test", ExternalID: "c"}
	if err := st.UpsertConversation(context.Background(), conv); err != nil {
		t.Fatal(err)
	}
	return st, c, conv
}

func addMsg(t *testing.T, st *store.Store, conv int64, role tandem.Role, text string) tandem.Message {
	t.Helper()
	m := tandem.Message{ConversationID: conv, Role: role, Text: text, Lang: "en"}
	if _, err := st.AddMessage(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func noArticles(context.Context, []tandem.Message) ([]tandem.KnowledgeHit, error) {
	return []tandem.KnowledgeHit{shipping}, nil
}

// Against the real server with the tiny model: the answer streams in as
// growing partial JSON, ends as done and is stored with its timings.
func TestEngineStreamsAndStores(t *testing.T) {
	st, c, conv := engineFixture(t)
	ctx := context.Background()
	var got updates
	e := NewEngine(c, st, noArticles, got.add)
	m := addMsg(t, st, conv.ID, tandem.RoleCustomer, "Hi, my order #100482 has not arrived")
	e.Start(ctx, Request{ConversationID: conv.ID, MessageID: m.ID, StoredAt: time.Now(), Model: ollamatest.Model, AgentLang: "en",
		Options: map[string]any{"num_predict": 120, "seed": 7}})
	e.Wait()
	us := got.of(m.ID)
	if len(us) < 3 {
		t.Fatalf("%d updates, want the start, partial ones and the end", len(us))
	}
	final := us[len(us)-1]
	if final.Status != tandem.SuggestionDone && final.Status != tandem.SuggestionFailed {
		t.Fatalf("final status %s", final.Status)
	}
	if final.Status == tandem.SuggestionFailed {
		t.Fatalf("run failed: %s", final.Error)
	}
	partial := 0
	for _, u := range us[:len(us)-1] {
		if u.Status != tandem.SuggestionStreaming {
			t.Fatalf("a %s update before the end", u.Status)
		}
		if u.Suggestion.Draft != "" {
			partial++
		}
	}
	if partial == 0 {
		t.Fatal("no partial draft was shown while streaming")
	}
	if _, ok := final.Known[FactOrder]; !ok {
		t.Fatalf("known facts %v lack the order number", final.Known)
	}
	for _, q := range final.Suggestion.Followups {
		if len(AsksFor(q)) > 0 && AsksFor(q)[0] == FactOrder {
			t.Fatalf("follow-up %q asks for the order number again", q)
		}
	}
	rows, err := st.Suggestions(ctx, conv.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("stored %v, %v", rows, err)
	}
	row := rows[0]
	stored, err := StoredUpdate(row)
	if err != nil || row.Status != tandem.SuggestionDone || stored.Suggestion.Draft != final.Suggestion.Draft || stored.Known[FactOrder] == "" ||
		row.Total <= 0 || row.PromptTokens == 0 || row.Model != ollamatest.Model || row.PromptVersion != PromptVersion {
		t.Fatalf("stored row %+v (%v)", row, err)
	}
}

// A newer customer message cancels the running generation at once: the
// older run ends as cancelled, in the database too, and the newer finishes.
func TestEngineNewerMessageCancels(t *testing.T) {
	st, c, conv := engineFixture(t)
	ctx := context.Background()
	var got updates
	e := NewEngine(c, st, noArticles, got.add)
	first := addMsg(t, st, conv.ID, tandem.RoleCustomer, "Where is my parcel?")
	e.Start(ctx, Request{ConversationID: conv.ID, MessageID: first.ID, Model: ollamatest.Model, AgentLang: "en",
		Options: map[string]any{"num_predict": 4000}})
	// Wait for the first run to be streaming text.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		us := got.of(first.ID)
		if len(us) > 0 && us[len(us)-1].Suggestion.Draft != "" {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	second := addMsg(t, st, conv.ID, tandem.RoleCustomer, "Hello?? Anyone?")
	t0 := time.Now()
	e.Start(ctx, Request{ConversationID: conv.ID, MessageID: second.ID, Model: ollamatest.Model, AgentLang: "en",
		Options: map[string]any{"num_predict": 40}})
	cancelDelay := time.Since(t0) // Start returns once the older run has stopped
	e.Wait()

	us := got.of(first.ID)
	if last := us[len(us)-1]; last.Status != tandem.SuggestionCancelled {
		t.Fatalf("the older run ended as %s, want cancelled", last.Status)
	}
	for _, u := range us {
		if u.Status == tandem.SuggestionDone {
			t.Fatal("the cancelled draft was reported as finished")
		}
	}
	if us2 := got.of(second.ID); us2[len(us2)-1].Status != tandem.SuggestionDone {
		t.Fatalf("the newer run ended as %s: %s", us2[len(us2)-1].Status, us2[len(us2)-1].Error)
	}
	rows, err := st.Suggestions(ctx, conv.ID)
	if err != nil || len(rows) != 2 || rows[0].Status != tandem.SuggestionCancelled || rows[1].Status != tandem.SuggestionDone {
		t.Fatalf("stored %+v, %v", rows, err)
	}
	t.Logf("cancellation took %v", cancelDelay)
}

// An answer cut off by the token limit is repaired, not lost.
func TestEngineRepairsTruncatedOutput(t *testing.T) {
	st, c, conv := engineFixture(t)
	var got updates
	e := NewEngine(c, st, noArticles, got.add)
	m := addMsg(t, st, conv.ID, tandem.RoleCustomer, "My refund has not arrived")
	e.Start(context.Background(), Request{ConversationID: conv.ID, MessageID: m.ID, Model: ollamatest.Model, AgentLang: "en",
		Options: map[string]any{"num_predict": 12}})
	e.Wait()
	us := got.of(m.ID)
	final := us[len(us)-1]
	if final.Status != tandem.SuggestionDone || !final.Repaired {
		t.Fatalf("final %s repaired=%v %s", final.Status, final.Repaired, final.Error)
	}
}

// cannedChat answers every request with the same text, streamed in pieces.
type cannedChat struct{ text string }

var _ Chatter = cannedChat{}

func (c cannedChat) Chat(_ context.Context, _ llm.ChatRequest, onDelta func(string)) (llm.ChatResult, error) {
	for i := 0; i < len(c.text); i += 7 {
		onDelta(c.text[i:min(i+7, len(c.text))])
	}
	return llm.ChatResult{Text: c.text, Done: true}, nil
}

// What the model reads as given is never asked for either, nor what the
// patterns found, and a citation of an article it was not given goes.
func TestEngineFiltersModelAnswer(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	conv := &tandem.Conversation{Source: "test", ExternalID: "c"}
	if err := st.UpsertConversation(context.Background(), conv); err != nil {
		t.Fatal(err)
	}
	m := addMsg(t, st, conv.ID, tandem.RoleCustomer, "It's the blue kettle from order #100482, it leaks.")
	answer := `{"draft":"Sorry! We will replace it [1] [4].","citations":[1,4],"given":["product"],` +
		`"followups":["Which product is it?","What is your order number?","Could you send a photo of the leak?"],` +
		`"sentiment":"worried","urgency":"normal","intent":"replace","language":"en","handover":false}`
	var got updates
	e := NewEngine(cannedChat{answer}, st, noArticles, got.add)
	e.Start(context.Background(), Request{ConversationID: conv.ID, MessageID: m.ID, Model: "m", AgentLang: "en"})
	e.Wait()
	us := got.of(m.ID)
	final := us[len(us)-1]
	if final.Status != tandem.SuggestionDone {
		t.Fatalf("status %s %s", final.Status, final.Error)
	}
	s := final.Suggestion
	if len(s.Followups) != 1 || s.Followups[0] != "Could you send a photo of the leak?" || len(final.Dropped) != 2 {
		t.Fatalf("follow-ups %q, dropped %q", s.Followups, final.Dropped)
	}
	if s.Draft != "Sorry! We will replace it [1]." || len(s.Citations) != 1 {
		t.Fatalf("draft %q citations %v", s.Draft, s.Citations)
	}
	if len(us) < 4 {
		t.Fatalf("%d updates: the answer was not shown as it streamed", len(us))
	}
}

package app

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"tandem/internal/ingest"
	"tandem/internal/ollamatest"
	"tandem/internal/suggest"
	"tandem/internal/tandem"
)

// Through the real ingest path and a real Ollama server: a customer message
// starts a suggestion (and, for an English customer of a Chinese-speaking
// agent, a translation), both are stored and come back on reopening, and
// the agent's feedback is recorded.
func TestSuggestServiceEndToEnd(t *testing.T) {
	srv := ollamatest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := testStore(t)
	set := tandem.DefaultSettings(func(string) string { return "" })
	set.OllamaHost, set.ChatModel, set.AgentLang = srv.Host, ollamatest.Model, "zh-CN"
	set.Glossary = []tandem.GlossaryEntry{{Source: "补发", Target: "reshipment", Lang: "en"}}

	rec := &recorder{}
	knowledge := NewKnowledgeService(ctx, st)
	svc := NewSuggestService(ctx, st, knowledge, rec, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Apply(set)
	knowledge.Apply(set)
	ing := ingest.New(st)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); FollowIngest(ctx, ing, svc) }()
	time.Sleep(50 * time.Millisecond) // subscribed

	c, err := ing.Conversation(ctx, ingest.ConversationInput{Source: "test", ExternalID: "c1", Title: "Late parcel"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ing.Message(ctx, ingest.MessageInput{Source: "test", ConversationID: "c1", Role: tandem.RoleCustomer,
		Text: "Hello, my order #100482 has not arrived and the tracking has not moved for a week."})
	if err != nil {
		t.Fatal(err)
	}
	// Wait for the draft and the translation to end.
	var turn Turn
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if turn, err = svc.Latest(c.ID); err != nil {
			t.Fatal(err)
		}
		if turn.Update != nil && turn.Update.Status != tandem.SuggestionStreaming &&
			turn.Translation != nil && turn.Translation.Status != tandem.SuggestionStreaming {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if turn.Update == nil || turn.Update.Status != tandem.SuggestionDone || turn.Update.MessageID != res.Message.ID {
		t.Fatalf("draft %+v", turn.Update)
	}
	if turn.Translation == nil || turn.Translation.Status != tandem.SuggestionDone || turn.Translation.To != "zh-CN" || turn.Translation.From != "en" {
		t.Fatalf("translation %+v", turn.Translation)
	}
	if _, ok := turn.Update.Known[suggest.FactOrder]; !ok {
		t.Fatalf("the order number was not seen as known: %v", turn.Update.Known)
	}
	var updates, translations int
	rec.mu.Lock()
	for _, e := range rec.events {
		switch e.name {
		case EventSuggestUpdate:
			updates++
		case EventSuggestTranslation:
			translations++
		}
	}
	rec.mu.Unlock()
	if updates < 2 || translations < 1 {
		t.Fatalf("%d suggestion and %d translation events", updates, translations)
	}

	// Feedback: an edited draft keeps its distance to what was sent.
	sent := turn.Update.Suggestion.Draft + " Thanks!"
	if err := svc.Feedback(turn.Update.SuggestionID, "edited", sent, ""); err != nil {
		t.Fatal(err)
	}
	if err := svc.Feedback(turn.Update.SuggestionID, "thumbs_down", "", "wrong policy"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Feedback(turn.Update.SuggestionID, "loved", "", ""); err == nil {
		t.Fatal("an unknown action was accepted")
	}
	fb, err := st.Feedback(ctx, turn.Update.SuggestionID)
	if err != nil || len(fb) != 2 || fb[0].EditDistance != len(" Thanks!") || fb[1].Reason != "wrong policy" {
		t.Fatalf("feedback %+v, %v", fb, err)
	}

	// A tone re-runs only the draft.
	if err := svc.Regenerate(c.ID, "loud"); err == nil || !strings.Contains(err.Error(), "not one of") {
		t.Fatalf("Regenerate(loud) = %v", err)
	}
	if err := svc.Regenerate(c.ID, "formal"); err != nil {
		t.Fatal(err)
	}
	svc.engine.Wait()
	list, err := st.Suggestions(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[tandem.SuggestionKind]int{}
	for _, sg := range list {
		kinds[sg.Kind]++
	}
	if kinds[tandem.KindDraft] != 2 || kinds[tandem.KindTranslation] != 1 {
		t.Fatalf("stored %v", kinds)
	}
	turn, _ = svc.Latest(c.ID)
	if turn.Update.Tone != "formal" {
		t.Fatalf("latest draft tone %q", turn.Update.Tone)
	}

	// History arriving (an imported transcript) is not a waiting customer.
	old, err := ing.Conversation(ctx, ingest.ConversationInput{Source: "test", ExternalID: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ing.Message(ctx, ingest.MessageInput{Source: "test", ConversationID: "old", Role: tandem.RoleCustomer,
		Text: "Where is my parcel?", SentAt: time.Now().Add(-48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	svc.engine.Wait()
	if list, _ := st.Suggestions(ctx, old.ID); len(list) != 0 {
		t.Fatalf("a two-day-old message got a suggestion: %+v", list)
	}
	// Opened by the agent, a conversation waiting for an answer gets one, once.
	if turn, err := svc.Latest(old.ID); err != nil || turn.Update != nil {
		t.Fatalf("Latest = %+v, %v", turn, err)
	}
	svc.engine.Wait()
	if turn, _ := svc.Latest(old.ID); turn.Update == nil || turn.Update.Status != tandem.SuggestionDone {
		t.Fatalf("no suggestion after opening: %+v", turn.Update)
	}
	svc.engine.Wait()
	if list, _ := st.Suggestions(ctx, old.ID); len(list) != 1 {
		t.Fatalf("reopening generated again: %d suggestions", len(list))
	}
	cancel()
	wg.Wait()
}

package transcript

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"tandem/internal/golden"
	"tandem/internal/ingest"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

var _ Sink = (*ingest.Service)(nil)

// fakeSink records what it is given; conversations must exist before messages.
type fakeSink struct {
	calls []string
	convs map[string]bool
	msgs  map[string]bool
}

var _ Sink = (*fakeSink)(nil)

func newFakeSink() *fakeSink { return &fakeSink{convs: map[string]bool{}, msgs: map[string]bool{}} }

func (f *fakeSink) Conversation(_ context.Context, in ingest.ConversationInput) (tandem.Conversation, error) {
	f.convs[in.ExternalID] = true
	f.calls = append(f.calls, fmt.Sprintf("conversation %s title=%q customer=%q lang=%q", in.ExternalID, in.Title, in.CustomerName, in.CustomerLang))
	return tandem.Conversation{ExternalID: in.ExternalID}, nil
}

func (f *fakeSink) Message(_ context.Context, in ingest.MessageInput) (ingest.Result, error) {
	if !f.convs[in.ConversationID] {
		return ingest.Result{}, tandem.Errorf(tandem.ENOTFOUND, "conversation %s does not exist", in.ConversationID)
	}
	key := in.ConversationID + "/" + in.ExternalID
	created := !f.msgs[key]
	f.msgs[key] = true
	ts := ""
	if !in.SentAt.IsZero() {
		ts = in.SentAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	f.calls = append(f.calls, fmt.Sprintf("message %s %s %s %q %s", key, in.Role, in.Lang, in.Text, ts))
	return ingest.Result{Created: created}, nil
}

func TestFormats(t *testing.T) {
	for _, name := range []string{"chats.jsonl", "chats.json", "chats.csv", "chat.txt"} {
		t.Run(name, func(t *testing.T) {
			sink := newFakeSink()
			var last, total int64
			prev := int64(-1)
			rep, err := ImportFile(context.Background(), sink, filepath.Join("testdata", name), Options{
				Progress: func(done, tot int64) {
					if done < prev {
						t.Errorf("progress went back from %d to %d", prev, done)
					}
					prev, last, total = done, done, tot
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if total == 0 || last != total {
				t.Fatalf("progress ended at %d of %d", last, total)
			}
			golden.CheckJSON(t, filepath.Join("testdata", name+".golden.json"), map[string]any{"report": rep, "calls": sink.calls})
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	_, err := Import(context.Background(), newFakeSink(), strings.NewReader("x"), 1, "notes.docx", Options{})
	if tandem.ErrorCode(err) != tandem.EINVALID || !strings.Contains(err.Error(), ".jsonl") {
		t.Fatalf("err = %v", err)
	}
	_, err = Import(context.Background(), newFakeSink(), strings.NewReader("a,b\n1,2\n"), 8, "x.csv", Options{})
	if err == nil || !strings.Contains(err.Error(), "conversation_id, role and text") {
		t.Fatalf("CSV without the columns: %v", err)
	}
}

// Importing the same file twice into a real database adds nothing the second time.
func TestReimportIntoStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := ingest.New(st)
	for round, want := range []struct{ messages, dups int }{{4, 0}, {0, 4}} {
		rep, err := ImportFile(ctx, svc, filepath.Join("testdata", "chat.txt"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Messages != want.messages || rep.Duplicates != want.dups {
			t.Fatalf("round %d: %+v", round+1, rep)
		}
	}
	c, err := st.ConversationByExternalID(ctx, ingest.SourceImport, "chat")
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := st.Messages(ctx, c.ID)
	var got []string
	for _, m := range msgs {
		got = append(got, string(m.Role)+": "+m.Text)
	}
	want := []string{"customer: Hi, I never got my refund.\nIt was for order 5512.", "agent: Let me check that for you.",
		"customer: 好的，谢谢", "agent: 已为您处理退款。"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %q", got)
	}
}

func TestLargeFile(t *testing.T) {
	var b strings.Builder
	const n = 20000
	for i := range n {
		fmt.Fprintf(&b, `{"conversation_id":"c%d","role":"customer","text":"message %d","external_id":"%d"}`+"\n", i%50, i, i)
	}
	sink := newFakeSink()
	rep, err := Import(context.Background(), sink, strings.NewReader(b.String()), int64(b.Len()), "big.jsonl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Messages != n || rep.Conversations != 50 || len(rep.Skipped) != 0 {
		t.Fatalf("report %+v", rep)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Import(ctx, newFakeSink(), strings.NewReader(`{"conversation_id":"c","role":"customer","text":"x"}`), 10, "a.jsonl", Options{})
	if err != context.Canceled {
		t.Fatalf("err = %v", err)
	}
}

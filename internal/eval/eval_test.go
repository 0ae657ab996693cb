package eval

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"tandem/internal/tandem"
)

func TestReadCases(t *testing.T) {
	const good = `{"id": "a", "messages": [{"role": "customer", "text": "where is my parcel"}], "gold": ["track.md"]}`
	tests := []struct {
		name    string
		in      string
		want    int    // cases read
		wantErr string // in the error; "" for none
	}{
		{name: "one", in: good, want: 1},
		{name: "blank lines between", in: "\n" + good + "\n\n" + strings.Replace(good, `"a"`, `"b"`, 1) + "\n", want: 2},
		{name: "conversation", in: `{"id": "c", "messages": [{"role": "customer", "text": "hi"}, {"role": "agent", "text": "how can I help?"}, {"role": "customer", "text": "refund please"}], "gold": ["x", "y"]}`, want: 1},
		{name: "empty file", in: "\n\n", wantErr: "no cases"},
		{name: "not JSON", in: good + "\n{id: b}", wantErr: "line 2: not a case object"},
		{name: "unknown field", in: `{"id": "a", "messages": [{"role": "customer", "text": "x"}], "gold": ["g"], "answer": "g"}`, wantErr: `line 1: not a case object (json: unknown field "answer")`},
		{name: "two values", in: good + good, wantErr: "line 1: more than one JSON value"},
		{name: "no id", in: `{"messages": [{"role": "customer", "text": "x"}], "gold": ["g"]}`, wantErr: `line 1: "id" is missing`},
		{name: "no messages", in: `{"id": "a", "gold": ["g"]}`, wantErr: `line 1: case "a": "messages" is missing`},
		{name: "bad role", in: `{"id": "a", "messages": [{"role": "bot", "text": "x"}], "gold": ["g"]}`, wantErr: `message 1 has role "bot"`},
		{name: "empty text", in: `{"id": "a", "messages": [{"role": "customer", "text": " "}], "gold": ["g"]}`, wantErr: "message 1 has no text"},
		{name: "agent only", in: `{"id": "a", "messages": [{"role": "agent", "text": "hello"}], "gold": ["g"]}`, wantErr: "no message from the customer"},
		{name: "no gold", in: `{"id": "a", "messages": [{"role": "customer", "text": "x"}], "gold": []}`, wantErr: `"gold" is missing or empty`},
		{name: "empty gold id", in: `{"id": "a", "messages": [{"role": "customer", "text": "x"}], "gold": [""]}`, wantErr: "an empty article id"},
		{name: "duplicate id", in: good + "\n\n" + good, wantErr: `line 3: case id "a" is already used on line 1`},
		{name: "gold not a list", in: `{"id": "a", "messages": [{"role": "customer", "text": "x"}], "gold": "g"}`, wantErr: "line 1: not a case object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases, err := ReadCases(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cases) != tt.want {
				t.Fatalf("%d cases, want %d", len(cases), tt.want)
			}
		})
	}
}

func TestReadCasesKeepsLineNumbers(t *testing.T) {
	cases, err := ReadCases(strings.NewReader("\n" + `{"id": "a", "messages": [{"role": "customer", "text": "x"}], "gold": ["g"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if cases[0].Line != 2 {
		t.Fatalf("line %d, want 2", cases[0].Line)
	}
	msgs := cases[0].Conversation()
	if len(msgs) != 1 || msgs[0].Role != tandem.RoleCustomer || msgs[0].Text != "x" {
		t.Fatalf("conversation %+v", msgs)
	}
}

func TestCheckGold(t *testing.T) {
	known := map[string]bool{"a.md": true, "b.md": true}
	exists := func(k string) bool { return known[k] }
	tests := []struct {
		name    string
		gold    [][]string
		wantErr string
	}{
		{name: "all known", gold: [][]string{{"a.md"}, {"a.md", "b.md"}}},
		{name: "typo", gold: [][]string{{"a.md"}, {"b.mdd"}}, wantErr: `1 gold article ids are not in the knowledge base`},
		{name: "names the case", gold: [][]string{{"c.md"}}, wantErr: `line 1, case "0": "c.md"`},
		{name: "many", gold: [][]string{{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12"}}, wantErr: "… and 2 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cases []Case
			for i, g := range tt.gold {
				cases = append(cases, Case{ID: string(rune('0' + i)), Gold: g, Line: i + 1})
			}
			err := CheckGold(cases, exists)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
			}
		})
	}
}

func TestResultMetrics(t *testing.T) {
	tests := []struct {
		name              string
		gold, top         []string
		r1, r5, r10, rr10 float64
		wantRank          int
	}{
		{name: "first", gold: []string{"a"}, top: []string{"a", "b"}, r1: 1, r5: 1, r10: 1, rr10: 1, wantRank: 1},
		{name: "third", gold: []string{"c"}, top: []string{"a", "b", "c"}, r1: 0, r5: 1, r10: 1, rr10: 1.0 / 3, wantRank: 3},
		{name: "seventh", gold: []string{"g"}, top: []string{"a", "b", "c", "d", "e", "f", "g"}, r1: 0, r5: 0, r10: 1, rr10: 1.0 / 7, wantRank: 7},
		{name: "none", gold: []string{"z"}, top: []string{"a", "b"}, wantRank: 0},
		{name: "nothing retrieved", gold: []string{"z"}, top: nil, wantRank: 0},
		{name: "two gold, one found", gold: []string{"b", "z"}, top: []string{"a", "b"}, r1: 0, r5: 0.5, r10: 0.5, rr10: 0.5, wantRank: 2},
		{name: "two gold, both", gold: []string{"b", "a"}, top: []string{"a", "b"}, r1: 0.5, r5: 1, r10: 1, rr10: 1, wantRank: 1},
		{name: "gold listed twice", gold: []string{"a", "a"}, top: []string{"a"}, r1: 1, r5: 1, r10: 1, rr10: 1, wantRank: 1},
		{name: "duplicate hits count once", gold: []string{"b"}, top: []string{"a", "a", "b"}, r1: 0, r5: 1, r10: 1, rr10: 0.5, wantRank: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits []tandem.KnowledgeHit
			for _, k := range tt.top {
				hits = append(hits, tandem.KnowledgeHit{Article: tandem.Article{Key: k}})
			}
			r := score(Case{ID: tt.name, Gold: tt.gold}, hits, 10, 0)
			if r.Rank != tt.wantRank {
				t.Errorf("rank %d, want %d", r.Rank, tt.wantRank)
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"recall@1", r.RecallAt(1), tt.r1}, {"recall@5", r.RecallAt(5), tt.r5}, {"recall@10", r.RecallAt(10), tt.r10}, {"rr@10", r.ReciprocalRankAt(10), tt.rr10}} {
				if math.Abs(c.got-c.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		lat  []time.Duration
		p    float64
		want time.Duration
	}{
		{name: "empty", lat: nil, p: 50, want: 0},
		{name: "one", lat: ms(7), p: 95, want: 7 * time.Millisecond},
		{name: "median of odd", lat: ms(5, 1, 3), p: 50, want: 3 * time.Millisecond},
		{name: "median of even is the lower", lat: ms(4, 1, 3, 2), p: 50, want: 2 * time.Millisecond},
		{name: "p95 of 20", lat: ms(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1), p: 95, want: 19 * time.Millisecond},
		{name: "p95 of 10 is the max", lat: ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), p: 95, want: 10 * time.Millisecond},
		{name: "p100", lat: ms(1, 9, 2), p: 100, want: 9 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.lat, tt.p); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// fakeRetriever answers each conversation's last customer text from a table.
type fakeRetriever map[string][]string

func (f fakeRetriever) retrieve(_ context.Context, msgs []tandem.Message, k int) ([]tandem.KnowledgeHit, error) {
	last := msgs[len(msgs)-1].Text
	keys, ok := f[last]
	if !ok {
		return nil, errors.New("no such query")
	}
	var hits []tandem.KnowledgeHit
	for _, key := range keys[:min(k, len(keys))] {
		hits = append(hits, tandem.KnowledgeHit{Article: tandem.Article{Key: key}})
	}
	return hits, nil
}

var _ Retriever = fakeRetriever(nil).retrieve

func TestRunAndSummarize(t *testing.T) {
	f := fakeRetriever{
		"q1": {"a", "b", "c"},
		"q2": {"a", "b", "c"},
		"q3": {"x", "y"},
		"q4": {"a", "b", "c", "d", "e", "f"},
	}
	one := func(id, q string, gold ...string) Case {
		return Case{ID: id, Messages: []Turn{{Role: tandem.RoleCustomer, Text: q}}, Gold: gold}
	}
	cases := []Case{one("1", "q1", "a"), one("2", "q2", "b"), one("3", "q3", "a"), one("4", "q4", "f")}
	tests := []struct {
		name string
		k    int
		want Summary
	}{
		// recall@1: 1,0,0,0; @5: 1,1,0,0; @10: 1,1,0,1; RR: 1, 1/2, 0, 1/6.
		{name: "k10", k: 10, want: Summary{Cases: 4, Recall1: 0.25, Recall5: 0.5, Recall10: 0.75, MRR10: 0.4167}},
		// With k=5, case 4's gold at 6 is not retrieved at all.
		{name: "k5", k: 5, want: Summary{Cases: 4, Recall1: 0.25, Recall5: 0.5, Recall10: 0.5, MRR10: 0.375}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), cases, f.retrieve, tt.k)
			if err != nil {
				t.Fatal(err)
			}
			got := Summarize(res)
			got.P50ms, got.P95ms = 0, 0 // timing is not asserted
			if got != tt.want {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
			if m := Misses(res, 10); len(m) != 3 || m[0].ID != "3" || m[1].ID != "4" || m[2].ID != "2" {
				t.Fatalf("misses %+v, want cases 3 (none found), 4 (rank 6), 2 (rank 2)", m)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	cases := []Case{{ID: "lost", Line: 7, Messages: []Turn{{Role: tandem.RoleCustomer, Text: "unknown"}}, Gold: []string{"a"}}}
	tests := []struct {
		name    string
		ctx     func() context.Context
		k       int
		wantErr string
	}{
		{name: "retriever fails", ctx: context.Background, k: 10, wantErr: `retrieve for case "lost" (line 7): no such query`},
		{name: "bad k", ctx: context.Background, k: 0, wantErr: "k must be at least 1"},
		{name: "cancelled", ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, k: 10, wantErr: "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(tt.ctx(), cases, fakeRetriever{}.retrieve, tt.k)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
			}
		})
	}
}

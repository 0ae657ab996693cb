package kb

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"tandem/internal/store"
	"tandem/internal/tandem"
)

var _ Searcher = (*store.Store)(nil)

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Refund for the 2-year WARRANTY!", []string{"refund", "for", "the", "2", "year", "warranty"}},
		{"物流延误", []string{"物流", "流延", "延误"}},
		{"订单号是20261118，麻烦查", []string{"订单", "单号", "号是", "20261118", "麻烦", "烦查"}},
		{"我", []string{"我"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Terms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func msgs(turns ...string) []tandem.Message {
	var out []tandem.Message
	for i, t := range turns {
		role := tandem.RoleCustomer
		if i%2 == 1 {
			role = tandem.RoleAgent
		}
		out = append(out, tandem.Message{Role: role, Text: t})
	}
	return out
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := Import(ctx, st, filepath.Join("testdata", "shop"), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		convo     []tandem.Message
		wantFirst string // "" for no results
		wantMatch string // a highlight expected in the first hit
		within    int    // wantFirst may be this far down; 0 means first
	}{
		{"english, delayed parcel", msgs("Hi! My parcel is delayed and the tracking has not moved for days."), "ship-001", "tracking", 0},
		{"english, earlier question carries", msgs("Can I return these shoes?", "Sure, which order?", "Order 4711, bought 2 weeks ago."), "faq/returns.md", "return", 3},
		{"english, stem highlight", msgs("Has my parcel been tracked?"), "ship-001", "track", 0},
		{"chinese, no spaces", msgs("你好，我想退货，怎么退款？"), "退货.md", "退货", 0},
		{"payment", msgs("Do you take Alipay?"), "csv-1", "alipay", 0},
		{"greeting only", msgs("Hi, thanks!"), "", "", 0},
		{"agent turns ignored", []tandem.Message{{Role: tandem.RoleAgent, Text: "Gift cards never expire."}}, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := Search(ctx, st, tt.convo, 5)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantFirst == "" {
				if len(hits) != 0 {
					t.Fatalf("got %d hits, want none: %+v", len(hits), hits[0].Article.Key)
				}
				return
			}
			var keys []string
			for _, h := range hits {
				keys = append(keys, h.Article.Key)
			}
			at := slices.Index(keys, tt.wantFirst)
			if at < 0 || at > tt.within {
				t.Fatalf("hits %v, want %s within the first %d", keys, tt.wantFirst, tt.within+1)
			}
			if !slices.Contains(hits[at].Matches, tt.wantMatch) {
				t.Fatalf("highlights %q lack %q", hits[at].Matches, tt.wantMatch)
			}
		})
	}
}

type fakeVocab struct {
	docs  map[string]int
	total int
}

var _ Searcher = fakeVocab{}

func (f fakeVocab) IndexStats(context.Context) (tandem.IndexStats, error) {
	return tandem.IndexStats{Passages: f.total}, nil
}
func (f fakeVocab) PassagesWith(context.Context, []string) ([][]int64, error) {
	return nil, nil
}
func (f fakeVocab) Passages(context.Context, []int64) ([]tandem.PassageMatch, error) {
	return nil, nil
}
func (f fakeVocab) PassageHits(context.Context, []int64) (map[int64]tandem.KnowledgeHit, error) {
	return nil, nil
}
func (f fakeVocab) TermDocs(_ context.Context, terms []string) (map[string]int, int, error) {
	out := map[string]int{}
	for _, t := range terms {
		if n, ok := f.docs[t]; ok {
			out[t] = n
		}
	}
	return out, f.total, nil
}

func TestPrune(t *testing.T) {
	docs := map[string]int{"order": 900, "parcel": 50, "box12": 2, "deliveri": 700, "track": 400, "ship": 800}
	tests := []struct {
		name  string
		total int
		terms []string
		want  []string
	}{
		{"small knowledge base: untouched", 100, []string{"order", "parcel"}, []string{"order", "parcel"}},
		{"common words leave, rarest first", 1000, []string{"order", "parcel", "box12", "tracking"}, []string{"box12", "parcel"}},
		{"stemmed forms are found", 1000, []string{"delivery", "box12", "parcel", "tracking", "shipping"}, []string{"box12", "parcel"}},
		{"all common: the two rarest stay", 1000, []string{"order", "delivery", "tracking"}, []string{"tracking", "delivery"}},
		{"unknown words count as rare", 1000, []string{"order", "zeppelin"}, []string{"zeppelin", "order"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := prune(context.Background(), fakeVocab{docs, tt.total}, tt.terms)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("prune(%q) = %q, want %q", tt.terms, got, tt.want)
			}
		})
	}
}

func TestWeightedTerms(t *testing.T) {
	tests := []struct {
		name  string
		convo []tandem.Message
		want  map[string]float64
	}{
		{"newest turn weighs most",
			msgs("refund", "ok", "parcel", "ok", "invoice"),
			map[string]float64{"invoice": 1, "parcel": 0.5, "refund": 0.25}},
		{"three turns at most",
			msgs("password", "ok", "refund", "ok", "parcel", "ok", "invoice"),
			map[string]float64{"invoice": 1, "parcel": 0.5, "refund": 0.25}},
		{"a word keeps its newest weight",
			msgs("parcel refund", "ok", "parcel"),
			map[string]float64{"parcel": 1, "refund": 0.5}},
		{"filler-only turns do not count",
			msgs("refund", "ok", "my parcel", "anything else?", "ok thanks!"),
			map[string]float64{"parcel": 1, "refund": 0.5}},
		{"agent turns left out",
			msgs("refund", "your invoice is attached"),
			map[string]float64{"refund": 1}},
		{"chinese",
			msgs("我想退货", "好的", "物流"),
			map[string]float64{"物流": 1, "我想": 0.5, "想退": 0.5, "退货": 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms, weight := weightedTerms(tt.convo)
			if !maps.Equal(weight, tt.want) {
				t.Fatalf("weights %v, want %v", weight, tt.want)
			}
			if len(terms) != len(weight) || !slices.Equal(terms, QueryTerms(tt.convo)) {
				t.Fatalf("terms %q, QueryTerms %q, weights %v", terms, QueryTerms(tt.convo), weight)
			}
		})
	}
}

// When the customer changes the subject, the newer subject comes first, and
// the older one stays among the results.
func TestSearchRecency(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, a := range []tandem.Article{
		{Key: "returns", Title: "Returning shoes", Body: "Shoes can be returned within 30 days for a refund."},
		{Key: "tracking", Title: "Tracking a parcel", Body: "The tracking number of your parcel is in the shipping email."},
		{Key: "warranty", Title: "Battery warranty", Body: "Laptop batteries have a two-year warranty; we repair or replace them."},
		{Key: "password", Title: "Reset your password", Body: "Use the link on the login page to reset a forgotten password."},
		{Key: "退货", Title: "退货政策", Body: "七天无理由退货，退款三个工作日到账。"},
		{Key: "物流", Title: "物流查询", Body: "包裹的物流信息可以在订单页面查询。"},
	} {
		Prepare(&a)
		if err := st.UpsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		convo      []tandem.Message
		wantFirst  string
		wantAlso   string // an older subject, still listed
		wantAbsent string // a subject more than three turns back
	}{
		{"returns, then warranty",
			msgs("I want to return these shoes.", "Sure.", "Also, my laptop battery died. Is it under warranty?"),
			"warranty", "returns", ""},
		{"warranty, then returns",
			msgs("My laptop battery died. Is it under warranty?", "Let me check.", "And can I return these shoes?"),
			"returns", "warranty", ""},
		{"a closing thank-you keeps the subject",
			msgs("Can I return these shoes?", "Yes.", "Where is my parcel? The tracking is stuck.", "Checking.", "Thanks!"),
			"tracking", "returns", ""},
		{"four turns back is forgotten",
			msgs("I forgot my password.", "Here is the link.", "Can I return shoes?", "Yes.", "What about a battery warranty?", "Two years.", "And the parcel tracking?"),
			"tracking", "warranty", "password"},
		{"chinese: 退货, then 物流",
			msgs("我想退货", "好的", "包裹的物流信息一直没有更新"),
			"物流", "退货", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := Search(ctx, st, tt.convo, 5)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, h := range hits {
				keys = append(keys, h.Article.Key)
			}
			if len(keys) == 0 || keys[0] != tt.wantFirst {
				t.Fatalf("hits %v, want %s first", keys, tt.wantFirst)
			}
			if !slices.Contains(keys, tt.wantAlso) {
				t.Errorf("hits %v lack the earlier subject %s", keys, tt.wantAlso)
			}
			if tt.wantAbsent != "" && slices.Contains(keys, tt.wantAbsent) {
				t.Errorf("hits %v include %s, from more than three turns back", keys, tt.wantAbsent)
			}
			if len(hits[0].Matches) == 0 {
				t.Errorf("first hit has nothing to highlight")
			}
		})
	}
}

func TestMatchesAtWordStart(t *testing.T) {
	tests := []struct {
		passage string
		terms   []string
		want    []string
	}{
		{"Open a trace when tracking stalls.", []string{"race", "tracking"}, []string{"tracking"}},
		{"Orders ship in 3-5 days.", []string{"order", "ship"}, []string{"order", "ship"}},
		{"请查询物流信息", []string{"物流", "查询"}, []string{"物流", "查询"}},
		{"The parcel is tracked daily.", []string{"tracking"}, []string{"track"}}, // by its stem
	}
	for _, tt := range tests {
		if got := matches(tt.passage, tt.terms); !slices.Equal(got, tt.want) {
			t.Errorf("matches(%q, %q) = %q, want %q", tt.passage, tt.terms, got, tt.want)
		}
	}
	// What is left of "it's" and "hasn't" is no query term.
	if got := QueryTerms(msgs("It's late and the tracking hasn't moved")); slices.Contains(got, "s") || slices.Contains(got, "t") {
		t.Errorf("QueryTerms kept single letters: %q", got)
	}
}

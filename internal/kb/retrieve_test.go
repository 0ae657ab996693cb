package kb

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tandem/internal/llm"
	"tandem/internal/ollamatest"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

var (
	_ VectorStore  = (*store.Store)(nil)
	_ EmbedStore   = (*store.Store)(nil)
	_ HistoryStore = (*store.Store)(nil)
	_ Embedder     = (*llm.Client)(nil)
	_ Embedder     = (*conceptEmbedder)(nil)
)

// conceptEmbedder is a fake embedding model that knows a few synonyms: each
// dimension is a concept, and a text's vector counts its concept words. It
// finds "package" for "parcel", which the lexical index cannot.
type conceptEmbedder struct {
	calls int
	err   error
}

var concepts = [][]string{
	{"parcel", "package", "delivery", "shipment", "tracking", "courier", "快递", "包裹", "物流"},
	{"refund", "money back", "reimburse", "return", "退款", "退货"},
	{"size", "fit", "small", "large", "尺码"},
	{"pay", "alipay", "card", "wallet", "支付"},
}

func (e *conceptEmbedder) Embed(_ context.Context, _ string, inputs []string) ([][]float32, error) {
	e.calls++
	if e.err != nil {
		return nil, e.err
	}
	out := make([][]float32, len(inputs))
	for i, in := range inputs {
		v := make([]float32, len(concepts)+1)
		v[len(concepts)] = 0.01 // never the zero vector
		lower := strings.ToLower(in)
		for d, words := range concepts {
			for _, w := range words {
				v[d] += float32(strings.Count(lower, w))
			}
		}
		out[i] = v
	}
	return out, nil
}

func openShop(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := Import(ctx, st, filepath.Join("testdata", "shop"), nil); err != nil {
		t.Fatal(err)
	}
	return st
}

func hitKeys(hs []tandem.KnowledgeHit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Article.Key)
	}
	return out
}

func TestRetrieverFusion(t *testing.T) {
	ctx := context.Background()
	st := openShop(t)
	emb := &conceptEmbedder{}
	var steps []int
	n, err := EmbedPassages(ctx, st, emb, "concepts", func(done, total int) { steps = append(steps, done, total) })
	if err != nil || n == 0 {
		t.Fatalf("EmbedPassages = %d, %v", n, err)
	}
	if got := steps[len(steps)-2:]; got[0] != n || got[1] != n {
		t.Fatalf("last progress %v, want %d of %d", got, n, n)
	}
	// A second run has nothing to do and asks the model nothing.
	before := emb.calls
	if again, err := EmbedPassages(ctx, st, emb, "concepts", nil); again != 0 || err != nil || emb.calls != before {
		t.Fatalf("second EmbedPassages = %d, %v with %d calls", again, err, emb.calls-before)
	}

	r := NewRetriever(st)
	sem := Semantic{Embedder: emb, Model: "concepts"}
	tests := []struct {
		name    string
		convo   []tandem.Message
		sem     Semantic
		want    string // in the hits
		wantVia []string
	}{
		// "package" is in no article: only the meaning finds the shipping one.
		{"synonym, fused", msgs("Where is my package?"), sem, "ship-001", []string{tandem.ViaMeaning}},
		{"synonym, lexical alone", msgs("Where is my package?"), Semantic{}, "", nil},
		{"both agree", msgs("My parcel tracking has not moved"), sem, "ship-001", []string{tandem.ViaWords, tandem.ViaMeaning}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, err := r.Articles(ctx, tt.convo, 5, tt.sem)
			if err != nil || found.SemanticError != "" {
				t.Fatalf("Articles: %v %q", err, found.SemanticError)
			}
			at := slices.Index(hitKeys(found.Hits), tt.want)
			if tt.want == "" {
				if slices.Contains(hitKeys(found.Hits), "ship-001") {
					t.Fatalf("lexical search found ship-001 for a word it does not have: %v", hitKeys(found.Hits))
				}
				return
			}
			if at != 0 {
				t.Fatalf("hits %v, want %s first", hitKeys(found.Hits), tt.want)
			}
			if !slices.Equal(found.Hits[0].Via, tt.wantVia) {
				t.Fatalf("via %v, want %v", found.Hits[0].Via, tt.wantVia)
			}
		})
	}

	// The vectors are cached until the embeddings change.
	idx := r.vec
	if _, err := r.Articles(ctx, msgs("parcel"), 5, sem); err != nil || r.vec != idx {
		t.Fatalf("vectors reloaded without a change (err %v)", err)
	}
	if _, err := Import(ctx, st, filepath.Join("testdata", "shop"), nil); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteArticle(ctx, "ship-001"); err != nil {
		t.Fatal(err)
	}
	found, err := r.Articles(ctx, msgs("Where is my package?"), 5, sem)
	if err != nil || r.vec == idx || slices.Contains(hitKeys(found.Hits), "ship-001") {
		t.Fatalf("after a delete: hits %v, reloaded %v, err %v", hitKeys(found.Hits), r.vec != idx, err)
	}
}

func TestRetrieverSemanticDown(t *testing.T) {
	ctx := context.Background()
	st := openShop(t)
	if _, err := EmbedPassages(ctx, st, &conceptEmbedder{}, "concepts", nil); err != nil {
		t.Fatal(err)
	}
	down := &conceptEmbedder{err: &llm.UnreachableError{Host: "127.0.0.1:1", Err: errors.New("connection refused")}}
	found, err := NewRetriever(st).Articles(ctx, msgs("My parcel is delayed"), 5, Semantic{Embedder: down, Model: "concepts"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(found.SemanticError, "not reachable") || len(found.Hits) == 0 || found.Hits[0].Article.Key != "ship-001" {
		t.Fatalf("got %v, %q; want the lexical hits and the reason", hitKeys(found.Hits), found.SemanticError)
	}
	// A model set but nothing embedded yet is not an error: lexical alone.
	found, err = NewRetriever(st).Articles(ctx, msgs("My parcel is delayed"), 5, Semantic{Embedder: &conceptEmbedder{}, Model: "other"})
	if err != nil || found.SemanticError != "" || len(found.Hits) == 0 {
		t.Fatalf("nothing embedded: %v, %q, %v", hitKeys(found.Hits), found.SemanticError, err)
	}
}

func TestFuse(t *testing.T) {
	hit := func(key string) tandem.KnowledgeHit {
		return tandem.KnowledgeHit{Article: tandem.Article{Key: key}, Passage: key + " text"}
	}
	tests := []struct {
		name              string
		lexical, semantic []string
		limit             int
		want              []string
	}{
		{"both lists agree on b", []string{"a", "b", "c"}, []string{"b", "d"}, 5, []string{"b", "a", "d", "c"}},
		{"tie keeps lexical first", []string{"a"}, []string{"b"}, 5, []string{"a", "b"}},
		{"limit; ends beat the middle", []string{"a", "b", "c"}, []string{"c", "b", "a"}, 2, []string{"a", "c"}},
		{"semantic only", nil, []string{"x", "y"}, 5, []string{"x", "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lex, sem []tandem.KnowledgeHit
			for _, k := range tt.lexical {
				lex = append(lex, hit(k))
			}
			for _, k := range tt.semantic {
				sem = append(sem, hit(k))
			}
			if got := hitKeys(fuse(lex, sem, nil, tt.limit)); !slices.Equal(got, tt.want) {
				t.Fatalf("fuse = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVectorIndexNearest(t *testing.T) {
	vecs := [][]float32{{1, 0}, {0, 1}, {0.7, 0.7}, {-1, 0}}
	idx, err := newVectorIndex("m", 1, []int64{10, 20, 30, 40}, vecs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := idx.nearest([]float32{2, 0.1}, 3)
	if err != nil || !slices.Equal(got, []int64{10, 30, 20}) {
		t.Fatalf("nearest = %v, %v", got, err)
	}
	if _, err := idx.nearest([]float32{1, 2, 3}, 2); err == nil {
		t.Fatal("a query of another dimension must be refused")
	}
	if _, err := newVectorIndex("m", 1, []int64{1, 2}, [][]float32{{1, 0}, {1, 0, 0}}); err == nil {
		t.Fatal("vectors of mixed dimensions must be refused")
	}
}

// Against a real Ollama server: embeddings are computed in batches, stored,
// and fused retrieval runs with the query embedded by the same model.
func TestRetrieverOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	c, err := llm.New(srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st := openShop(t)
	n, err := EmbedPassages(ctx, st, c, ollamatest.Model, nil)
	if err != nil || n == 0 {
		t.Fatalf("EmbedPassages = %d, %v", n, err)
	}
	_, ids, vecs, err := st.Embeddings(ctx, ollamatest.Model)
	if err != nil || len(ids) != n || len(vecs[0]) == 0 {
		t.Fatalf("stored %d embeddings (want %d), err %v", len(ids), n, err)
	}
	found, err := NewRetriever(st).Articles(ctx, msgs("My parcel is delayed, tracking has not moved"), 5, Semantic{Embedder: c, Model: ollamatest.Model})
	if err != nil || found.SemanticError != "" {
		t.Fatalf("Articles: %v, %q", err, found.SemanticError)
	}
	var meaning int
	for _, h := range found.Hits {
		if slices.Contains(h.Via, tandem.ViaMeaning) {
			meaning++
		}
	}
	// The tiny model's vectors are random, so only that they took part is checked.
	if len(found.Hits) == 0 || meaning == 0 {
		t.Fatalf("hits %v, %d by meaning", hitKeys(found.Hits), meaning)
	}
}

// BenchmarkVectorNearest: the in-memory scan behind search by meaning, at
// a large shop's size (100,000 passages) and a common embedding width.
func BenchmarkVectorNearest(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("passages=%d/dim=768", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			ids := make([]int64, n)
			vecs := make([][]float32, n)
			for i := range vecs {
				ids[i] = int64(i)
				vecs[i] = make([]float32, 768)
				for j := range vecs[i] {
					vecs[i][j] = r.Float32() - 0.5
				}
			}
			idx, err := newVectorIndex("m", 1, ids, vecs)
			if err != nil {
				b.Fatal(err)
			}
			q := make([]float32, 768)
			b.ResetTimer()
			for range b.N {
				q[0] = r.Float32()
				if _, err := idx.nearest(q, 80); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package kb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"tandem/internal/tandem"
)

// Retrieval fuses two rankings of the knowledge base: the lexical one
// (Search, always on) and, when an embedding model is set, nearest passages
// by meaning. They are fused by reciprocal rank (Cormack et al., 2009):
// each list adds 1/(rrfK+rank) to an article, so an article that both find
// rises, and neither list's raw scores need calibrating against the other.
const (
	rrfK      = 60
	fuseDepth = 20 // articles taken from each list before fusing
)

// Embedder turns texts into vectors; *llm.Client is one.
type Embedder interface {
	Embed(ctx context.Context, model string, inputs []string) ([][]float32, error)
}

// Semantic names the embedding model for a retrieval; the zero value means
// lexical search alone.
type Semantic struct {
	Embedder Embedder
	Model    string
}

func (s Semantic) on() bool { return s.Embedder != nil && s.Model != "" }

// VectorStore is what meaning-based search needs of the database.
type VectorStore interface {
	Searcher
	EmbeddingsGeneration(ctx context.Context) (int64, error)
	Embeddings(ctx context.Context, model string) (gen int64, ids []int64, vecs [][]float32, err error)
}

// Found is what a retrieval found.
type Found struct {
	Hits []tandem.KnowledgeHit `json:"hits"`
	// SemanticError says why meaning-based search was left out of this
	// result although a model is set (Ollama down, model missing); the
	// lexical hits are still there. "" when it ran or is off.
	SemanticError string `json:"semanticError,omitempty"`
}

// Retriever finds articles for conversations. It keeps the passage vectors
// of one model in memory and reloads them when the database's embeddings
// change, so a query costs one embedding call and a scan of the vectors.
type Retriever struct {
	store VectorStore

	mu  sync.Mutex
	vec *vectorIndex
}

// NewRetriever returns a retriever over st.
func NewRetriever(st VectorStore) *Retriever { return &Retriever{store: st} }

// Articles returns up to limit articles for the conversation, best first.
// Lexical search failing is an error; meaning-based search failing is
// reported in Found.SemanticError beside the lexical hits.
func (r *Retriever) Articles(ctx context.Context, msgs []tandem.Message, limit int, sem Semantic) (Found, error) {
	terms := QueryTerms(msgs)
	if len(terms) == 0 {
		// Greetings and thanks alone ask for nothing: no article, by any means.
		return Found{Hits: []tandem.KnowledgeHit{}}, nil
	}
	depth := limit
	if sem.on() {
		depth = max(limit, fuseDepth)
	}
	lexical, err := Search(ctx, r.store, msgs, depth)
	if err != nil {
		return Found{}, err
	}
	for i := range lexical {
		lexical[i].Via = []string{tandem.ViaWords}
	}
	if !sem.on() {
		return Found{Hits: lexical[:min(limit, len(lexical))]}, nil
	}
	semantic, err := r.nearest(ctx, msgs, depth, sem)
	if err != nil {
		return Found{Hits: lexical[:min(limit, len(lexical))], SemanticError: err.Error()}, nil
	}
	return Found{Hits: fuse(lexical, semantic, terms, limit)}, nil
}

// fuse merges two rankings by reciprocal rank. An article keeps the
// lexical passage where it has one: that passage has the matched words.
func fuse(lexical, semantic []tandem.KnowledgeHit, terms []string, limit int) []tandem.KnowledgeHit {
	byKey := map[string]*tandem.KnowledgeHit{}
	var order []string
	add := func(list []tandem.KnowledgeHit, via string) {
		for rank, h := range list {
			got, ok := byKey[h.Article.Key]
			if !ok {
				h := h
				h.Score, h.Via = 0, nil
				got = &h
				byKey[h.Article.Key] = got
				order = append(order, h.Article.Key)
			}
			got.Score += 1 / float64(rrfK+rank+1)
			got.Via = append(got.Via, via)
		}
	}
	add(lexical, tandem.ViaWords)
	add(semantic, tandem.ViaMeaning)
	out := make([]tandem.KnowledgeHit, 0, len(order))
	for _, k := range order {
		h := byKey[k]
		if h.Matches == nil {
			h.Matches = matches(h.Passage, terms)
		}
		out = append(out, *h)
	}
	// Stable: on a tie the lexical order, which came first, stands.
	slices.SortStableFunc(out, func(a, b tandem.KnowledgeHit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return out[:min(limit, len(out))]
}

// SemanticQuery is the text embedded for a conversation: its last two
// customer messages, newest first, so that what the customer needs now
// leads. Embedding models cope with greetings, so nothing is removed.
func SemanticQuery(msgs []tandem.Message) string {
	var parts []string
	for i := len(msgs) - 1; i >= 0 && len(parts) < 2; i-- {
		if msgs[i].Role == tandem.RoleCustomer {
			parts = append(parts, msgs[i].Text)
		}
	}
	return strings.Join(parts, "\n")
}

// nearest returns the articles whose passages are nearest in meaning to the
// conversation, best passage per article, best first.
func (r *Retriever) nearest(ctx context.Context, msgs []tandem.Message, limit int, sem Semantic) ([]tandem.KnowledgeHit, error) {
	q := SemanticQuery(msgs)
	if q == "" {
		return nil, nil
	}
	idx, err := r.vectors(ctx, sem.Model)
	if err != nil {
		return nil, err
	}
	if idx.len() == 0 {
		return nil, nil // nothing embedded yet: lexical alone, not an error
	}
	qv, err := sem.Embedder.Embed(ctx, sem.Model, []string{q})
	if err != nil {
		return nil, fmt.Errorf("embed the query with %s: %w", sem.Model, err)
	}
	ids, err := idx.nearest(qv[0], limit*4)
	if err != nil {
		return nil, err
	}
	hits, err := r.store.PassageHits(ctx, ids)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []tandem.KnowledgeHit{}
	for _, id := range ids {
		h, ok := hits[id] // gone since the vectors were read: skipped
		if ok && !seen[h.Article.Key] && len(out) < limit {
			seen[h.Article.Key] = true
			out = append(out, h)
		}
	}
	return out, nil
}

// vectors returns the in-memory vectors of model, reloading them when the
// database's embeddings have changed since they were read.
func (r *Retriever) vectors(ctx context.Context, model string) (*vectorIndex, error) {
	gen, err := r.store.EmbeddingsGeneration(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if v := r.vec; v != nil && v.model == model && v.gen == gen {
		return v, nil
	}
	gen, ids, vecs, err := r.store.Embeddings(ctx, model)
	if err != nil {
		return nil, err
	}
	v, err := newVectorIndex(model, gen, ids, vecs)
	if err != nil {
		return nil, err
	}
	r.vec = v
	return v, nil
}

package kb

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"tandem/internal/tandem"
)

// Chinese has no spaces between words, so the index sees Chinese text as
// overlapping pairs of characters (物流延误 → 物流 流延 延误): a query pair
// matches wherever the same two characters stand together, without a word
// dictionary. English words go to FTS5 as they are, where the porter
// tokenizer stems them.

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Terms turns text into index terms: lower-case words and CJK character pairs.
func Terms(text string) []string {
	var out []string
	var word []rune
	var cjk []rune
	flushWord := func() {
		if len(word) > 0 {
			out = append(out, string(word))
			word = word[:0]
		}
	}
	flushCJK := func() {
		switch len(cjk) {
		case 0:
		case 1:
			out = append(out, string(cjk))
		default:
			for i := 0; i+1 < len(cjk); i++ {
				out = append(out, string(cjk[i:i+2]))
			}
		}
		cjk = cjk[:0]
	}
	for _, r := range text {
		switch {
		case isCJK(r):
			flushWord()
			cjk = append(cjk, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushCJK()
			word = append(word, unicode.ToLower(r))
		default:
			flushWord()
			flushCJK()
		}
	}
	flushWord()
	flushCJK()
	return out
}

// Prepare fills in an article's passages and their index terms.
func Prepare(a *tandem.Article) {
	title := strings.Join(Terms(a.Title+" "+a.Tags), " ")
	a.Passages = a.Passages[:0]
	for _, p := range Split(a.Body) {
		a.Passages = append(a.Passages, tandem.Passage{Text: p, TitleTerms: title, Terms: strings.Join(Terms(p), " ")})
	}
	if len(a.Passages) == 0 {
		a.Passages = append(a.Passages, tandem.Passage{Text: a.Title, TitleTerms: title})
	}
}

// filler is what customers write that says nothing about what they need.
var filler = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are am be been but by can could do does for from have has hello hi hey
		how i i'm im is it its me my of on or our please so than thank thanks that the their them then there
		this to too us was we were what when where which who why will with would you your yes no ok okay
		just still again get got there's can't dont don't also
		hasn haven isn aren wasn weren doesn didn don won wouldn couldn shouldn ve ll re`) {
		filler[w] = true
	}
	for _, w := range Terms("你好 您好 谢谢 请问 麻烦 帮我 一下 我的 你们 我们 可以 怎么 什么 这个 那个 还是 好的 是的 收到") {
		filler[w] = true
	}
}

// Recency: the query is made of the last customer turns that say
// something (greetings and filler alone do not count as a turn), the newest
// weighing most. A reply often only makes sense with the question before it,
// so older turns count, but for less: when the customer changes the subject,
// the new one wins.
const recentTurns = 3

// turnWeight is the weight of the nth customer turn back, from 0: 1, 0.5, 0.25.
func turnWeight(n int) float64 { return 1 / float64(int(1)<<n) }

// weightedTerms returns the query's terms, newest turn first, each with the
// weight of the newest customer turn it is in. Agent turns are left out:
// they echo the customer's problem in the shop's words, but also say
// everything else.
func weightedTerms(msgs []tandem.Message) ([]string, map[string]float64) {
	return weightedTermsBy(msgs, Terms)
}

// weightedTermsBy is weightedTerms with another tokenizer, for measuring one.
func weightedTermsBy(msgs []tandem.Message, tokens func(string) []string) ([]string, map[string]float64) {
	weight := map[string]float64{}
	var out []string
	n := 0
	for i := len(msgs) - 1; i >= 0 && n < recentTurns; i-- {
		if msgs[i].Role != tandem.RoleCustomer {
			continue
		}
		said := false
		for _, t := range tokens(msgs[i].Text) {
			if !telling(t) {
				continue
			}
			said = true
			if _, ok := weight[t]; !ok {
				weight[t] = turnWeight(n)
				out = append(out, t)
			}
		}
		if said {
			n++
		}
	}
	return out, weight
}

// telling reports whether an index term says anything about what the
// customer needs: not filler, and not a lone Latin letter or digit, which is
// what is left of "it's" or "hasn't" and would find and highlight everything.
func telling(t string) bool {
	return !filler[t] && !(len(t) == 1 && t[0] < utf8.RuneSelf)
}

// QueryTerms builds the search from a conversation, as it stands after its
// last message: the terms of its last customer turns, newest first, without
// greetings and filler. Search also weighs them by turn; see turnWeight.
func QueryTerms(msgs []tandem.Message) []string {
	out, _ := weightedTerms(msgs)
	return out
}

// Searcher is what search needs of the database.
type Searcher interface {
	// TermDocs: for each term in the index (spelled as the index does), how
	// many passages hold it; and how many passages there are.
	TermDocs(ctx context.Context, terms []string) (map[string]int, int, error)
	IndexStats(ctx context.Context) (tandem.IndexStats, error)
	// PassagesWith: for each FTS5 query, the ids of the passages it matches.
	PassagesWith(ctx context.Context, matches []string) ([][]int64, error)
	// Passages: the passages of the given ids, as the index sees them.
	Passages(ctx context.Context, ids []int64) ([]tandem.PassageMatch, error)
	// PassageHits: the passages of the given ids that exist, with their
	// articles, by passage id.
	PassageHits(ctx context.Context, ids []int64) (map[int64]tandem.KnowledgeHit, error)
}

// Common words: in a knowledge base of at least pruneFrom passages, a term
// found in more than pruneShare of them is left out of the query (keeping
// at least keepAtLeast terms). Ranking every passage that has "order" costs
// most of a query's time and changes little: BM25 gives such words almost
// no weight.
const (
	pruneFrom   = 500
	pruneShare  = 0.10
	keepAtLeast = 2
	keepAtMost  = 10 // the rarest; a long message adds more cost than evidence
)

// indexForms guesses how FTS5's porter stemmer spells an English word in the
// index (tracking → track, delivery → deliveri, invoice → invoic), to look up
// how common it is: by common endings, and by the Porter2 stemmer, which
// mostly agrees with FTS5's original Porter (international → intern). A
// wrong guess makes a word look rare: it is kept, and costs its postings.
func indexForms(t string) []string {
	if r := []rune(t); isCJK(r[0]) || len(r) < 4 {
		return []string{t}
	}
	forms := []string{t}
	for _, suf := range []string{"ing", "ed", "es", "s", "e"} {
		if s, ok := strings.CutSuffix(t, suf); ok && len(s) >= 3 {
			forms = append(forms, s)
			// shipping → shipp → ship, as porter undoubles a final consonant.
			if n := len(s); (suf == "ing" || suf == "ed") && s[n-1] == s[n-2] && !strings.ContainsRune("aeiouslz", rune(s[n-1])) {
				forms = append(forms, s[:n-1])
			}
		}
	}
	if s, ok := strings.CutSuffix(t, "y"); ok {
		forms = append(forms, s+"i")
	}
	if st := english.Stem(t, true); isASCIIWord(t) && !slices.Contains(forms, st) {
		forms = append(forms, st)
	}
	return forms
}

// termDF returns how many passages hold each of terms (0 for those the
// index lacks), and how many passages there are.
func termDF(ctx context.Context, st Searcher, terms []string) (map[string]int, int, error) {
	var forms []string
	for _, t := range terms {
		forms = append(forms, indexForms(t)...)
	}
	docs, total, err := st.TermDocs(ctx, forms)
	if err != nil {
		return nil, 0, err
	}
	df := make(map[string]int, len(terms))
	for _, t := range terms {
		for _, f := range indexForms(t) {
			df[t] = max(df[t], docs[f])
		}
	}
	return df, total, nil
}

// prune leaves out the query's most common terms; see pruneShare.
func prune(ctx context.Context, st Searcher, terms []string) ([]string, error) {
	df, total, err := termDF(ctx, st, terms)
	if err != nil {
		return terms, err
	}
	return keepRare(terms, df, total), nil
}

// keepRare is prune on known document frequencies: the rarest terms first.
func keepRare(terms []string, df map[string]int, total int) []string {
	if total < pruneFrom {
		return terms
	}
	kept := slices.Clone(terms)
	slices.SortStableFunc(kept, func(a, b string) int { return df[a] - df[b] })
	n := min(len(kept), keepAtMost)
	for n > keepAtLeast && float64(df[kept[n-1]]) > pruneShare*float64(total) {
		n--
	}
	return kept[:n]
}

// A search reads the passage lists of the query's terms from the index
// (cheap: no ranking, see store.PassagesWith) and keeps the passages with the
// most weight × IDF among the terms they hold; BM25 proper is then computed
// here for those few. The reading costs in proportion to the postings read,
// so the most telling terms are read first, up to budget postings: with
// common terms pruned (see pruneShare) the budget is rarely reached.
type searchOpts struct {
	budget     int                   // postings
	candidates int                   // passages scored, per result asked for (at least 5 results' worth)
	tokens     func(string) []string // the query's tokenizer; nil for Terms
}

const (
	candidateBudget = 100_000 // postings
	// Passages scored per result asked for. Against scoring 500 per result,
	// the top 10 at 100,000 synthetic articles keeps 96% of its articles
	// with 20, 94% with 12 (about 2 ms faster), 85% with 8.
	candidatesPer = 20
)

// Search finds the articles that answer the conversation, best first, each
// with its best passage and the query terms to highlight in it.
//
// Scoring is FTS5's BM25 (k1 1.2, b 0.75, one length for title and text,
// title matches counting twice), with each term's part multiplied by the
// weight of its turn (see turnWeight).
func Search(ctx context.Context, st Searcher, msgs []tandem.Message, limit int) ([]tandem.KnowledgeHit, error) {
	return search(ctx, st, msgs, limit, searchOpts{budget: candidateBudget, candidates: candidatesPer})
}

// SearchTokenized is Search with the query's terms made by tokens instead
// of Terms, for measuring another tokenization (see internal/eval/zhterms);
// the passages must have been indexed with the same tokenizer.
func SearchTokenized(ctx context.Context, st Searcher, msgs []tandem.Message, limit int, tokens func(string) []string) ([]tandem.KnowledgeHit, error) {
	return search(ctx, st, msgs, limit, searchOpts{budget: candidateBudget, candidates: candidatesPer, tokens: tokens})
}

func search(ctx context.Context, st Searcher, msgs []tandem.Message, limit int, o searchOpts) ([]tandem.KnowledgeHit, error) {
	if o.tokens == nil {
		o.tokens = Terms
	}
	terms, weight := weightedTermsBy(msgs, o.tokens)
	if len(terms) == 0 || limit <= 0 {
		return []tandem.KnowledgeHit{}, nil
	}
	df, total, err := termDF(ctx, st, terms)
	if err != nil {
		return nil, fmt.Errorf("search knowledge base: %w", err)
	}
	q := newQuery(terms, weight, df, total)
	ask := q.candidateTerms(keepRare(terms, df, total), o.budget)
	if len(ask) == 0 {
		return []tandem.KnowledgeHit{}, nil
	}
	queries := make([]string, len(ask))
	for i, t := range ask {
		queries[i] = ftsTerm(t)
	}
	lists, err := st.PassagesWith(ctx, queries)
	if err != nil {
		return nil, fmt.Errorf("search knowledge base: %w", err)
	}
	// The lists give the exact frequency of the terms asked for, as the
	// index stems them.
	ws := make([]float64, len(ask))
	for i, t := range ask {
		ws[i] = q.setDF(t, len(lists[i]))
	}
	top := topPassages(lists, ws, o.candidates*max(limit, 5))
	if len(top) == 0 {
		return []tandem.KnowledgeHit{}, nil
	}
	stats, err := st.IndexStats(ctx)
	if err != nil {
		return nil, fmt.Errorf("search knowledge base: %w", err)
	}
	cands, err := st.Passages(ctx, top)
	if err != nil {
		return nil, fmt.Errorf("search knowledge base: %w", err)
	}
	slices.SortFunc(cands, func(a, b tandem.PassageMatch) int { return cmp.Compare(a.ID, b.ID) })

	// The best passage of each article, best article first.
	type scored struct {
		m     *tandem.PassageMatch
		score float64
	}
	best := map[int64]scored{}
	var order []int64
	stems := map[string]string{}
	for i := range cands {
		m := &cands[i]
		sc := q.score(m, stats.AvgTerms, stems)
		if b, ok := best[m.ArticleID]; !ok {
			order = append(order, m.ArticleID)
			best[m.ArticleID] = scored{m, sc}
		} else if sc > b.score {
			best[m.ArticleID] = scored{m, sc}
		}
	}
	slices.SortStableFunc(order, func(a, b int64) int { return cmp.Compare(best[b].score, best[a].score) })
	order = order[:min(len(order), limit)]
	ids := make([]int64, len(order))
	for i, a := range order {
		ids[i] = best[a].m.ID
	}
	found, err := st.PassageHits(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("search knowledge base: %w", err)
	}
	hits := make([]tandem.KnowledgeHit, 0, len(order))
	for _, id := range ids {
		h, ok := found[id]
		if !ok {
			continue // deleted since it was found
		}
		h.Score, h.Matches = best[h.Article.ID].score, matches(h.Passage, terms)
		hits = append(hits, h)
	}
	return hits, nil
}

// topPassages merges the passage lists (each ascending) and returns the
// ids of at most n passages with the highest sum of the weights of the lists
// they are in; among equals, the lower ids.
func topPassages(lists [][]int64, weights []float64, n int) []int64 {
	for _, l := range lists {
		if !slices.IsSorted(l) {
			slices.Sort(l)
		}
	}
	h := &minHeap{}
	pos := make([]int, len(lists))
	for {
		// The smallest id at the head of any list, and its weight in all.
		id, w := int64(math.MaxInt64), 0.0
		for i, l := range lists {
			if pos[i] < len(l) && l[pos[i]] < id {
				id = l[pos[i]]
			}
		}
		if id == math.MaxInt64 {
			break
		}
		for i, l := range lists {
			if pos[i] < len(l) && l[pos[i]] == id {
				w += weights[i]
				pos[i]++
			}
		}
		if h.Len() < n {
			heap.Push(h, candidate{id, w})
		} else if w > (*h)[0].w {
			(*h)[0] = candidate{id, w}
			heap.Fix(h, 0)
		}
	}
	out := make([]int64, h.Len())
	for i, c := range *h {
		out[i] = c.id
	}
	return out
}

type candidate struct {
	id int64
	w  float64
}

// minHeap keeps the best candidates so far, the weakest on top; among equal
// weights the higher id is weaker.
type minHeap []candidate

func (h minHeap) Len() int { return len(h) }
func (h minHeap) Less(i, j int) bool {
	return h[i].w < h[j].w || h[i].w == h[j].w && h[i].id > h[j].id
}
func (h minHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)   { *h = append(*h, x.(candidate)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// query is a search's terms with what scoring needs of each.
type query struct {
	terms []queryTerm
	total int                // passages in the index
	tf    []float64          // per term, while scoring one passage
	first [65536 / 64]uint64 // the first two bytes of tokens worth a closer look
}

type queryTerm struct {
	term    string
	stem    string // English: Porter2 stem, else ""
	probe   string // what a token must start with to be this term or share its stem
	df      int
	recency float64 // the weight of its turn
	w       float64 // recency × IDF
}

func newQuery(terms []string, weight map[string]float64, df map[string]int, total int) *query {
	q := &query{tf: make([]float64, len(terms)), total: total}
	for _, t := range terms {
		qt := queryTerm{term: t, probe: t, df: df[t], recency: weight[t], w: weight[t] * idf(df[t], total)}
		if isASCIIWord(t) {
			qt.stem = english.Stem(t, true)
			// Porter2 may turn a final y into i; a stem that is no prefix
			// of its word (an irregular form) matches the word only.
			if p := qt.stem[:max(1, len(qt.stem)-1)]; strings.HasPrefix(t, p) {
				qt.probe = p
			}
		}
		q.markFirst(qt.probe)
		q.terms = append(q.terms, qt)
	}
	return q
}

// setDF corrects a term's document frequency and returns its new weight.
func (q *query) setDF(term string, df int) float64 {
	i := slices.IndexFunc(q.terms, func(qt queryTerm) bool { return qt.term == term })
	q.terms[i].df = df
	q.terms[i].w = q.terms[i].recency * idf(df, q.total)
	return q.terms[i].w
}

// idf is FTS5's BM25 inverse document frequency, kept above zero so that a
// term in most passages still counts a little.
func idf(df, total int) float64 {
	v := math.Log((float64(total) - float64(df) + 0.5) / (float64(df) + 0.5))
	if v <= 0 {
		return 1e-6
	}
	return v
}

// candidateTerms picks, from the pruned terms, those to ask the index for:
// most telling first (weight × IDF), while their postings fit the budget.
// Terms not found in the index are asked for too: the lookup of their
// frequency guesses how the index stems them, and may guess wrong.
func (q *query) candidateTerms(pruned []string, budget int) []string {
	var byValue []queryTerm
	for _, qt := range q.terms {
		if slices.Contains(pruned, qt.term) {
			byValue = append(byValue, qt)
		}
	}
	slices.SortStableFunc(byValue, func(a, b queryTerm) int { return cmp.Compare(b.w, a.w) })
	var out []string
	postings := 0
	for _, qt := range byValue {
		if len(out) > 0 && postings+qt.df > budget {
			continue // a rarer, less telling term may still fit
		}
		postings += qt.df
		out = append(out, qt.term)
	}
	return out
}

// BM25 parameters, as FTS5's bm25().
const (
	bm25K1     = 1.2
	bm25B      = 0.75
	titleBoost = 2.0
)

// score is the weighted BM25 of a passage for the query. stems remembers
// English stems across the passages of one search: the stemmer is the
// costly part, and the same words recur.
func (q *query) score(m *tandem.PassageMatch, avgTerms float64, stems map[string]string) float64 {
	clear(q.tf)
	dl := q.scan(m.TitleTerms, titleBoost, stems) + q.scan(m.Terms, 1, stems)
	norm := bm25K1 * (1 - bm25B + bm25B*float64(dl)/max(avgTerms, 1))
	var s float64
	for i, qt := range q.terms {
		if tf := q.tf[i]; tf > 0 {
			s += qt.w * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	return s
}

// scan adds boost to q.tf for each token of field (kb joins them by single
// spaces) that is a query term, as the index would match it: the same word,
// or for English the same stem. It returns how many tokens field holds.
// Most tokens are no query term, and a look at their first two bytes says
// so (see first).
func (q *query) scan(field string, boost float64, stems map[string]string) int {
	n := 0
	for i := 0; i < len(field); {
		end := strings.IndexByte(field[i:], ' ')
		if end < 0 {
			end = len(field)
		} else {
			end += i
		}
		if end > i {
			n++
			if k := firstKey(field[i:end]); q.first[k/64]&(1<<(k%64)) != 0 {
				q.match(field[i:end], boost, stems)
			}
		}
		i = end + 1
	}
	return n
}

func (q *query) match(tok string, boost float64, stems map[string]string) {
	for i, qt := range q.terms {
		if !strings.HasPrefix(tok, qt.probe) {
			continue
		}
		if tok == qt.term {
			q.tf[i] += boost
			continue
		}
		if qt.stem == "" {
			continue
		}
		st, ok := stems[tok]
		if !ok {
			st = english.Stem(tok, true)
			stems[tok] = st
		}
		if st == qt.stem {
			q.tf[i] += boost
		}
	}
}

// firstKey is a token's first two bytes, the second 0 for one-byte tokens.
func firstKey(tok string) uint16 {
	k := uint16(tok[0]) << 8
	if len(tok) > 1 {
		k |= uint16(tok[1])
	}
	return k
}

// markFirst records in q.first the keys of the tokens that may start with
// probe.
func (q *query) markFirst(probe string) {
	if len(probe) == 1 {
		for b := range 256 {
			k := uint16(probe[0])<<8 | uint16(b)
			q.first[k/64] |= 1 << (k % 64)
		}
		return
	}
	k := firstKey(probe)
	q.first[k/64] |= 1 << (k % 64)
}

func isASCIIWord(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return t != ""
}

// matches lists the words of the passage to highlight: each query term
// found in it, or for English its stem ("tracking" finds "track" in "tracked").
func matches(passage string, terms []string) []string {
	lower := strings.ToLower(passage)
	out := []string{}
	for _, t := range terms {
		for _, probe := range []string{t, stem(t)} {
			if probe != "" && containsWord(lower, probe) {
				out = append(out, probe)
				break
			}
		}
	}
	return out
}

// containsWord reports whether probe stands in text at the start of a word:
// "track" is in "tracking", "race" is not in "trace". Chinese has no word
// boundaries to respect, so a CJK probe may stand anywhere.
func containsWord(text, probe string) bool {
	if r, _ := utf8.DecodeRuneInString(probe); isCJK(r) {
		return strings.Contains(text, probe)
	}
	for off := 0; ; {
		i := strings.Index(text[off:], probe)
		if i < 0 {
			return false
		}
		i += off
		if before, _ := utf8.DecodeLastRuneInString(text[:i]); i == 0 || !(unicode.IsLetter(before) || unicode.IsDigit(before)) {
			return true
		}
		off = i + 1
	}
}

// stem strips a common English ending, for highlighting only; the index
// itself uses FTS5's porter stemmer.
func stem(t string) string {
	if r := []rune(t); isCJK(r[0]) || len(r) < 5 {
		return ""
	}
	for _, suf := range []string{"ing", "ed", "s"} {
		if s, ok := strings.CutSuffix(t, suf); ok {
			return s
		}
	}
	return ""
}

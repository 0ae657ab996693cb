package kb

import (
	"context"
	"slices"
	"strings"
	"unicode"

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
		just still again get got there's can't dont don't also`) {
		filler[w] = true
	}
	for _, w := range Terms("你好 您好 谢谢 请问 麻烦 帮我 一下 我的 你们 我们 可以 怎么 什么 这个 那个 还是 好的 是的 收到") {
		filler[w] = true
	}
}

// QueryTerms builds the search from a conversation, as it stands after its
// last message: the last customer message, and the one before it (a reply
// often only makes sense with the question it answers), without greetings
// and filler. Agent turns are left out: they echo the customer's problem in
// the shop's words, but also say everything else.
func QueryTerms(msgs []tandem.Message) []string {
	seen := map[string]bool{}
	var out []string
	n := 0
	for i := len(msgs) - 1; i >= 0 && n < 2; i-- {
		if msgs[i].Role != tandem.RoleCustomer {
			continue
		}
		n++
		for _, t := range Terms(msgs[i].Text) {
			if !filler[t] && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// Searcher is what search needs of the database.
type Searcher interface {
	SearchPassages(ctx context.Context, match string, limit int) ([]tandem.KnowledgeHit, error)
	TermDocs(ctx context.Context, terms []string) (map[string]int, int, error)
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
// how common it is. A wrong guess only means the word is kept.
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
	return forms
}

// prune leaves out the query's most common terms; see pruneShare.
func prune(ctx context.Context, st Searcher, terms []string) ([]string, error) {
	var forms []string
	for _, t := range terms {
		forms = append(forms, indexForms(t)...)
	}
	docs, total, err := st.TermDocs(ctx, forms)
	if err != nil || total < pruneFrom {
		return terms, err
	}
	df := make(map[string]int, len(terms))
	for _, t := range terms {
		for _, f := range indexForms(t) {
			df[t] = max(df[t], docs[f])
		}
	}
	kept := slices.Clone(terms)
	slices.SortStableFunc(kept, func(a, b string) int { return df[a] - df[b] })
	n := min(len(kept), keepAtMost)
	for n > keepAtLeast && float64(df[kept[n-1]]) > pruneShare*float64(total) {
		n--
	}
	return kept[:n], nil
}

// Search finds the articles that answer the conversation, best first, each
// with its best passage and the query terms to highlight in it.
func Search(ctx context.Context, st Searcher, msgs []tandem.Message, limit int) ([]tandem.KnowledgeHit, error) {
	terms := QueryTerms(msgs)
	if len(terms) == 0 {
		return []tandem.KnowledgeHit{}, nil
	}
	query, err := prune(ctx, st, terms)
	if err != nil {
		return nil, err
	}
	quoted := make([]string, len(query))
	for i, t := range query {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	hits, err := st.SearchPassages(ctx, strings.Join(quoted, " OR "), limit)
	if err != nil {
		return nil, err
	}
	for i := range hits {
		hits[i].Matches = matches(hits[i].Passage, terms)
	}
	return hits, nil
}

// matches lists the words of the passage to highlight: each query term
// found in it, or for English its stem ("tracking" finds "track" in "tracked").
func matches(passage string, terms []string) []string {
	lower := strings.ToLower(passage)
	out := []string{}
	for _, t := range terms {
		for _, probe := range []string{t, stem(t)} {
			if probe != "" && strings.Contains(lower, probe) {
				out = append(out, probe)
				break
			}
		}
	}
	return out
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

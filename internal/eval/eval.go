// Package eval measures how well knowledge-base retrieval finds the right
// articles for a set of conversations with known answers: it reads the
// cases, runs a retriever on each and computes recall@k, MRR@10 and the
// latency of the retrieval call. It knows nothing of the database; the
// retriever is a parameter, so lexical, semantic or fused retrieval can be
// measured on the same cases.
package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"tandem/internal/tandem"
)

// Retriever returns the knowledge-base articles for a conversation as it
// stands after its last message, best first, at most k of them.
type Retriever func(ctx context.Context, msgs []tandem.Message, k int) ([]tandem.KnowledgeHit, error)

// Turn is one message of a case's conversation.
type Turn struct {
	Role tandem.Role `json:"role"`
	Text string      `json:"text"`
}

// Case is one conversation and the articles that answer it.
type Case struct {
	ID       string   `json:"id"`
	Messages []Turn   `json:"messages"`
	Gold     []string `json:"gold"` // article keys
	Line     int      `json:"-"`    // where it was read, for messages
}

// Conversation turns the case's messages into the form retrievers take.
func (c Case) Conversation() []tandem.Message {
	msgs := make([]tandem.Message, len(c.Messages))
	for i, t := range c.Messages {
		msgs[i] = tandem.Message{Role: t.Role, Text: t.Text}
	}
	return msgs
}

// maxLine bounds one case line; a conversation is far smaller.
const maxLine = 4 << 20

// ReadCases reads cases from JSONL, one per line; blank lines are allowed.
// Any malformed line is an error naming the line and what is wrong, never
// skipped: a case dropped in silence would change the figures unnoticed.
func ReadCases(r io.Reader) ([]Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var cases []Case
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		c, err := parseCase(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if first, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("line %d: case id %q is already used on line %d", n, c.ID, first)
		}
		seen[c.ID] = n
		c.Line = n
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", len(cases)+1, maxLine)
		}
		return nil, fmt.Errorf("read cases: %w", err)
	}
	if len(cases) == 0 {
		return nil, errors.New("no cases: the file has no case lines")
	}
	return cases, nil
}

func parseCase(line []byte) (Case, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var c Case
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("not a case object (%v); want {\"id\": ..., \"messages\": [{\"role\": ..., \"text\": ...}], \"gold\": [...]}", err)
	}
	if dec.More() {
		return c, errors.New("more than one JSON value on the line")
	}
	if strings.TrimSpace(c.ID) == "" {
		return c, errors.New(`"id" is missing or empty`)
	}
	if len(c.Messages) == 0 {
		return c, fmt.Errorf("case %q: \"messages\" is missing or empty", c.ID)
	}
	customer := false
	for i, m := range c.Messages {
		if !m.Role.Valid() {
			return c, fmt.Errorf("case %q: message %d has role %q; want \"customer\" or \"agent\"", c.ID, i+1, m.Role)
		}
		if strings.TrimSpace(m.Text) == "" {
			return c, fmt.Errorf("case %q: message %d has no text", c.ID, i+1)
		}
		customer = customer || m.Role == tandem.RoleCustomer
	}
	if !customer {
		return c, fmt.Errorf("case %q: no message from the customer", c.ID)
	}
	if len(c.Gold) == 0 {
		return c, fmt.Errorf("case %q: \"gold\" is missing or empty; list the ids of the articles that answer it", c.ID)
	}
	for _, g := range c.Gold {
		if strings.TrimSpace(g) == "" {
			return c, fmt.Errorf("case %q: an empty article id in \"gold\"", c.ID)
		}
	}
	return c, nil
}

// CheckGold reports the gold ids that name no article of the knowledge
// base: a typo in a set must fail loudly, not quietly lower recall.
func CheckGold(cases []Case, exists func(key string) bool) error {
	var bad []string
	for _, c := range cases {
		for _, g := range c.Gold {
			if !exists(g) {
				bad = append(bad, fmt.Sprintf("line %d, case %q: %q", c.Line, c.ID, g))
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	const show = 10
	total, more := len(bad), ""
	if len(bad) > show {
		more = fmt.Sprintf("\n  … and %d more", len(bad)-show)
		bad = bad[:show]
	}
	return fmt.Errorf("%d gold article ids are not in the knowledge base (check them against the article ids: the given id, else the path in the folder):\n  %s%s", total, strings.Join(bad, "\n  "), more)
}

// Result is how one case went.
type Result struct {
	ID      string        `json:"id"`
	Gold    []string      `json:"gold"`
	Top     []string      `json:"top"`  // the retrieved article keys, best first
	Rank    int           `json:"rank"` // of the first gold article; 0 if none was retrieved
	Latency time.Duration `json:"latency"`
}

// RecallAt is the share of the case's gold articles among the first k retrieved.
func (r Result) RecallAt(k int) float64 {
	top := r.Top[:min(k, len(r.Top))]
	hit := 0
	for _, g := range dedup(r.Gold) {
		if slices.Contains(top, g) {
			hit++
		}
	}
	return float64(hit) / float64(len(dedup(r.Gold)))
}

// ReciprocalRankAt is 1/rank of the first gold article within the first k, else 0.
func (r Result) ReciprocalRankAt(k int) float64 {
	if r.Rank == 0 || r.Rank > k {
		return 0
	}
	return 1 / float64(r.Rank)
}

// Summary is the figures for a whole set, as `tandem eval kb --json` prints them.
type Summary struct {
	Cases    int     `json:"cases"`
	Recall1  float64 `json:"recall@1"`
	Recall5  float64 `json:"recall@5"`
	Recall10 float64 `json:"recall@10"`
	MRR10    float64 `json:"mrr@10"`
	P50ms    float64 `json:"p50_ms"`
	P95ms    float64 `json:"p95_ms"`
}

// Run retrieves k articles for every case, in order, and measures each.
// Articles are counted once, at their best rank, should a retriever return
// one twice. Only the retrieval call is timed.
func Run(ctx context.Context, cases []Case, retrieve Retriever, k int) ([]Result, error) {
	if k < 1 {
		return nil, fmt.Errorf("k must be at least 1, not %d", k)
	}
	results := make([]Result, 0, len(cases))
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		msgs := c.Conversation()
		start := time.Now()
		hits, err := retrieve(ctx, msgs, k)
		lat := time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("retrieve for case %q (line %d): %w", c.ID, c.Line, err)
		}
		results = append(results, score(c, hits, k, lat))
	}
	return results, nil
}

func score(c Case, hits []tandem.KnowledgeHit, k int, lat time.Duration) Result {
	r := Result{ID: c.ID, Gold: c.Gold, Top: []string{}, Latency: lat}
	for _, h := range hits {
		if len(r.Top) == k {
			break
		}
		if !slices.Contains(r.Top, h.Article.Key) {
			r.Top = append(r.Top, h.Article.Key)
		}
	}
	gold := dedup(c.Gold)
	for i, key := range r.Top {
		if slices.Contains(gold, key) {
			r.Rank = i + 1
			break
		}
	}
	return r
}

func dedup(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Summarize averages the per-case figures and takes the latency percentiles.
func Summarize(results []Result) Summary {
	s := Summary{Cases: len(results)}
	if len(results) == 0 {
		return s
	}
	lat := make([]time.Duration, len(results))
	for i, r := range results {
		s.Recall1 += r.RecallAt(1)
		s.Recall5 += r.RecallAt(5)
		s.Recall10 += r.RecallAt(10)
		s.MRR10 += r.ReciprocalRankAt(10)
		lat[i] = r.Latency
	}
	n := float64(len(results))
	s.Recall1 = round4(s.Recall1 / n)
	s.Recall5 = round4(s.Recall5 / n)
	s.Recall10 = round4(s.Recall10 / n)
	s.MRR10 = round4(s.MRR10 / n)
	s.P50ms = ms(Percentile(lat, 50))
	s.P95ms = ms(Percentile(lat, 95))
	return s
}

// Percentile is the nearest-rank percentile p (0 < p ≤ 100) of lat: the
// smallest value with at least p% of the values at or below it.
func Percentile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	sorted := slices.Clone(lat)
	slices.Sort(sorted)
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// Figures are printed with four decimals; rounding here keeps the JSON the
// same as the table.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Misses returns up to n of the cases whose first retrieved article was not
// gold, worst first: nothing gold retrieved, then gold found furthest down.
func Misses(results []Result, n int) []Result {
	var out []Result
	for _, r := range results {
		if r.Rank != 1 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Result) int { return badness(b) - badness(a) })
	return out[:min(n, len(out))]
}

func badness(r Result) int {
	if r.Rank == 0 {
		return math.MaxInt32
	}
	return r.Rank
}

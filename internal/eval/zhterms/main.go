// Command zhterms measures how Chinese should reach the full-text index:
// as overlapping character pairs (what package kb does) or as words cut by a
// dictionary segmenter (github.com/go-ego/gse, the most used pure-Go one).
// Both arms index the same passages and rank them with the app's search
// (kb.Search's BM25, recency weights); only the terms differ. Run it on an evaluation set:
//
//	go run ./internal/eval/zhterms --kb testdata/eval/SET/kb.jsonl --cases testdata/eval/SET/cases.jsonl
//
// It is a measurement, not part of the app: the segmenter's dictionary would
// add seconds to start-up and megabytes to the binary, so it ships only if
// it wins.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/go-ego/gse"

	"tandem/internal/eval"
	"tandem/internal/kb"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "zhterms:", err)
		os.Exit(1)
	}
}

type analyzer struct {
	name  string
	terms func(string) []string
}

func run() error {
	kbPath := flag.String("kb", "", "knowledge base in any import format")
	casesPath := flag.String("cases", "", "evaluation cases, JSONL")
	k := flag.Int("k", 10, "articles per case")
	flag.Parse()
	if *kbPath == "" || *casesPath == "" {
		return fmt.Errorf("needs --kb PATH and --cases FILE")
	}
	ctx := context.Background()
	f, err := os.Open(*casesPath)
	if err != nil {
		return err
	}
	cases, err := eval.ReadCases(f)
	f.Close()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(*kbPath)
	if err != nil {
		return err
	}
	docs, _, err := kb.Read(ctx, abs)
	if err != nil {
		return err
	}

	var seg gse.Segmenter
	if err := seg.LoadDict("zh_s"); err != nil {
		return fmt.Errorf("load the segmenter's dictionary: %w", err)
	}
	words := func(s string) []string { return wordTerms(&seg, s, false) }
	search := func(s string) []string { return wordTerms(&seg, s, true) }
	arms := []analyzer{
		{"character pairs (kb.Terms)", kb.Terms},
		{"gse words (Cut)", words},
		{"gse search mode (CutSearch)", search},
	}
	fmt.Printf("%-30s %6s %9s %9s %9s %8s\n", "chinese terms", "cases", "recall@1", "recall@5", "recall@10", "MRR@10")
	for _, a := range arms {
		sum, err := measure(ctx, a, docs, cases, *k)
		if err != nil {
			return fmt.Errorf("%s: %w", a.name, err)
		}
		fmt.Printf("%-30s %6d %9.4f %9.4f %9.4f %8.4f\n", a.name, sum.Cases, sum.Recall1, sum.Recall5, sum.Recall10, sum.MRR10)
	}
	return nil
}

// wordTerms cuts CJK runs into words and keeps other words as kb.Terms does.
func wordTerms(seg *gse.Segmenter, s string, searchMode bool) []string {
	var out []string
	var cut []string
	if searchMode {
		cut = seg.CutSearch(s, true)
	} else {
		cut = seg.Cut(s, true)
	}
	for _, w := range cut {
		w = strings.ToLower(strings.TrimSpace(w))
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		out = append(out, w)
	}
	return out
}

// measure indexes docs with the analyzer's terms and runs the cases.
func measure(ctx context.Context, a analyzer, docs []kb.Doc, cases []eval.Case, k int) (eval.Summary, error) {
	dir, err := os.MkdirTemp("", "zhterms-")
	if err != nil {
		return eval.Summary{}, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		return eval.Summary{}, err
	}
	defer st.Close()
	for _, d := range docs {
		art := d.Article()
		kb.Prepare(&art) // the passages as the app cuts them; only their terms change
		title := strings.Join(a.terms(art.Title+" "+art.Tags), " ")
		for i := range art.Passages {
			art.Passages[i].TitleTerms = title
			art.Passages[i].Terms = strings.Join(a.terms(art.Passages[i].Text), " ")
		}
		if err := st.UpsertArticle(ctx, &art); err != nil {
			return eval.Summary{}, err
		}
	}
	retrieve := func(ctx context.Context, msgs []tandem.Message, k int) ([]tandem.KnowledgeHit, error) {
		return kb.SearchTokenized(ctx, st, msgs, k, a.terms)
	}
	res, err := eval.Run(ctx, cases, retrieve, k)
	if err != nil {
		return eval.Summary{}, err
	}
	return eval.Summarize(res), nil
}

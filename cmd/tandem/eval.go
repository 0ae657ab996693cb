package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"tandem/internal/eval"
	"tandem/internal/kb"
	"tandem/internal/llm"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

// cmdEval runs an evaluation; today there is one, of the knowledge base.
func cmdEval(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "kb" {
		return errUsage{"eval needs what to evaluate: kb"}
	}
	return cmdEvalKB(ctx, args[1:], out)
}

// cmdEvalKB imports a knowledge base into a throwaway database, retrieves for
// every case as the app would after the conversation's last message, and
// prints recall, MRR and retrieval latency.
func cmdEvalKB(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("eval kb", out)
	kbPath := f.fs.String("kb", "", "knowledge base: a folder of .md/.html/.txt, or a .csv/.jsonl file")
	casesPath := f.fs.String("cases", "", "cases, JSONL: {\"id\", \"messages\": [{\"role\", \"text\"}], \"gold\": [article ids]}")
	k := f.fs.Int("k", 10, "articles to retrieve per case")
	misses := f.fs.Int("misses", 0, "also list the N worst cases (text output only)")
	embedModel := f.fs.String("embed-model", "", "also search by meaning with this Ollama embedding model, fused with the lexical ranking")
	host := f.fs.String("ollama", tandem.DefaultSettings(os.Getenv).OllamaHost, "Ollama server for --embed-model")
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *kbPath == "" || *casesPath == "":
		return errUsage{"eval kb needs --kb PATH and --cases FILE"}
	case f.fs.NArg() > 0:
		return errUsage{fmt.Sprintf("eval kb takes no arguments, only flags; got %q", f.fs.Args())}
	case *k < 1:
		return errUsage{fmt.Sprintf("--k must be at least 1, not %d", *k)}
	case *misses < 0:
		return errUsage{fmt.Sprintf("--misses must be 0 or more, not %d", *misses)}
	case *misses > 0 && *f.asJSON:
		return errUsage{"--misses lists cases in the text output; leave out --json"}
	case *f.db != "":
		return errUsage{"eval kb uses a temporary database of its own; leave out --db"}
	}

	file, err := os.Open(*casesPath)
	if err != nil {
		return fmt.Errorf("eval kb: %w", err)
	}
	cases, err := eval.ReadCases(file)
	file.Close()
	if err != nil {
		return fmt.Errorf("eval kb: cases %s: %w", *casesPath, err)
	}

	st, cleanup, err := evalStore(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	rep, err := kb.Import(ctx, st, *kbPath, nil)
	if err != nil {
		return fmt.Errorf("eval kb: %w", err)
	}
	if len(rep.Skipped) > 0 {
		// Cases may have gold in a skipped file: say so, and let CheckGold decide.
		for _, s := range rep.Skipped {
			fmt.Fprintf(os.Stderr, "tandem: eval kb: skipped %s: %s\n", s.Where, s.Reason)
		}
	}
	docs, _, err := kb.Read(ctx, rep.Source)
	if err != nil {
		return fmt.Errorf("eval kb: %w", err)
	}
	keys := make(map[string]bool, len(docs))
	for _, d := range docs {
		keys[d.Key] = true
	}
	if err := eval.CheckGold(cases, func(key string) bool { return keys[key] }); err != nil {
		return fmt.Errorf("eval kb: cases %s: %w", *casesPath, err)
	}

	retrieve := lexicalRetriever(st)
	if *embedModel != "" {
		if retrieve, err = fusedRetriever(ctx, st, *host, *embedModel); err != nil {
			return fmt.Errorf("eval kb: %w", err)
		}
	}
	results, err := eval.Run(ctx, cases, retrieve, *k)
	if err != nil {
		return fmt.Errorf("eval kb: %w", err)
	}
	sum := eval.Summarize(results)
	if *f.asJSON {
		return printJSON(out, sum)
	}
	printEvalTable(out, *kbPath, *casesPath, len(keys), *k, sum)
	if *misses > 0 {
		printMisses(out, eval.Misses(results, *misses))
	}
	return nil
}

// lexicalRetriever is the app's retrieval today: kb.Search over the FTS index.
func lexicalRetriever(st kb.Searcher) eval.Retriever {
	return func(ctx context.Context, msgs []tandem.Message, k int) ([]tandem.KnowledgeHit, error) {
		return kb.Search(ctx, st, msgs, k)
	}
}

// fusedRetriever is the app's retrieval with an embedding model set: the
// knowledge base is embedded first, and a case whose meaning-based search
// fails is an error rather than a quiet fall back to words.
func fusedRetriever(ctx context.Context, st *store.Store, host, model string) (eval.Retriever, error) {
	c, err := llm.New(host)
	if err != nil {
		return nil, err
	}
	n, err := kb.EmbedPassages(ctx, st, c, model, func(done, total int) {
		fmt.Fprintf(os.Stderr, "\rembedding passages with %s: %d of %d", model, done, total)
	})
	if n > 0 {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		return nil, err
	}
	r, sem := kb.NewRetriever(st), kb.Semantic{Embedder: c, Model: model}
	return func(ctx context.Context, msgs []tandem.Message, k int) ([]tandem.KnowledgeHit, error) {
		found, err := r.Articles(ctx, msgs, k, sem)
		if err == nil && found.SemanticError != "" {
			err = errors.New(found.SemanticError)
		}
		return found.Hits, err
	}, nil
}

// evalStore opens a fresh database in a temporary folder that cleanup removes.
func evalStore(ctx context.Context) (*store.Store, func(), error) {
	dir, err := os.MkdirTemp("", "tandem-eval-")
	if err != nil {
		return nil, nil, fmt.Errorf("eval kb: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "eval.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("eval kb: %w", err)
	}
	return st, func() {
		st.Close()
		os.RemoveAll(dir)
	}, nil
}

func printEvalTable(out io.Writer, kbPath, casesPath string, articles, k int, s eval.Summary) {
	fmt.Fprintf(out, "knowledge base %s (%d articles), cases %s, top %d\n", kbPath, articles, casesPath, k)
	fmt.Fprintf(out, "%-22s %10s\n", "metric", "value")
	fmt.Fprintf(out, "%-22s %10d\n", "cases", s.Cases)
	fmt.Fprintf(out, "%-22s %10.4f\n", "recall@1", s.Recall1)
	fmt.Fprintf(out, "%-22s %10.4f\n", "recall@5", s.Recall5)
	fmt.Fprintf(out, "%-22s %10.4f\n", "recall@10", s.Recall10)
	fmt.Fprintf(out, "%-22s %10.4f\n", "MRR@10", s.MRR10)
	fmt.Fprintf(out, "%-22s %10.3f\n", "latency p50 (ms)", s.P50ms)
	fmt.Fprintf(out, "%-22s %10.3f\n", "latency p95 (ms)", s.P95ms)
}

func printMisses(out io.Writer, misses []eval.Result) {
	if len(misses) == 0 {
		fmt.Fprintln(out, "\nno misses: every case had a gold article first")
		return
	}
	fmt.Fprintf(out, "\ncases without a gold article first, worst first (rank 0: no gold article retrieved):\n")
	fmt.Fprintf(out, "%-28s %5s  %-26s %s\n", "case", "rank", "gold", "retrieved first")
	for _, r := range misses {
		first := "(nothing)"
		if len(r.Top) > 0 {
			first = r.Top[0]
		}
		fmt.Fprintf(out, "%-28s %5d  %-26s %s\n", r.ID, r.Rank, strings.Join(r.Gold, ","), first)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"tandem/internal/httpapi"
	"tandem/internal/ingest"
	"tandem/internal/kb"
	"tandem/internal/store"
)

// cmdBench runs a benchmark and prints a table (or JSON).
func cmdBench(ctx context.Context, args []string, out io.Writer) error {
	if len(args) > 0 && args[0] == "kb" {
		return cmdBenchKB(ctx, args[1:], out)
	}
	if len(args) > 0 && args[0] == "suggest" {
		return cmdBenchSuggest(ctx, args[1:], out)
	}
	if len(args) == 0 || args[0] != "ingest" {
		return errUsage{"bench needs a benchmark name: ingest, kb or suggest"}
	}
	f := newFlags("bench ingest", out)
	n := f.fs.Int("messages", 5000, "messages to send")
	workers := f.fs.Int("workers", 4, "concurrent senders")
	path, cleanup, err := f.benchDB(args[1:])
	if err != nil {
		return err
	}
	defer cleanup()
	res, err := benchIngest(ctx, path, *n, *workers)
	if err != nil {
		return err
	}
	if *f.asJSON {
		return printJSON(out, res)
	}
	fmt.Fprintf(out, "ingest over the local API, acknowledged after commit (%d messages, %d senders)\n", res.Messages, res.Workers)
	fmt.Fprintf(out, "%-22s %10s\n", "metric", "value")
	fmt.Fprintf(out, "%-22s %10.0f\n", "messages/s", res.PerSecond)
	fmt.Fprintf(out, "%-22s %10.2f\n", "latency p50 (ms)", res.P50ms)
	fmt.Fprintf(out, "%-22s %10.2f\n", "latency p95 (ms)", res.P95ms)
	fmt.Fprintf(out, "%-22s %10.2f\n", "latency p99 (ms)", res.P99ms)
	return nil
}

// benchDB parses the flags and returns the database to benchmark on: --db,
// else a fresh one in a temporary folder that cleanup removes.
func (c common) benchDB(args []string) (path string, cleanup func(), err error) {
	if err := c.fs.Parse(args); err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "tandem-bench-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	if *c.db != "" {
		return *c.db, cleanup, nil
	}
	return filepath.Join(dir, "bench.db"), cleanup, nil
}

type ingestBench struct {
	Messages  int     `json:"messages"`
	Workers   int     `json:"workers"`
	PerSecond float64 `json:"messages_per_s"`
	P50ms     float64 `json:"p50_ms"`
	P95ms     float64 `json:"p95_ms"`
	P99ms     float64 `json:"p99_ms"`
}

// benchIngest sends n messages to a real ingest server on loopback, spread
// over 20 conversations, and times each request from send to acknowledgement
// (which the server gives only after the commit).
func benchIngest(ctx context.Context, path string, n, workers int) (ingestBench, error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return ingestBench{}, err
	}
	defer st.Close()
	l, err := httpapi.Listen("127.0.0.1:0")
	if err != nil {
		return ingestBench{}, err
	}
	const token = "bench"
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go httpapi.Serve(ctx, l, httpapi.New(ingest.New(st), st, token, slog.New(slog.DiscardHandler)))
	base := "http://" + l.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	send := func(method, path string, body any) (time.Duration, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return 0, fmt.Errorf("%s %s: %s", method, path, resp.Status)
		}
		return time.Since(start), nil
	}
	const conversations = 20
	for c := range conversations {
		if _, err := send("PUT", fmt.Sprintf("/v1/conversations/bench-%d", c), map[string]string{"title": "bench"}); err != nil {
			return ingestBench{}, err
		}
	}

	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				d, err := send("POST", fmt.Sprintf("/v1/conversations/bench-%d/messages", i%conversations), map[string]string{
					"role": "customer", "text": fmt.Sprintf("Where is my parcel? Order #%d has not arrived.", 100000+i),
					"external_id": fmt.Sprintf("m%d", i),
				})
				if err != nil {
					errs <- err
					return
				}
				lat[i] = d
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return ingestBench{}, err
	}
	p := kb.Percentiles(lat)
	return ingestBench{Messages: n, Workers: workers, PerSecond: float64(n) / elapsed.Seconds(),
		P50ms: p[0], P95ms: p[1], P99ms: p[2]}, nil
}

func cmdBenchKB(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("bench kb", out)
	n := f.fs.Int("articles", 10000, "synthetic articles to import")
	q := f.fs.Int("queries", 500, "conversation-shaped queries to time")
	vocab := f.fs.Int("vocab", 20000, "distinct words the synthetic text draws from (small: every word is common, the worst case)")
	path, cleanup, err := f.benchDB(args)
	if err != nil {
		return err
	}
	defer cleanup()
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := kb.Bench(ctx, st, *n, *vocab, *q, func(done, total int) {
		if !*f.asJSON {
			fmt.Fprintf(os.Stderr, "\rimporting %d/%d", done, total)
		}
	})
	if err != nil {
		return err
	}
	if *f.asJSON {
		return printJSON(out, res)
	}
	fmt.Fprintf(os.Stderr, "\n")
	fmt.Fprintf(out, "knowledge base: %d synthetic articles (1 in 5 Chinese, Zipf over %d words), %d conversation queries, top 10\n",
		res.Articles, res.Vocabulary, res.Queries)
	fmt.Fprintf(out, "%-22s %10s\n", "metric", "value")
	fmt.Fprintf(out, "%-22s %10.0f\n", "import articles/s", res.ImportPerSec)
	fmt.Fprintf(out, "%-22s %10.2f\n", "query p50 (ms)", res.P50ms)
	fmt.Fprintf(out, "%-22s %10.2f\n", "query p95 (ms)", res.P95ms)
	fmt.Fprintf(out, "%-22s %10.2f\n", "query p99 (ms)", res.P99ms)
	return nil
}

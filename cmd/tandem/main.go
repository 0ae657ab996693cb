// Command tandem is Tandem without a window: the same internal packages as
// the desktop app, for scripts, tests and benchmarks.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tandem/internal/chatwoot"
	"tandem/internal/health"
	"tandem/internal/httpapi"
	"tandem/internal/ingest"
	"tandem/internal/kb"
	"tandem/internal/llm"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

const usage = `tandem is the headless side of the Tandem desktop copilot.

Usage:
  tandem status   [--db FILE] [--json]      check the Ollama server and models in Settings
  tandem settings [--db FILE] [--json]      print the settings
  tandem settings set [--db FILE] KEY=VALUE...
                                            change settings (keys: ollamaHost, chatModel,
                                            embedModel, agentLang, uiLang)
  tandem conversations [--db FILE] [--json]  list conversations: source, id, title, messages
  tandem kb import [--db FILE] [--json] [--watch] PATH
                                            import or re-import a knowledge base: a folder of
                                            .md/.html/.txt, or a .csv/.jsonl file; --watch
                                            keeps following it, a report per re-import
  tandem kb list [--db FILE] [--json] [QUERY]
                                            list the knowledge base (or the articles matching
                                            QUERY): id, title, language, source
  tandem serve    [--db FILE] [--addr 127.0.0.1:PORT] [--token T]
                                            run the local ingest API without a window (and
                                            Chatwoot's webhook or polling, as in Settings)
  tandem bench ingest [--messages N] [--workers W] [--json]
                                            ingest throughput and latency to commit
  tandem bench kb [--articles N] [--queries Q] [--vocab V] [--json]
                                            knowledge-base import rate and query latency
  tandem eval kb --kb PATH --cases FILE [--k 10] [--misses N] [--json]
                 [--embed-model NAME [--ollama HOST]]
                                            retrieval quality on cases with known answers:
                                            recall@1/5/10, MRR@10, latency p50/p95 (the KB
                                            is imported into a temporary database); with
                                            --embed-model, fused with search by meaning
  tandem bench suggest --model NAME [--ollama HOST] [--conversations FILE] [--max-tokens N] [--json]
                                            replays multi-turn conversations through the
                                            suggestion engine: prompt characters sent and new,
                                            prompt_eval_duration, stored→sent time, cancel delay
  tandem db check [--db FILE]               integrity check of the database and its indexes
  tandem db schema [--db FILE]              print the database schema

The database is --db, else $TANDEM_DB, else Tandem/tandem.db in the user
config folder. OLLAMA_HOST sets the default Ollama host.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "tandem:", err)
		os.Exit(exitCode(err))
	}
}

// errUsage marks a mistake in the command line itself.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg + " (see tandem --help)" }

func exitCode(err error) int {
	var u errUsage
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(out, usage)
		return nil
	}
	switch args[0] {
	case "status":
		return cmdStatus(ctx, args[1:], out)
	case "settings":
		if len(args) > 1 && args[1] == "set" {
			return cmdSettingsSet(ctx, args[2:], out)
		}
		return cmdSettings(ctx, args[1:], out)
	case "conversations":
		return cmdConversations(ctx, args[1:], out)
	case "kb":
		if len(args) > 1 && args[1] == "import" {
			return cmdKBImport(ctx, args[2:], out)
		}
		if len(args) > 1 && args[1] == "list" {
			return cmdKBList(ctx, args[2:], out)
		}
		return errUsage{"kb needs a subcommand: import or list"}
	case "bench":
		return cmdBench(ctx, args[1:], out)
	case "eval":
		return cmdEval(ctx, args[1:], out)
	case "serve":
		return cmdServe(ctx, args[1:], out)
	case "db":
		if len(args) > 1 && (args[1] == "check" || args[1] == "schema") {
			return cmdDB(ctx, args[1], args[2:], out)
		}
		return errUsage{"db needs check or schema"}
	}
	return errUsage{fmt.Sprintf("unknown command %q", args[0])}
}

// common holds the flags every command shares.
type common struct {
	fs     *flag.FlagSet
	db     *string
	asJSON *bool
}

func newFlags(name string, out io.Writer) common {
	fs := flag.NewFlagSet("tandem "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprint(out, usage) }
	return common{fs: fs, db: fs.String("db", "", "database file"), asJSON: fs.Bool("json", false, "print JSON")}
}

// open parses args and opens the database.
func (c common) open(ctx context.Context, args []string) (*store.Store, error) {
	if err := c.fs.Parse(args); err != nil {
		return nil, err
	}
	path := *c.db
	if path == "" {
		var err error
		if path, err = store.DefaultPath(os.Getenv); err != nil {
			return nil, err
		}
	}
	return store.Open(ctx, path)
}

// openSettings is open, then reads the settings.
func (c common) openSettings(ctx context.Context, args []string) (*store.Store, tandem.Settings, error) {
	st, err := c.open(ctx, args)
	if err != nil {
		return nil, tandem.Settings{}, err
	}
	s, err := st.Settings(ctx, tandem.DefaultSettings(os.Getenv))
	if err != nil {
		st.Close()
		return nil, s, err
	}
	return st, s, nil
}

func printJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdStatus(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("status", out)
	st, s, err := f.openSettings(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	res := health.Check(ctx, health.Dial, health.ConfigOf(s))
	if *f.asJSON {
		if err := printJSON(out, res); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(out, "host:    %s\nstate:   %s\nversion: %s\nmodel:   %s\nembed:   %s\ninstalled: %s\n",
			res.Host, res.State, res.Version, res.ChatModel, res.EmbedModel, strings.Join(res.Models, ", "))
	}
	switch res.State {
	case health.OK:
		return nil
	case health.Unreachable:
		return fmt.Errorf("Ollama is not reachable at %s: start it with `ollama serve`", res.Host)
	case health.ModelMissing:
		return fmt.Errorf("model %s is not installed: `ollama pull %s` or choose another with `tandem settings set chatModel=NAME`", res.MissingModel, res.MissingModel)
	default:
		return fmt.Errorf("Ollama at %s: %s", res.Host, res.Detail)
	}
}

func cmdSettings(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("settings", out)
	st, s, err := f.openSettings(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if *f.asJSON {
		return printJSON(out, s)
	}
	fmt.Fprintf(out, "ollamaHost=%s\nchatModel=%s\nembedModel=%s\nagentLang=%s\nuiLang=%s\n",
		s.OllamaHost, s.ChatModel, s.EmbedModel, s.AgentLang, s.UILang)
	return nil
}

func cmdSettingsSet(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("settings set", out)
	st, s, err := f.openSettings(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if f.fs.NArg() == 0 {
		return errUsage{"settings set needs KEY=VALUE"}
	}
	// Go through the JSON names, the same ones the frontend uses.
	m := map[string]any{}
	b, _ := json.Marshal(s)
	json.Unmarshal(b, &m)
	for _, kv := range f.fs.Args() {
		k, v, ok := strings.Cut(kv, "=")
		old, known := m[k]
		if !ok || !known {
			return errUsage{fmt.Sprintf("%q is not KEY=VALUE with a known key", kv)}
		}
		if _, isNumber := old.(float64); isNumber {
			n, err := strconv.Atoi(v)
			if err != nil {
				return errUsage{fmt.Sprintf("%s must be a whole number, not %q", k, v)}
			}
			m[k] = n
		} else {
			m[k] = v
		}
	}
	b, _ = json.Marshal(m)
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if err := st.SaveSettings(ctx, s); err != nil {
		return err
	}
	fmt.Fprintln(out, "saved")
	return nil
}

func cmdDB(ctx context.Context, sub string, args []string, out io.Writer) error {
	f := newFlags("db "+sub, out)
	st, err := f.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "schema" {
		schema, err := st.Schema(ctx)
		if err != nil {
			return err
		}
		fmt.Fprint(out, schema)
		return nil
	}
	res, err := st.IntegrityCheck(ctx)
	if err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check of %s: %s", st.Path(), res)
	}
	if _, err := st.FTSIntegrityCheck(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: ok\n", st.Path())
	return nil
}

func cmdServe(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("serve", out)
	addr := f.fs.String("addr", "", "listen address, loopback only (default 127.0.0.1:PORT from Settings)")
	token := f.fs.String("token", "", "bearer token (default: the one in Settings, made on first use)")
	st, s, err := f.openSettings(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if *token == "" {
		if s.EnsureToken() {
			if err := st.SaveSettings(ctx, s); err != nil {
				return err
			}
		}
		*token = s.IngestToken
	}
	if *addr == "" {
		*addr = fmt.Sprintf("127.0.0.1:%d", s.IngestPort)
	}
	l, err := httpapi.Listen(*addr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ing := ingest.New(st)
	api := httpapi.New(ing, st, *token, log)
	// Chatwoot as in Settings: its webhook on this server, or polling.
	switch s.ChatwootMode {
	case "webhook":
		api.Handle("POST /v1/chatwoot/webhook", chatwoot.NewWebhookHandler(chatwoot.WebhookConfig{Secret: s.ChatwootSecret}, ing))
	case "poll":
		p := &chatwoot.Poller{Client: &chatwoot.Client{BaseURL: s.ChatwootURL, AccountID: s.ChatwootAccountID,
			Token: s.ChatwootToken, HTTP: &http.Client{Timeout: 15 * time.Second}}, Sink: ing, Log: log}
		go p.Run(ctx)
	}
	fmt.Fprintf(out, "tandem: ingest API on http://%s (database %s)\n", l.Addr(), st.Path())
	return httpapi.Serve(ctx, l, api)
}

func cmdKBImport(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("kb import", out)
	watch := f.fs.Bool("watch", false, "keep following PATH, re-importing it on change")
	st, err := f.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if f.fs.NArg() != 1 {
		return errUsage{"kb import needs one PATH"}
	}
	progress := func(done, total int) {
		if !*f.asJSON {
			fmt.Fprintf(os.Stderr, "\rindexing %d/%d", done, total)
		}
	}
	if *watch {
		// Until interrupted: the first import at once, then one per change.
		w := &kb.Watcher{Store: st, Progress: progress, Report: func(rep kb.Report, err error) {
			if err != nil {
				fmt.Fprintf(os.Stderr, "\ntandem: %v\n", err)
				return
			}
			printKBReport(out, *f.asJSON, rep)
			embedKB(ctx, st)
		}}
		return w.Watch(ctx, f.fs.Arg(0))
	}
	rep, err := kb.Import(ctx, st, f.fs.Arg(0), progress)
	if err != nil {
		return err
	}
	if err := printKBReport(out, *f.asJSON, rep); err != nil {
		return err
	}
	embedKB(ctx, st)
	return nil
}

// embedKB computes the embeddings the knowledge base lacks for the embedding
// model in Settings, if one is set. The import stands either way: without
// Ollama, the app computes them once it can reach it.
func embedKB(ctx context.Context, st *store.Store) {
	set, err := st.Settings(ctx, tandem.DefaultSettings(os.Getenv))
	if err != nil || set.EmbedModel == "" {
		return
	}
	c, err := llm.New(set.OllamaHost)
	if err == nil {
		_, err = kb.EmbedPassages(ctx, st, c, set.EmbedModel, func(done, total int) {
			fmt.Fprintf(os.Stderr, "\rembedding with %s %d/%d", set.EmbedModel, done, total)
		})
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "tandem: the articles are imported, but not embedded for search by meaning: %v\n"+
			"  (the app embeds them once it reaches Ollama; or run this import again)\n", err)
	}
}

func cmdKBList(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("kb list", out)
	st, err := f.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	list, total, err := st.ArticleList(ctx, strings.Join(f.fs.Args(), " "), math.MaxInt32)
	if err != nil {
		return err
	}
	if *f.asJSON {
		return printJSON(out, list)
	}
	for _, a := range list {
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", a.Key, a.Title, a.Lang, a.Source)
	}
	fmt.Fprintf(out, "%d articles\n", total)
	return nil
}

func printKBReport(out io.Writer, asJSON bool, rep kb.Report) error {
	if asJSON {
		return printJSON(out, rep)
	}
	fmt.Fprintf(os.Stderr, "\n")
	fmt.Fprintf(out, "%s: %d added, %d updated, %d unchanged, %d removed, %d skipped\n",
		rep.Source, len(rep.Added), len(rep.Updated), rep.Unchanged, len(rep.Removed), len(rep.Skipped))
	for _, s := range rep.Skipped {
		fmt.Fprintf(out, "  skipped %s: %s\n", s.Where, s.Reason)
	}
	return nil
}

func cmdConversations(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("conversations", out)
	st, err := f.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Conversations(ctx)
	if err != nil {
		return err
	}
	if *f.asJSON {
		return printJSON(out, list)
	}
	for _, c := range list {
		fmt.Fprintf(out, "%s\t%s\t%s\t%d\n", c.Source, c.ExternalID, c.Title, c.MessageCount)
	}
	return nil
}

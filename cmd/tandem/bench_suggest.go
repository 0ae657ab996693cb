package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"tandem/internal/kb"
	"tandem/internal/llm"
	"tandem/internal/store"
	"tandem/internal/suggest"
	"tandem/internal/tandem"
)

// replayJSONL holds the conversations `tandem bench suggest` replays unless
// --conversations names others: English and Chinese, each many turns long.
//
//go:embed replay.jsonl
var replayJSONL []byte

type replayConversation struct {
	ID       string `json:"id"`
	Lang     string `json:"lang"`
	Messages []struct {
		Role tandem.Role `json:"role"`
		Text string      `json:"text"`
	} `json:"messages"`
}

// turnBench is one customer turn of a replay.
type turnBench struct {
	Conversation   string  `json:"conversation"`
	Turn           int     `json:"turn"`
	PromptChars    int     `json:"prompt_chars"`
	PromptCharsNew int     `json:"prompt_chars_new"` // not shared with the conversation's previous request
	PromptEvalMS   float64 `json:"prompt_eval_ms"`   // Ollama's prompt_eval_duration
	RequestMS      float64 `json:"request_ms"`       // from message stored to request sent
	CancelMS       float64 `json:"cancel_ms"`        // from cancel to the stream stopped
	Status         string  `json:"status"`
}

type suggestBench struct {
	Turns          int         `json:"turns"`
	PromptChars    int         `json:"prompt_chars"`
	PromptCharsNew int         `json:"prompt_chars_new"`
	P95RequestMS   float64     `json:"p95_request_ms"`
	P95CancelMS    float64     `json:"p95_cancel_ms"`
	PerTurn        []turnBench `json:"per_turn"`
}

// recorder is the Chatter the engine sees: it passes requests to Ollama and
// keeps what was sent, when, and Ollama's figures.
type recorder struct {
	next suggest.Chatter

	mu       sync.Mutex
	lastText string
	sentAt   time.Time
	firstOut chan struct{}
	result   llm.ChatResult
}

func (r *recorder) Chat(ctx context.Context, req llm.ChatRequest, onDelta func(string)) (llm.ChatResult, error) {
	b, _ := json.Marshal(req.Messages)
	r.mu.Lock()
	r.lastText, r.sentAt = string(b), time.Now()
	first := r.firstOut
	r.mu.Unlock()
	var once sync.Once
	res, err := r.next.Chat(ctx, req, func(d string) {
		if first != nil {
			once.Do(func() { close(first) })
		}
		onDelta(d)
	})
	r.mu.Lock()
	r.result = res
	r.mu.Unlock()
	return res, err
}

func cmdBenchSuggest(ctx context.Context, args []string, out io.Writer) error {
	f := newFlags("bench suggest", out)
	host := f.fs.String("ollama", tandem.DefaultSettings(os.Getenv).OllamaHost, "Ollama server")
	model := f.fs.String("model", "", "chat model (required)")
	convFile := f.fs.String("conversations", "", "JSONL of conversations to replay (default: the built-in English and Chinese ones)")
	maxTokens := f.fs.Int("max-tokens", 256, "tokens the model may write per turn")
	path, cleanup, err := f.benchDB(args)
	if err != nil {
		return err
	}
	defer cleanup()
	if *model == "" {
		return errUsage{"bench suggest needs --model NAME"}
	}
	data := replayJSONL
	if *convFile != "" {
		if data, err = os.ReadFile(*convFile); err != nil {
			return fmt.Errorf("bench suggest: %w", err)
		}
	}
	var convs []replayConversation
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var c replayConversation
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return fmt.Errorf("bench suggest: conversations line %d: %w", line, err)
		}
		convs = append(convs, c)
	}
	client, err := llm.New(*host)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := benchSuggest(ctx, st, client, *model, *maxTokens, convs)
	if err != nil {
		return err
	}
	if *f.asJSON {
		return printJSON(out, res)
	}
	fmt.Fprintf(out, "suggestions replayed with %s at %s (%d turns)\n", *model, client.Host(), res.Turns)
	fmt.Fprintf(out, "%-16s %4s %8s %8s %10s %10s %9s %s\n", "conversation", "turn", "chars", "new", "eval(ms)", "request(ms)", "cancel(ms)", "status")
	for _, t := range res.PerTurn {
		fmt.Fprintf(out, "%-16s %4d %8d %8d %10.1f %10.2f %9.2f %s\n", t.Conversation, t.Turn, t.PromptChars, t.PromptCharsNew, t.PromptEvalMS, t.RequestMS, t.CancelMS, t.Status)
	}
	fmt.Fprintf(out, "total: %d prompt characters sent, %d new (%.0f%%); p95 stored→sent %.2f ms; p95 cancel %.2f ms\n",
		res.PromptChars, res.PromptCharsNew, 100*float64(res.PromptCharsNew)/float64(max(1, res.PromptChars)), res.P95RequestMS, res.P95CancelMS)
	return nil
}

// benchSuggest replays each conversation turn by turn through the engine,
// as the app runs it: the customer message is stored, the engine builds
// and sends the request, and the answer streams back. After each turn a
// regeneration is started and cancelled at its first token, to time the
// cancel.
func benchSuggest(ctx context.Context, st *store.Store, c *llm.Client, model string, maxTokens int, convs []replayConversation) (suggestBench, error) {
	rec := &recorder{next: c}
	var mu sync.Mutex
	var last suggest.Update
	eng := suggest.NewEngine(rec, st, func(context.Context, []tandem.Message) ([]tandem.KnowledgeHit, error) {
		return []tandem.KnowledgeHit{}, nil
	}, func(u suggest.Update) {
		mu.Lock()
		last = u
		mu.Unlock()
	})
	var res suggestBench
	var reqLat, cancelLat []time.Duration
	for _, rc := range convs {
		conv := &tandem.Conversation{Source: "bench", ExternalID: rc.ID, CustomerLang: rc.Lang}
		if err := st.UpsertConversation(ctx, conv); err != nil {
			return res, err
		}
		prev, turn := "", 0
		for _, rm := range rc.Messages {
			m := tandem.Message{ConversationID: conv.ID, Role: rm.Role, Text: rm.Text, Lang: rc.Lang}
			if _, err := st.AddMessage(ctx, &m); err != nil {
				return res, err
			}
			if m.Role != tandem.RoleCustomer {
				continue
			}
			turn++
			req := suggest.Request{ConversationID: conv.ID, MessageID: m.ID, StoredAt: time.Now(), Model: model,
				AgentLang: "en", Options: map[string]any{"num_predict": maxTokens}}
			eng.Start(ctx, req)
			eng.Wait()
			mu.Lock()
			u := last
			mu.Unlock()
			if u.Status == tandem.SuggestionFailed {
				return res, fmt.Errorf("bench suggest: %s turn %d: %s", rc.ID, turn, u.Error)
			}
			rec.mu.Lock()
			text, sent, result := rec.lastText, rec.sentAt, rec.result
			rec.mu.Unlock()
			tb := turnBench{Conversation: rc.ID, Turn: turn, PromptChars: len(text),
				PromptCharsNew: len(text) - commonPrefix(prev, text), Status: string(u.Status),
				PromptEvalMS: float64(result.PromptEvalDuration.Microseconds()) / 1e3,
				RequestMS:    float64(sent.Sub(req.StoredAt).Microseconds()) / 1e3}
			prev = text

			// Regenerate and cancel at the first token.
			first := make(chan struct{})
			rec.mu.Lock()
			rec.firstOut = first
			rec.mu.Unlock()
			eng.Start(ctx, req)
			select {
			case <-first:
			case <-time.After(2 * time.Minute):
			}
			t0 := time.Now()
			eng.Cancel(conv.ID)
			cancelled := time.Since(t0)
			tb.CancelMS = float64(cancelled.Microseconds()) / 1e3
			rec.mu.Lock()
			rec.firstOut = nil
			rec.mu.Unlock()

			res.PerTurn = append(res.PerTurn, tb)
			res.PromptChars += tb.PromptChars
			res.PromptCharsNew += tb.PromptCharsNew
			reqLat, cancelLat = append(reqLat, sent.Sub(req.StoredAt)), append(cancelLat, cancelled)
		}
	}
	res.Turns = len(res.PerTurn)
	res.P95RequestMS, res.P95CancelMS = kb.Percentiles(reqLat)[1], kb.Percentiles(cancelLat)[1]
	return res, nil
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

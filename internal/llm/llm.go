// Package llm talks to a local Ollama server. It is the only package that
// imports the Ollama client, and it turns the client's errors into the typed
// errors below, which the UI shows as actionable messages.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"tandem/internal/tandem"
)

// UnreachableError means no Ollama server answered at Host.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("Ollama is not reachable at %s: %v", e.Host, e.Err)
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// ModelMissingError means the server runs but does not have Model.
type ModelMissingError struct{ Model string }

func (e *ModelMissingError) Error() string {
	return fmt.Sprintf("model %s is not installed: ollama pull %s", e.Model, e.Model)
}

// BadRequestError means the server refused the request itself (a bad option,
// an invalid format schema, a prompt the model cannot take).
type BadRequestError struct{ Message string }

func (e *BadRequestError) Error() string { return "Ollama refused the request: " + e.Message }

// Client is a connection to one Ollama server.
type Client struct {
	host string // host:port, as shown to people
	api  *api.Client
}

// New returns a client for the server at host, in any form tandem.OllamaURL takes.
func New(host string) (*Client, error) {
	u, err := tandem.OllamaURL(host)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: statusTransport{&http.Transport{
		Proxy: nil, // a local server must never be reached through a proxy
		// A refused or dead host must fail fast so the status bar can say so;
		// no overall timeout, because a stream may rightly run for minutes.
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 4,
	}}}
	return &Client{host: u.Host, api: api.NewClient(u, hc)}, nil
}

// Host is the server's host:port.
func (c *Client) Host() string { return c.host }

// Version returns the server's version.
func (c *Client) Version(ctx context.Context) (string, error) {
	v, err := c.api.Version(ctx)
	if err != nil {
		return "", c.wrap(ctx, "", err)
	}
	return v, nil
}

// Model is an installed model.
type Model struct {
	Name     string `json:"name"`
	Size     int64  `json:"size"`
	Family   string `json:"family"`
	Params   string `json:"params"`
	Embedder bool   `json:"embedder"` // looks like an embedding-only model
}

// Models lists the installed models by name.
func (c *Client) Models(ctx context.Context) ([]Model, error) {
	resp, err := c.api.List(ctx)
	if err != nil {
		return nil, c.wrap(ctx, "", err)
	}
	out := make([]Model, 0, len(resp.Models))
	for _, m := range resp.Models {
		fam := strings.ToLower(m.Details.Family)
		out = append(out, Model{
			Name: m.Name, Size: m.Size, Family: m.Details.Family, Params: m.Details.ParameterSize,
			Embedder: strings.Contains(fam, "bert") || strings.Contains(strings.ToLower(m.Name), "embed"),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// SameModel reports whether two model names name the same model, as Ollama
// reads them: "tiny" is "tiny:latest".
func SameModel(a, b string) bool { return fullName(a) == fullName(b) }

func fullName(n string) string {
	n = strings.ToLower(strings.TrimSpace(n))
	if i := strings.LastIndex(n, "/"); !strings.Contains(n[i+1:], ":") {
		n += ":latest"
	}
	return n
}

// Message is one chat message; Role is "system", "user" or "assistant".
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is one chat completion.
type ChatRequest struct {
	Model    string
	Messages []Message
	// Format, when set, is a JSON schema the reply must follow; the server
	// enforces it with a grammar.
	Format  json.RawMessage
	Options map[string]any
}

// ChatResult is what a chat produced, complete or not.
type ChatResult struct {
	Text       string        `json:"text"`
	Done       bool          `json:"done"` // the model finished; false when cancelled or cut off
	DoneReason string        `json:"doneReason"`
	FirstToken time.Duration `json:"firstToken"` // from request to the first streamed text
	Total      time.Duration `json:"total"`

	// Ollama's own figures. PromptEvalCount counts the whole prompt even when
	// most of it came from the prompt cache; PromptEvalDuration shows the reuse.
	PromptEvalCount    int           `json:"promptEvalCount"`
	PromptEvalDuration time.Duration `json:"promptEvalDuration"`
	EvalCount          int           `json:"evalCount"`
	EvalDuration       time.Duration `json:"evalDuration"`
	LoadDuration       time.Duration `json:"loadDuration"`
}

// Chat streams a chat completion, calling onDelta with each piece of text as
// it arrives. When ctx is cancelled the stream stops at once and Chat returns
// the text so far with Done false and ctx's error.
func (c *Client) Chat(ctx context.Context, req ChatRequest, onDelta func(string)) (ChatResult, error) {
	var (
		res   ChatResult
		text  strings.Builder
		start = time.Now()
	)
	err := c.api.Chat(ctx, &api.ChatRequest{
		Model:    req.Model,
		Messages: toAPIMessages(req.Messages),
		Format:   req.Format,
		Options:  req.Options,
	}, func(r api.ChatResponse) error {
		if d := r.Message.Content; d != "" {
			if text.Len() == 0 {
				res.FirstToken = time.Since(start)
			}
			text.WriteString(d)
			if onDelta != nil {
				onDelta(d)
			}
		}
		if r.Done {
			res.Done, res.DoneReason = true, r.DoneReason
			res.PromptEvalCount, res.PromptEvalDuration = r.PromptEvalCount, r.PromptEvalDuration
			res.EvalCount, res.EvalDuration, res.LoadDuration = r.EvalCount, r.EvalDuration, r.LoadDuration
		}
		return nil
	})
	res.Text, res.Total = text.String(), time.Since(start)
	if err != nil {
		return res, c.wrap(ctx, req.Model, err)
	}
	// The client ends a stream quietly when the connection drops or ctx is
	// cancelled, so an unfinished stream must be caught here.
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if !res.Done {
		return res, &UnreachableError{Host: c.host, Err: errors.New("the stream ended before the model finished")}
	}
	return res, nil
}

func toAPIMessages(ms []Message) []api.Message {
	out := make([]api.Message, len(ms))
	for i, m := range ms {
		out[i] = api.Message{Role: m.Role, Content: m.Content}
	}
	return out
}

// Embed returns one embedding per input, in order.
func (c *Client) Embed(ctx context.Context, model string, inputs []string) ([][]float32, error) {
	if len(inputs) == 0 {
		return [][]float32{}, nil
	}
	resp, err := c.api.Embed(ctx, &api.EmbedRequest{Model: model, Input: inputs})
	if err != nil {
		return nil, c.wrap(ctx, model, err)
	}
	if len(resp.Embeddings) != len(inputs) {
		return nil, fmt.Errorf("embed with %s: got %d embeddings for %d inputs", model, len(resp.Embeddings), len(inputs))
	}
	return resp.Embeddings, nil
}

// wrap turns a client error into one of the typed errors, or ctx's error
// when the call was cancelled.
func (c *Client) wrap(ctx context.Context, model string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var se *statusError
	if errors.As(err, &se) {
		switch {
		case isModelMissing(se.Message) || se.Code == http.StatusNotFound && model != "":
			return &ModelMissingError{Model: model}
		case se.Code >= 400 && se.Code < 500:
			return &BadRequestError{Message: se.Message}
		}
		return fmt.Errorf("ollama at %s: %w", c.host, se)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &UnreachableError{Host: c.host, Err: ue.Err}
	}
	// A streamed call reports server errors as bare text.
	if isModelMissing(err.Error()) {
		return &ModelMissingError{Model: model}
	}
	return fmt.Errorf("ollama at %s: %w", c.host, err)
}

func isModelMissing(msg string) bool {
	msg = strings.ToLower(msg)
	return strings.Contains(msg, "model") && strings.Contains(msg, "not found")
}

// statusError is an HTTP error answer from the server.
type statusError struct {
	Code    int
	Message string
}

func (e *statusError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// statusTransport turns error answers into *statusError before the Ollama
// client sees them, because its streaming calls keep only the error's text
// and lose the status that tells a bad request from a server fault.
type statusTransport struct{ next http.RoundTripper }

func (t statusTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		e.Error = strings.TrimSpace(string(body))
	}
	return nil, &statusError{Code: resp.StatusCode, Message: e.Error}
}

// Package httpapi is the local ingest API: an HTTP server bound to the
// loopback interface that lets any tool on the agent's machine feed
// conversations into Tandem and watch what happens, with a bearer token.
//
//	PUT  /v1/conversations/{id}            create or update a conversation
//	POST /v1/conversations/{id}/messages   append a message: 201 new, 200 repeat of external_id
//	GET  /v1/conversations/{id}/messages   {"messages": [...]}
//	POST /v1/conversations/{id}/end        end a conversation
//	GET  /v1/events                        server-sent events as messages arrive
//	GET  /v1/health                        {"ok": true}, no token needed
package httpapi

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

// MaxBodyBytes bounds a request body; a message's text has its own, smaller limit.
const MaxBodyBytes = 1 << 20

// Ingester is the ingest path.
type Ingester interface {
	Conversation(ctx context.Context, in ingest.ConversationInput) (tandem.Conversation, error)
	Message(ctx context.Context, in ingest.MessageInput) (ingest.Result, error)
	Subscribe() (<-chan ingest.Event, func())
}

// Reader reads back what was stored.
type Reader interface {
	ConversationByExternalID(ctx context.Context, source, externalID string) (tandem.Conversation, error)
	Messages(ctx context.Context, conversationID int64) ([]tandem.Message, error)
}

var _ Ingester = (*ingest.Service)(nil)

// Server serves the API.
type Server struct {
	ingest Ingester
	reader Reader
	token  string
	mux    *http.ServeMux
	log    *slog.Logger
}

// New returns the API; requests must carry "Authorization: Bearer token".
func New(ing Ingester, reader Reader, token string, log *slog.Logger) *Server {
	s := &Server{ingest: ing, reader: reader, token: token, mux: http.NewServeMux(), log: log}
	s.mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	s.mux.Handle("PUT /v1/conversations/{id}", s.auth(s.putConversation))
	s.mux.Handle("POST /v1/conversations/{id}/messages", s.auth(s.postMessage))
	s.mux.Handle("GET /v1/conversations/{id}/messages", s.auth(s.getMessages))
	s.mux.Handle("POST /v1/conversations/{id}/end", s.auth(s.endConversation))
	s.mux.Handle("GET /v1/events", s.auth(s.events))
	return s
}

// Handle adds a route that does its own authentication, such as a webhook
// verified by its signature.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The API is for tools on this machine; a web page must not reach it
	// from the agent's browser.
	if origin := r.Header.Get("Origin"); origin != "" {
		writeError(w, http.StatusForbidden, "requests from web pages (Origin %q) are not accepted", origin)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) auth(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tandem"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong token: send 'Authorization: Bearer TOKEN' with the token from Tandem's Settings")
			return
		}
		next(w, r)
	})
}

// conversationBody is the JSON of PUT /v1/conversations/{id}.
type conversationBody struct {
	Title        string `json:"title"`
	CustomerName string `json:"customer_name"`
	Lang         string `json:"lang"`
	Status       string `json:"status"`
}

func (s *Server) putConversation(w http.ResponseWriter, r *http.Request) {
	var body conversationBody
	if !decode(w, r, &body) {
		return
	}
	if body.Lang != "" && !tandem.ValidLangTag(body.Lang) {
		writeError(w, http.StatusUnprocessableEntity, "lang %q is not a language tag such as en or zh-CN", body.Lang)
		return
	}
	c, err := s.ingest.Conversation(r.Context(), ingest.ConversationInput{
		Source: ingest.SourceAPI, ExternalID: r.PathValue("id"), Title: body.Title,
		CustomerName: body.CustomerName, CustomerLang: body.Lang, Status: tandem.ConversationStatus(body.Status),
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversation": conversationOut(c)})
}

func (s *Server) endConversation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.reader.ConversationByExternalID(r.Context(), ingest.SourceAPI, id); err != nil {
		s.fail(w, err)
		return
	}
	c, err := s.ingest.Conversation(r.Context(), ingest.ConversationInput{
		Source: ingest.SourceAPI, ExternalID: id, Status: tandem.ConversationEnded,
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversation": conversationOut(c)})
}

// messageBody is the JSON of POST /v1/conversations/{id}/messages.
type messageBody struct {
	Role       *string         `json:"role"`
	Text       *string         `json:"text"`
	ExternalID string          `json:"external_id"`
	Lang       string          `json:"lang"`
	TS         json.RawMessage `json:"ts"`
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	var body messageBody
	if !decode(w, r, &body) {
		return
	}
	if body.Role == nil || body.Text == nil {
		writeError(w, http.StatusBadRequest, `"role" and "text" are required`)
		return
	}
	if !tandem.Role(*body.Role).Valid() {
		writeError(w, http.StatusUnprocessableEntity, `role %q is not "customer" or "agent"`, *body.Role)
		return
	}
	if n := len(*body.Text); n > tandem.MaxMessageBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "text is %d bytes; the limit is %d: split the message", n, tandem.MaxMessageBytes)
		return
	}
	ts, err := parseTS(body.TS)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	res, err := s.ingest.Message(r.Context(), ingest.MessageInput{
		Source: ingest.SourceAPI, ConversationID: r.PathValue("id"), ExternalID: body.ExternalID,
		Role: tandem.Role(*body.Role), Text: *body.Text, Lang: body.Lang, SentAt: ts,
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	status := http.StatusCreated
	if !res.Created {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"message": messageOut(r.PathValue("id"), res.Message), "created": res.Created})
}

// parseTS reads "ts" as RFC 3339 text or unix seconds; absent means now.
func parseTS(raw json.RawMessage) (time.Time, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf(`"ts" %q is not RFC 3339 time such as 2026-11-24T09:30:00Z`, s)
		}
		return t, nil
	}
	var secs float64
	if err := json.Unmarshal(raw, &secs); err != nil || secs < 0 || secs > 1e11 {
		return time.Time{}, fmt.Errorf(`"ts" must be RFC 3339 text or unix seconds, not %s`, raw)
	}
	return time.Unix(0, int64(secs*1e9)), nil
}

func (s *Server) getMessages(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, err := s.reader.ConversationByExternalID(r.Context(), ingest.SourceAPI, id)
	if err != nil {
		s.fail(w, err)
		return
	}
	msgs, err := s.reader.Messages(r.Context(), c.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	out := make([]message, len(msgs))
	for i, m := range msgs {
		out[i] = messageOut(id, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": out})
}

// events streams what ingest commits as server-sent events, until the client
// goes away. A heartbeat comment keeps idle connections open through proxies.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming is not supported here")
		return
	}
	ch, cancel := s.ingest.Subscribe()
	defer cancel()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": tandem events\n\n")
	flusher.Flush()
	heartbeat := time.NewTicker(15 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-heartbeat.C:
			fmt.Fprint(w, ": heartbeat\n\n")
		case e, ok := <-ch:
			if !ok {
				return
			}
			data, err := json.Marshal(eventOut(e))
			if err != nil {
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data)
		}
		flusher.Flush()
	}
}

// The API's JSON uses snake_case and the source's ids, not Tandem's.
type message struct {
	ID             int64     `json:"id"`
	ConversationID string    `json:"conversation_id"`
	ExternalID     string    `json:"external_id,omitempty"`
	Role           string    `json:"role"`
	Text           string    `json:"text"`
	Lang           string    `json:"lang,omitempty"`
	TS             time.Time `json:"ts"`
}

func messageOut(conversationID string, m tandem.Message) message {
	return message{ID: m.ID, ConversationID: conversationID, ExternalID: m.ExternalID, Role: string(m.Role),
		Text: m.Text, Lang: m.Lang, TS: m.SentAt.UTC()}
}

type conversation struct {
	ID           string `json:"id"`
	Source       string `json:"source"`
	Title        string `json:"title"`
	CustomerName string `json:"customer_name"`
	Lang         string `json:"lang"`
	Status       string `json:"status"`
}

func conversationOut(c tandem.Conversation) conversation {
	return conversation{ID: c.ExternalID, Source: c.Source, Title: c.Title, CustomerName: c.CustomerName,
		Lang: c.CustomerLang, Status: string(c.Status)}
}

func eventOut(e ingest.Event) map[string]any {
	out := map[string]any{"type": e.Type}
	if e.Conversation != nil {
		out["conversation"] = conversationOut(*e.Conversation)
		if e.Message != nil {
			out["message"] = messageOut(e.Conversation.ExternalID, *e.Message)
		}
	}
	return out
}

// decode reads a JSON body into v, or answers with a 4xx saying what to fix.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	// Any Content-Type is read as JSON, so that a plain `curl -d` works;
	// browsers, which could forge a form post, are stopped by the Origin check.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body is over %d bytes", MaxBodyBytes)
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, "read body: %v", err)
		return false
	case len(bytes.TrimSpace(body)) == 0:
		writeError(w, http.StatusBadRequest, "body is empty; send a JSON object")
		return false
	case !utf8.Valid(body):
		// encoding/json would quietly turn bad bytes into U+FFFD.
		writeError(w, http.StatusBadRequest, "body is not valid UTF-8")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "%s", jsonProblem(err))
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "body holds more than one JSON value")
		return false
	}
	return true
}

// jsonProblem words a decoding error for the person who sent the JSON.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, err)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("body must be a JSON object, not %s", typ.Value)
		}
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends too early"
	}
	return "malformed JSON: " + err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string", "ptr":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	}
	return goKind
}

// fail answers with the status that fits a domain error.
func (s *Server) fail(w http.ResponseWriter, err error) {
	var e *tandem.Error
	if !errors.As(err, &e) {
		s.log.Error("ingest api", "err", err)
		writeError(w, http.StatusInternalServerError, "internal error; see Tandem's log")
		return
	}
	status := map[string]int{
		tandem.EINVALID:  http.StatusUnprocessableEntity,
		tandem.ENOTFOUND: http.StatusNotFound,
		tandem.ECONFLICT: http.StatusConflict,
	}[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	writeError(w, status, "%s", e.Message)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// Listen opens the API's listener, refusing any address that is not loopback:
// the token is the only lock, so the API must never face the network.
func Listen(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, tandem.Errorf(tandem.EINVALID, "listen address %q is not host:port", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, tandem.Errorf(tandem.EINVALID, "listen address %q is not a loopback address such as 127.0.0.1", addr)
	}
	if _, err := strconv.Atoi(port); err != nil {
		return nil, tandem.Errorf(tandem.EINVALID, "listen port %q is not a number", port)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return l, nil
}

// Serve serves h on l until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, l net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		// Event streams end with ctx, or Shutdown would wait for them.
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
		return nil
	}
}

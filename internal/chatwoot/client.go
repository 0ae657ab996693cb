package chatwoot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

// Client talks to Chatwoot's REST API as the agent.
type Client struct {
	BaseURL   string // https://chat.example.com
	AccountID int
	Token     string // the agent's api_access_token
	HTTP      *http.Client
}

// Message is a Chatwoot message as the REST API returns it.
type Message struct {
	ID          int             `json:"id"`
	Content     *string         `json:"content"`
	MessageType json.RawMessage `json:"message_type"`
	Private     bool            `json:"private"`
	CreatedAt   json.RawMessage `json:"created_at"`
}

// Conversation is a Chatwoot conversation as the REST API returns it.
type Conversation struct {
	ID     int    `json:"id"`
	Status string `json:"status"`
	Meta   *meta  `json:"meta"`
}

// Typed failures the Settings screen can explain.
var (
	ErrUnauthorized = errors.New("Chatwoot refused the access token: copy it again from Chatwoot → Profile settings")
	ErrNotFound     = errors.New("Chatwoot has no such account or conversation: check the account id in Settings")
)

// UnreachableError means Chatwoot did not answer at URL.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("Chatwoot is not reachable at %s: %v", e.URL, e.Err)
}
func (e *UnreachableError) Unwrap() error { return e.Err }

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	u := strings.TrimSuffix(c.BaseURL, "/") + fmt.Sprintf("/api/v1/accounts/%d", c.AccountID) + path
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("api_access_token", c.Token)
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &UnreachableError{URL: c.BaseURL, Err: err}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return ErrUnauthorized
	case resp.StatusCode == http.StatusNotFound:
		return ErrNotFound
	case resp.StatusCode >= 300:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("Chatwoot answered %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(out); err != nil {
		return fmt.Errorf("Chatwoot's answer is not the JSON expected: %w", err)
	}
	return nil
}

// Conversations lists the agent's open conversations.
func (c *Client) Conversations(ctx context.Context) ([]Conversation, error) {
	var out struct {
		Data struct {
			Payload []Conversation `json:"payload"`
		} `json:"data"`
	}
	if err := c.do(ctx, http.MethodGet, "/conversations?status=open&assignee_type=me", nil, &out); err != nil {
		return nil, fmt.Errorf("list Chatwoot conversations: %w", err)
	}
	return out.Data.Payload, nil
}

// Messages returns a conversation's messages with ids above after.
func (c *Client) Messages(ctx context.Context, conversationID, after int) ([]Message, error) {
	var out struct {
		Payload []Message `json:"payload"`
	}
	q := url.Values{"after": {strconv.Itoa(after)}}
	if err := c.do(ctx, http.MethodGet, fmt.Sprintf("/conversations/%d/messages?%s", conversationID, q.Encode()), nil, &out); err != nil {
		return nil, fmt.Errorf("read Chatwoot conversation %d: %w", conversationID, err)
	}
	return out.Payload, nil
}

// PostMessage sends text to a conversation as the agent's reply, or with
// private as a note for colleagues. Callers ask the agent to confirm first.
func (c *Client) PostMessage(ctx context.Context, conversationID int, text string, private bool) (Message, error) {
	var m Message
	body := map[string]any{"content": text, "message_type": "outgoing", "private": private}
	if err := c.do(ctx, http.MethodPost, fmt.Sprintf("/conversations/%d/messages", conversationID), body, &m); err != nil {
		return m, fmt.Errorf("send to Chatwoot conversation %d: %w", conversationID, err)
	}
	return m, nil
}

// Poller follows the agent's open conversations through the REST API, for
// desktops that Chatwoot's webhooks cannot reach.
type Poller struct {
	Client *Client
	Sink   Sink
	Every  time.Duration
	Log    *slog.Logger

	last map[int]int // conversation -> highest message id ingested
}

// PollReport says what one round found.
type PollReport struct {
	Conversations int
	Messages      int // new ones
}

// PollOnce checks every open conversation for new messages.
func (p *Poller) PollOnce(ctx context.Context) (PollReport, error) {
	if p.last == nil {
		p.last = map[int]int{}
	}
	var rep PollReport
	convs, err := p.Client.Conversations(ctx)
	if err != nil {
		return rep, err
	}
	for _, c := range convs {
		id := strconv.Itoa(c.ID)
		if _, err := p.Sink.Conversation(ctx, ingest.ConversationInput{Source: ingest.SourceChatwoot, ExternalID: id,
			Title: "Chatwoot #" + id, CustomerName: c.Meta.name(), Status: status(c.Status)}); err != nil {
			return rep, fmt.Errorf("poll conversation %d: %w", c.ID, err)
		}
		rep.Conversations++
		msgs, err := p.Client.Messages(ctx, c.ID, p.last[c.ID])
		if err != nil {
			return rep, err
		}
		for _, m := range msgs {
			p.last[c.ID] = max(p.last[c.ID], m.ID)
			r, why := role(m.MessageType)
			if why != "" || m.Private || m.Content == nil || strings.TrimSpace(*m.Content) == "" {
				continue
			}
			res, err := p.Sink.Message(ctx, ingest.MessageInput{Source: ingest.SourceChatwoot, ConversationID: id,
				ExternalID: strconv.Itoa(m.ID), Role: r, Text: *m.Content, SentAt: parseTime(m.CreatedAt)})
			if tandem.ErrorCode(err) == tandem.EINVALID {
				continue // a message ingest cannot take (too long, bad text) must not stall the rest
			}
			if err != nil {
				return rep, fmt.Errorf("poll conversation %d: %w", c.ID, err)
			}
			if res.Created {
				rep.Messages++
			}
		}
	}
	return rep, nil
}

// Run polls until ctx ends, backing off up to a minute while Chatwoot fails.
func (p *Poller) Run(ctx context.Context) {
	every := p.Every
	if every <= 0 {
		every = 3 * time.Second
	}
	wait := every
	for {
		if _, err := p.PollOnce(ctx); err != nil {
			if p.Log != nil && ctx.Err() == nil {
				p.Log.Warn("chatwoot poll", "err", err)
			}
			wait = min(2*wait, time.Minute)
		} else {
			wait = every
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

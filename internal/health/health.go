// Package health watches the Ollama server the copilot depends on and says,
// in a form the status bar can show, whether it answers and has the chosen
// models. It polls every second while all is well, so a stopped server is
// noticed within about a second, and backs off while the server is down.
package health

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"tandem/internal/llm"
	"tandem/internal/tandem"
)

// State is the overall verdict.
type State string

const (
	Checking     State = "checking"      // no answer yet
	OK           State = "ok"            // reachable, models installed
	Unreachable  State = "unreachable"   // nothing answers at Host
	ModelMissing State = "model_missing" // MissingModel is not installed
	Failing      State = "failing"       // answers, but with an error (Detail)
)

// Status is what the status bar shows.
type Status struct {
	State        State     `json:"state"`
	Host         string    `json:"host"`
	Version      string    `json:"version"`
	ChatModel    string    `json:"chatModel"`
	EmbedModel   string    `json:"embedModel"`
	MissingModel string    `json:"missingModel"`
	Detail       string    `json:"detail"`
	Models       []string  `json:"models"` // installed, for choosing in Settings
	CheckedAt    time.Time `json:"checkedAt"`
}

// same reports whether two statuses would look the same on screen.
func (s Status) same(o Status) bool {
	s.CheckedAt, o.CheckedAt = time.Time{}, time.Time{}
	return s.State == o.State && s.Host == o.Host && s.Version == o.Version &&
		s.ChatModel == o.ChatModel && s.EmbedModel == o.EmbedModel &&
		s.MissingModel == o.MissingModel && s.Detail == o.Detail && slices.Equal(s.Models, o.Models)
}

// Ollama is what the monitor needs of a server; *llm.Client has it.
type Ollama interface {
	Version(ctx context.Context) (string, error)
	Models(ctx context.Context) ([]llm.Model, error)
}

var _ Ollama = (*llm.Client)(nil)

// Config names the server and models to watch.
type Config struct {
	Host       string
	ChatModel  string
	EmbedModel string
}

// ConfigOf picks what to watch out of the settings.
func ConfigOf(s tandem.Settings) Config {
	return Config{Host: s.OllamaHost, ChatModel: s.ChatModel, EmbedModel: s.EmbedModel}
}

// Dial connects to a real server; tests pass fakes instead.
func Dial(host string) (Ollama, error) { return llm.New(host) }

// Polling: steady while healthy; from minBackoff doubling to maxBackoff while not.
const (
	okEvery      = time.Second
	minBackoff   = 500 * time.Millisecond
	maxBackoff   = 3 * time.Second
	probeTimeout = 1500 * time.Millisecond
)

// nextDelay is how long to wait before the next check after failures
// unhealthy checks in a row (0 when the last check was healthy).
func nextDelay(failures int) time.Duration {
	if failures == 0 {
		return okEvery
	}
	d := minBackoff << min(failures-1, 8)
	return min(d, maxBackoff)
}

// Monitor polls the server and reports each change of Status.
type Monitor struct {
	dial     func(host string) (Ollama, error)
	onChange func(Status)
	wake     chan struct{}

	mu     sync.Mutex
	cfg    Config
	status Status
}

// New returns a monitor that connects with dial and calls onChange, from its
// own goroutine, whenever the status changes.
func New(cfg Config, dial func(host string) (Ollama, error), onChange func(Status)) *Monitor {
	return &Monitor{
		dial: dial, onChange: onChange, wake: make(chan struct{}, 1), cfg: cfg,
		status: Status{State: Checking, Host: cfg.Host, ChatModel: cfg.ChatModel, EmbedModel: cfg.EmbedModel, Models: []string{}},
	}
}

// Configure switches to a new server or models and checks again at once.
func (m *Monitor) Configure(cfg Config) {
	m.mu.Lock()
	m.cfg = cfg
	m.mu.Unlock()
	m.Recheck()
}

// Recheck asks for a check now instead of at the next tick.
func (m *Monitor) Recheck() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Status is the latest status.
func (m *Monitor) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.status
}

// Run checks until ctx is done.
func (m *Monitor) Run(ctx context.Context) {
	failures := 0
	for {
		m.mu.Lock()
		cfg := m.cfg
		m.mu.Unlock()
		st := Check(ctx, m.dial, cfg)
		if ctx.Err() != nil {
			return
		}
		m.mu.Lock()
		changed := !st.same(m.status)
		m.status = st
		m.mu.Unlock()
		if changed && m.onChange != nil {
			m.onChange(st)
		}
		if st.State == OK {
			failures = 0
		} else {
			failures++
		}
		t := time.NewTimer(nextDelay(failures))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-m.wake:
			t.Stop()
			failures = 0
		case <-t.C:
		}
	}
}

// Check probes the server once.
func Check(ctx context.Context, dial func(host string) (Ollama, error), cfg Config) Status {
	st := Status{Host: cfg.Host, ChatModel: cfg.ChatModel, EmbedModel: cfg.EmbedModel, Models: []string{}, CheckedAt: time.Now()}
	c, err := dial(cfg.Host)
	if err != nil {
		st.State, st.Detail = Failing, err.Error()
		return st
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()

	st.Version, err = c.Version(ctx)
	if err != nil {
		return failed(st, err)
	}
	models, err := c.Models(ctx)
	if err != nil {
		return failed(st, err)
	}
	for _, m := range models {
		st.Models = append(st.Models, m.Name)
	}
	for _, want := range []string{cfg.ChatModel, cfg.EmbedModel} {
		if want != "" && !slices.ContainsFunc(st.Models, func(n string) bool { return llm.SameModel(n, want) }) {
			st.State, st.MissingModel = ModelMissing, want
			return st
		}
	}
	st.State = OK
	return st
}

func failed(st Status, err error) Status {
	var ue *llm.UnreachableError
	if errors.As(err, &ue) || errors.Is(err, context.DeadlineExceeded) {
		st.State, st.Version = Unreachable, ""
		return st
	}
	st.State, st.Detail = Failing, err.Error()
	return st
}

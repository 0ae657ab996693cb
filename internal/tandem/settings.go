package tandem

import (
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Settings are the agent's preferences, stored in SQLite and applied at once.
type Settings struct {
	OllamaHost string `json:"ollamaHost"` // host:port or URL of the Ollama server
	ChatModel  string `json:"chatModel"`
	EmbedModel string `json:"embedModel"` // "" turns semantic search off
	AgentLang  string `json:"agentLang"`  // language the agent reads and writes
	UILang     string `json:"uiLang"`     // one of UILanguages

	// The local ingest API: 127.0.0.1:IngestPort, Bearer IngestToken.
	IngestPort  int    `json:"ingestPort"`
	IngestToken string `json:"ingestToken"`

	// Chatwoot: ChatwootMode is "off", "webhook" (Chatwoot posts to the
	// ingest API) or "poll" (Tandem asks Chatwoot's REST API).
	ChatwootMode      string `json:"chatwootMode"`
	ChatwootURL       string `json:"chatwootUrl"`
	ChatwootAccountID int    `json:"chatwootAccountId"`
	ChatwootToken     string `json:"chatwootToken"`  // api_access_token, for polling and sending
	ChatwootSecret    string `json:"chatwootSecret"` // webhook signing secret

	// Glossary is the shop's termbase, kept in both directions of translation.
	Glossary []GlossaryEntry `json:"glossary"`
}

// GlossaryEntry is one shop term: Source in the agent's language, and how
// it must read in the language Lang (Target). A shop serving several
// languages has an entry per language.
type GlossaryEntry struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Lang   string `json:"lang"` // BCP 47 tag of Target; "" for any language
}

// DefaultIngestPort is the local ingest API's port unless Settings say otherwise.
const DefaultIngestPort = 8765

// UILanguages are the languages the interface is translated into.
var UILanguages = []string{"en", "zh-CN"}

const (
	DefaultOllamaHost = "127.0.0.1:11434"
	DefaultChatModel  = "qwen2.5:3b"
	defaultOllamaPort = "11434"
)

// DefaultSettings returns the settings of a first start. OLLAMA_HOST, read
// through getenv, sets the host as it does for the ollama command itself.
func DefaultSettings(getenv func(string) string) Settings {
	host := DefaultOllamaHost
	if h := strings.TrimSpace(getenv("OLLAMA_HOST")); h != "" {
		if u, err := OllamaURL(h); err == nil {
			host = u.Host
		}
	}
	return Settings{
		OllamaHost:   host,
		ChatModel:    DefaultChatModel,
		AgentLang:    "en",
		UILang:       "en",
		IngestPort:   DefaultIngestPort,
		ChatwootMode: "off",
	}
}

var langTag = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

// ValidLangTag reports whether s looks like a BCP 47 tag such as en or zh-CN.
func ValidLangTag(s string) bool { return langTag.MatchString(s) }

// Validate reports the first field that cannot be used, naming the fix.
func (s *Settings) Validate() error {
	if _, err := OllamaURL(s.OllamaHost); err != nil {
		return err
	}
	if strings.TrimSpace(s.ChatModel) == "" {
		return Errorf(EINVALID, "choose a chat model, for example %s", DefaultChatModel)
	}
	if !langTag.MatchString(s.AgentLang) {
		return Errorf(EINVALID, "agent language %q is not a language tag such as en or zh-CN", s.AgentLang)
	}
	if !slices.Contains(UILanguages, s.UILang) {
		return Errorf(EINVALID, "interface language %q is not one of %s", s.UILang, strings.Join(UILanguages, ", "))
	}
	for i, e := range s.Glossary {
		if strings.TrimSpace(e.Source) == "" || strings.TrimSpace(e.Target) == "" {
			return Errorf(EINVALID, "glossary line %d needs a term and its translation", i+1)
		}
		if e.Lang != "" && !langTag.MatchString(e.Lang) {
			return Errorf(EINVALID, "glossary line %d: language %q is not a tag such as en or zh-CN", i+1, e.Lang)
		}
	}
	if s.IngestPort < 1024 || s.IngestPort > 65535 {
		return Errorf(EINVALID, "ingest port %d is not between 1024 and 65535", s.IngestPort)
	}
	switch s.ChatwootMode {
	case "off":
	case "webhook":
		if s.ChatwootSecret == "" {
			return Errorf(EINVALID, "Chatwoot webhooks need the webhook secret from Chatwoot's integration settings")
		}
	case "poll":
		if u, err := url.Parse(s.ChatwootURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Errorf(EINVALID, "Chatwoot URL %q is not an http(s) address such as https://chat.example.com", s.ChatwootURL)
		}
		if s.ChatwootAccountID <= 0 || s.ChatwootToken == "" {
			return Errorf(EINVALID, "Chatwoot polling needs the account id and your access token (Chatwoot → Profile settings)")
		}
	default:
		return Errorf(EINVALID, "Chatwoot mode %q is not off, webhook or poll", s.ChatwootMode)
	}
	return nil
}

// OllamaURL turns what a person types for the Ollama host ("127.0.0.1",
// ":11434", "http://box:8080", "localhost:11434") into a base URL, filling in
// the scheme and Ollama's default port as the ollama command does.
func OllamaURL(host string) (*url.URL, error) {
	h := strings.TrimSpace(host)
	if h == "" {
		return nil, Errorf(EINVALID, "Ollama host is empty; use %s", DefaultOllamaHost)
	}
	scheme := "http"
	if i := strings.Index(h, "://"); i >= 0 {
		scheme, h = strings.ToLower(h[:i]), h[i+3:]
	}
	if scheme != "http" && scheme != "https" {
		return nil, Errorf(EINVALID, "Ollama host %q: scheme must be http or https", host)
	}
	h, path, _ := strings.Cut(h, "/")
	name, port, err := net.SplitHostPort(h)
	if err != nil {
		// No port given: "localhost" or "[::1]".
		name, port = strings.Trim(h, "[]"), defaultOllamaPort
		if scheme == "https" {
			port = "443"
		}
	}
	if name == "" {
		name = "127.0.0.1"
	}
	if strings.ContainsAny(name, " \t@?#[]") || (strings.Contains(name, ":") && net.ParseIP(name) == nil) {
		return nil, Errorf(EINVALID, "Ollama host %q is not a host name or address", host)
	}
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(name, port)}
	if path != "" {
		u.Path = "/" + strings.TrimSuffix(path, "/")
	}
	return u, nil
}

// NewToken returns a random token for the ingest API.
func NewToken() string {
	b := make([]byte, 24)
	rand.Read(b) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// EnsureToken gives s an ingest token if it has none, and reports whether it did.
func (s *Settings) EnsureToken() bool {
	if s.IngestToken != "" {
		return false
	}
	s.IngestToken = NewToken()
	return true
}

package tandem_test

import (
	"testing"

	"tandem/internal/tandem"
)

func TestOllamaURL(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "127.0.0.1:11434", want: "http://127.0.0.1:11434"},
		{in: "localhost", want: "http://localhost:11434"},
		{in: ":11500", want: "http://127.0.0.1:11500"},
		{in: "http://box.lan:8080", want: "http://box.lan:8080"},
		{in: "https://ollama.example.com", want: "https://ollama.example.com:443"},
		{in: "https://ollama.example.com/proxy/", want: "https://ollama.example.com:443/proxy"},
		{in: "[::1]:11434", want: "http://[::1]:11434"},
		{in: "0.0.0.0", want: "http://0.0.0.0:11434"},
		{in: "", wantErr: true},
		{in: "ftp://x", wantErr: true},
		{in: "my host", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := tandem.OllamaURL(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("OllamaURL(%q) = %v, want an error", tt.in, u)
				}
				if tandem.ErrorCode(err) != tandem.EINVALID {
					t.Fatalf("code = %q, want invalid", tandem.ErrorCode(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.String() != tt.want {
				t.Fatalf("OllamaURL(%q) = %s, want %s", tt.in, u, tt.want)
			}
		})
	}
}

func TestDefaultSettings(t *testing.T) {
	tests := []struct {
		env, wantHost string
	}{
		{env: "", wantHost: "127.0.0.1:11434"},
		{env: "0.0.0.0:11500", wantHost: "0.0.0.0:11500"},
		{env: "http://gpu-box:11434", wantHost: "gpu-box:11434"},
		{env: "::bad::", wantHost: "127.0.0.1:11434"}, // unusable: fall back
	}
	for _, tt := range tests {
		s := tandem.DefaultSettings(func(k string) string {
			if k == "OLLAMA_HOST" {
				return tt.env
			}
			return ""
		})
		if s.OllamaHost != tt.wantHost {
			t.Errorf("OLLAMA_HOST=%q: host %q, want %q", tt.env, s.OllamaHost, tt.wantHost)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("OLLAMA_HOST=%q: defaults invalid: %v", tt.env, err)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	ok := tandem.DefaultSettings(func(string) string { return "" })
	tests := []struct {
		name   string
		change func(*tandem.Settings)
	}{
		{"no host", func(s *tandem.Settings) { s.OllamaHost = " " }},
		{"no chat model", func(s *tandem.Settings) { s.ChatModel = "" }},
		{"agent language", func(s *tandem.Settings) { s.AgentLang = "english please" }},
		{"ui language", func(s *tandem.Settings) { s.UILang = "fr" }},
		{"ingest port", func(s *tandem.Settings) { s.IngestPort = 80 }},
		{"chatwoot mode", func(s *tandem.Settings) { s.ChatwootMode = "sometimes" }},
		{"webhook without secret", func(s *tandem.Settings) { s.ChatwootMode = "webhook" }},
		{"poll without url", func(s *tandem.Settings) {
			s.ChatwootMode, s.ChatwootAccountID, s.ChatwootToken = "poll", 1, "t"
		}},
		{"poll without token", func(s *tandem.Settings) {
			s.ChatwootMode, s.ChatwootURL, s.ChatwootAccountID = "poll", "https://chat.example.com", 1
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.change(&s)
			if err := s.Validate(); tandem.ErrorCode(err) != tandem.EINVALID {
				t.Fatalf("Validate() = %v, want an invalid error", err)
			}
		})
	}
}

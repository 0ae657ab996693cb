package llm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tandem/internal/llm"
)

// Error paths a real server rarely shows on demand, from a fake one.
func TestChatErrorPaths(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		check   func(error) bool
		wantTxt string
	}{
		{
			name: "bad request", status: 400, body: `{"error":"invalid format: schema has no type"}`,
			check: func(err error) bool {
				var e *llm.BadRequestError
				return errors.As(err, &e) && strings.Contains(e.Message, "schema")
			},
		},
		{
			name: "model missing as status", status: 404, body: `{"error":"model \"x\" not found, try pulling it first"}`,
			check: func(err error) bool { var e *llm.ModelMissingError; return errors.As(err, &e) && e.Model == "x" },
		},
		{
			name: "stream cut before done", status: 200,
			body:    `{"message":{"role":"assistant","content":"Hel"},"done":false}` + "\n",
			check:   func(err error) bool { var e *llm.UnreachableError; return errors.As(err, &e) },
			wantTxt: "Hel",
		},
		{
			name: "error mid-stream", status: 200,
			body:    `{"message":{"role":"assistant","content":"Hi"},"done":false}` + "\n" + `{"error":"out of memory"}` + "\n",
			check:   func(err error) bool { return err != nil && strings.Contains(err.Error(), "out of memory") },
			wantTxt: "Hi",
		},
		{
			name: "server error", status: 500, body: `{"error":"boom"}`,
			check: func(err error) bool {
				var b *llm.BadRequestError
				return err != nil && !errors.As(err, &b) && strings.Contains(err.Error(), "boom")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, err := llm.New(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Chat(context.Background(), llm.ChatRequest{Model: "x", Messages: []llm.Message{{Role: "user", Content: "hi"}}}, nil)
			if !tt.check(err) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if res.Text != tt.wantTxt || res.Done {
				t.Fatalf("result %+v, want text %q and not done", res, tt.wantTxt)
			}
		})
	}
}

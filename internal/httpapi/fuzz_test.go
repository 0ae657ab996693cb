package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"tandem/internal/httpapi"
	"tandem/internal/ingest"
	"tandem/internal/store"
)

// Whatever the body, the API answers 2xx or a 4xx with an error to read,
// never a 5xx, and a message it acknowledges is stored. Seeds live in
// testdata/fuzz/FuzzPostMessage.
func FuzzPostMessage(f *testing.F) {
	st, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "t.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	api := httpapi.New(ingest.New(st), st, token, slog.New(slog.DiscardHandler))
	put := httptest.NewRequest("PUT", "/v1/conversations/f", strings.NewReader(`{}`))
	put.Header.Set("Authorization", "Bearer "+token)
	api.ServeHTTP(httptest.NewRecorder(), put)

	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/v1/conversations/f/messages", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		api.ServeHTTP(w, req)
		var out struct {
			Error   string `json:"error"`
			Message struct {
				ID int64 `json:"id"`
			} `json:"message"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("answer %q is not JSON", w.Body.String())
		}
		switch {
		case w.Code >= 500:
			t.Fatalf("status %d for body %q: %s", w.Code, body, out.Error)
		case w.Code >= 400 && out.Error == "":
			t.Fatalf("status %d without an error message", w.Code)
		case w.Code == http.StatusCreated || w.Code == http.StatusOK:
			msgs, err := st.Messages(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, m := range msgs {
				found = found || m.ID == out.Message.ID
			}
			if !found {
				t.Fatalf("acknowledged message %d is not stored", out.Message.ID)
			}
		}
	})
}

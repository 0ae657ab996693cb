package suggest

import (
	"encoding/json"
	"testing"
)

func TestClosePartial(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{``, ``},
		{`{`, `{}`},
		{`{"dra`, `{}`},
		{`{"draft"`, `{}`},
		{`{"draft":`, `{}`},
		{`{"draft": "Hel`, `{"draft": "Hel"}`},
		{`{"draft": "Hello", `, `{"draft": "Hello"}`},
		{`{"draft": "Hello", "cit`, `{"draft": "Hello"}`},
		{`{"draft": "Hello", "citations": [1, 2`, `{"draft": "Hello", "citations": [1]}`},
		{`{"draft": "Hello", "citations": [1, 2]`, `{"draft": "Hello", "citations": [1, 2]}`},
		{`{"a": {"b": "c"}, "d": tr`, `{"a": {"b": "c"}}`},
		{`{"a": true, "f": ["x", "y`, `{"a": true, "f": ["x", "y"]}`},
		{`{"draft": "line\`, `{"draft": "line"}`},
		{`{"draft": "say \"hi\`, `{"draft": "say \"hi"}`},
		{`{"draft": "a\\`, `{"draft": "a\\"}`},
		{`{"draft": "x\u00`, `{"draft": "x"}`},
		{`{"draft": "x\u00e9`, `{"draft": "x\u00e9"}`},
		{"{\"draft\": \"物流\xe5\xbb", "{\"draft\": \"物流\"}"},
		{`{"draft": "done"}`, `{"draft": "done"}`},
		{`{"n": 12`, `{}`},
		{`{"n": 12}`, `{"n": 12}`},
	}
	for _, tt := range tests {
		got := ClosePartial(tt.in)
		if got != tt.want {
			t.Errorf("ClosePartial(%q) = %q, want %q", tt.in, got, tt.want)
			continue
		}
		if got != "" && !json.Valid([]byte(got)) {
			t.Errorf("ClosePartial(%q) = %q is not valid JSON", tt.in, got)
		}
	}
}

// Every prefix of a real answer closes into valid JSON whose draft only grows.
func TestClosePartialEveryPrefix(t *testing.T) {
	full := `{"draft": "Sorry, \"Emma\" — your parcel [1] is late.\nI opened a trace.", "citations": [1], "followups": ["Which address?"], "sentiment": "worried", "urgency": "high", "handover": false}`
	last := ""
	for i := 0; i <= len(full); i++ {
		got := ClosePartial(full[:i])
		if got == "" {
			continue
		}
		var v struct{ Draft string }
		if err := json.Unmarshal([]byte(got), &v); err != nil {
			t.Fatalf("prefix %d: %q: %v", i, got, err)
		}
		if len(v.Draft) < len(last) {
			t.Fatalf("prefix %d: draft shrank from %q to %q", i, last, v.Draft)
		}
		last = v.Draft
	}
	if last != "Sorry, \"Emma\" — your parcel [1] is late.\nI opened a trace." {
		t.Fatalf("final draft %q", last)
	}
}

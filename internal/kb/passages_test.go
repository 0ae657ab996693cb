package kb

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	en := strings.Repeat("Parcels are delivered in three to five working days. ", 40)
	zh := strings.Repeat("普通快递三到五个工作日送达。延误时请联系快递公司查件！", 60)
	longWord := strings.Repeat("x", 2500)
	tests := []struct {
		name      string
		body      string
		wantMin   int // passages at least
		wantMax   int
		wantWhole bool // the single passage is the body
	}{
		{"empty", "  ", 0, 0, false},
		{"short", "Refunds take 5-10 days.", 1, 1, true},
		{"english", en, 3, 6, false},
		{"chinese", zh, 3, 8, false},
		{"one huge sentence", longWord, 3, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.body)
			if len(got) < tt.wantMin || len(got) > tt.wantMax {
				t.Fatalf("%d passages, want %d..%d", len(got), tt.wantMin, tt.wantMax)
			}
			if tt.wantWhole && got[0] != strings.TrimSpace(tt.body) {
				t.Fatalf("short body changed: %q", got[0])
			}
			for i, p := range got {
				if n := utf8.RuneCountInString(p); n > passageMax+passageTarget {
					t.Fatalf("passage %d has %d characters", i, n)
				}
				if !utf8.ValidString(p) || strings.TrimSpace(p) == "" {
					t.Fatalf("passage %d is empty or broken", i)
				}
			}
			// Nothing is lost: every sentence of the body is in some passage.
			joined := strings.Join(got, " ")
			for _, s := range splitSentences(strings.TrimSpace(tt.body)) {
				if !strings.Contains(joined, s) {
					t.Fatalf("sentence %q lost", s)
				}
			}
		})
	}
}

package suggest

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"tandem/internal/tandem"
)

// The corpus in testdata/followups.jsonl: conversations, the facts they
// give, questions a model proposed, and the ones that may be asked. The
// seed's classic failure, asking for the order number a third time, is case
// seed-order-third-time.
func TestFollowupsNeverAskForGivenFacts(t *testing.T) {
	f, err := os.Open("testdata/followups.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var c struct {
			ID        string           `json:"id"`
			Messages  []tandem.Message `json:"messages"`
			Known     []Fact           `json:"known"`
			Questions []string         `json:"questions"`
			Keep      []string         `json:"keep"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		t.Run(c.ID, func(t *testing.T) {
			facts := ExtractFacts(c.Messages)
			var got []Fact
			for k := range facts {
				got = append(got, k)
			}
			slices.Sort(got)
			slices.Sort(c.Known)
			if !slices.Equal(got, c.Known) {
				t.Errorf("facts %v (%q), want %v", got, facts, c.Known)
			}
			kept, _ := FilterFollowups(c.Questions, facts)
			if !slices.Equal(kept, c.Keep) {
				t.Errorf("kept %q, want %q", kept, c.Keep)
			}
		})
	}
	if n < 10 {
		t.Fatalf("only %d cases read", n)
	}
}

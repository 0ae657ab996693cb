package suggest

import (
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		wantDraft    string
		wantFollow   []string
		wantMood     string
		wantRepaired bool
	}{
		{"valid", `{"draft":"Hi Emma [1].","citations":[1],"followups":["Which size?"],"sentiment":"worried","urgency":"high","intent":"delay","language":"en","handover":false}`,
			"Hi Emma [1].", []string{"Which size?"}, "worried", false},
		{"fenced", "```json\n{\"draft\":\"Hi\",\"followups\":[],\"sentiment\":\"calm\"}\n```", "Hi", []string{}, "calm", true},
		{"truncated mid-draft", `{"draft":"We have opened a tra`, "We have opened a tra", []string{}, "", true},
		{"truncated in followups", `{"draft":"Sorry.","citations":[],"followups":["Which addr`, "Sorry.", []string{"Which addr"}, "", true},
		{"not JSON: the text is the draft", "Sorry, I will check the parcel.", "Sorry, I will check the parcel.", []string{}, "", true},
		{"unknown mood dropped", `{"draft":"x","sentiment":"furious"}`, "x", []string{}, "", false},
		{"blank and repeated questions dropped", `{"draft":"x","followups":[" ","Size?","Size?"]}`, "x", []string{"Size?"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, repaired := Parse(tt.in)
			if s.Draft != tt.wantDraft || !slices.Equal(s.Followups, tt.wantFollow) || s.Sentiment != tt.wantMood || repaired != tt.wantRepaired {
				t.Fatalf("Parse = %+v repaired=%v", s, repaired)
			}
		})
	}
}

func TestFilterCitations(t *testing.T) {
	tests := []struct {
		name      string
		draft     string
		citations []int
		n         int
		wantDraft string
		wantCited []int
	}{
		{"kept", "Refunds take 5 days [1]. Tracking [2].", []int{1, 2}, 2, "Refunds take 5 days [1]. Tracking [2].", []int{1, 2}},
		{"invented removed", "Refunds take 5 days [3]. Ship free [1].", []int{3, 1}, 2, "Refunds take 5 days. Ship free [1].", []int{1}},
		{"zero is no article", "See [0].", []int{0}, 3, "See.", []int{}},
		{"no articles given", "Policy [1] says so.\nSecond line [2]", []int{1}, 0, "Policy says so.\nSecond line", []int{}},
		{"in the text, not in the list", "As [2] says", nil, 2, "As [2] says", []int{2}},
		{"chinese", "请查看物流 [4]。我们会退款 [1]。", []int{4, 1}, 1, "请查看物流。我们会退款 [1]。", []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FilterCitations(Suggestion{Draft: tt.draft, Citations: tt.citations}, tt.n)
			if got.Draft != tt.wantDraft || !slices.Equal(got.Citations, tt.wantCited) {
				t.Fatalf("FilterCitations = %q %v, want %q %v", got.Draft, got.Citations, tt.wantDraft, tt.wantCited)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "abc", 0}, {"kitten", "sitting", 3}, {"", "abc", 3}, {"退款已处理", "退款处理中", 2}} {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

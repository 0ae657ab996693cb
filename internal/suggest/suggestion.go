// Package suggest turns a customer's turn into suggestions for the agent:
// one structured pass of the local model returns a reply draft grounded in
// knowledge-base articles, the follow-up questions worth asking, and the
// customer's mood. Everything here is a suggestion; the agent decides.
package suggest

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Moods and urgencies the model chooses from.
var (
	Sentiments = []string{"calm", "worried", "angry"}
	Urgencies  = []string{"low", "normal", "high"}
)

// Suggestion is what the model returns for one customer turn.
type Suggestion struct {
	Draft     string `json:"draft"`
	Citations []int  `json:"citations"` // numbers of the articles the draft uses, as [1], [2]
	// Given is what the model read as already given by the customer; with
	// the facts the patterns find, no follow-up may ask for it.
	Given     []Fact   `json:"given"`
	Followups []string `json:"followups"`
	Sentiment string   `json:"sentiment"`
	Urgency   string   `json:"urgency"`
	Intent    string   `json:"intent"`
	Language  string   `json:"language"` // the customer's, as a BCP 47 tag
	Handover  bool     `json:"handover"` // the model is unsure: a senior colleague should look
}

// Schema is the JSON schema sent as the request's format; Ollama enforces it
// with a grammar, so a finished answer has these fields and types. Field
// order matters: the draft streams first, so the agent sees it soonest.
var Schema = json.RawMessage(`{
  "type": "object",
  "properties": {
    "draft": {"type": "string"},
    "citations": {"type": "array", "items": {"type": "integer"}},
    "given": {"type": "array", "items": {"type": "string", "enum": ["order number", "email", "phone", "address", "photos", "product"]}},
    "followups": {"type": "array", "items": {"type": "string"}},
    "sentiment": {"type": "string", "enum": ["calm", "worried", "angry"]},
    "urgency": {"type": "string", "enum": ["low", "normal", "high"]},
    "intent": {"type": "string"},
    "language": {"type": "string"},
    "handover": {"type": "boolean"}
  },
  "required": ["draft", "citations", "given", "followups", "sentiment", "urgency", "intent", "language", "handover"]
}`)

// Parse reads the model's answer. Model output is untrusted: a partial or
// broken answer is closed and read for what it has; text that is not JSON
// at all becomes the draft, so nothing the model wrote is lost. repaired
// says the answer was not a valid, complete document.
func Parse(text string) (s Suggestion, repaired bool) {
	trimmed := strings.TrimSpace(text)
	// Some models wrap JSON in a Markdown fence despite the format.
	trimmed = strings.TrimPrefix(strings.TrimSuffix(trimmed, "```"), "```json")
	trimmed = strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))
	if err := json.Unmarshal([]byte(trimmed), &s); err == nil {
		return s.normalised(), trimmed != strings.TrimSpace(text)
	}
	if closed := ClosePartial(trimmed); closed != "" {
		var p Suggestion
		if json.Unmarshal([]byte(closed), &p) == nil && (p.Draft != "" || len(p.Followups) > 0) {
			return p.normalised(), true
		}
	}
	return Suggestion{Draft: trimmed}.normalised(), true
}

// normalised puts values the schema allows but the UI cannot use into shape:
// unknown moods become "", lists are never nil, blank questions go.
func (s Suggestion) normalised() Suggestion {
	if !slices.Contains(Sentiments, s.Sentiment) {
		s.Sentiment = ""
	}
	if !slices.Contains(Urgencies, s.Urgency) {
		s.Urgency = ""
	}
	s.Draft = strings.TrimSpace(s.Draft)
	qs := []string{}
	for _, q := range s.Followups {
		if q = strings.TrimSpace(q); q != "" && !slices.Contains(qs, q) {
			qs = append(qs, q)
		}
	}
	s.Followups = qs
	if s.Citations == nil {
		s.Citations = []int{}
	}
	given := []Fact{}
	for _, f := range s.Given {
		if slices.Contains(Facts, f) && !slices.Contains(given, f) {
			given = append(given, f)
		}
	}
	s.Given = given
	return s
}

var (
	citationRe      = regexp.MustCompile(`\[(\d{1,3})\]`)
	doubleSpace     = regexp.MustCompile(`[ \t]{2,}`)
	spaceBeforeStop = regexp.MustCompile(`[ \t]+([.,;:!?。，])`)
)

// FilterCitations keeps the draft's citations of the n articles it was
// given ([1] to [n]) and removes any other, from the text and from the list:
// a citation of an article the model was not shown is invented.
func FilterCitations(s Suggestion, n int) Suggestion {
	valid := func(k int) bool { return k >= 1 && k <= n }
	s.Draft = citationRe.ReplaceAllStringFunc(s.Draft, func(m string) string {
		k, _ := strconv.Atoi(m[1 : len(m)-1])
		if valid(k) {
			return m
		}
		return ""
	})
	s.Draft = strings.TrimSpace(spaceBeforeStop.ReplaceAllString(doubleSpace.ReplaceAllString(s.Draft, " "), "$1"))
	cited := []int{}
	for _, k := range s.Citations {
		if valid(k) && !slices.Contains(cited, k) {
			cited = append(cited, k)
		}
	}
	// A citation in the text counts even if the list forgot it.
	for _, m := range citationRe.FindAllStringSubmatch(s.Draft, -1) {
		if k, _ := strconv.Atoi(m[1]); valid(k) && !slices.Contains(cited, k) {
			cited = append(cited, k)
		}
	}
	slices.Sort(cited)
	s.Citations = cited
	return s
}

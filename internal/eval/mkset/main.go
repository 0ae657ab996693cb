// Command mkset builds an evaluation set for `tandem eval kb` from a small
// extract of a public intent dataset: one knowledge-base article per intent,
// whose body is the dataset's own answer for that intent, and one case per
// customer utterance of the intent, with that article as gold. Some cases
// are made conversation-shaped with fixed, generic turns (a greeting, an
// earlier resolved topic, a closing "ok thanks", the request split over two
// messages); see testdata/eval/README.md. The output is deterministic.
//
// With -format cmrc it reads an extract of a CMRC 2018 style reading
// comprehension file instead (JSON Lines, one paragraph per line with its
// questions): one article per paragraph, one case per question, gold = the
// paragraph. -lang zh gives the conversation turns in Chinese.
//
//	go run ./internal/eval/mkset -in testdata/eval/bitext-en/extract.tsv -out testdata/eval/bitext-en
//	go run ./internal/eval/mkset -format cmrc -lang zh -in testdata/eval/cmrc2018-zh/extract.jsonl -out testdata/eval/cmrc2018-zh
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	in := flag.String("in", "", "extract: TSV lines intent<TAB>response|utterance<TAB>text; # starts a comment")
	out := flag.String("out", "", "folder to write kb.jsonl and cases.jsonl into")
	lang := flag.String("lang", "en", "language of the articles and of the added conversation turns: en or zh")
	format := flag.String("format", "tsv", "extract format: tsv (intents) or cmrc (CMRC 2018 paragraphs with questions, JSON Lines)")
	flag.Parse()
	if *in == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: mkset [-format tsv|cmrc] [-lang en|zh] -in EXTRACT -out FOLDER")
		os.Exit(2)
	}
	if _, ok := phrasings[*lang]; !ok {
		fmt.Fprintf(os.Stderr, "mkset: -lang %q; want en or zh\n", *lang)
		os.Exit(2)
	}
	var err error
	switch *format {
	case "tsv":
		err = run(*in, *out, *lang)
	case "cmrc":
		err = runCMRC(*in, *out, *lang)
	default:
		fmt.Fprintf(os.Stderr, "mkset: -format %q; want tsv or cmrc\n", *format)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkset:", err)
		os.Exit(1)
	}
}

type article struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Body  string `json:"body"`
	Tags  string `json:"tags"`
	Lang  string `json:"lang"`
}

type turn struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

type evalCase struct {
	ID       string   `json:"id"`
	Messages []turn   `json:"messages"`
	Gold     []string `json:"gold"`
}

type intent struct {
	name       string
	response   string
	utterances []string
}

func run(in, out, lang string) error {
	intents, err := readExtract(in)
	if err != nil {
		return err
	}
	var arts []any
	var cases []any
	n := 0
	for _, it := range intents {
		arts = append(arts, article{ID: it.name, Title: title(it.name), Body: it.response, Lang: lang})
		for i, u := range it.utterances {
			cases = append(cases, evalCase{
				ID:       fmt.Sprintf("%s-%02d", it.name, i+1),
				Messages: shape(n, u, phrasings[lang]),
				Gold:     []string{it.name},
			})
			n++
		}
	}
	if err := writeJSONL(filepath.Join(out, "kb.jsonl"), arts); err != nil {
		return err
	}
	return writeJSONL(filepath.Join(out, "cases.jsonl"), cases)
}

func readExtract(path string) ([]*intent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var order []*intent
	byName := map[string]*intent{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		parts := strings.SplitN(text, "\t", 3)
		if len(parts) != 3 || strings.TrimSpace(parts[2]) == "" {
			return nil, fmt.Errorf("%s:%d: want intent<TAB>kind<TAB>text", path, line)
		}
		it := byName[parts[0]]
		if it == nil {
			it = &intent{name: parts[0]}
			byName[parts[0]] = it
			order = append(order, it)
		}
		switch parts[1] {
		case "response":
			if it.response != "" {
				return nil, fmt.Errorf("%s:%d: a second response for %s", path, line, it.name)
			}
			it.response = parts[2]
		case "utterance":
			it.utterances = append(it.utterances, parts[2])
		default:
			return nil, fmt.Errorf("%s:%d: kind %q; want response or utterance", path, line, parts[1])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, it := range order {
		if it.response == "" || len(it.utterances) == 0 {
			return nil, fmt.Errorf("%s: intent %s needs a response and at least one utterance", path, it.name)
		}
	}
	if len(order) == 0 {
		return nil, errors.New(path + ": no intents")
	}
	return order, nil
}

// title makes an article title from the dataset's intent label:
// change_shipping_address → "Change shipping address".
func title(name string) string {
	t := strings.ReplaceAll(name, "_", " ")
	return strings.ToUpper(t[:1]) + t[1:]
}

// phrasing holds the fixed conversation turns of one language.
type phrasing struct {
	greeting, welcome string // case 1
	looking, thanks   string // case 3
	solved, anything  string // case 4
	split             func(string) (string, string, bool)
}

var phrasings = map[string]phrasing{
	"en": {
		greeting: "Hi", welcome: "Hello, thanks for contacting us. How can I help you today?",
		looking: "Let me look into that for you.", thanks: "ok thanks",
		solved: "thanks, that solved my other problem", anything: "Glad to hear it! Anything else I can help with?",
		split: splitWords,
	},
	"zh": {
		greeting: "你好，在吗？", welcome: "您好，很高兴为您服务，请问有什么可以帮您？",
		looking: "好的，我帮您查一下。", thanks: "好的谢谢",
		solved: "好的，刚才那个问题解决了，谢谢", anything: "不客气！还有其他可以帮您的吗？",
		split: splitRunes,
	},
}

// splitWords splits at the middle word, if there are 4 words or more.
func splitWords(u string) (string, string, bool) {
	w := strings.Fields(u)
	if len(w) < 4 {
		return "", "", false
	}
	return strings.Join(w[:len(w)/2], " "), strings.Join(w[len(w)/2:], " "), true
}

// splitRunes splits text written without spaces (Chinese): after its first
// comma if that leaves text on both sides, else at the middle character if
// it has 8 characters or more.
func splitRunes(u string) (string, string, bool) {
	r := []rune(u)
	for i, c := range r {
		if (c == '，' || c == ',') && i > 0 && i < len(r)-2 {
			return string(r[:i+1]), string(r[i+1:]), true
		}
	}
	if len(r) < 8 {
		return "", "", false
	}
	return string(r[:len(r)/2]), string(r[len(r)/2:]), true
}

// shape turns the n-th utterance into a conversation. The extra turns are
// fixed and generic, the same for every intent, so they test how the query
// is built from a conversation, never which article wins.
func shape(n int, u string, p phrasing) []turn {
	c := func(s string) turn { return turn{Role: "customer", Text: s} }
	a := func(s string) turn { return turn{Role: "agent", Text: s} }
	switch n % 5 {
	case 1: // a greeting first
		return []turn{c(p.greeting), a(p.welcome), c(u)}
	case 2: // the request split over two messages
		if x, y, ok := p.split(u); ok {
			return []turn{c(x), c(y)}
		}
		return []turn{c(u)}
	case 3: // the request, then the customer acknowledges the agent
		return []turn{c(u), a(p.looking), c(p.thanks)}
	case 4: // an earlier, resolved topic before the request
		return []turn{c(p.solved), a(p.anything), c(u)}
	}
	return []turn{c(u)}
}

func writeJSONL(path string, items []any) error {
	var b strings.Builder
	for _, it := range items {
		line, err := json.Marshal(it)
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

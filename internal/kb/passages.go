package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Passage sizes, in characters (runes): long enough to hold an answer with
// its context, short enough that the highlighted match is readable and that
// an embedding model sees one topic at a time.
const (
	passageTarget  = 600
	passageMax     = 900
	passageOverlap = 1 // sentences carried into the next passage
)

// Split cuts an article's body into passages on paragraph and sentence
// boundaries, Chinese or English. A short body is one passage. Consecutive
// passages share a sentence, so an answer that straddles a cut is whole in
// one of them.
func Split(body string) []string {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil
	}
	if utf8.RuneCountInString(body) <= passageMax {
		return []string{body}
	}
	var sentences []string
	for _, para := range strings.Split(body, "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		sentences = append(sentences, splitSentences(para)...)
	}
	var out []string
	var cur []string
	size := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
		}
	}
	for _, s := range sentences {
		n := utf8.RuneCountInString(s)
		if size > 0 && size+n > passageTarget {
			flush()
			keep := cur[max(0, len(cur)-passageOverlap):]
			cur, size = nil, 0
			for _, k := range keep {
				size += utf8.RuneCountInString(k)
			}
			if size+n <= passageMax {
				cur = append(cur, keep...)
			} else {
				size = 0
			}
		}
		cur = append(cur, s)
		size += n
	}
	flush()
	return out
}

// splitSentences cuts after sentence-ending punctuation (. ! ? 。 ！ ？ ；)
// and hard-wraps any sentence longer than passageMax.
func splitSentences(p string) []string {
	var out []string
	start := 0
	runes := []rune(p)
	for i, r := range runes {
		end := false
		switch r {
		case '。', '！', '？', '；', '!', '?':
			end = true
		case '.':
			end = i+1 == len(runes) || unicode.IsSpace(runes[i+1])
		}
		if end {
			out = append(out, strings.TrimSpace(string(runes[start:i+1])))
			start = i + 1
		}
	}
	if rest := strings.TrimSpace(string(runes[start:])); rest != "" {
		out = append(out, rest)
	}
	var wrapped []string
	for _, s := range out {
		r := []rune(s)
		for len(r) > passageMax {
			wrapped = append(wrapped, string(r[:passageMax]))
			r = r[passageMax:]
		}
		if len(r) > 0 {
			wrapped = append(wrapped, string(r))
		}
	}
	return wrapped
}

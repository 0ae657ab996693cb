package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// cmrcParagraph is one line of a CMRC 2018 extract: a paragraph of the
// source file (cmrc2018_trial.json) with its questions, keys as in the
// source. The source's \u escapes are decoded here by encoding/json.
type cmrcParagraph struct {
	ContextID   string `json:"context_id"`
	ContextText string `json:"context_text"`
	Title       string `json:"title"`
	QAs         []struct {
		QueryID   string `json:"query_id"`
		QueryText string `json:"query_text"`
	} `json:"qas"`
}

// runCMRC builds a set from a CMRC 2018 extract: one article per paragraph
// (id = its context_id, title = the article title, body = the paragraph) and
// one case per question with that paragraph as gold.
func runCMRC(in, out, lang string) error {
	paras, err := readCMRC(in)
	if err != nil {
		return err
	}
	var arts, cases []any
	n := 0
	for _, p := range paras {
		arts = append(arts, article{ID: p.ContextID, Title: p.Title, Body: p.ContextText, Lang: lang})
		for _, q := range p.QAs {
			cases = append(cases, evalCase{ID: q.QueryID, Messages: shape(n, q.QueryText, phrasings[lang]), Gold: []string{p.ContextID}})
			n++
		}
	}
	if err := writeJSONL(filepath.Join(out, "kb.jsonl"), arts); err != nil {
		return err
	}
	return writeJSONL(filepath.Join(out, "cases.jsonl"), cases)
}

func readCMRC(path string) ([]cmrcParagraph, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var paras []cmrcParagraph
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		var p cmrcParagraph
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		switch {
		case p.ContextID == "" || strings.TrimSpace(p.ContextText) == "" || strings.TrimSpace(p.Title) == "":
			return nil, fmt.Errorf("%s:%d: a paragraph needs context_id, title and context_text", path, line)
		case seen[p.ContextID]:
			return nil, fmt.Errorf("%s:%d: paragraph %s a second time", path, line, p.ContextID)
		case len(p.QAs) == 0:
			return nil, fmt.Errorf("%s:%d: paragraph %s has no questions", path, line, p.ContextID)
		}
		for _, q := range p.QAs {
			if q.QueryID == "" || strings.TrimSpace(q.QueryText) == "" {
				return nil, fmt.Errorf("%s:%d: a question of %s needs query_id and query_text", path, line, p.ContextID)
			}
		}
		seen[p.ContextID] = true
		paras = append(paras, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(paras) == 0 {
		return nil, errors.New(path + ": no paragraphs")
	}
	return paras, nil
}

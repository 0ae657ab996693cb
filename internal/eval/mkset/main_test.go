package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestEvalSetsMatchExtracts checks that the committed kb.jsonl and
// cases.jsonl of each set are exactly what mkset makes from its extract, so
// nobody edits a set by hand.
func TestEvalSetsMatchExtracts(t *testing.T) {
	sets := []struct {
		name, extract string
		build         func(in, out, lang string) error
		lang          string
	}{
		{"bitext-en", "extract.tsv", run, "en"},
		{"cmrc2018-zh", "extract.jsonl", runCMRC, "zh"},
	}
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			dir := filepath.Join("..", "..", "..", "testdata", "eval", s.name)
			out := t.TempDir()
			if err := s.build(filepath.Join(dir, s.extract), out, s.lang); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"kb.jsonl", "cases.jsonl"} {
				want, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s/%s differs from what mkset builds from %s; rebuild it with mkset", s.name, f, s.extract)
				}
			}
		})
	}
}

func TestSplitRunes(t *testing.T) {
	tests := []struct{ in, a, b string }{
		{"若游戏中离，则多少分钟内不得进行配对？", "若游戏中离，", "则多少分钟内不得进行配对？"},
		{"玩家用什么泡封敌人？", "玩家用什么", "泡封敌人？"},
		{"它的启动口令是什么？", "它的启动口", "令是什么？"},
		{"好的，", "", ""}, // a comma at the end and too short: not split
		{"什么是放线菌酮？", "什么是放", "线菌酮？"}, // at the middle character, even inside a word
	}
	for _, tt := range tests {
		a, b, ok := splitRunes(tt.in)
		if !ok && tt.a == "" {
			continue
		}
		if !ok || a != tt.a || b != tt.b {
			t.Errorf("splitRunes(%q) = %q, %q, %v; want %q, %q", tt.in, a, b, ok, tt.a, tt.b)
		}
	}
}

func TestReadCMRCErrors(t *testing.T) {
	tests := map[string]string{
		"unknown field": `{"context_id": "A", "context_text": "x", "title": "t", "qas": [{"query_id": "q", "query_text": "?"}], "answers": []}`,
		"no questions":  `{"context_id": "A", "context_text": "x", "title": "t", "qas": []}`,
		"no text":       `{"context_id": "A", "context_text": " ", "title": "t", "qas": [{"query_id": "q", "query_text": "?"}]}`,
		"twice": `{"context_id": "A", "context_text": "x", "title": "t", "qas": [{"query_id": "q", "query_text": "?"}]}` + "\n" +
			`{"context_id": "A", "context_text": "y", "title": "t", "qas": [{"query_id": "r", "query_text": "?"}]}`,
		"empty": "# only a comment\n",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.jsonl")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := readCMRC(path); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// Package kb reads knowledge-base articles from the formats shops keep them
// in: a folder of Markdown (with optional YAML front matter), HTML and plain
// text files, or one CSV or JSONL file. Every article read has an id (the
// one given, else its path in the folder); every file or record that cannot
// be read is reported with the reason, never dropped in silence.
package kb

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"gopkg.in/yaml.v3"

	"tandem/internal/tandem"
)

// Doc is one article as read from a source.
type Doc struct {
	Key   string `json:"id"`
	Title string `json:"title"`
	Body  string `json:"body"`
	Tags  string `json:"tags"`
	Lang  string `json:"lang"`
	URL   string `json:"url"`
}

// Article turns the doc into the stored form.
func (d Doc) Article() tandem.Article {
	return tandem.Article{Key: d.Key, Title: d.Title, Body: d.Body, Tags: d.Tags, Lang: d.Lang, URL: d.URL}
}

// Skipped is a file or record that was not read, and why.
type Skipped struct {
	Where  string `json:"where"` // path, or path:line
	Reason string `json:"reason"`
}

// fileExts are the file types a folder import reads.
var fileExts = []string{".md", ".markdown", ".html", ".htm", ".txt", ".csv", ".jsonl"}

// MaxArticleBytes bounds one article's text.
const MaxArticleBytes = 1 << 20

// Read reads every article under path: a folder (recursively: .md, .markdown,
// .html, .htm, .txt, and .csv/.jsonl files inside it), or a single file.
func Read(ctx context.Context, path string) ([]Doc, []Skipped, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read knowledge base %s: %w", path, err)
	}
	r := &reader{seen: map[string]string{}}
	if !info.IsDir() {
		err = r.file(filepath.Dir(path), path)
	} else {
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				r.skip(p, err.Error())
				return nil
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if d.IsDir() {
				if p != path && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			return r.file(path, p)
		})
	}
	if err != nil {
		return r.docs, r.skipped, fmt.Errorf("read knowledge base %s: %w", path, err)
	}
	return r.docs, r.skipped, nil
}

type reader struct {
	docs    []Doc
	skipped []Skipped
	seen    map[string]string // key -> where it was first read
}

func (r *reader) skip(where, reason string) {
	r.skipped = append(r.skipped, Skipped{Where: where, Reason: reason})
}

// add checks a doc and keeps it, or reports why not.
func (r *reader) add(where string, d Doc) {
	d.Key, d.Title = strings.TrimSpace(d.Key), strings.TrimSpace(d.Title)
	d.Body = strings.TrimSpace(d.Body)
	switch {
	case d.Key == "":
		r.skip(where, "no id")
	case !utf8.ValidString(d.Title + d.Body + d.Tags + d.Key):
		r.skip(where, "not valid UTF-8: save the file as UTF-8")
	case d.Body == "" && d.Title == "":
		r.skip(where, "no title and no text")
	case len(d.Body) > MaxArticleBytes:
		r.skip(where, fmt.Sprintf("text is %d bytes; the limit is %d: split the article", len(d.Body), MaxArticleBytes))
	case d.Lang != "" && !tandem.ValidLangTag(d.Lang):
		r.skip(where, fmt.Sprintf("lang %q is not a language tag such as en or zh-CN", d.Lang))
	default:
		if first, dup := r.seen[d.Key]; dup {
			r.skip(where, fmt.Sprintf("id %q was already read from %s", d.Key, first))
			return
		}
		r.seen[d.Key] = where
		if d.Title == "" {
			d.Title = firstLine(d.Body)
		}
		r.docs = append(r.docs, d)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if r := []rune(strings.TrimSpace(line)); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return strings.TrimSpace(line)
}

func (r *reader) file(root, p string) error {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		rel = p
	}
	rel = filepath.ToSlash(rel)
	ext := strings.ToLower(filepath.Ext(p))
	if !slices.Contains(fileExts, ext) {
		r.skip(rel, "not a knowledge-base format (.md, .html, .txt, .csv, .jsonl)")
		return nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		r.skip(rel, err.Error())
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	switch ext {
	case ".md", ".markdown":
		r.markdown(rel, data)
	case ".html", ".htm":
		r.html(rel, data)
	case ".txt":
		r.add(rel, Doc{Key: rel, Body: string(data)})
	case ".csv":
		r.csv(rel, data)
	case ".jsonl":
		r.jsonl(rel, data)
	}
	return nil
}

// markdown reads optional YAML front matter (id, title, tags, lang, url);
// the title is otherwise the first "# " heading.
func (r *reader) markdown(rel string, data []byte) {
	d := Doc{Key: rel}
	body := string(data)
	if rest, ok := strings.CutPrefix(body, "---\n"); ok {
		front, after, found := strings.Cut(rest, "\n---")
		if !found {
			r.skip(rel, "front matter opened with --- is never closed")
			return
		}
		var fm struct {
			ID    string `yaml:"id"`
			Title string `yaml:"title"`
			Tags  any    `yaml:"tags"`
			Lang  string `yaml:"lang"`
			URL   string `yaml:"url"`
		}
		if err := yaml.Unmarshal([]byte(front), &fm); err != nil {
			r.skip(rel, "front matter is not valid YAML: "+err.Error())
			return
		}
		if fm.ID != "" {
			d.Key = fm.ID
		}
		d.Title, d.Lang, d.URL, d.Tags = fm.Title, fm.Lang, fm.URL, tagsText(fm.Tags)
		body = strings.TrimPrefix(after, "\n")
		if i := strings.IndexByte(body, '\n'); i >= 0 && strings.TrimSpace(body[:i]) == "" {
			body = body[i+1:]
		}
	}
	if d.Title == "" {
		for _, line := range strings.Split(body, "\n") {
			if t, ok := strings.CutPrefix(line, "# "); ok {
				d.Title = strings.TrimSpace(t)
				break
			}
		}
	}
	d.Body = body
	r.add(rel, d)
}

func tagsText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		parts := make([]string, 0, len(t))
		for _, x := range t {
			parts = append(parts, fmt.Sprint(x))
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// html keeps the title and the visible text, one block per line.
func (r *reader) html(rel string, data []byte) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		r.skip(rel, "not readable HTML: "+err.Error())
		return
	}
	var title string
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "noscript", "template", "head":
				if n.Data == "head" {
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode && c.Data == "title" && c.FirstChild != nil {
							title = c.FirstChild.Data
						}
					}
				}
				return
			}
		}
		if n.Type == html.TextNode {
			if t := strings.Join(strings.Fields(n.Data), " "); t != "" {
				b.WriteString(t)
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && isBlock(n.Data) {
			b.WriteByte('\n')
		}
	}
	walk(doc)
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	r.add(rel, Doc{Key: rel, Title: strings.TrimSpace(title), Body: strings.Join(out, "\n")})
}

func isBlock(tag string) bool {
	switch tag {
	case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "pre", "ul", "ol", "table":
		return true
	}
	return false
}

// csv reads id,title,body[,tags,lang,url] with a header row.
func (r *reader) csv(rel string, data []byte) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		r.skip(rel, "no header row: "+err.Error())
		return
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"id", "title", "body"} {
		if _, ok := col[need]; !ok {
			r.skip(rel, "header must name the columns id, title, body (and optionally tags, lang, url)")
			return
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.skip(fmt.Sprintf("%s:%d", rel, pe.StartLine), "malformed CSV: "+pe.Err.Error())
				continue
			}
			r.skip(rel, "malformed CSV: "+err.Error())
			return
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("%s:%d", rel, line)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if len(rec) != len(header) {
			r.skip(where, fmt.Sprintf("%d fields; the header has %d", len(rec), len(header)))
			continue
		}
		r.add(where, Doc{Key: get("id"), Title: get("title"), Body: get("body"), Tags: get("tags"), Lang: get("lang"), URL: get("url")})
	}
}

// jsonl reads one {"id","title","body","tags","lang","url"} per line.
func (r *reader) jsonl(rel string, data []byte) {
	for i, line := range bytes.Split(data, []byte("\n")) {
		where := fmt.Sprintf("%s:%d", rel, i+1)
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var raw struct {
			ID    json.RawMessage `json:"id"`
			Title string          `json:"title"`
			Body  string          `json:"body"`
			Tags  any             `json:"tags"`
			Lang  string          `json:"lang"`
			URL   string          `json:"url"`
		}
		if !utf8.Valid(line) {
			r.skip(where, "not valid UTF-8")
			continue
		}
		if err := json.Unmarshal(line, &raw); err != nil {
			r.skip(where, "malformed JSON: "+err.Error())
			continue
		}
		var id any
		json.Unmarshal(raw.ID, &id)
		key := ""
		switch v := id.(type) {
		case string:
			key = v
		case float64:
			key = fmt.Sprint(v)
		}
		r.add(where, Doc{Key: key, Title: raw.Title, Body: raw.Body, Tags: tagsText(raw.Tags), Lang: raw.Lang, URL: raw.URL})
	}
}

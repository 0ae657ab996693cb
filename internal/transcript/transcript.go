// Package transcript imports past conversations from files: JSONL, JSON,
// CSV and plain text with "Customer:"/"Agent:" (or "客户："/"客服：")
// prefixes. FORMAT.md describes each. A bad record never stops the import
// and is never dropped in silence: it is reported with its line and reason.
package transcript

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tandem/internal/ingest"
	"tandem/internal/tandem"
)

// Sink is the ingest path.
type Sink interface {
	Conversation(ctx context.Context, in ingest.ConversationInput) (tandem.Conversation, error)
	Message(ctx context.Context, in ingest.MessageInput) (ingest.Result, error)
}

// Format is a transcript file format.
type Format string

const (
	JSONL Format = "jsonl"
	JSON  Format = "json"
	CSV   Format = "csv"
	Text  Format = "text"
)

// FormatOf picks the format from a file name.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return JSONL, nil
	case ".json":
		return JSON, nil
	case ".csv":
		return CSV, nil
	case ".txt", ".text", ".log":
		return Text, nil
	}
	return "", tandem.Errorf(tandem.EINVALID, "%s: unknown transcript format; use .jsonl, .json, .csv or .txt", filepath.Base(name))
}

// Options tune an import.
type Options struct {
	Format         Format                  // "" = from the file name
	ConversationID string                  // plain text: the conversation's id (default: the file's base name)
	Progress       func(done, total int64) // bytes read of the total; throttled
}

// Skipped is a record that was not imported, and why.
type Skipped struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Report says what an import did.
type Report struct {
	Conversations int       `json:"conversations"`
	Messages      int       `json:"messages"`   // new messages stored
	Duplicates    int       `json:"duplicates"` // already there (a re-import)
	Skipped       []Skipped `json:"skipped"`
}

// record is one message as read from a file, before it is checked.
type record struct {
	line         int
	conversation string
	role         string
	text         string
	externalID   string
	lang         string
	ts           string
	title        string
	customerName string
}

// ImportFile imports the file at path.
func ImportFile(ctx context.Context, sink Sink, path string, opts Options) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{Skipped: []Skipped{}}, fmt.Errorf("import %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Report{Skipped: []Skipped{}}, fmt.Errorf("import %s: %w", path, err)
	}
	rep, err := Import(ctx, sink, f, info.Size(), filepath.Base(path), opts)
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", path, err)
	}
	return rep, nil
}

// Import imports a transcript read from r, size bytes long, named name.
func Import(ctx context.Context, sink Sink, r io.Reader, size int64, name string, opts Options) (Report, error) {
	rep := Report{Skipped: []Skipped{}}
	format := opts.Format
	if format == "" {
		var err error
		if format, err = FormatOf(name); err != nil {
			return rep, err
		}
	}
	cr := &countingReader{r: r, total: size, progress: opts.Progress}
	im := &importer{ctx: ctx, sink: sink, rep: &rep, seen: map[string]bool{}}
	var err error
	switch format {
	case JSONL:
		err = readJSONL(cr, im.take)
	case JSON:
		err = readJSON(cr, im.take)
	case CSV:
		err = readCSV(cr, im.take)
	case Text:
		id := opts.ConversationID
		if id == "" {
			id = strings.TrimSuffix(name, filepath.Ext(name))
		}
		err = readText(cr, id, im.take)
	default:
		return rep, tandem.Errorf(tandem.EINVALID, "unknown transcript format %q", format)
	}
	cr.finish()
	if err == nil {
		err = im.err
	}
	return rep, err
}

// importer checks each record and hands it to the sink.
type importer struct {
	ctx  context.Context
	sink Sink
	rep  *Report
	seen map[string]bool // conversations created in this import
	err  error           // what stopped the import
}

// take handles one record; false stops reading.
func (im *importer) take(r record, bad string) bool {
	if err := im.ctx.Err(); err != nil {
		im.err = err
		return false
	}
	if bad == "" {
		bad = r.check()
	}
	if bad != "" {
		im.rep.Skipped = append(im.rep.Skipped, Skipped{Line: r.line, Reason: bad})
		return true
	}
	var sentAt time.Time
	if r.ts != "" {
		sentAt, _ = parseTS(r.ts) // checked above
	}
	if !im.seen[r.conversation] || r.title != "" || r.customerName != "" {
		_, err := im.sink.Conversation(im.ctx, ingest.ConversationInput{Source: ingest.SourceImport,
			ExternalID: r.conversation, Title: r.title, CustomerName: r.customerName, CustomerLang: r.lang})
		if err != nil {
			return im.skipOrStop(r.line, err)
		}
		if !im.seen[r.conversation] {
			im.seen[r.conversation] = true
			im.rep.Conversations++
		}
	}
	ext := r.externalID
	if ext == "" {
		// Stable across re-imports of the same file, so nothing is doubled.
		ext = fmt.Sprintf("line-%d", r.line)
	}
	res, err := im.sink.Message(im.ctx, ingest.MessageInput{Source: ingest.SourceImport, ConversationID: r.conversation,
		ExternalID: ext, Role: tandem.Role(r.role), Text: r.text, Lang: r.lang, SentAt: sentAt})
	if err != nil {
		return im.skipOrStop(r.line, err)
	}
	if res.Created {
		im.rep.Messages++
	} else {
		im.rep.Duplicates++
	}
	return true
}

// skipOrStop reports a record the sink refused; other errors stop the import.
func (im *importer) skipOrStop(line int, err error) bool {
	var e *tandem.Error
	if errors.As(err, &e) && e.Code != tandem.EINTERNAL {
		im.rep.Skipped = append(im.rep.Skipped, Skipped{Line: line, Reason: e.Message})
		return true
	}
	im.err = err
	return false
}

// check returns why the record cannot be imported, or "".
func (r *record) check() string {
	r.role = normalRole(r.role)
	r.text = strings.TrimSpace(r.text)
	switch {
	case strings.TrimSpace(r.conversation) == "":
		return "no conversation id"
	case r.role == "system":
		return "system messages are not conversation turns"
	case r.role != "customer" && r.role != "agent":
		return fmt.Sprintf("role %q is not customer or agent", r.role)
	case !utf8.ValidString(r.text) || !utf8.ValidString(r.conversation) || !utf8.ValidString(r.title+r.customerName):
		return "not valid UTF-8: save the file as UTF-8"
	case r.text == "":
		return "empty text"
	case len(r.text) > tandem.MaxMessageBytes:
		return fmt.Sprintf("text is %d bytes; the limit is %d", len(r.text), tandem.MaxMessageBytes)
	}
	if r.ts != "" {
		if _, err := parseTS(r.ts); err != nil {
			return err.Error()
		}
	}
	return ""
}

func normalRole(role string) string {
	switch r := strings.ToLower(strings.TrimSpace(role)); r {
	case "customer", "user", "client", "buyer", "客户", "顾客", "买家":
		return "customer"
	case "agent", "assistant", "support", "staff", "seller", "客服", "卖家":
		return "agent"
	default:
		return r
	}
}

// parseTS reads RFC 3339 text, "2006-01-02 15:04:05" or unix seconds.
func parseTS(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil && secs >= 0 && secs < 1e11 {
		return time.Unix(0, int64(secs*1e9)), nil
	}
	return time.Time{}, fmt.Errorf("time %q is not RFC 3339 (2026-11-24T09:30:00Z) or unix seconds", s)
}

// jsonRecord is one message in JSONL or JSON.
type jsonRecord struct {
	ConversationID any    `json:"conversation_id"`
	Role           string `json:"role"`
	Text           string `json:"text"`
	ExternalID     any    `json:"external_id"`
	Lang           string `json:"lang"`
	TS             any    `json:"ts"`
	Title          string `json:"title"`
	CustomerName   string `json:"customer_name"`
}

// scalar turns a JSON id or time (string or number) into text.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func (j jsonRecord) record(line int) record {
	return record{line: line, conversation: scalar(j.ConversationID), role: j.Role, text: j.Text,
		externalID: scalar(j.ExternalID), lang: j.Lang, ts: scalar(j.TS), title: j.Title, customerName: j.CustomerName}
}

func readJSONL(r io.Reader, take func(record, string) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var j jsonRecord
		bad := ""
		if !utf8.Valid(b) {
			bad = "not valid UTF-8: save the file as UTF-8"
		} else if err := json.Unmarshal(b, &j); err != nil {
			bad = "malformed JSON: " + err.Error()
		}
		if !take(j.record(line), bad) {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	return nil
}

// readJSON reads an array of messages, or {"conversations": [...]}.
// Records are numbered from 1 in file order: the JSON decoder has no lines.
func readJSON(r io.Reader, take func(record, string) bool) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if !utf8.Valid(data) {
		return tandem.Errorf(tandem.EINVALID, "the file is not valid UTF-8: save it as UTF-8")
	}
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return tandem.Errorf(tandem.EINVALID, "not JSON: %v", err)
	}
	// One message per array element: a bad one is skipped, the rest go on.
	eachElem := func(fn func(raw json.RawMessage, line int) bool) error {
		for dec.More() {
			line := lineAt(dec.InputOffset())
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return tandem.Errorf(tandem.EINVALID, "malformed JSON at line %d: %v", line, err)
			}
			if !fn(raw, line) {
				return nil
			}
		}
		if _, err := dec.Token(); err != nil { // the closing ]
			return tandem.Errorf(tandem.EINVALID, "the JSON ends before its closing bracket: %v", err)
		}
		return nil
	}
	switch tok {
	case json.Delim('['):
		return eachElem(func(raw json.RawMessage, line int) bool {
			var j jsonRecord
			bad := ""
			if err := json.Unmarshal(raw, &j); err != nil {
				bad = "malformed message: " + err.Error()
			}
			return take(j.record(line), bad)
		})
	case json.Delim('{'):
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return tandem.Errorf(tandem.EINVALID, "malformed JSON: %v", err)
			}
			if key != "conversations" {
				var skip json.RawMessage
				dec.Decode(&skip)
				continue
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return tandem.Errorf(tandem.EINVALID, `"conversations" must be an array`)
			}
			err = eachElem(func(raw json.RawMessage, line int) bool {
				var c struct {
					ID           any    `json:"id"`
					Title        string `json:"title"`
					CustomerName string `json:"customer_name"`
					Lang         string `json:"lang"`
					Messages     []struct {
						jsonRecord
					} `json:"messages"`
				}
				if err := json.Unmarshal(raw, &c); err != nil {
					return take(record{line: line}, "malformed conversation: "+err.Error())
				}
				if len(c.Messages) == 0 {
					return take(record{line: line, conversation: scalar(c.ID)}, "conversation has no messages")
				}
				for i, m := range c.Messages {
					rec := m.jsonRecord.record(line)
					rec.conversation, rec.title, rec.customerName = scalar(c.ID), c.Title, c.CustomerName
					if rec.lang == "" {
						rec.lang = c.Lang
					}
					if rec.externalID == "" {
						rec.externalID = fmt.Sprintf("msg-%d", i+1)
					}
					if !take(rec, "") {
						return false
					}
				}
				return true
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
	return tandem.Errorf(tandem.EINVALID, `JSON must be an array of messages or {"conversations": [...]}`)
}

// readCSV reads a header row naming conversation_id, role, text (and
// optionally ts, external_id, lang, title, customer_name), then messages.
func readCSV(r io.Reader, take func(record, string) bool) error {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return tandem.Errorf(tandem.EINVALID, "no CSV header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"conversation_id", "role", "text"} {
		if _, ok := col[need]; !ok {
			return tandem.Errorf(tandem.EINVALID, "the CSV header must name conversation_id, role and text (and may name ts, external_id, lang)")
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if !take(record{line: pe.StartLine}, "malformed CSV: "+pe.Err.Error()) {
				return nil
			}
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		bad := ""
		if len(rec) != len(header) {
			bad = fmt.Sprintf("%d fields; the header has %d", len(rec), len(header))
		}
		if !take(record{line: line, conversation: get("conversation_id"), role: get("role"), text: get("text"),
			ts: get("ts"), externalID: get("external_id"), lang: get("lang"), title: get("title"),
			customerName: get("customer_name")}, bad) {
			return nil
		}
	}
}

// Speaker prefixes of plain-text transcripts, with full-width and ASCII colons.
var prefixes = map[string]string{
	"customer": "customer", "agent": "agent", "客户": "customer", "顾客": "customer", "客服": "agent",
}

// speaker splits "Customer: text" into its role and text.
func speaker(line string) (role, text string, ok bool) {
	for _, colon := range []string{":", "："} {
		head, rest, found := strings.Cut(line, colon)
		if !found {
			continue
		}
		if r, known := prefixes[strings.ToLower(strings.TrimSpace(head))]; known {
			return r, strings.TrimSpace(rest), true
		}
	}
	return "", "", false
}

// readText reads one conversation of "Customer:"/"Agent:" lines; a line
// without a prefix continues the message before it.
func readText(r io.Reader, conversation string, take func(record, string) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var cur *record
	var orphan []int // lines before the first speaker
	line := 0
	flush := func() bool {
		if cur == nil {
			return true
		}
		ok := take(*cur, "")
		cur = nil
		return ok
	}
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if role, rest, ok := speaker(text); ok {
			if !flush() {
				return nil
			}
			cur = &record{line: line, conversation: conversation, role: role, text: rest}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if cur == nil {
			orphan = append(orphan, line)
			continue
		}
		cur.text += "\n" + text
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	if !flush() {
		return nil
	}
	for _, l := range orphan {
		take(record{line: l}, `text before the first "Customer:" or "Agent:" line`)
	}
	return nil
}

// countingReader reports how much of the file has been read, at most
// every 50 ms and once at the end.
type countingReader struct {
	r        io.Reader
	total    int64
	progress func(done, total int64)

	mu   sync.Mutex
	done int64
	last time.Time
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.mu.Lock()
	c.done += int64(n)
	report := c.progress != nil && time.Since(c.last) >= 50*time.Millisecond
	if report {
		c.last = time.Now()
	}
	done := c.done
	c.mu.Unlock()
	if report {
		c.progress(min(done, c.total), c.total)
	}
	return n, err
}

func (c *countingReader) finish() {
	if c.progress != nil {
		c.progress(c.total, c.total)
	}
}

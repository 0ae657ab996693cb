package suggest

import (
	"strings"
)

// ClosePartial turns the prefix of a JSON document that a model is still
// streaming into a complete document holding everything finished so far,
// and the string value being written, up to its last whole character. It
// returns "" when nothing can be shown yet. It does not validate: text that
// is not JSON stays not JSON, for the decoder to refuse.
//
// It walks the text once with a stack of open containers. A safe point is
// where the document could be closed as it is; the unfinished tail after the
// last safe point (a key with no value yet, half a number, "tr" of true) is
// cut off, except for an open string value, which is closed so that a draft
// shows as it grows.
func ClosePartial(s string) string {
	type frame struct {
		obj       bool // object, else array
		expectKey bool // in an object: the next string is a key
	}
	var (
		stack    []frame
		safe     = -1 // end of the text up to the last safe point
		safeStk  []frame
		inString bool
		isKey    bool
		escape   bool
		strStart int
	)
	closers := func(st []frame) string {
		var b strings.Builder
		for i := len(st) - 1; i >= 0; i-- {
			if st[i].obj {
				b.WriteByte('}')
			} else {
				b.WriteByte(']')
			}
		}
		return b.String()
	}
	markSafe := func(end int) {
		safe = end
		safeStk = append(safeStk[:0], stack...)
	}
	i := 0
	for i < len(s) {
		c := s[i]
		if inString {
			switch {
			case escape:
				escape = false
			case c == '\\':
				escape = true
			case c == '"':
				inString = false
				if !isKey {
					markSafe(i + 1)
				}
			}
			i++
			continue
		}
		switch c {
		case '{', '[':
			stack = append(stack, frame{obj: c == '{', expectKey: c == '{'})
			markSafe(i + 1)
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			markSafe(i + 1)
		case '"':
			inString, escape, strStart = true, false, i
			isKey = len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].expectKey
		case ':':
			if len(stack) > 0 {
				stack[len(stack)-1].expectKey = false
			}
		case ',':
			if len(stack) > 0 && stack[len(stack)-1].obj {
				stack[len(stack)-1].expectKey = true
			}
		case ' ', '\t', '\n', '\r':
		default:
			// A number or literal: safe once it ends, at a delimiter.
			j := i
			for j < len(s) && !strings.ContainsRune(",}] \t\r\n", rune(s[j])) {
				j++
			}
			if j == len(s) {
				i = j
				continue // cut off: it may be half written
			}
			markSafe(j)
			i = j
			continue
		}
		i++
	}
	if inString && !isKey {
		// An open string value: close it after its last whole character.
		body := s[strStart+1:]
		body = trimPartialEscape(body)
		body = strings.ToValidUTF8(body, "")
		if !strings.HasSuffix(body, "\\") || strings.HasSuffix(body, "\\\\") {
			return s[:strStart+1] + body + `"` + closers(stack)
		}
	}
	if safe < 0 {
		return ""
	}
	head := strings.TrimRight(s[:safe], " \t\r\n")
	head = strings.TrimSuffix(head, ",")
	return head + closers(safeStk)
}

// trimPartialEscape cuts an escape sequence the stream has not finished:
// a lone backslash or \u with fewer than four hex digits.
func trimPartialEscape(s string) string {
	for k := 1; k <= 5 && k <= len(s); k++ {
		i := len(s) - k
		if s[i] != '\\' {
			continue
		}
		// Count the backslashes before it: an even run means it is escaped itself.
		n := 0
		for j := i; j >= 0 && s[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return s
		}
		if k == 1 || (s[i+1] == 'u' && k < 6) {
			return s[:i]
		}
		return s
	}
	return s
}

package mailin

import (
	"strings"
)

// A small reader of the header block pass 1 fetches, with the semantics of
// go-message's textproto.ReadHeader and Header.Get, without building a
// header: values are substrings of the block wherever they are not folded.
// The fields end at the blank line, at the end of the block, or at the
// first malformed line (no colon, a bad byte in the name), like
// ReadHeader's partial result; a block whose first line starts with a
// space has none.

// nextField returns the first field of raw and what follows it. val is the
// raw value, after the colon up to the end of the field's last line
// (folded lines included). ok is false at the end of the fields. An empty
// name (": x") is returned as such, to be skipped.
func nextField(raw string) (name, val, rest string, ok bool) {
	if raw == "" || raw[0] == '\n' || (raw[0] == '\r' && (len(raw) == 1 || raw[1] == '\n')) {
		return "", "", "", false // the blank line (or the end)
	}
	end := 0 // the field spans raw[:end]
	for {
		i := strings.IndexByte(raw[end:], '\n')
		if i < 0 {
			end = len(raw)
			break
		}
		end += i + 1
		if end == len(raw) || (raw[end] != ' ' && raw[end] != '\t') {
			break
		}
	}
	field := raw[:end]
	colon := strings.IndexByte(field, ':')
	if colon < 0 {
		return "", "", "", false
	}
	name = trimWSP(field[:colon])
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 {
			return "", "", "", false
		}
	}
	return name, field[colon+1:], raw[end:], true
}

// firstFieldOK tells whether raw may have fields at all.
func firstFieldOK(raw string) bool {
	return raw == "" || (raw[0] != ' ' && raw[0] != '\t')
}

// unfold turns a raw value into what textproto's Get returns: each line
// without its line end, trimmed of spaces and tabs, the non-empty ones
// joined by one space. A single-line value costs nothing.
func unfold(v string) string {
	i := strings.IndexByte(v, '\n')
	if i < 0 {
		return trimWSP(v)
	}
	if i == len(v)-1 { // one line, the usual case
		return trimWSP(strings.TrimSuffix(v[:i], "\r"))
	}
	var b strings.Builder
	b.Grow(len(v))
	for v != "" {
		line := v
		if i := strings.IndexByte(v, '\n'); i >= 0 {
			line, v = strings.TrimSuffix(v[:i], "\r"), v[i+1:]
		} else {
			v = ""
		}
		if line = trimWSP(line); line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
	}
	return b.String()
}

func trimWSP(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// lookupField is textproto's Header.Get on the block raw: the value of the
// first field named key (case-insensitively, as canonical names compare).
func lookupField(raw, key string) string {
	if key == "" || !firstFieldOK(raw) {
		return ""
	}
	for {
		name, val, rest, ok := nextField(raw)
		if !ok {
			return ""
		}
		if strings.EqualFold(name, key) {
			return unfold(val)
		}
		raw = rest
	}
}

// simpleMsgIDs parses a list of plain msg-ids ("<left@right>" in ASCII
// dot-atom text, separated by spaces) the way go-message's MsgIDList does,
// returning substrings of v. ok is false for anything else (comments,
// literals, UTF-8, malformed ids): the caller then asks go-message.
func simpleMsgIDs(v string, ids []string) (_ []string, ok bool) {
	for {
		v = trimWSP(v)
		if v == "" {
			return ids, true
		}
		if v[0] != '<' {
			return nil, false
		}
		end := strings.IndexByte(v, '>')
		if end < 0 {
			return nil, false
		}
		id := v[1:end]
		at := strings.IndexByte(id, '@')
		if at <= 0 || at == len(id)-1 || !dotAtext(id[:at]) || !dotAtext(id[at+1:]) {
			return nil, false
		}
		ids = append(ids, id)
		v = v[end+1:]
	}
}

// dotAtext tells whether s is ASCII atom text, dots allowed.
func dotAtext(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', ')', '[', ']', ';', '@', '\\', ',', '<', '>', '"', ':':
			return false
		default:
			if c < '!' || c > '~' {
				return false
			}
		}
	}
	return true
}

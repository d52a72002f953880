package trim

import "strings"

// Quote headers of older and corporate clients, recognised by their shape.

// lotusKeys are the fields of a Lotus Notes reply header, written "To:"
// or as a bare label on a line of its own with the value below it.
var lotusKeys = []string{"to", "cc", "bcc", "subject", "kepada", "tembusan", "perihal", "subjek"}

// lotusToKeys: a Lotus header always names the addressee.
var lotusToKeys = []string{"to", "kepada"}

// lotusHeader recognises the header Lotus Notes (and clients copying it)
// puts above the quoted history:
//
//	Sekretariat Dinsos PMD <sekretariat@…>      (or "Name on 05/06/2024 09:15 AM")
//	05/06/2024 09:15 AM
//	To: Dewi/DINSOSPMD                          (or "To" with the value below)
//	cc:
//	Subject: …
//
// a sender line and a numeric date-time line (or one line holding both),
// then at least two To/cc/Subject fields, one of them the addressee. It
// returns the number of lines up to the last field, or 0.
func lotusHeader(lines []string, i int) int {
	l := lines[i]
	if len(l) > 200 {
		return 0
	}
	lead := 0
	switch {
	case hasDateTime(l):
		lead = 1
	case i+1 < len(lines) && len(l) <= 120 && !endsSentence(l) && hasDateTime(lines[i+1]):
		lead = 2
	default:
		return 0
	}
	keys, to, other, end := 0, false, 0, 0
	bare := false // the last field was a bare label: its value is the next line
	for j := i + lead; j < len(lines) && j < i+lead+12; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			continue
		}
		if isBareKey(t, lotusKeys) || matchHdrWord(t, lotusKeys) {
			keys++
			to = to || isBareKey(t, lotusToKeys) || matchHdrWord(t, lotusToKeys)
			bare = isBareKey(t, lotusKeys)
			end = j + 1
			continue
		}
		switch {
		case bare:
			bare = false
			end = j + 1
		case keys == 0 && other == 0 && len(t) <= 80:
			other++ // "Please respond to …"
		default:
			j = len(lines) // the fields are over
		}
	}
	if keys < 2 || !to {
		return 0
	}
	return end - i
}

// isBareKey: the line is only a field label ("To", "cc").
func isBareKey(t string, keys []string) bool {
	if len(t) > 10 {
		return false
	}
	for _, k := range keys {
		if n, ok := prefixFold(t, k); ok && n == len(t) {
			return true
		}
	}
	return false
}

// endsSentence: the line ends with a full stop (not "..."), "!" or "?".
func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "...") ||
		strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// hasDateTime reports whether s holds a numeric date (05/06/2024,
// 2024-05-06, 06.05.24) followed within a few characters by a time
// (09:15, 09.15).
func hasDateTime(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || i > 0 && isDigit(s[i-1]) {
			continue
		}
		e := numericDate(s, i)
		if e < 0 {
			continue
		}
		for k := e; k < len(s) && k <= e+16; k++ {
			if isDigit(s[k]) && !isDigit(s[k-1]) && isTime(s, k) {
				return true
			}
		}
	}
	return false
}

// numericDate returns the end of \d{1,4}[./-]\d{1,2}[./-]\d{2,4} at i, or -1.
func numericDate(s string, i int) int {
	d := digitRun(s, i)
	if d < 1 || d > 4 || i+d >= len(s) || !dateSep(s[i+d]) {
		return -1
	}
	sep := s[i+d]
	j := i + d + 1
	d = digitRun(s, j)
	if d < 1 || d > 2 || j+d >= len(s) || s[j+d] != sep {
		return -1
	}
	j += d + 1
	d = digitRun(s, j)
	if d < 2 || d > 4 {
		return -1
	}
	return j + d
}

// isTime: \d{1,2}[:.]\d{2} at i, not followed by another digit.
func isTime(s string, i int) bool {
	d := digitRun(s, i)
	if d < 1 || d > 2 || i+d+2 >= len(s) || s[i+d] != ':' && s[i+d] != '.' {
		return false
	}
	j := i + d + 1
	return digitRun(s, j) == 2
}

// sepWrap recognises a dashed separator wrapped over two lines:
//
//	----- Forwarded by Dewi/DINSOSPMD on 05/06/2024 09:40 AM
//	-----
//
// It returns 2, or 0.
func sepWrap(lines []string, i int) int {
	t := strings.TrimSpace(lines[i])
	if !strings.HasPrefix(t, "---") || i+1 >= len(lines) || len(t) > 200 {
		return 0
	}
	body := strings.TrimLeft(t, "-")
	if body == "" || body[0] != ' ' || strings.HasSuffix(t, "--") {
		return 0
	}
	// the second line is the separator's tail: only dashes, or the end of
	// the title and dashes; never a separator of its own
	n := strings.TrimSpace(lines[i+1])
	if len(n) > 40 || !strings.HasSuffix(n, "---") || strings.HasPrefix(n, "-") && strings.Trim(n, "-") != "" {
		return 0
	}
	return 2
}

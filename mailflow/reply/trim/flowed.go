package trim

import "strings"

// Unflow undoes format=flowed (RFC 3676): a line ending in a space is
// joined with the next one of the same quote depth; space-stuffing is
// removed; with delsp=yes the trailing space itself is deleted (§4.2). The
// signature separator "-- " is never joined (§4.3).
func Unflow(body string, delSp bool) string {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	var b strings.Builder
	var cur strings.Builder
	curDepth, open := 0, false
	flush := func() {
		if !open {
			return
		}
		if curDepth > 0 {
			b.WriteString(strings.Repeat(">", curDepth))
			b.WriteByte(' ')
		}
		b.WriteString(cur.String())
		b.WriteByte('\n')
		cur.Reset()
		open = false
	}
	for _, l := range lines {
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		l = l[depth:]
		if strings.HasPrefix(l, " ") { // §4.4 space-stuffing
			l = l[1:]
		}
		if open && depth != curDepth {
			flush() // §4.5: quote depth changes end a paragraph
		}
		curDepth = depth
		soft := strings.HasSuffix(l, " ") && l != "-- "
		if soft && delSp {
			l = l[:len(l)-1]
		}
		cur.WriteString(l)
		open = true
		if !soft {
			flush()
		}
	}
	flush()
	return strings.TrimSuffix(b.String(), "\n")
}

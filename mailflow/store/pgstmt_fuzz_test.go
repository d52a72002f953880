package store

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var dollarRe, qDigitRe = regexp.MustCompile(`\$[0-9]+`), regexp.MustCompile(`\?[0-9]`)

// FuzzPgStmt: rebinding numbers every `?` outside a string literal $1, $2…
// in order, leaves those inside literals, and changes nothing else.
func FuzzPgStmt(f *testing.F) {
	for _, s := range []string{"SELECT a FROM t WHERE b = ? AND c = ?", "UPDATE t SET s = 'a?b' WHERE id = ?", "'it''s ?' ?", "?", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if strings.Contains(q, "$") || qDigitRe.MatchString(q) {
			return // our statements have neither ("?1" is SQLite's numbered form); they would confuse the check
		}
		if _, registered := pgOverride[q]; registered {
			return
		}
		got := pgCacheless(q)
		// Outside literals: placeholders numbered in order.
		want, n, in := strings.Builder{}, 0, false
		for i := 0; i < len(q); i++ {
			c := q[i]
			if c == '\'' {
				in = !in
			}
			if c == '?' && !in {
				n++
				want.WriteString("$" + strconv.Itoa(n))
				continue
			}
			want.WriteByte(c)
		}
		if got != want.String() {
			t.Fatalf("pgStmt(%q) = %q, want %q", q, got, want.String())
		}
		if back := dollarRe.ReplaceAllString(got, "?"); back != q {
			t.Fatalf("pgStmt(%q) changed more than the placeholders: %q", q, got)
		}
		if m := dollarRe.FindAllString(got, -1); len(m) != n {
			t.Fatalf("%d placeholders for %d", len(m), n)
		}
	})
}

// pgCacheless is pgStmt without filling the cache with fuzz input.
func pgCacheless(q string) string {
	out := pgStmt(q)
	pgCache.Delete(q)
	return out
}

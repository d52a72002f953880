package render_test

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/workcal"
	"github.com/bangkatengah/mailflow/templates"
)

func itoa(n int) string { return strconv.Itoa(n) }

func workcalFormat(t time.Time) string {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	return workcal.Format(t.In(loc))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func templatesNames() ([]string, error) { return fs.Glob(templates.FS, "*.tmpl") }

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("first difference at line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return ""
}

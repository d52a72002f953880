package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// fileDate is a date in the config. It takes a TOML date (2024-05-06) or
// the same in quotes, and keeps anything else as Bad, so that a wrong date
// is reported by validation with its key, next to the file's other
// problems, instead of stopping the decoder with Go's layout string.
type fileDate struct {
	time.Time
	Bad string // the text that is not a date; "" when fine or absent
}

// UnmarshalTOML implements toml.Unmarshaler.
func (d *fileDate) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = x
	case string:
		t, err := time.Parse("2006-01-02", strings.TrimSpace(x))
		if err != nil {
			d.Bad = x
			return nil
		}
		d.Time = t
	default:
		d.Bad = fmt.Sprint(x)
	}
	return nil
}

// dateProblem says what is wrong with a date's text in the admin's words.
func dateProblem(s string) string {
	_, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	var pe *time.ParseError
	switch {
	case errors.As(err, &pe) && strings.Contains(pe.Message, "day out of range"):
		return "not a date: that month has no such day"
	case errors.As(err, &pe) && strings.Contains(pe.Message, "month out of range"):
		return "not a date: the month must be 01 to 12"
	}
	return "not a date"
}

// date checks a required date; hint is the example that fits the key.
func (v *validator) date(key string, d fileDate, hint string) bool {
	switch {
	case d.Bad != "":
		v.errf(key, q(d.Bad), dateProblem(d.Bad), hint+" (year-month-day, without quotes)")
		return false
	case d.IsZero():
		v.errf(key, "", "missing", hint)
		return false
	}
	return true
}

var badDateRe = regexp.MustCompile(`^invalid datetime: "([^"]*)"`)

// decode decodes src into f. A date literal TOML cannot read (2024-12-32)
// is a syntax error that would hide every other problem: it is quoted and
// decoding starts again, so that validation reports it with the rest.
func decode(src string, f *fileConfig) (toml.MetaData, error) {
	for range 50 {
		md, err := toml.Decode(src, f)
		var pe toml.ParseError
		if err == nil || !errors.As(err, &pe) {
			return md, err
		}
		m := badDateRe.FindStringSubmatch(pe.Message)
		if m == nil || pe.Position.Line < 1 {
			return md, err
		}
		lines := strings.Split(src, "\n")
		i := pe.Position.Line - 1
		if i >= len(lines) || !strings.Contains(lines[i], m[1]) {
			return md, err
		}
		lines[i] = strings.Replace(lines[i], m[1], fmt.Sprintf("%q", m[1]), 1)
		src = strings.Join(lines, "\n")
		*f = fileConfig{}
	}
	return toml.Decode(src, f)
}

// embeddedExample is the default of each embedded server's address: the
// hint of each key shows its own.
var embeddedExample = map[string]string{"mail.embedded_imap": "127.0.0.1:1143", "mail.embedded_smtp": "127.0.0.1:1025"}

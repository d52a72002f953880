package config

import (
	"fmt"
	"sort"
	"strings"
)

// Report formats problems the way "mailflow check" prints them: errors
// and warnings in file order, each with its line, key, value and hint.
func Report(path string, errs Errors, warnings []Problem) string {
	all := append(append([]Problem(nil), errs...), warnings...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Line < all[j].Line })
	var b strings.Builder
	for _, p := range all {
		fmt.Fprintf(&b, "%s:%s\n", path, strings.TrimPrefix(p.String(), "line "))
	}
	if len(errs) > 0 {
		fmt.Fprintf(&b, "%d error(s), %d warning(s): %s is not usable until the errors are fixed.\n", len(errs), len(warnings), path)
	}
	return b.String()
}

// Summary describes a valid config in a few lines. Secrets are redacted.
func Summary(c *Config) string {
	var b strings.Builder
	o := &c.Office
	fmt.Fprintf(&b, "config OK: %s\n", o.Name)
	fmt.Fprintf(&b, "  mailbox %s, admin %s, timezone %s\n", o.Mailbox, o.Admin, c.Calendar.Loc)
	switch c.Mail.Mode {
	case "embedded":
		fmt.Fprintf(&b, "  mail: embedded servers on 127.0.0.1 (for trying mailflow out)\n")
	default:
		fmt.Fprintf(&b, "  IMAP %s (%s) as %s, password %s, mailbox %s\n", c.Mail.IMAP.Addr(), c.Mail.IMAP.TLS, c.Mail.IMAP.Username, c.Mail.IMAP.Password, c.Mail.IMAP.Mailbox)
		fmt.Fprintf(&b, "  SMTP %s (%s) as %s, password %s\n", c.Mail.SMTP.Addr(), c.Mail.SMTP.TLS, c.Mail.SMTP.Username, c.Mail.SMTP.Password)
	}
	fmt.Fprintf(&b, "  %d people, %d units, %d acting appointment(s), %d holidays\n", len(o.People), len(o.Units), len(o.Acting), len(c.Calendar.Holidays))
	for _, s := range o.SOPs {
		fmt.Fprintf(&b, "  SOP %s %q: %d steps\n", s.Number, s.ID, len(s.Steps))
	}
	fmt.Fprintf(&b, "  %s\n", c.Web.describe())
	return b.String()
}

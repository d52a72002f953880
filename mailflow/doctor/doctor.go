// Package doctor answers the admin's question "will this config work?":
// it tries every outside thing mailflow depends on (DNS, TCP, TLS, login,
// IMAP capabilities and folders, keywords, SMTP AUTH and SIZE, the clocks,
// the time-zone database, the data directory, and on request a test mail
// round trip) and reports each with what it found and, on failure, the fix.
package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// Status of one check.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "FAIL"
	Skip Status = "skip"
)

// Check is one line of the report.
type Check struct {
	Name   string
	Status Status
	Detail string // what was tried and found
	Fix    string // what to do, for warn and FAIL
}

// Report is every check, in order.
type Report []Check

// Failed says whether any check failed.
func (r Report) Failed() bool {
	for _, c := range r {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// Find returns the named check.
func (r Report) Find(name string) (Check, bool) {
	for _, c := range r {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Print writes the table, with each fix under its check, and a summary.
func (r Report) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tRESULT\tDETAIL")
	var fails, warns int
	for _, c := range r {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, c.Status, oneLine(c.Detail))
		if c.Fix != "" && (c.Status == Fail || c.Status == Warn) {
			fmt.Fprintf(tw, "\t\tfix: %s\n", oneLine(c.Fix))
		}
		switch c.Status {
		case Fail:
			fails++
		case Warn:
			warns++
		}
	}
	tw.Flush()
	switch {
	case fails > 0:
		fmt.Fprintf(w, "\n%d check(s) FAILED, %d warning(s): mailflow will not work with this config until the fixes above are made.\n", fails, warns)
	case warns > 0:
		fmt.Fprintf(w, "\nAll checks passed, %d warning(s).\n", warns)
	default:
		fmt.Fprintln(w, "\nAll checks passed.")
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Options say what to check.
type Options struct {
	Config  *config.Config
	DataDir string // resolved data directory
	// IMAP and SMTP are the servers to try; nil: the config's. In
	// embedded mode cmd/mailflow passes the running embedded servers.
	IMAP *config.IMAP
	SMTP *config.SMTP
	// Embedded says the servers are mailflow's own (the fixes differ).
	Embedded bool
	// TLSConfig adds roots (tests); ServerName is always the host.
	TLSConfig *tls.Config
	// Send mails a test message to office.admin (and the office mailbox)
	// and waits up to SendTimeout (default 2 min) for it over IMAP.
	Send        bool
	SendTimeout time.Duration
	Timeout     time.Duration    // per network step; default 15 s
	Now         func() time.Time // the local clock; default time.Now
	Resolver    *net.Resolver    // default net.DefaultResolver
	// OAuthError is the result of opening/refreshing the OAuth2 token
	// (cmd/mailflow does it; nil when [mail.oauth] is unset or it worked).
	OAuthError error
	// OAuthDetail describes a working token ("refreshed, expires …").
	OAuthDetail string
}

// Run runs every check.
func Run(ctx context.Context, opt Options) Report {
	if opt.Timeout <= 0 {
		opt.Timeout = 15 * time.Second
	}
	if opt.SendTimeout <= 0 {
		opt.SendTimeout = 2 * time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Resolver == nil {
		opt.Resolver = net.DefaultResolver
	}
	if opt.IMAP == nil {
		opt.IMAP = &opt.Config.Mail.IMAP
	}
	if opt.SMTP == nil {
		opt.SMTP = &opt.Config.Mail.SMTP
	}
	d := &doctor{opt: opt}
	d.oauth()
	ic := d.imap(ctx)
	d.smtp(ctx)
	if ic != nil {
		d.extend(4 * opt.Timeout)
		d.clock(ic)
		if opt.Send {
			d.extend(opt.SendTimeout + 3*opt.Timeout)
			d.send(ctx, ic)
		}
		d.extend(opt.Timeout)
		ic.Logout().Wait()
		ic.Close()
		d.imapGuard.Stop()
	} else if opt.Send {
		d.add(Check{Name: "send test mail", Status: Skip, Detail: "needs a working IMAP login"})
	}
	d.timezone()
	d.dataDir()
	d.postgres(ctx)
	return d.r
}

type doctor struct {
	opt       Options
	r         Report
	imapGuard *time.Timer // closes the IMAP connection when it runs out
}

// guard closes conn after dur unless reset: a server that accepts but
// never answers must not hang the doctor (the clients' own read timeouts
// are a minute and more, and they set them per read).
func guard(conn net.Conn, dur time.Duration) *time.Timer {
	return time.AfterFunc(dur, func() { conn.Close() })
}

// extend gives the IMAP connection more time from now.
func (d *doctor) extend(dur time.Duration) {
	if d.imapGuard != nil {
		d.imapGuard.Reset(dur)
	}
}

func (d *doctor) add(c Check) { d.r = append(d.r, c) }

func (d *doctor) ok(name, detail string) { d.add(Check{Name: name, Status: OK, Detail: detail}) }

func (d *doctor) fail(name, detail, fix string) {
	d.add(Check{Name: name, Status: Fail, Detail: detail, Fix: fix})
}

func (d *doctor) warn(name, detail, fix string) {
	d.add(Check{Name: name, Status: Warn, Detail: detail, Fix: fix})
}

func (d *doctor) skip(name, why string) { d.add(Check{Name: name, Status: Skip, Detail: why}) }

func (d *doctor) oauth() {
	o := d.opt.Config.Mail.OAuth
	if o == nil || d.opt.Embedded {
		return
	}
	if d.opt.OAuthError != nil {
		d.fail("oauth2 token", d.opt.OAuthError.Error(), fmt.Sprintf("run \"mailflow auth %s -config %s\" as the user mailflow runs as, and sign in as %s", o.Provider, d.opt.Config.Path, d.opt.IMAP.Username))
		return
	}
	d.ok("oauth2 token", d.opt.OAuthDetail)
}

package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"

	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

// imapChecks after the connection, skipped together when it fails.
var imapChecks = []string{"imap tls", "imap login", "imap capabilities", "imap mailbox", "imap keyword", "imap sent folder"}

func (d *doctor) skipFrom(names []string, from, why string) {
	on := false
	for _, n := range names {
		if n == from {
			on = true
		}
		if on {
			d.skip(n, why)
		}
	}
}

// imap runs the IMAP checks and returns the logged-in client (the clock
// and the test mail use it), or nil.
func (d *doctor) imap(ctx context.Context) *imapclient.Client {
	s := d.opt.IMAP.Server
	conn := d.reach(ctx, "imap", s)
	if conn == nil {
		d.skipFrom(imapChecks, "imap tls", "needs a connection")
		return nil
	}
	// Up to the folders: four steps' time; clock and -send extend it.
	d.imapGuard = guard(conn, 4*d.opt.Timeout)
	var c *imapclient.Client
	p := d.newProbe(s.Host)
	switch s.TLS {
	case "implicit", "":
		tc := tls.Client(conn, p.config())
		err := tc.HandshakeContext(ctx)
		if !d.tlsReport("imap", p, err) {
			conn.Close()
			d.skipFrom(imapChecks, "imap login", "needs a verified TLS connection")
			return nil
		}
		c = imapclient.New(tc, nil)
	case "starttls":
		var err error
		c, err = imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: p.config()})
		if !d.tlsReport("imap", p, err) {
			conn.Close()
			d.skipFrom(imapChecks, "imap login", "needs a verified TLS connection")
			return nil
		}
	default:
		d.skip("imap tls", "tls = \"none\": plain text on loopback")
		c = imapclient.New(conn, nil)
	}
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		d.fail("imap login", fmt.Sprintf("no IMAP greeting within %s: %v", 4*d.opt.Timeout, err), "is this an IMAP port? check [mail.imap] port and tls")
		d.skipFrom(imapChecks, "imap capabilities", "needs a login")
		return nil
	}
	if err := d.imapLogin(c); err != nil {
		c.Close()
		d.fail("imap login", fmt.Sprintf("login as %s refused: %v", s.Username, err), d.loginFix("imap"))
		d.skipFrom(imapChecks, "imap capabilities", "needs a login")
		return nil
	}
	how := "password"
	if s.Token != nil {
		how = "OAuth2 token"
	}
	d.ok("imap login", fmt.Sprintf("logged in as %s with the %s", s.Username, how))
	d.capabilities(c)
	d.folders(c)
	return c
}

func (d *doctor) imapLogin(c *imapclient.Client) error {
	s := d.opt.IMAP.Server
	if s.Token != nil {
		return oauth.IMAPLogin(c, s.Username, s.Token)
	}
	if c.Caps().Has(imap.CapLoginDisabled) {
		return c.Authenticate(sasl.NewPlainClient("", s.Username, s.Password.Reveal()))
	}
	return c.Login(s.Username, s.Password.Reveal()).Wait()
}

func (d *doctor) loginFix(proto string) string {
	switch {
	case d.opt.Embedded:
		return "use the office mailbox's password from " + filepath.Join(d.opt.DataDir, "embedded-accounts.txt")
	case d.opt.Config.Mail.OAuth != nil:
		o := d.opt.Config.Mail.OAuth
		return fmt.Sprintf("run \"mailflow auth %s\" and sign in as [mail.%s] username; the app registration must grant IMAP and SMTP (Google: https://mail.google.com/; Microsoft: IMAP.AccessAsUser.All and SMTP.Send, and the mailbox must allow them)", o.Provider, proto)
	}
	return fmt.Sprintf("check [mail.%s] username (usually the full address) and the password in password_env/password_file; Gmail needs an app password or [mail.oauth]; Microsoft 365 has password login off in most tenants: use [mail.oauth]", proto)
}

// capabilities: mailflow works without them, but worse.
func (d *doctor) capabilities(c *imapclient.Client) {
	caps, err := c.Capability().Wait()
	if err != nil {
		d.fail("imap capabilities", "CAPABILITY failed: "+err.Error(), "the server does not answer CAPABILITY after login")
		return
	}
	want := []struct {
		cap  imap.Cap
		miss string
	}{
		{imap.CapIdle, "no IDLE: mailflow polls every poll_interval instead of hearing of new mail at once"},
		{imap.CapMove, "no MOVE: move_to copies and then deletes"},
		{imap.CapUIDPlus, "no UIDPLUS: mailflow cannot expunge single messages"},
		{imap.CapCondStore, "no CONDSTORE: resyncs compare flags instead of asking for changes"},
	}
	var have, missing []string
	var why []string
	for _, w := range want {
		if caps.Has(w.cap) {
			have = append(have, string(w.cap))
		} else {
			missing = append(missing, string(w.cap))
			why = append(why, w.miss)
		}
	}
	if len(missing) == 0 {
		d.ok("imap capabilities", strings.Join(have, " "))
		return
	}
	d.warn("imap capabilities", fmt.Sprintf("has %s; missing %s", strings.Join(have, " "), strings.Join(missing, " ")),
		strings.Join(why, "; ")+" (mailflow works; a modern server such as Dovecot, Gmail or Exchange Online has them all)")
}

// folders: the watched mailbox, its keyword, move_to and the Sent folder.
func (d *doctor) folders(c *imapclient.Client) {
	cfg := d.opt.IMAP
	sel, err := c.Select(cfg.Mailbox, nil).Wait()
	if err != nil {
		d.fail("imap mailbox", fmt.Sprintf("cannot open %q: %v (folders: %s)", cfg.Mailbox, err, d.list(c)),
			"set [mail.imap] mailbox to one of the folders listed (names are case-sensitive except INBOX), or create the folder")
		d.skip("imap keyword", "needs the mailbox")
	} else {
		d.ok("imap mailbox", fmt.Sprintf("%q: %d messages, UIDVALIDITY %d", cfg.Mailbox, sel.NumMessages, sel.UIDValidity))
		d.keyword(sel.PermanentFlags)
	}
	if cfg.MoveTo != "" {
		d.folder(c, "imap move_to", cfg.MoveTo, "[mail.imap] move_to")
	}
	if f := d.opt.SMTP.SentFolder; f != "" {
		d.folder(c, "imap sent folder", f, "[mail.smtp] sent_folder")
	} else {
		d.skip("imap sent folder", "[mail.smtp] sent_folder is not set: no copies of sent mail are kept over IMAP")
	}
}

func (d *doctor) keyword(perm []imap.Flag) {
	kw := d.opt.IMAP.Keyword
	for _, f := range perm {
		if f == imap.FlagWildcard || strings.EqualFold(string(f), kw) {
			d.ok("imap keyword", fmt.Sprintf("%s can be stored (PERMANENTFLAGS %v)", kw, perm))
			return
		}
	}
	d.fail("imap keyword", fmt.Sprintf("%s cannot be stored in %q (PERMANENTFLAGS %v)", kw, d.opt.IMAP.Mailbox, perm),
		"mailflow marks processed mail with a keyword: the server must allow new keywords (\\* in PERMANENTFLAGS); the mailbox may be read-only or the keyword limit reached")
}

func (d *doctor) folder(c *imapclient.Client, name, folder, key string) {
	if _, err := c.Status(folder, &imap.StatusOptions{NumMessages: true}).Wait(); err != nil {
		d.fail(name, fmt.Sprintf("%q does not exist: %v (folders: %s)", folder, err, d.list(c)),
			fmt.Sprintf("set %s to one of the folders listed (Gmail: \"[Gmail]/Sent Mail\"; Outlook: \"Sent Items\"), or create it", key))
		return
	}
	d.ok(name, fmt.Sprintf("%q exists", folder))
}

// list names the folders, for the admin picking the right one.
func (d *doctor) list(c *imapclient.Client) string {
	boxes, err := c.List("", "*", nil).Collect()
	if err != nil {
		return "LIST failed: " + err.Error()
	}
	var n []string
	for _, b := range boxes {
		n = append(n, fmt.Sprintf("%q", b.Mailbox))
		if len(n) == 15 {
			n = append(n, "…")
			break
		}
	}
	return strings.Join(n, ", ")
}

package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

var smtpChecks = []string{"smtp tls", "smtp auth", "smtp size"}

// smtp runs the SMTP checks on a connection of its own.
func (d *doctor) smtp(ctx context.Context) {
	s := d.opt.SMTP.Server
	conn := d.reach(ctx, "smtp", s)
	if conn == nil {
		d.skipFrom(smtpChecks, "smtp tls", "needs a connection")
		return
	}
	defer conn.Close()
	defer guard(conn, 4*d.opt.Timeout).Stop()
	var c *smtp.Client
	helloed := false
	p := d.newProbe(s.Host)
	switch s.TLS {
	case "implicit", "":
		tc := tls.Client(conn, p.config())
		err := tc.HandshakeContext(ctx)
		if !d.tlsReport("smtp", p, err) {
			d.skipFrom(smtpChecks, "smtp auth", "needs a verified TLS connection")
			return
		}
		c = smtp.NewClient(tc)
	case "starttls":
		var err error
		c, err = smtp.NewClientStartTLS(conn, p.config())
		if err == nil {
			// The handshake happens at the first command over TLS.
			err, helloed = c.Hello(helo(d.opt.Config.Office.Mailbox)), true
		}
		if !d.tlsReport("smtp", p, err) {
			d.skipFrom(smtpChecks, "smtp auth", "needs a verified TLS connection")
			return
		}
	default:
		d.skip("smtp tls", "tls = \"none\": plain text on loopback")
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	if !helloed { // with STARTTLS, EHLO over TLS went with the handshake
		if err := c.Hello(helo(d.opt.Config.Office.Mailbox)); err != nil {
			d.fail("smtp auth", fmt.Sprintf("no EHLO answer within %s: %v", 4*d.opt.Timeout, err), "is this a submission port? check [mail.smtp] port and tls")
			d.skip("smtp size", "needs EHLO")
			return
		}
	}
	d.smtpAuth(c)
	d.smtpSize(c)
	c.Quit()
}

func helo(mailbox string) string {
	if _, dom, ok := strings.Cut(mailbox, "@"); ok && dom != "" {
		return dom
	}
	return "localhost"
}

func (d *doctor) smtpAuth(c *smtp.Client) {
	s := d.opt.SMTP.Server
	ok, offered := c.Extension("AUTH")
	mechs := strings.Fields(offered)
	if !ok {
		d.fail("smtp auth", "the server offers no AUTH on this connection",
			"mailflow submits authenticated: use the submission port (587 with starttls, 465 implicit); some servers offer AUTH only after TLS")
		return
	}
	var cl sasl.Client
	var mech string
	switch {
	case s.Token != nil:
		mech = oauth.Mechanism(mechs)
		if mech == "" {
			d.fail("smtp auth", "no OAuth2 mechanism offered (AUTH "+offered+")", "the server must offer XOAUTH2 or OAUTHBEARER; Microsoft 365: enable SMTP AUTH for the mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $false)")
			return
		}
		tok, err := s.Token.Token()
		if err != nil {
			d.fail("smtp auth", "no OAuth2 token: "+err.Error(), d.loginFix("smtp"))
			return
		}
		cl = oauth.Client(mech, s.Username, tok)
	case c.SupportsAuth(sasl.Plain):
		mech, cl = sasl.Plain, sasl.NewPlainClient("", s.Username, s.Password.Reveal())
	case c.SupportsAuth(sasl.Login):
		mech, cl = sasl.Login, sasl.NewLoginClient(s.Username, s.Password.Reveal())
	default:
		d.fail("smtp auth", "neither PLAIN nor LOGIN offered (AUTH "+offered+")", "mailflow signs in with PLAIN or LOGIN over TLS, or with [mail.oauth]")
		return
	}
	if err := c.Auth(cl); err != nil {
		d.fail("smtp auth", fmt.Sprintf("AUTH %s as %s refused: %v", mech, s.Username, err), d.loginFix("smtp"))
		return
	}
	d.ok("smtp auth", fmt.Sprintf("AUTH %s as %s accepted (offered: %s)", mech, s.Username, offered))
}

func (d *doctor) smtpSize(c *smtp.Client) {
	// The largest mail mailflow sends carries the largest attachment it
	// accepts (the draft goes back out), base64-encoded (4/3) with text.
	att := d.opt.Config.Replies.MaxAttachment
	need := att*4/3 + 256<<10
	size, ok := c.MaxMessageSize()
	switch {
	case !ok:
		d.warn("smtp size", "the server announces no SIZE limit", "a mail over its real limit is refused only after it was sent in full; mailflow then alerts the admin")
	case size > 0 && int64(size) < need:
		d.warn("smtp size", fmt.Sprintf("SIZE %s: a mail with a %s attachment ([replies] max_attachment_mb) needs about %s", mb(int64(size)), mb(att), mb(need)),
			fmt.Sprintf("lower [replies] max_attachment_mb to %d, or raise the server's limit (Postfix: message_size_limit)", max(1, (int64(size)-256<<10)*3/4>>20)))
	case size == 0:
		d.ok("smtp size", "SIZE announced without a limit")
	default:
		d.ok("smtp size", fmt.Sprintf("SIZE %s (enough for a %s attachment)", mb(int64(size)), mb(att)))
	}
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

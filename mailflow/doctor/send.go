package doctor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
)

// send mails a test message from the office mailbox to office.admin, with
// the office mailbox as a second recipient, through the daemon's own SMTP
// code, and waits for it to arrive in the watched mailbox over IMAP: the
// whole path of a reply. The copy is then deleted again. mailflow never
// processes mail From the office mailbox, so a running daemon ignores it.
func (d *doctor) send(ctx context.Context, c *imapclient.Client) {
	const name = "send test mail"
	o := d.opt.Config.Office
	if o.Admin == "" {
		d.fail(name, "office.admin is not set", "set office.admin to the address that gets delivery alerts")
		return
	}
	var b [8]byte
	rand.Read(b[:])
	id := fmt.Sprintf("mailflow-doctor.%s@%s", hex.EncodeToString(b[:]), helo(o.Mailbox))
	now := d.opt.Now()
	msg := strings.Join([]string{
		"From: " + mime.QEncoding.Encode("utf-8", o.Name) + " <" + o.Mailbox + ">",
		"To: <" + o.Admin + ">",
		"Subject: mailflow doctor: test message",
		"Date: " + now.Format(time.RFC1123Z),
		"Message-ID: <" + id + ">",
		"Auto-Submitted: auto-generated",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"",
		"This is a test message from \"mailflow doctor -send\". It checks that mailflow",
		"can send mail and read it back. No action is needed; you may delete it.",
		"",
	}, "\r\n")
	rcpts := []string{o.Admin}
	if !strings.EqualFold(o.Admin, o.Mailbox) {
		rcpts = append(rcpts, o.Mailbox)
	}
	s, err := mailout.NewSMTP(config.SMTP{Server: d.opt.SMTP.Server}, mailout.SMTPOptions{TLSConfig: d.opt.TLSConfig, Helo: helo(o.Mailbox), Timeout: d.opt.Timeout})
	if err != nil {
		d.fail(name, err.Error(), "fix [mail.smtp]")
		return
	}
	defer s.Close()
	t0 := time.Now()
	rejected, err := s.Send(ctx, o.Mailbox, rcpts, stringWriter(msg))
	if err != nil {
		d.fail(name, "SMTP refused the test mail: "+err.Error(), "see the smtp checks above; the server may refuse office.mailbox as the sender for this login")
		return
	}
	if len(rejected) > 0 {
		d.fail(name, fmt.Sprintf("SMTP refused recipient %s: %v", rejected[0].Recipient, rejected[0]), "check office.admin and office.mailbox")
		return
	}
	uid, err := d.await(ctx, c, id, t0)
	if err != nil {
		d.fail(name, fmt.Sprintf("sent to %s at %s, but it did not arrive in %q: %v", strings.Join(rcpts, ", "), t0.Format(time.TimeOnly), d.opt.IMAP.Mailbox, err),
			"mail to office.mailbox must be delivered to [mail.imap] mailbox: check the server's delivery log, filters and the spam folder")
		return
	}
	d.ok(name, fmt.Sprintf("sent to %s; back through IMAP in %q after %.1f s", o.Admin, d.opt.IMAP.Mailbox, time.Since(t0).Seconds()))
	// Remove our copy; with UIDPLUS only ours, else leave it marked.
	set := imap.UIDSetNum(uid)
	c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen, imap.FlagDeleted}}, nil).Close()
	if c.Caps().Has(imap.CapUIDPlus) {
		c.UIDExpunge(set).Close()
	}
}

// await polls the watched mailbox for the Message-ID.
func (d *doctor) await(ctx context.Context, c *imapclient.Client, id string, t0 time.Time) (imap.UID, error) {
	if _, err := c.Select(d.opt.IMAP.Mailbox, nil).Wait(); err != nil {
		return 0, err
	}
	crit := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}}}
	for {
		res, err := c.UIDSearch(crit, nil).Wait()
		if err != nil {
			return 0, err
		}
		if uids := res.AllUIDs(); len(uids) > 0 {
			return uids[0], nil
		}
		if time.Since(t0) > d.opt.SendTimeout {
			return 0, fmt.Errorf("not there after %s", d.opt.SendTimeout)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		if err := c.Noop().Wait(); err != nil {
			return 0, err
		}
	}
}

type stringWriter string

func (s stringWriter) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, string(s))
	return int64(n), err
}

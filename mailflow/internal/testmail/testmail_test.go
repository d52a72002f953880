package testmail

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"
)

func msg(from, to Account, subject string) []byte {
	return []byte(fmt.Sprintf("From: <%s>\r\nTo: <%s>\r\nSubject: %s\r\nMessage-ID: <%d.%s>\r\nDate: %s\r\n\r\nbody of %s\r\n",
		from.Address, to.Address, subject, time.Now().UnixNano(), from.Address, time.Now().Format(time.RFC1123Z), subject))
}

func TestSendAndReceive(t *testing.T) {
	e := Start(t)
	t.Logf("real=%v imap=%s smtp=%s", e.Real, e.IMAPAddr, e.SMTPAddr)
	a, b := e.NewAccount(t, "Alice"), e.NewAccount(t, "bob")
	if a.Address == b.Address || !strings.HasSuffix(a.Address, "@"+e.Domain) || !strings.HasPrefix(a.Address, "alice-") {
		t.Fatalf("accounts %q %q", a.Address, b.Address)
	}
	e.Send(t, a, []string{b.Address}, msg(a, b, "hello"))
	got := e.WaitMessages(t, b, "INBOX", 1)
	if len(got) != 1 {
		t.Fatalf("got %d messages", len(got))
	}
	m := got[0]
	if m.Header("Subject") != "hello" || !strings.Contains(string(m.Raw), "body of hello") {
		t.Errorf("message:\n%s", m.Raw)
	}
	for _, h := range []string{"Return-Path", "Delivered-To", "Received"} {
		if m.Header(h) == "" {
			t.Errorf("no %s header:\n%s", h, m.Raw)
		}
	}
	// Dovecot (IMAP4rev1) reports \Recent; imapmemserver never does.
	for _, f := range m.Flags {
		if !strings.EqualFold(string(f), `\Recent`) {
			t.Errorf("fresh message has flags %v", m.Flags)
		}
	}
	if n := len(e.WaitMessages(t, a, "INBOX", 0)); n != 0 {
		t.Errorf("sender's INBOX holds %d", n)
	}
}

func TestIdleNotification(t *testing.T) {
	e := Start(t)
	a, b := e.NewAccount(t, "a"), e.NewAccount(t, "b")
	exists := make(chan uint32, 10)
	c := e.Dial(t, b, &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				exists <- *d.NumMessages
			}
		},
	}})
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	idle, err := c.Idle()
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	e.Send(t, a, []string{b.Address}, msg(a, b, "idle"))
	select {
	case n := <-exists:
		t.Logf("EXISTS %d after %v", n, time.Since(t0))
	case <-time.After(e.Timeout):
		t.Fatal("no EXISTS during IDLE")
	}
	if err := idle.Close(); err != nil {
		t.Fatal(err)
	}
	if err := idle.Wait(); err != nil {
		t.Fatal(err)
	}
}

// TestKeywordsAndMove checks what mail-in relies on, on both servers:
// PERMANENTFLAGS allows keywords, a keyword sticks, MOVE works.
func TestKeywordsAndMove(t *testing.T) {
	e := Start(t)
	a := e.NewAccount(t, "kw")
	uid := e.Append(t, a, "INBOX", nil, msg(a, a, "keyword"))
	c := e.Dial(t, a, nil)
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if !HasFlag(sel.PermanentFlags, imap.FlagWildcard) {
		t.Errorf("PERMANENTFLAGS %v lack \\*", sel.PermanentFlags)
	}
	if err := c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{
		Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{"$MailflowDone"},
	}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	got, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(got) != 1 {
		t.Fatalf("fetch: %v", err)
	}
	t.Logf("FETCH FLAGS %v", got[0].Flags)
	if !HasFlag(got[0].Flags, "$MailflowDone") || HasFlag(got[0].Flags, imap.FlagSeen) {
		t.Errorf("flags %v", got[0].Flags)
	}
	if _, err := c.Move(imap.UIDSetNum(uid), "Sent").Wait(); err != nil {
		t.Fatalf("move: %v (caps %v)", err, c.Caps())
	}
	moved := e.WaitMessages(t, a, "Sent", 1)
	if !HasFlag(moved[0].Flags, "$MailflowDone") {
		t.Errorf("moved flags %v", moved[0].Flags)
	}
	if n := len(e.WaitMessages(t, a, "INBOX", 0)); n != 0 {
		t.Errorf("INBOX holds %d after MOVE", n)
	}
}

func TestFreshAccountsAreIsolated(t *testing.T) {
	e := Start(t)
	a := e.NewAccount(t, "same")
	e.Append(t, a, "INBOX", nil, msg(a, a, "x"))
	b := e.NewAccount(t, "same")
	if a.Address == b.Address {
		t.Fatal("NewAccount repeated an address")
	}
	if n := len(e.WaitMessages(t, b, "INBOX", 0)); n != 0 {
		t.Errorf("fresh account holds %d messages", n)
	}
}

func TestFaultsEmbeddedOnly(t *testing.T) {
	e := Start(t)
	f := e.Faults(t) // skips on real servers
	a, b := e.NewAccount(t, "a"), e.NewAccount(t, "b")
	f.FailSMTP(451, 1)
	err := e.TrySend(a, []string{b.Address}, msg(a, b, "x"))
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 451 {
		t.Errorf("got %v, want 451", err)
	}
	e.Send(t, a, []string{b.Address}, msg(a, b, "y"))
	if got := e.WaitMessages(t, b, "INBOX", 1); len(got) != 1 || got[0].Header("Subject") != "y" {
		t.Errorf("got %d messages", len(got))
	}
	if err := e.TrySend(a, []string{"nobody@" + e.Domain}, msg(a, b, "z")); !errors.As(err, &se) || se.Code != 550 {
		t.Errorf("unknown recipient: %v", err)
	}
}

func TestTools(t *testing.T) {
	py := PythonICalendar(t)
	t.Logf("python with icalendar: %s", py)
	for _, name := range []string{"swaks", "curl"} {
		t.Logf("%s: %s", name, Tool(t, name))
	}
}

package mailserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	alice = "alice@office.test"
	bob   = "bob@office.test"
	pw    = "secret"
)

func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start(Options{Accounts: []Account{{alice, pw}, {bob, pw}}, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testLogger() *slog.Logger {
	if !testing.Verbose() {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func message(subject string) string {
	return "From: " + alice + "\r\nTo: " + bob + "\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + subject + "@office.test>\r\n\r\nHello " + subject + "\r\n"
}

// send submits over SMTP with AUTH PLAIN as alice (or without auth if user
// is empty).
func send(t *testing.T, addr, user string, to []string, msg string) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if user != "" {
		if err := c.Auth(sasl.NewPlainClient("", user, pw)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	return c.SendMail(alice, to, strings.NewReader(msg))
}

func login(t *testing.T, s *Server, user string, opts *imapclient.Options) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.IMAPAddr(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(user, pw).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

func fetchAll(t *testing.T, c *imapclient.Client, mailbox string) []*imapclient.FetchMessageBuffer {
	t.Helper()
	sel, err := c.Select(mailbox, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{
		UID: true, Flags: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func body(m *imapclient.FetchMessageBuffer) string {
	for _, b := range m.BodySection {
		return string(b.Bytes)
	}
	return ""
}

func TestSMTPToIMAP(t *testing.T) {
	s := start(t)
	if err := send(t, s.SMTPAddr(), alice, []string{bob}, message("one")); err != nil {
		t.Fatal(err)
	}
	// Unauthenticated local delivery to a hosted address, mixed case.
	if err := send(t, s.SMTPAddr(), "", []string{"Bob@Office.TEST"}, message("two")); err != nil {
		t.Fatal(err)
	}
	msgs := fetchAll(t, login(t, s, bob, nil), Inbox)
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	b := body(msgs[0])
	for _, want := range []string{"Return-Path: <" + alice + ">", "Delivered-To: " + bob, "Received: by ", "Subject: one", "Hello one"} {
		if !strings.Contains(b, want) {
			t.Errorf("message lacks %q:\n%s", want, b)
		}
	}
	for _, m := range msgs {
		if len(m.Flags) != 0 {
			t.Errorf("delivered message has flags %v", m.Flags)
		}
	}
}

func TestSMTPRejects(t *testing.T) {
	s := start(t)
	err := send(t, s.SMTPAddr(), "", []string{"nobody@office.test"}, message("x"))
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 550 || se.EnhancedCode != (smtp.EnhancedCode{5, 1, 1}) {
		t.Errorf("unknown recipient: got %v, want 550 5.1.1", err)
	}
	c, err := smtp.Dial(s.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", alice, "wrong")); err == nil {
		t.Error("AUTH with a wrong password succeeded")
	}
	if _, err := Start(Options{IMAPAddr: "0.0.0.0:0"}); err == nil {
		t.Error("Start on 0.0.0.0 succeeded, want refused")
	}
}

func TestIdleNotification(t *testing.T) {
	s := start(t)
	exists := make(chan uint32, 10)
	c := login(t, s, bob, &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					exists <- *d.NumMessages
				}
			},
		},
	})
	if !c.Caps().Has(imap.CapIdle) && !c.Caps().Has(imap.CapIMAP4rev2) {
		t.Fatalf("no IDLE in %v", c.Caps())
	}
	if _, err := c.Select(Inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	idle, err := c.Idle()
	if err != nil {
		t.Fatal(err)
	}
	if err := send(t, s.SMTPAddr(), alice, []string{bob}, message("idle")); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-exists:
		if n != 1 {
			t.Errorf("EXISTS %d, want 1", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no EXISTS during IDLE")
	}
	if err := idle.Close(); err != nil {
		t.Fatal(err)
	}
	if err := idle.Wait(); err != nil {
		t.Fatal(err)
	}
}

// TestKeywordsAndMove documents imapmemserver's flag behaviour: keywords are
// permanent (PERMANENTFLAGS has \*) and come back lower-cased.
func TestKeywordsAndMove(t *testing.T) {
	s := start(t)
	uid, err := s.Append(bob, Inbox, []imap.Flag{imap.FlagSeen}, strings.NewReader(message("kw")))
	if err != nil {
		t.Fatal(err)
	}
	c := login(t, s, bob, nil)
	sel, err := c.Select(Inbox, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if !hasFlag(sel.PermanentFlags, imap.FlagWildcard) {
		t.Errorf("PERMANENTFLAGS %v lack \\*", sel.PermanentFlags)
	}
	if err := c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{
		Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{"$MailflowDone"},
	}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch: %v, %d messages", err, len(msgs))
	}
	if !hasFlag(msgs[0].Flags, "$MailflowDone") || !hasFlag(msgs[0].Flags, imap.FlagSeen) {
		t.Errorf("flags %v, want $MailflowDone and \\Seen (any case)", msgs[0].Flags)
	}
	t.Logf("imapmemserver FETCH FLAGS: %v", msgs[0].Flags)
	// Search must find the keyword whatever its case.
	sd, err := c.UIDSearch(&imap.SearchCriteria{Flag: []imap.Flag{"$mailflowDONE"}}, nil).Wait()
	if err != nil || len(sd.AllUIDs()) != 1 {
		t.Errorf("search keyword: %v %v", sd, err)
	}

	if !c.Caps().Has(imap.CapMove) && !c.Caps().Has(imap.CapIMAP4rev2) {
		t.Fatalf("no MOVE in %v", c.Caps())
	}
	md, err := c.Move(imap.UIDSetNum(uid), Sent).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if md == nil || md.DestUIDs == nil {
		t.Errorf("MOVE gave no COPYUID: %+v", md)
	}
	if n := len(fetchAll(t, c, Inbox)); n != 0 {
		t.Errorf("INBOX has %d messages after MOVE", n)
	}
	moved := fetchAll(t, c, Sent)
	if len(moved) != 1 || !hasFlag(moved[0].Flags, "$MailflowDone") {
		t.Errorf("Sent after MOVE: %d messages", len(moved))
	}
}

func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, g := range flags {
		if strings.EqualFold(string(g), string(f)) {
			return true
		}
	}
	return false
}

func inboxCount(t *testing.T, s *Server, user string) int {
	t.Helper()
	a := s.account(user)
	st, err := a.mem.Status(Inbox, &imap.StatusOptions{NumMessages: true})
	if err != nil {
		t.Fatal(err)
	}
	return int(*st.NumMessages)
}

func TestSMTPFaults(t *testing.T) {
	s := start(t)
	f := s.Faults()
	for _, code := range []int{421, 451, 550} {
		f.FailSMTP(code, 2)
		for i := range 2 {
			err := send(t, s.SMTPAddr(), alice, []string{bob}, message("f"))
			var se *smtp.SMTPError
			if !errors.As(err, &se) || se.Code != code {
				t.Errorf("fault %d try %d: got %v", code, i, err)
			}
		}
		if err := send(t, s.SMTPAddr(), alice, []string{bob}, message("ok")); err != nil {
			t.Errorf("after fault %d: %v", code, err)
		}
	}
	if got := inboxCount(t, s, bob); got != 3 {
		t.Errorf("INBOX has %d, want the 3 unfaulted messages", got)
	}

	// 421 closes the channel: a second transaction on it must fail.
	f.FailSMTPAt(AtMail, 421, 1)
	c, err := smtp.Dial(s.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail(alice, nil); err == nil {
		t.Error("MAIL under 421 fault succeeded")
	}
	if err := c.Mail(alice, nil); err == nil {
		t.Error("connection still usable after 421")
	}

	f.DropSMTPMidData(1)
	err = send(t, s.SMTPAddr(), alice, []string{bob}, message("drop")+strings.Repeat("x", 100000))
	if err == nil {
		t.Error("send with a mid-DATA drop succeeded")
	}
	if got := inboxCount(t, s, bob); got != 3 {
		t.Errorf("dropped DATA was delivered: INBOX has %d", got)
	}
	want := FaultCounts{SMTPReplies: 7, SMTPDrops: 1}
	if got := f.Counts(); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

func TestIMAPFaults(t *testing.T) {
	s := start(t)
	for i := range 3 {
		s.Append(bob, Inbox, nil, strings.NewReader(message(fmt.Sprint("m", i))))
	}
	c := login(t, s, bob, nil)
	if _, err := c.Select(Inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if n := s.DropIMAPConnections(); n != 1 {
		t.Errorf("dropped %d connections, want 1", n)
	}
	if err := c.Noop().Wait(); err == nil {
		t.Error("NOOP after drop succeeded")
	}

	s.Faults().DropIMAPOn("FETCH (", 1)
	c2 := login(t, s, bob, nil)
	c2.Select(Inbox, nil).Wait()
	_, err := c2.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	if err == nil {
		t.Error("FETCH under a mid-FETCH drop succeeded")
	}
	// The fault is spent: a new connection works.
	if n := len(fetchAll(t, login(t, s, bob, nil), Inbox)); n != 3 {
		t.Errorf("after the fault: %d messages", n)
	}
}

func TestRestartKeepsMail(t *testing.T) {
	s := start(t)
	imapAddr, smtpAddr := s.IMAPAddr(), s.SMTPAddr()
	s.Append(bob, Inbox, []imap.Flag{"$MailflowDone"}, strings.NewReader(message("r")))
	c := login(t, s, bob, nil)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := c.Noop().Wait(); err == nil {
		t.Error("NOOP after Stop succeeded")
	}
	if _, err := imapclient.DialInsecure(imapAddr, nil); err == nil {
		t.Error("dial after Stop succeeded")
	}
	if err := s.Resume(); err != nil {
		t.Fatal(err)
	}
	if s.IMAPAddr() != imapAddr || s.SMTPAddr() != smtpAddr {
		t.Errorf("addresses changed: %s %s", s.IMAPAddr(), s.SMTPAddr())
	}
	if err := send(t, smtpAddr, alice, []string{bob}, message("after")); err != nil {
		t.Fatal(err)
	}
	msgs := fetchAll(t, login(t, s, bob, nil), Inbox)
	if len(msgs) != 2 || !hasFlag(msgs[0].Flags, "$MailflowDone") {
		t.Errorf("after restart: %d messages, flags %v", len(msgs), msgs[0].Flags)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
}

func TestChangeUIDValidity(t *testing.T) {
	s := start(t)
	s.Append(bob, Inbox, []imap.Flag{imap.FlagSeen}, strings.NewReader(message("u1")))
	s.Append(bob, Inbox, nil, strings.NewReader(message("u2")))
	c := login(t, s, bob, nil)
	before, err := c.Select(Inbox, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.ChangeUIDValidity(bob, Inbox)
	if err != nil {
		t.Fatal(err)
	}
	if v == before.UIDValidity {
		t.Fatalf("UIDVALIDITY unchanged: %d", v)
	}
	c2 := login(t, s, bob, nil)
	after, err := c2.Select(Inbox, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if after.UIDValidity != v || after.NumMessages != 2 {
		t.Errorf("after: %+v", after)
	}
	msgs := fetchAll(t, c2, Inbox)
	if !hasFlag(msgs[0].Flags, imap.FlagSeen) || !strings.Contains(body(msgs[1]), "Hello u2") {
		t.Errorf("messages not kept: %v %q", msgs[0].Flags, body(msgs[1]))
	}
}

func TestDeliverAndOnDeliver(t *testing.T) {
	got := make(chan Delivery, 4)
	s, err := Start(Options{Accounts: []Account{{alice, pw}}, OnDeliver: func(d Delivery) { got <- d }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Deliver("x@elsewhere.test", []string{alice}, bytes.NewReader([]byte(message("d")))); err != nil {
		t.Fatal(err)
	}
	d := <-got
	if d.User != alice || d.Mailbox != Inbox || d.UID != 1 {
		t.Errorf("delivery %+v", d)
	}
	if err := s.AddAccount(Account{"carol@office.test", "pw"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAccount(Account{"CAROL@office.test", "pw"}); err == nil {
		t.Error("duplicate account accepted")
	}
	_, err = s.Append("nobody@x.test", Inbox, nil, io.MultiReader())
	if err == nil {
		t.Error("append to unknown account succeeded")
	}
}

// TestUIDValidityAbove: a server started again (a new process, mailboxes
// empty, UIDs from 1) must not reuse the UIDVALIDITY a client stored.
func TestUIDValidityAbove(t *testing.T) {
	first := start(t)
	c := login(t, first, bob, nil)
	sel, err := c.Select(Inbox, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	for _, above := range []uint32{sel.UIDValidity, 1000, maxSkip + 5} {
		s, err := Start(Options{Accounts: []Account{{bob, pw}}, UIDValidityAbove: above, Logger: testLogger()})
		if err != nil {
			t.Fatal(err)
		}
		got, err := login(t, s, bob, nil).Select(Inbox, nil).Wait()
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case above <= maxSkip && got.UIDValidity <= above:
			t.Errorf("above %d: UIDVALIDITY %d", above, got.UIDValidity)
		case above > maxSkip && got.UIDValidity == above:
			t.Errorf("above %d (another server's): UIDVALIDITY %d collides", above, got.UIDValidity)
		}
	}
}

package testmail

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Send submits msg over SMTP with AUTH PLAIN as from. It returns once the
// server accepted it; on real servers delivery follows asynchronously.
func (e *Env) Send(t testing.TB, from Account, to []string, msg []byte) {
	t.Helper()
	if err := e.TrySend(from, to, msg); err != nil {
		t.Fatalf("testmail: send from %s to %v: %v", from.Address, to, err)
	}
}

// TrySend is Send returning the error, for tests that expect a failure.
func (e *Env) TrySend(from Account, to []string, msg []byte) error {
	c, err := smtp.Dial(e.SMTPAddr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", from.Address, from.Password)); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if err := c.SendMail(from.Address, to, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

// Dial logs in to IMAP as a; the client is closed at the end of the test.
func (e *Env) Dial(t testing.TB, a Account, opts *imapclient.Options) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(e.IMAPAddr, opts)
	if err != nil {
		t.Fatalf("testmail: dial imap %s: %v", e.IMAPAddr, err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(a.Address, a.Password).Wait(); err != nil {
		t.Fatalf("testmail: imap login %s: %v", a.Address, err)
	}
	return c
}

// Append stores msg in mailbox of a over IMAP (as a human's client or
// another program would) and returns its UID.
func (e *Env) Append(t testing.TB, a Account, mailbox string, flags []imap.Flag, msg []byte) imap.UID {
	t.Helper()
	c := e.Dial(t, a, nil)
	defer c.Logout()
	cmd := c.Append(mailbox, int64(len(msg)), &imap.AppendOptions{Flags: flags})
	if _, err := cmd.Write(msg); err != nil {
		t.Fatalf("testmail: append: %v", err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatalf("testmail: append: %v", err)
	}
	data, err := cmd.Wait()
	if err != nil {
		t.Fatalf("testmail: append to %s of %s: %v", mailbox, a.Address, err)
	}
	return data.UID
}

// Message is a stored message as WaitMessages returns it.
type Message struct {
	UID   imap.UID
	Flags []imap.Flag
	Raw   []byte
}

// Header returns the first value of a header field in the raw message
// ("" if absent); enough for tests, not a parser.
func (m Message) Header(name string) string {
	head, _, _ := bytes.Cut(m.Raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// WaitMessages waits until mailbox of a holds at least n messages and
// returns them all, without setting \Seen. It fails the test after
// e.Timeout.
func (e *Env) WaitMessages(t testing.TB, a Account, mailbox string, n int) []Message {
	t.Helper()
	c := e.Dial(t, a, nil)
	defer c.Logout()
	deadline := time.Now().Add(e.Timeout)
	for {
		st, err := c.Status(mailbox, &imap.StatusOptions{NumMessages: true}).Wait()
		if err != nil {
			t.Fatalf("testmail: status %s of %s: %v", mailbox, a.Address, err)
		}
		if int(*st.NumMessages) >= n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("testmail: %s of %s holds %d messages after %v, want %d", mailbox, a.Address, *st.NumMessages, e.Timeout, n)
		}
		time.Sleep(50 * time.Millisecond) // polling a server we don't control; IDLE is tested separately
	}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("testmail: select %s: %v", mailbox, err)
	}
	if sel.NumMessages == 0 {
		return nil // Dovecot answers FETCH 1:* on an empty mailbox with BAD
	}
	bufs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{
		UID: true, Flags: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	if err != nil {
		t.Fatalf("testmail: fetch %s of %s: %v", mailbox, a.Address, err)
	}
	msgs := make([]Message, 0, len(bufs))
	for _, b := range bufs {
		m := Message{UID: b.UID, Flags: b.Flags}
		for _, s := range b.BodySection {
			m.Raw = s.Bytes
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// HasFlag compares flags case-insensitively: imapmemserver lower-cases
// keywords, Dovecot keeps their case.
func HasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, g := range flags {
		if strings.EqualFold(string(g), string(f)) {
			return true
		}
	}
	return false
}

package mailserver

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Mailboxes every account starts with.
const (
	Inbox = "INBOX"
	Sent  = "Sent"
)

// AddAccount creates an account with an empty INBOX and Sent. The address is
// the login name for SMTP AUTH and IMAP LOGIN, in any case.
func (s *Server) AddAccount(a Account) error {
	addr := strings.ToLower(strings.TrimSpace(a.Address))
	if addr == "" || !strings.Contains(addr, "@") {
		return fmt.Errorf("mailserver: add account %q: not an address", a.Address)
	}
	if a.Password == "" {
		return fmt.Errorf("mailserver: add account %q: empty password", a.Address)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[addr]; ok {
		return fmt.Errorf("mailserver: add account %q: already exists", addr)
	}
	u := imapmemserver.NewUser(addr, a.Password)
	have := map[string]bool{}
	if s.disk != nil {
		names, err := s.disk.restore(u, addr)
		if err != nil {
			return fmt.Errorf("mailserver: add account %q: restore from %s: %w", addr, s.disk.dir, err)
		}
		for _, n := range names {
			have[n] = true
		}
	}
	if len(have) == 0 {
		if err := skipUIDValidity(u, s.uidAbove); err != nil {
			return fmt.Errorf("mailserver: add account %q: %w", addr, err)
		}
	}
	for _, mbox := range []string{Inbox, Sent} {
		if have[mbox] {
			continue
		}
		if err := u.Create(mbox, nil); err != nil {
			return fmt.Errorf("mailserver: add account %q: create %s: %w", addr, mbox, err)
		}
		u.Subscribe(mbox)
		if s.disk != nil {
			if err := s.disk.sync(u, addr, mbox, nil); err != nil {
				return fmt.Errorf("mailserver: add account %q: %w", addr, err)
			}
		}
	}
	s.users[addr] = &account{Account: Account{Address: addr, Password: a.Password}, mem: u}
	return nil
}

func (s *Server) account(addr string) *account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[strings.ToLower(strings.TrimSpace(addr))]
}

func (s *Server) checkPassword(user, password string) bool {
	a := s.account(user)
	return a != nil && subtle.ConstantTimeCompare([]byte(a.Password), []byte(password)) == 1
}

// Append stores a message in a mailbox of user, as IMAP APPEND would, and
// returns its UID. Watchers in IDLE are told.
func (s *Server) Append(user, mailbox string, flags []imap.Flag, r io.Reader) (imap.UID, error) {
	return s.appendAt(user, mailbox, flags, time.Time{}, r)
}

func (s *Server) appendAt(user, mailbox string, flags []imap.Flag, t time.Time, r io.Reader) (imap.UID, error) {
	a := s.account(user)
	if a == nil {
		return 0, fmt.Errorf("mailserver: append to %s of %q: no such account", mailbox, user)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return 0, fmt.Errorf("mailserver: append to %s of %q: read: %w", mailbox, user, err)
	}
	if t.IsZero() {
		t = time.Now()
	}
	if s.disk != nil {
		s.disk.mu.Lock()
		defer s.disk.mu.Unlock()
	}
	res, err := a.mem.Append(mailbox, bytes.NewReader(data), &imap.AppendOptions{Flags: flags, Time: t})
	if err != nil {
		return 0, fmt.Errorf("mailserver: append to %s of %q: %w", mailbox, user, err)
	}
	if s.disk != nil {
		// On disk before the delivery is acknowledged.
		err := s.disk.saveMessage(a.Address, mailbox, res.UID, data)
		if err == nil {
			err = s.disk.sync(a.mem, a.Address, mailbox, map[imap.UID]time.Time{res.UID: t})
		}
		if err != nil {
			return 0, fmt.Errorf("mailserver: append to %s of %q: write to disk: %w", mailbox, user, err)
		}
	}
	if s.onDeliver != nil {
		s.onDeliver(Delivery{User: a.Address, Mailbox: mailbox, UID: res.UID, Time: time.Now()})
	}
	return res.UID, nil
}

// Deliver stores a message in the INBOX of every recipient, as a local
// delivery agent would: with Return-Path, Delivered-To and Received headers
// in front. An unknown recipient fails the whole delivery with a 550 5.1.1
// *smtp.SMTPError before anything is stored.
func (s *Server) Deliver(from string, rcpts []string, r io.Reader) error {
	if len(rcpts) == 0 {
		return fmt.Errorf("mailserver: deliver: no recipients")
	}
	for _, rc := range rcpts {
		if s.account(rc) == nil {
			return errUnknownRecipient(rc)
		}
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("mailserver: deliver: read: %w", err)
	}
	now := time.Now()
	id := newID()
	seen := make(map[string]bool)
	for _, rc := range rcpts {
		rc = strings.ToLower(strings.TrimSpace(rc))
		if seen[rc] {
			continue
		}
		seen[rc] = true
		var msg bytes.Buffer
		fmt.Fprintf(&msg, "Return-Path: <%s>\r\n", from)
		fmt.Fprintf(&msg, "Delivered-To: %s\r\n", rc)
		fmt.Fprintf(&msg, "Received: by %s (mailflow embedded) with ESMTP id %s\r\n\tfor <%s>; %s\r\n",
			s.hostname, id, rc, now.Format(time.RFC1123Z))
		msg.Write(body)
		if _, err := s.appendAt(rc, Inbox, nil, now, &msg); err != nil {
			return fmt.Errorf("mailserver: deliver to %s: %w", rc, err)
		}
	}
	return nil
}

func newID() string {
	var b [6]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

package mailserver

import (
	"bytes"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// ChangeUIDValidity re-creates a mailbox of user with the same messages,
// flags and dates but a new UIDVALIDITY and fresh UIDs, as a server does
// after its index is rebuilt. Open IMAP connections are dropped, since their
// view of the mailbox is gone. It returns the new UIDVALIDITY.
func (s *Server) ChangeUIDValidity(user, mailbox string) (uint32, error) {
	a := s.account(user)
	if a == nil {
		return 0, fmt.Errorf("mailserver: change uidvalidity of %q: no such account", user)
	}
	// Read through our own IMAP port: imapmemserver keeps messages private.
	c, err := imapclient.DialInsecure(s.IMAPAddr(), nil)
	if err != nil {
		return 0, fmt.Errorf("mailserver: change uidvalidity: dial: %w", err)
	}
	defer c.Close()
	if err := c.Login(a.Address, a.Password).Wait(); err != nil {
		return 0, fmt.Errorf("mailserver: change uidvalidity: login: %w", err)
	}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return 0, fmt.Errorf("mailserver: change uidvalidity: select %s: %w", mailbox, err)
	}
	var msgs []*imapclient.FetchMessageBuffer
	if sel.NumMessages > 0 {
		section := &imap.FetchItemBodySection{Peek: true}
		msgs, err = c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{
			UID: true, Flags: true, InternalDate: true,
			BodySection: []*imap.FetchItemBodySection{section},
		}).Collect()
		if err != nil {
			return 0, fmt.Errorf("mailserver: change uidvalidity: fetch: %w", err)
		}
	}
	c.Logout().Wait()

	if s.disk != nil {
		s.disk.mu.Lock()
		defer s.disk.mu.Unlock()
		if err := s.disk.remove(a.Address, mailbox); err != nil {
			return 0, fmt.Errorf("mailserver: change uidvalidity: %w", err)
		}
	}
	dates := map[imap.UID]time.Time{}
	if err := a.mem.Delete(mailbox); err != nil {
		return 0, fmt.Errorf("mailserver: change uidvalidity: delete %s: %w", mailbox, err)
	}
	if err := a.mem.Create(mailbox, nil); err != nil {
		return 0, fmt.Errorf("mailserver: change uidvalidity: create %s: %w", mailbox, err)
	}
	a.mem.Subscribe(mailbox)
	for _, m := range msgs {
		var body []byte
		for _, b := range m.BodySection {
			body = b.Bytes
		}
		res, err := a.mem.Append(mailbox, bytes.NewReader(body), &imap.AppendOptions{
			Flags: m.Flags, Time: m.InternalDate,
		})
		if err != nil {
			return 0, fmt.Errorf("mailserver: change uidvalidity: append: %w", err)
		}
		if s.disk != nil {
			if err := s.disk.saveMessage(a.Address, mailbox, res.UID, body); err != nil {
				return 0, fmt.Errorf("mailserver: change uidvalidity: %w", err)
			}
			dates[res.UID] = m.InternalDate
		}
	}
	if s.disk != nil {
		if err := s.disk.sync(a.mem, a.Address, mailbox, dates); err != nil {
			return 0, fmt.Errorf("mailserver: change uidvalidity: %w", err)
		}
	}
	s.DropIMAPConnections()
	st, err := a.mem.Status(mailbox, &imap.StatusOptions{UIDValidity: true})
	if err != nil {
		return 0, err
	}
	return st.UIDValidity, nil
}

// maxSkip bounds skipUIDValidity: a stored UIDVALIDITY that large came
// from another server (Dovecot uses a timestamp), not from an earlier run
// of this one, whose mailboxes count from 1 and so cannot collide with it.
const maxSkip = 1 << 20

// skipUIDValidity makes u's next mailbox get a UIDVALIDITY above n.
// imapmemserver keeps its counter private and bumps it on every CREATE, so
// a scratch mailbox is created and deleted n times (a map insert and
// delete each: about 0.1 s for maxSkip).
func skipUIDValidity(u *imapmemserver.User, n uint32) error {
	if n == 0 || n > maxSkip {
		return nil
	}
	const scratch = "mailserver-uidvalidity-scratch"
	for range n {
		if err := u.Create(scratch, nil); err != nil {
			return fmt.Errorf("skip uidvalidity: %w", err)
		}
		if err := u.Delete(scratch); err != nil {
			return fmt.Errorf("skip uidvalidity: %w", err)
		}
	}
	return nil
}

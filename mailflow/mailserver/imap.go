package mailserver

import (
	"bytes"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// imapSession is imapmemserver's session with our accounts and an IDLE fix.
type imapSession struct {
	*imapmemserver.UserSession // nil until Login
	s                          *Server
	user                       string // the account's address, after Login
	selected                   string // the selected mailbox
}

var (
	_ imapserver.SessionIMAP4rev2 = (*imapSession)(nil)
	_ imapserver.SessionMove      = (*imapSession)(nil)
)

// Login accepts the address in any case.
func (sess *imapSession) Login(username, password string) error {
	if !sess.s.checkPassword(username, password) {
		return imapserver.ErrAuthFailed
	}
	acc := sess.s.account(username)
	sess.UserSession = imapmemserver.NewUserSession(acc.mem)
	sess.user = acc.Address
	return nil
}

// Idle flushes pending updates first. imapserver's SessionTracker.Idle only
// wakes on updates queued after it registers, so mail that arrived between
// the previous command and IDLE would otherwise wait, unannounced, for the
// next update.
func (sess *imapSession) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	if err := sess.UserSession.Poll(w, true); err != nil {
		return err
	}
	return sess.UserSession.Idle(w, stop)
}

// The mutating commands below keep the mailboxes on disk (Options.Dir):
// each runs under the disk lock and rewrites what it changed.

func (sess *imapSession) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	data, err := sess.UserSession.Select(name, options)
	if err == nil {
		sess.selected = name
	}
	return data, err
}

func (sess *imapSession) Unselect() error {
	sess.selected = ""
	return sess.UserSession.Unselect()
}

// persist runs op and then writes the mailboxes it changed.
func (sess *imapSession) persist(op func() error, after func(d *disk) error) error {
	d := sess.s.disk
	if d == nil {
		return op()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := op(); err != nil {
		return err
	}
	if err := after(d); err != nil {
		sess.s.log.Error("embedded mail: could not write a change to disk", "user", sess.user, "err", err)
		return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeServerBug, Text: "could not write to disk"}
	}
	return nil
}

func (sess *imapSession) sync(d *disk, mailbox string, dates map[imap.UID]time.Time) error {
	return d.sync(sess.s.account(sess.user).mem, sess.user, mailbox, dates)
}

func (sess *imapSession) Append(mailbox string, r imap.LiteralReader, options *imap.AppendOptions) (*imap.AppendData, error) {
	var data []byte
	var res *imap.AppendData
	err := sess.persist(func() error {
		var err error
		if data, err = io.ReadAll(r); err != nil {
			return err
		}
		res, err = sess.UserSession.Append(mailbox, bytes.NewReader(data), options)
		return err
	}, func(d *disk) error {
		if err := d.saveMessage(sess.user, mailbox, res.UID, data); err != nil {
			return err
		}
		t := options.Time
		if t.IsZero() {
			t = time.Now()
		}
		return sess.sync(d, mailbox, map[imap.UID]time.Time{res.UID: t})
	})
	return res, err
}

func (sess *imapSession) Create(mailbox string, options *imap.CreateOptions) error {
	return sess.persist(func() error { return sess.UserSession.Create(mailbox, options) },
		func(d *disk) error { return sess.sync(d, strings.TrimRight(mailbox, "/"), nil) })
}

func (sess *imapSession) Delete(mailbox string) error {
	return sess.persist(func() error { return sess.UserSession.Delete(mailbox) },
		func(d *disk) error { return d.remove(sess.user, mailbox) })
}

func (sess *imapSession) Rename(mailbox, newName string, options *imap.RenameOptions) error {
	return sess.persist(func() error { return sess.UserSession.Rename(mailbox, newName, options) },
		func(d *disk) error { return d.rename(sess.user, mailbox, strings.TrimRight(newName, "/")) })
}

func (sess *imapSession) Store(w *imapserver.FetchWriter, numSet imap.NumSet, flags *imap.StoreFlags, options *imap.StoreOptions) error {
	return sess.persist(func() error { return sess.UserSession.Store(w, numSet, flags, options) },
		func(d *disk) error { return sess.sync(d, sess.selected, nil) })
}

func (sess *imapSession) Expunge(w *imapserver.ExpungeWriter, uids *imap.UIDSet) error {
	return sess.persist(func() error { return sess.UserSession.Expunge(w, uids) },
		func(d *disk) error { return sess.sync(d, sess.selected, nil) })
}

func (sess *imapSession) Copy(numSet imap.NumSet, dest string) (*imap.CopyData, error) {
	var res *imap.CopyData
	err := sess.persist(func() error {
		var err error
		res, err = sess.UserSession.Copy(numSet, dest)
		if err == nil && len(res.SourceUIDs) == 0 {
			// Nothing matched: OK without COPYUID, whose empty sets
			// imapserver cannot encode (it would drop the connection).
			res = nil
		}
		return err
	}, func(d *disk) error {
		if res == nil {
			return nil
		}
		src, _ := res.SourceUIDs.Nums()
		dst, _ := res.DestUIDs.Nums()
		dates, err := d.copyMessages(sess.user, sess.selected, dest, src, dst)
		if err != nil {
			return err
		}
		return sess.sync(d, dest, dates)
	})
	return res, err
}

// Move learns the UIDs it moves and the ones they get (imapmemserver
// writes them to the client only) from the mailboxes before and after.
func (sess *imapSession) Move(w *imapserver.MoveWriter, numSet imap.NumSet, dest string) error {
	var src, before []imap.UID
	return sess.persist(func() error {
		crit := &imap.SearchCriteria{}
		switch s := numSet.(type) {
		case imap.UIDSet:
			crit.UID = []imap.UIDSet{s}
		case imap.SeqSet:
			crit.SeqNum = []imap.SeqSet{s}
		}
		res, err := sess.UserSession.Search(imapserver.NumKindUID, crit, &imap.SearchOptions{})
		if err != nil {
			return err
		}
		src = res.AllUIDs()
		if len(src) == 0 {
			return nil // nothing to move: see Copy
		}
		if before, err = sess.s.uids(sess.user, dest); err != nil {
			return err
		}
		return sess.UserSession.Move(w, numSet, dest)
	}, func(d *disk) error {
		if len(src) == 0 {
			return nil
		}
		after, err := sess.s.uids(sess.user, dest)
		if err != nil {
			return err
		}
		had := map[imap.UID]bool{}
		for _, u := range before {
			had[u] = true
		}
		var dst []imap.UID
		for _, u := range after {
			if !had[u] {
				dst = append(dst, u)
			}
		}
		dates, err := d.copyMessages(sess.user, sess.selected, dest, src, dst)
		if err != nil {
			return err
		}
		if err := sess.sync(d, dest, dates); err != nil {
			return err
		}
		return sess.sync(d, sess.selected, nil)
	})
}

// uids lists a mailbox's UIDs in order.
func (s *Server) uids(user, mailbox string) ([]imap.UID, error) {
	sess := imapmemserver.NewUserSession(s.account(user).mem)
	defer sess.Close()
	if _, err := sess.Select(mailbox, nil); err != nil {
		return nil, err
	}
	res, err := sess.Search(imapserver.NumKindUID, &imap.SearchCriteria{}, &imap.SearchOptions{})
	if err != nil {
		return nil, err
	}
	return res.AllUIDs(), nil
}

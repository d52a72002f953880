package mailserver

import (
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// imapSession is imapmemserver's session with our accounts and an IDLE fix.
type imapSession struct {
	*imapmemserver.UserSession // nil until Login
	s                          *Server
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
	sess.UserSession = imapmemserver.NewUserSession(sess.s.account(username).mem)
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

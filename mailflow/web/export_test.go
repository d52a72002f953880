package web

import (
	"net/http"
	"time"
)

// TestSession opens a session for account as a login would, without the
// login's deliberate bcrypt cost: the property test makes hundreds. It
// returns the session cookie and the CSRF token.
func (s *Server) TestSession(account string) (*http.Cookie, string) {
	id, se := s.sess.create(account, time.Now())
	return &http.Cookie{Name: s.cookieName(), Value: id}, se.CSRF
}

// Routes are the office routes' patterns ("GET /run/{id}", ...).
func Routes() []string {
	var out []string
	for _, r := range officeRoutes {
		out = append(out, r.pattern)
	}
	return out
}

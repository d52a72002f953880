package mailout

import (
	"errors"
	"fmt"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/wneessen/go-mail/smtp"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

// oauthAuth signs in to SMTP with an OAuth2 access token ([mail.oauth]),
// fetched when the connection authenticates so that a long-lived
// connection never presents a stale one.
type oauthAuth struct {
	user string
	src  config.TokenSource
	tok  string
	next func([]byte) ([]byte, error)
}

func newOAuthAuth(s config.Server) smtp.Auth { return &oauthAuth{user: s.Username, src: s.Token} }

func (a *oauthAuth) Start(si *smtp.ServerInfo) (string, []byte, error) {
	mech := oauth.Mechanism(si.Auth)
	if mech == "" {
		return "", nil, fmt.Errorf("smtp server offers no OAuth2 mechanism (AUTH XOAUTH2 or OAUTHBEARER); it offers %v", si.Auth)
	}
	tok, err := a.src.Token()
	if err != nil {
		return "", nil, err
	}
	a.tok = tok
	c := oauth.Client(mech, a.user, tok)
	_, ir, err := c.Start()
	a.next = c.Next
	return mech, ir, err
}

func (a *oauthAuth) Next(from []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	if a.next == nil {
		return nil, errors.New("smtp oauth: unexpected challenge")
	}
	// Both mechanisms challenge only to report a refused token.
	a.src.Invalidate(a.tok)
	return a.next(from)
}

// imapLogin logs in to IMAP with the password, or with the OAuth2 token
// when [mail.oauth] is set.
func imapLogin(c *imapclient.Client, s config.Server) error {
	if s.Token != nil {
		return oauth.IMAPLogin(c, s.Username, s.Token)
	}
	return c.Login(s.Username, s.Password.Reveal()).Wait()
}

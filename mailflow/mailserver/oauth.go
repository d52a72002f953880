package mailserver

import (
	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

// AcceptBearer makes IMAP and SMTP also accept OAuth2 bearer tokens
// (XOAUTH2 and OAUTHBEARER), checked by check, as Google's and Microsoft's
// servers do; tests pair it with a fake token endpoint. Nil turns it off.
func (s *Server) AcceptBearer(check oauth.Check) {
	s.mu.Lock()
	s.bearer = check
	s.mu.Unlock()
}

func (s *Server) bearerCheck() oauth.Check {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bearer
}

func (s *Server) oauthMechs() []string {
	if s.bearerCheck() == nil {
		return nil
	}
	return []string{oauth.XOAuth2, sasl.OAuthBearer}
}

// checkBearer checks the token and that the user has an account here.
func (s *Server) checkBearer(check oauth.Check) oauth.Check {
	return func(user, token string) error {
		if s.account(user) == nil {
			return oauth.ErrInvalidToken
		}
		return check(user, token)
	}
}

var _ imapserver.SessionSASL = (*imapSession)(nil)

// AuthenticateMechanisms makes imapSession an imapserver.SessionSASL:
// PLAIN as before, and the bearer mechanisms when accepted.
func (sess *imapSession) AuthenticateMechanisms() []string {
	return append([]string{sasl.Plain}, sess.s.oauthMechs()...)
}

func (sess *imapSession) Authenticate(mech string) (sasl.Server, error) {
	if mech == sasl.Plain {
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return imapserver.ErrAuthFailed
			}
			return sess.Login(username, password)
		}), nil
	}
	if check := sess.s.bearerCheck(); check != nil {
		if srv := oauth.Server(mech, sess.s.checkBearer(check), func(user string) {
			sess.UserSession = imapmemserver.NewUserSession(sess.s.account(user).mem)
		}); srv != nil {
			return authFailedAs{srv, imapserver.ErrAuthFailed}, nil
		}
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
}

// oauthServer is the SMTP side: ok is false for a mechanism it does not handle.
func (ss *smtpSession) oauthServer(mech string) (sasl.Server, bool) {
	check := ss.s.bearerCheck()
	if check == nil {
		return nil, false
	}
	srv := oauth.Server(mech, ss.s.checkBearer(check), func(user string) { ss.user = user })
	if srv == nil {
		return nil, false
	}
	return authFailedAs{srv, smtp.ErrAuthFailed}, true
}

// authFailedAs reports a refused token as the protocol's own
// authentication failure (IMAP NO [AUTHENTICATIONFAILED], SMTP 535), not
// as a server error.
type authFailedAs struct {
	sasl.Server
	err error
}

func (a authFailedAs) Next(resp []byte) ([]byte, bool, error) {
	ch, done, err := a.Server.Next(resp)
	if err != nil {
		err = a.err
	}
	return ch, done, err
}

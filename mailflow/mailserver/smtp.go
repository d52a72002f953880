package mailserver

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

type smtpBackend struct{ s *Server }

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{s: b.s, conn: c}, nil
}

// smtpSession is one SMTP connection. Authenticated or not, it delivers only
// to hosted addresses: there is no relaying.
type smtpSession struct {
	s     *Server
	conn  *smtp.Conn
	user  string // after AUTH
	from  string
	rcpts []string
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func (ss *smtpSession) AuthMechanisms() []string {
	return append([]string{sasl.Plain}, ss.s.oauthMechs()...)
}

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	if srv, ok := ss.oauthServer(mech); ok { // oauth.go
		return srv, nil
	}
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return smtp.ErrAuthFailed
		}
		if !ss.s.checkPassword(username, password) {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if err := ss.fault(AtMail); err != nil {
		return err
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.fault(AtRcpt); err != nil {
		return err
	}
	if ss.s.account(to) == nil {
		return errUnknownRecipient(to)
	}
	ss.rcpts = append(ss.rcpts, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	if ft, ok := ss.s.faults.takeSMTP(AtData); ok {
		if ft.dropMid {
			// Read a little so the client is committed to DATA, then vanish.
			var buf [64]byte
			io.ReadAtLeast(r, buf[:], 1)
			ss.conn.Conn().Close()
			return errors.New("connection dropped mid-DATA (injected)")
		}
		io.Copy(io.Discard, r)
		return ss.reply(ft.code)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return err
	}
	return ss.s.Deliver(ss.from, ss.rcpts, bytes.NewReader(stampAuth(buf.Bytes(), ss.s.hostname, ss.user)))
}

func (ss *smtpSession) fault(stage SMTPStage) error {
	if ft, ok := ss.s.faults.takeSMTP(stage); ok {
		return ss.reply(ft.code)
	}
	return nil
}

func (ss *smtpSession) reply(code int) error {
	if code == 421 {
		if tc, ok := ss.conn.Conn().(*trackedConn); ok {
			tc.closeAfterNextWrite()
		}
	}
	return smtpFaultError(code)
}

func (ss *smtpSession) Reset() { ss.from, ss.rcpts = "", nil }

func (ss *smtpSession) Logout() error { return nil }

func errUnknownRecipient(to string) *smtp.SMTPError {
	return &smtp.SMTPError{
		Code:         550,
		EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message:      "no such user here: " + strings.ToLower(to),
	}
}

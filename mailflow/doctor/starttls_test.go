package doctor_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/bangkatengah/mailflow/mailflow/doctor"
)

// TestSTARTTLS: IMAP on "143" and SMTP on "587" with STARTTLS (the usual
// Gmail and Microsoft 365 submission setup), a good certificate and one for
// another host.
func TestSTARTTLS(t *testing.T) {
	ca := newCA(t, "Dinas Test CA")
	for _, tc := range []struct {
		name        string
		host        string
		st          doctor.Status
		detail, fix string
	}{
		{"good", "localhost", doctor.OK, "certificate for localhost", ""},
		{"wrong host", "mail.example.org", doctor.Fail, "the certificate is for mail.example.org, not localhost", "set [mail.imap] host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, cfg, opt := setup(t)
			cert := ca.leaf(t, tc.host, time.Now().AddDate(1, 0, 0))
			user, pw := cfg.Mail.IMAP.Username, "rahasia"
			cfg.Mail.IMAP.Port = startTLSIMAP(t, cert, user, pw)
			cfg.Mail.SMTP.Port = startTLSSMTP(t, cert, user, pw)
			cfg.Mail.IMAP.Host, cfg.Mail.IMAP.TLS, cfg.Mail.IMAP.Password = "localhost", "starttls", "rahasia"
			cfg.Mail.SMTP.Host, cfg.Mail.SMTP.TLS, cfg.Mail.SMTP.Password = "localhost", "starttls", "rahasia"
			cfg.Mail.SMTP.SentFolder = ""
			opt.TLSConfig = &tls.Config{RootCAs: ca.pool}
			r, _ := run(t, opt)
			want(t, r, "imap tls", tc.st, tc.detail, tc.fix)
			if tc.st == doctor.OK {
				want(t, r, "imap login", doctor.OK, "logged in", "")
				want(t, r, "smtp tls", doctor.OK, tc.detail, "")
				want(t, r, "smtp auth", doctor.OK, "AUTH PLAIN", "")
				return
			}
			want(t, r, "imap login", doctor.Skip, "verified TLS", "")
			want(t, r, "smtp tls", tc.st, tc.detail, "set [mail.smtp] host")
		})
	}
}

// startTLSIMAP is an IMAP server that requires STARTTLS before login.
func startTLSIMAP(t *testing.T, cert tls.Certificate, user, pw string) int {
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, pw)
	u.Create("INBOX", nil)
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// startTLSSMTP is a submission server offering AUTH only after STARTTLS.
func startTLSSMTP(t *testing.T, cert tls.Certificate, user, pw string) int {
	s := smtp.NewServer(authBackend{user, pw})
	s.Domain = "localhost"
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.MaxMessageBytes = 50 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

type authBackend struct{ user, pw string }

func (b authBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &authSession{b: b}, nil }

type authSession struct{ b authBackend }

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, u, p string) error {
		if u != s.b.user || p != s.b.pw {
			return errors.New("bad login")
		}
		return nil
	}), nil
}
func (s *authSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *authSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *authSession) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }
func (s *authSession) Reset()                               {}
func (s *authSession) Logout() error                        { return nil }

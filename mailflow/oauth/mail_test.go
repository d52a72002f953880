package oauth_test

import (
	"context"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	gomail "github.com/wneessen/go-mail"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
	"github.com/bangkatengah/mailflow/mailflow/oauth/oauthtest"
)

// bearerEnv: the embedded servers checking tokens with the fake provider,
// and a signed-in Source, on one settable clock.
func bearerEnv(t *testing.T) (*mailserver.Server, *oauthtest.Provider, *oauth.Source, *clock) {
	t.Helper()
	p := oauthtest.New("client-1", user)
	t.Cleanup(p.Close)
	clk := newClock()
	p.Now = clk.Now
	srv, err := mailserver.Start(mailserver.Options{Accounts: []mailserver.Account{{Address: user, Password: "pw"}, {Address: "kepala@dinsos.test", Password: "pw2"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AcceptBearer(p.Check)
	dir := t.TempDir()
	authorize(t, p, dir)
	src, err := oauth.Open(settings(p), dir, oauth.SourceOptions{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return srv, p, src, clk
}

func serverCfg(addr string, src config.TokenSource) config.Server {
	host, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	return config.Server{Host: host, Port: n, TLS: "none", Username: user, Token: src}
}

func imapLogin(t *testing.T, addr string, src config.TokenSource) error {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := oauth.IMAPLogin(c, user, src); err != nil {
		return err
	}
	_, err = c.Select("INBOX", nil).Wait()
	return err
}

type writerTo []byte

func (w writerTo) WriteTo(out io.Writer) (int64, error) {
	n, err := out.Write(w)
	return int64(n), err
}

func msg(subject string) writerTo {
	return writerTo("From: " + user + "\r\nTo: kepala@dinsos.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject + "@dinsos.test>\r\n\r\nisi\r\n")
}

// TestEmbeddedServersAcceptBearer: IMAP (both mechanisms, as chosen from
// the capabilities) and SMTP through mailout sign in with the token; a
// made-up token or a password-less login is refused.
func TestEmbeddedServersAcceptBearer(t *testing.T) {
	srv, _, src, _ := bearerEnv(t)
	if err := imapLogin(t, srv.IMAPAddr(), src); err != nil {
		t.Fatalf("imap with a valid token: %v", err)
	}
	bad := fixedToken("made-up")
	if err := imapLogin(t, srv.IMAPAddr(), bad); err == nil {
		t.Fatal("imap accepted a made-up token")
	}
	c, _ := imapclient.DialInsecure(srv.IMAPAddr(), nil)
	defer c.Close()
	tok, _ := src.Token()
	if err := c.Authenticate(oauth.Client("OAUTHBEARER", user, tok)); err != nil {
		t.Errorf("imap OAUTHBEARER: %v", err)
	}
	s, err := mailout.NewSMTP(config.SMTP{Server: serverCfg(srv.SMTPAddr(), src)}, mailout.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Send(context.Background(), user, []string{"kepala@dinsos.test"}, msg("one")); err != nil {
		t.Fatalf("smtp with a valid token: %v", err)
	}
	sb, _ := mailout.NewSMTP(config.SMTP{Server: serverCfg(srv.SMTPAddr(), bad)}, mailout.SMTPOptions{})
	defer sb.Close()
	_, err = sb.Send(context.Background(), user, []string{"kepala@dinsos.test"}, msg("two"))
	if err == nil {
		t.Fatal("smtp accepted a made-up token")
	}
	if bad.invalidated == 0 {
		t.Error("the refused token was not invalidated")
	}
}

// TestExpiredTokenRefreshedDuringSession: the access token expires while
// mailflow runs; the next connection (after the server dropped the old
// ones) gets a refreshed token without anyone noticing.
func TestExpiredTokenRefreshedDuringSession(t *testing.T) {
	srv, p, src, clk := bearerEnv(t)
	s, err := mailout.NewSMTP(config.SMTP{Server: serverCfg(srv.SMTPAddr(), src)}, mailout.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	send := func(subj string) {
		t.Helper()
		if _, err := s.Send(context.Background(), user, []string{"kepala@dinsos.test"}, msg(subj)); err != nil {
			t.Fatalf("send %s: %v", subj, err)
		}
	}
	send("before")
	r0, _ := p.Counts()
	clk.Add(2 * time.Hour) // the first token is dead at the provider
	send("same-connection")
	srv.DropSMTPConnections()
	srv.DropIMAPConnections()
	// The first reuse of the dropped connection fails (RSET on a dead
	// socket), mailout redials and authenticates again.
	send("after-expiry")
	if err := imapLogin(t, srv.IMAPAddr(), src); err != nil {
		t.Fatalf("imap after expiry: %v", err)
	}
	if r1, _ := p.Counts(); r1 != r0+1 {
		t.Errorf("refreshes %d → %d, want exactly one more", r0, r1)
	}
	c, _ := imapclient.DialInsecure(srv.IMAPAddr(), nil)
	defer c.Close()
	c.Login("kepala@dinsos.test", "pw2").Wait()
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil || sel.NumMessages != 3 {
		t.Errorf("kepala's INBOX: %v, want 3 messages", err)
	}
}

// fixedTokens is a token source that always offers the same token.
type fixedTokens struct {
	tok         string
	invalidated int
}

func fixedToken(s string) *fixedTokens        { return &fixedTokens{tok: s} }
func (f *fixedTokens) Token() (string, error) { return f.tok, nil }
func (f *fixedTokens) Invalidate(string)      { f.invalidated++ }

// TestSentCopyWithBearer: the copy in the Sent folder is appended over
// IMAP with the token too.
func TestSentCopyWithBearer(t *testing.T) {
	srv, _, src, _ := bearerEnv(t)
	sf := &mailout.SentFolder{IMAP: config.IMAP{Server: serverCfg(srv.IMAPAddr(), src)}, Folder: "Sent"}
	m := gomail.NewMsg()
	m.From(user)
	m.To("kepala@dinsos.test")
	m.Subject("salinan")
	m.SetBodyString(gomail.TypeTextPlain, "isi")
	if err := sf.Append(context.Background(), m, time.Now()); err != nil {
		t.Fatalf("append with a bearer token: %v", err)
	}
	c, _ := imapclient.DialInsecure(srv.IMAPAddr(), nil)
	defer c.Close()
	if err := oauth.IMAPLogin(c, user, src); err != nil {
		t.Fatal(err)
	}
	if sel, err := c.Select("Sent", nil).Wait(); err != nil || sel.NumMessages != 1 {
		t.Errorf("Sent: %v", err)
	}
}

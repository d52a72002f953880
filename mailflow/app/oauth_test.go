package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
	"github.com/bangkatengah/mailflow/mailflow/oauth/oauthtest"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func waitFor(t *testing.T, logs *syncBuf, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; log:\n%s", what, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func signIn(t *testing.T, p *oauthtest.Provider, o *config.OAuth, dir string) {
	t.Helper()
	p.Approve()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := oauth.Authorize(ctx, o, dir, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
}

// TestDaemonWithOAuth: the daemon reads and sends with OAuth2 bearer
// tokens; when the provider revokes the sign-in it raises one ALERT, and
// after "mailflow auth" it reconnects by itself.
func TestDaemonWithOAuth(t *testing.T) {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	accounts := []mailserver.Account{{Address: cfg.Office.Mailbox, Password: "tidak-dipakai"}, {Address: cfg.Office.Admin, Password: "a"}}
	for _, p := range cfg.Office.People {
		accounts = append(accounts, mailserver.Account{Address: p.Email, Password: "pw"})
	}
	srv, err := mailserver.Start(mailserver.Options{Accounts: accounts})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p := oauthtest.New("mailflow-app", cfg.Office.Mailbox)
	defer p.Close()
	srv.AcceptBearer(p.Check)
	hostPort := func(a string) (string, int) { h, po, _ := net.SplitHostPort(a); n, _ := strconv.Atoi(po); return h, n }
	cfg.Mail.Mode = "external"
	cfg.Mail.IMAP.Host, cfg.Mail.IMAP.Port = hostPort(srv.IMAPAddr())
	cfg.Mail.SMTP.Host, cfg.Mail.SMTP.Port = hostPort(srv.SMTPAddr())
	cfg.Mail.IMAP.TLS, cfg.Mail.SMTP.TLS = "none", "none"
	cfg.Mail.IMAP.Username, cfg.Mail.SMTP.Username = cfg.Office.Mailbox, cfg.Office.Mailbox
	cfg.Mail.IMAP.Password, cfg.Mail.SMTP.Password = "", "" // a password would not work anyway
	cfg.Mail.IMAP.Mailbox, cfg.Mail.IMAP.Keyword = "INBOX", "$MailflowDone"
	cfg.Mail.SMTP.MaxPerHour = 60
	cfg.Mail.OAuth = &config.OAuth{Provider: "microsoft", ClientID: "mailflow-app", Tenant: "organizations", DeviceAuthURL: p.DeviceURL(), TokenURL: p.TokenURL()}
	dir := t.TempDir()
	signIn(t, p, cfg.Mail.OAuth, dir)

	logs := &syncBuf{}
	a, err := Build(cfg, slog.New(slog.NewTextHandler(logs, nil)), Options{DataDir: dir, PollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitFor(t, logs, "the watcher's OAuth2 login", func() bool { return strings.Contains(logs.String(), "msg=connected") })

	// A run's first assignment goes out over SMTP with a bearer token.
	sek := cfg.Office.People[1]
	for _, pp := range cfg.Office.People {
		if strings.HasPrefix(pp.Email, "sekretaris@") {
			sek = pp
		}
	}
	if _, err := a.Engine.Start(ctx, cfg.Office.SOPs[0].ID, "LAKIP Tahun 2023", cfg.Office.People[0].Email, "", nil, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, logs, "the assignment in "+sek.Email, func() bool {
		c, err := imapclient.DialInsecure(srv.IMAPAddr(), nil)
		if err != nil {
			return false
		}
		defer c.Close()
		if c.Login(sek.Email, "pw").Wait() != nil {
			return false
		}
		sel, err := c.Select("INBOX", nil).Wait()
		return err == nil && sel.NumMessages > 0
	})

	// Revoked: the next login fails, the refresh is refused: one ALERT.
	p.Revoke()
	srv.DropIMAPConnections()
	const alert = "ALERT: the OAuth2 sign-in was revoked"
	waitFor(t, logs, "the revocation alert", func() bool { return strings.Contains(logs.String(), alert) })
	time.Sleep(2 * time.Second) // the watcher keeps retrying meanwhile
	if n := strings.Count(logs.String(), alert); n != 1 {
		t.Errorf("%d alerts for one revocation, want 1", n)
	}
	if !strings.Contains(logs.String(), "mailflow auth microsoft") {
		t.Errorf("the alert does not say what to run:\n%s", logs.String())
	}
	// The admin signs in again; the daemon picks it up without a restart.
	before := strings.Count(logs.String(), "msg=reconnected")
	signIn(t, p, cfg.Mail.OAuth, dir)
	waitFor(t, logs, "the reconnect after mailflow auth", func() bool { return strings.Count(logs.String(), "msg=reconnected") > before })
}

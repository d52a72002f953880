package doctor_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/doctor"
	"github.com/bangkatengah/mailflow/mailflow/internal/testmail"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// setup returns a config whose servers are the test servers (embedded, or
// Dovecot + Postfix with MAILFLOW_TEST_REAL=1) and the office and admin
// accounts on them.
func setup(t *testing.T) (*testmail.Env, *config.Config, doctor.Options) {
	t.Helper()
	env := testmail.Start(t)
	office := env.NewAccount(t, "sekretariat")
	admin := env.NewAccount(t, "admin")
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{
		Office:   sop.Office{Name: "Dinas Sosial PMD", Mailbox: office.Address, Admin: admin.Address},
		Calendar: workcal.Calendar{Loc: loc},
		Mail: config.Mail{Mode: "external",
			IMAP: config.IMAP{Server: server(env.IMAPAddr, office), Mailbox: "INBOX", Keyword: "$MailflowDone"},
			SMTP: config.SMTP{Server: server(env.SMTPAddr, office), SentFolder: "Sent"}},
		Replies: config.Replies{MaxAttachment: 25 << 20},
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o700)
	return env, cfg, doctor.Options{Config: cfg, DataDir: dir, Timeout: 10 * time.Second, SendTimeout: env.Timeout}
}

func server(addr string, a testmail.Account) config.Server {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return config.Server{Host: host, Port: p, TLS: "none", Username: a.Address, Password: config.Secret(a.Password)}
}

func run(t *testing.T, opt doctor.Options) (doctor.Report, string) {
	t.Helper()
	r := doctor.Run(context.Background(), opt)
	var b bytes.Buffer
	r.Print(&b)
	t.Logf("\n%s", b.String())
	return r, b.String()
}

// want asserts one check's status and that its detail and fix say what
// they must.
func want(t *testing.T, r doctor.Report, name string, st doctor.Status, inDetail, inFix string) {
	t.Helper()
	c, ok := r.Find(name)
	if !ok {
		t.Errorf("no check %q", name)
		return
	}
	if c.Status != st {
		t.Errorf("%s: %s (%s), want %s", name, c.Status, c.Detail, st)
	}
	if !strings.Contains(c.Detail, inDetail) {
		t.Errorf("%s detail %q lacks %q", name, c.Detail, inDetail)
	}
	if !strings.Contains(c.Fix, inFix) {
		t.Errorf("%s fix %q lacks %q", name, c.Fix, inFix)
	}
}

func TestAllGoodWithTestMail(t *testing.T) {
	_, cfg, opt := setup(t)
	opt.Send = true
	r, out := run(t, opt)
	if r.Failed() {
		t.Fatalf("a good config failed")
	}
	want(t, r, "imap login", doctor.OK, "logged in as "+cfg.Mail.IMAP.Username, "")
	want(t, r, "imap mailbox", doctor.OK, `"INBOX"`, "")
	want(t, r, "imap keyword", doctor.OK, "$MailflowDone can be stored", "")
	want(t, r, "imap sent folder", doctor.OK, `"Sent" exists`, "")
	want(t, r, "smtp auth", doctor.OK, "AUTH PLAIN", "")
	want(t, r, "clock", doctor.OK, "within a second", "")
	want(t, r, "send test mail", doctor.OK, "back through IMAP", "")
	want(t, r, "time zone", doctor.OK, "Asia/Jakarta", "")
	want(t, r, "data directory", doctor.OK, "writable", "")
	if !strings.Contains(out, "All checks passed") {
		t.Errorf("no summary")
	}
}

func TestWrongPassword(t *testing.T) {
	_, cfg, opt := setup(t)
	cfg.Mail.IMAP.Password = "salah"
	cfg.Mail.SMTP.Password = "salah"
	r, out := run(t, opt)
	if !r.Failed() {
		t.Fatal("a wrong password passed")
	}
	want(t, r, "imap login", doctor.Fail, "refused", "password_env/password_file")
	want(t, r, "imap mailbox", doctor.Skip, "needs a login", "")
	want(t, r, "smtp auth", doctor.Fail, "refused", "password_env/password_file")
	if !strings.Contains(out, "fix: check [mail.imap] username") || !strings.Contains(out, "FAILED") {
		t.Errorf("the table does not show the fix")
	}
}

func TestMissingMailboxAndSentFolder(t *testing.T) {
	_, cfg, opt := setup(t)
	cfg.Mail.IMAP.Mailbox = "Disposisi"
	cfg.Mail.IMAP.MoveTo = "Arsip/mailflow"
	cfg.Mail.SMTP.SentFolder = "Terkirim"
	r, _ := run(t, opt)
	want(t, r, "imap move_to", doctor.Fail, `"Arsip/mailflow" does not exist`, "set [mail.imap] move_to")
	want(t, r, "imap mailbox", doctor.Fail, `"INBOX"`, "set [mail.imap] mailbox")
	want(t, r, "imap keyword", doctor.Skip, "needs the mailbox", "")
	want(t, r, "imap sent folder", doctor.Fail, `"Terkirim" does not exist`, "set [mail.smtp] sent_folder")
	if !r.Failed() {
		t.Error("exit status would be 0")
	}
}

func TestClockSkew(t *testing.T) {
	_, _, opt := setup(t)
	opt.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
	r, _ := run(t, opt)
	want(t, r, "clock", doctor.Fail, "off the mail server's", "timedatectl set-ntp true")
	if c, _ := r.Find("clock"); !strings.Contains(c.Detail, "10m") && !strings.Contains(c.Detail, "9m5") {
		t.Errorf("clock: %s, want about 10m", c.Detail)
	}
	opt.Now = func() time.Time { return time.Now().Add(45 * time.Second) }
	r, _ = run(t, opt)
	want(t, r, "clock", doctor.Warn, "s off the mail server's", "timedatectl")
}

func TestDataDirNotWritable(t *testing.T) {
	_, _, opt := setup(t)
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o600)
	opt.DataDir = filepath.Join(f, "data")
	r, _ := run(t, opt)
	want(t, r, "data directory", doctor.Fail, "cannot be created", "install -d -m 0700")
}

func TestSendWithoutAdmin(t *testing.T) {
	_, cfg, opt := setup(t)
	cfg.Office.Admin = ""
	opt.Send = true
	r, _ := run(t, opt)
	want(t, r, "send test mail", doctor.Fail, "office.admin is not set", "set office.admin")
}

// TestTLSCertificates puts implicit TLS in front of the test servers with
// good and bad certificates.
func TestTLSCertificates(t *testing.T) {
	ca := newCA(t, "Dinas Test CA")
	other := newCA(t, "Someone Else CA")
	now := time.Now()
	for _, tc := range []struct {
		name         string
		cert         tls.Certificate
		st           doctor.Status
		detail, fix  string
		loginSkipped bool
	}{
		{"good", ca.leaf(t, "localhost", now.AddDate(0, 3, 0)), doctor.OK, "certificate for localhost by Dinas Test CA", "", false},
		{"expiring", ca.leaf(t, "localhost", now.AddDate(0, 0, 5)), doctor.Warn, "(4 days)", "renewed", false},
		{"wrong host", ca.leaf(t, "mail.example.org", now.AddDate(1, 0, 0)), doctor.Fail, "the certificate is for mail.example.org, not localhost", "set [mail.imap] host to a name the certificate lists", true},
		{"expired", ca.leaf(t, "localhost", now.AddDate(0, 0, -2)), doctor.Fail, "expired on", "renew", true},
		{"unknown CA", other.leaf(t, "localhost", now.AddDate(1, 0, 0)), doctor.Fail, "unknown authority (Someone Else CA)", "update-ca-certificates", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, cfg, opt := setup(t)
			for _, s := range []*config.Server{&cfg.Mail.IMAP.Server, &cfg.Mail.SMTP.Server} {
				backend := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
				s.Host, s.Port, s.TLS = "localhost", tlsProxy(t, tc.cert, backend), "implicit"
			}
			_ = env
			opt.TLSConfig = &tls.Config{RootCAs: ca.pool}
			opt.Send = !tc.loginSkipped
			r, _ := run(t, opt)
			want(t, r, "imap tls", tc.st, tc.detail, tc.fix)
			if tc.fix != "" {
				want(t, r, "smtp tls", tc.st, tc.detail, strings.ReplaceAll(tc.fix, "imap", "smtp"))
			}
			if tc.loginSkipped {
				want(t, r, "imap login", doctor.Skip, "verified TLS", "")
				want(t, r, "smtp auth", doctor.Skip, "verified TLS", "")
				return
			}
			want(t, r, "imap login", doctor.OK, "logged in", "")
			want(t, r, "send test mail", doctor.OK, "back through IMAP", "")
		})
	}
}

type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newCA(t *testing.T, name string) *testCA {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().AddDate(-1, 0, 0),
		NotAfter: time.Now().AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

func (ca *testCA) leaf(t *testing.T, host string, notAfter time.Time) tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: notAfter.AddDate(-1, 0, 0), NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsProxy terminates implicit TLS with cert and forwards to backend.
func tlsProxy(t *testing.T, cert tls.Certificate, backend string) int {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				b, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer b.Close()
				go func() { io.Copy(b, c); b.Close() }()
				io.Copy(c, b)
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestSilentServer: a server that accepts connections but never answers
// fails the login check within the timeout instead of hanging.
func TestSilentServer(t *testing.T) {
	_, cfg, opt := setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	cfg.Mail.IMAP.Port = ln.Addr().(*net.TCPAddr).Port
	cfg.Mail.SMTP.Port = cfg.Mail.IMAP.Port
	opt.Timeout = 200 * time.Millisecond
	t0 := time.Now()
	r, _ := run(t, opt)
	want(t, r, "imap login", doctor.Fail, "no IMAP greeting within 800ms", "check [mail.imap] port and tls")
	want(t, r, "smtp auth", doctor.Fail, "no EHLO answer within 800ms", "check [mail.smtp] port and tls")
	// The clients' own read timeouts are a minute: far from it means the
	// doctor's guard worked (a hang guard, not a speed target).
	if took := time.Since(t0); took > 30*time.Second {
		t.Errorf("took %s", took)
	}
}

// TestSizeTooSmall: attachments mailflow accepts must fit in what the
// submission server takes.
func TestSizeTooSmall(t *testing.T) {
	_, cfg, opt := setup(t)
	cfg.Replies.MaxAttachment = 60 << 20
	r, _ := run(t, opt)
	want(t, r, "smtp size", doctor.Warn, "needs about", "lower [replies] max_attachment_mb to")
}

package mailin

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"log/slog"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// The tests here run their own imapserver (not testmail's), because they
// need TLS: implicit TLS on a TLS listener, STARTTLS through
// imapserver.Options.TLSConfig. InsecureAuth stays off, so the server takes
// a password only over TLS.

const tlsTimeout = 10 * time.Second

// selfSigned makes a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailflow test IMAP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

type tlsServer struct {
	port int
	user *imapmemserver.User
}

type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}

// startTLSServer serves one account on 127.0.0.1: over implicit TLS, or in
// plain text offering STARTTLS (startTLS), or in plain text without it
// (cert nil).
func startTLSServer(t *testing.T, cert *tls.Certificate, startTLS bool) *tlsServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("office", "rahasia")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	opt := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger: quietLogger{},
	}
	var ln net.Listener
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cert != nil {
		conf := &tls.Config{Certificates: []tls.Certificate{*cert}}
		if startTLS {
			opt.TLSConfig = conf
		} else {
			ln = tls.NewListener(ln, conf)
		}
	}
	srv := imapserver.New(opt)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &tlsServer{port: ln.Addr().(*net.TCPAddr).Port, user: user}
}

func (s *tlsServer) append(t *testing.T, msg []byte) {
	t.Helper()
	if _, err := s.user.Append("INBOX", bytes.NewReader(msg), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// logRecorder keeps the messages and errors logged at Warn and above.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
	added chan struct{}
}

func newLogRecorder() *logRecorder { return &logRecorder{added: make(chan struct{}, 100)} }

func (r *logRecorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler           { return r }
func (r *logRecorder) WithGroup(string) slog.Handler                { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	line := rec.Message
	rec.Attrs(func(a slog.Attr) bool {
		line += " " + a.Key + "=" + a.Value.String()
		return true
	})
	r.mu.Lock()
	r.lines = append(r.lines, line)
	r.mu.Unlock()
	select {
	case r.added <- struct{}{}:
	default:
	}
	return nil
}

// wait returns the first line containing s, waiting for it.
func (r *logRecorder) wait(t *testing.T, s string) string {
	t.Helper()
	deadline := time.After(tlsTimeout)
	for {
		r.mu.Lock()
		for _, l := range r.lines {
			if strings.Contains(l, s) {
				r.mu.Unlock()
				return l
			}
		}
		r.mu.Unlock()
		select {
		case <-r.added:
		case <-deadline:
			t.Fatalf("no log line with %q after %v: %q", s, tlsTimeout, r.lines)
		}
	}
}

// tlsWatcher returns options for a watcher of srv in the given tls mode.
func tlsWatcher(t *testing.T, srv *tlsServer, mode string, conf *tls.Config) (Options, *fakeHandler) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "mailflow.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &fakeHandler{st: st}
	return Options{
		IMAP: config.IMAP{
			Server:  config.Server{Host: "127.0.0.1", Port: srv.port, TLS: mode, Username: "office", Password: "rahasia"},
			Keyword: keyword,
		},
		Store: st, Handler: h, TLSConfig: conf, Log: testLog(t),
		BackoffBase: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond,
	}, h
}

// runUntilProcessed runs a watcher until it processed one message.
func runUntilProcessed(t *testing.T, opt Options) Processed {
	t.Helper()
	got := make(chan Processed, 1)
	opt.OnProcessed = func(p Processed) { got <- p }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(opt).Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	select {
	case p := <-got:
		return p
	case <-time.After(tlsTimeout):
		t.Fatalf("nothing processed after %v", tlsTimeout)
	}
	return Processed{}
}

// TestImplicitTLS: port 993 style, the CA trusted through Options.TLSConfig.
func TestImplicitTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := startTLSServer(t, &cert, false)
	id := uniq("tls")
	srv.append(t, mkMsg(ours+" lewat TLS", id, 500))
	opt, h := tlsWatcher(t, srv, "implicit", &tls.Config{RootCAs: pool})
	if p := runUntilProcessed(t, opt); p.MessageID != id || !p.Marked {
		t.Errorf("processed %+v", p)
	}
	if _, _, c := h.stats(); len(c) != 1 {
		t.Errorf("%d commits", len(c))
	}
}

// TestStartTLS: port 143 style, upgraded before logging in (the server
// refuses a password in plain text).
func TestStartTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := startTLSServer(t, &cert, true)
	id := uniq("starttls")
	srv.append(t, mkMsg(ours+" lewat STARTTLS", id, 500))
	opt, _ := tlsWatcher(t, srv, "starttls", &tls.Config{RootCAs: pool})
	if p := runUntilProcessed(t, opt); p.MessageID != id || !p.Marked {
		t.Errorf("processed %+v", p)
	}
}

// TestTLSUntrusted: verification is on by default, so a certificate no
// trusted CA signed is refused, with an error that says so; the watcher
// keeps retrying and never gets to the mail.
func TestTLSUntrusted(t *testing.T) {
	for _, mode := range []string{"implicit", "starttls"} {
		t.Run(mode, func(t *testing.T) {
			cert, _ := selfSigned(t)
			srv := startTLSServer(t, &cert, mode == "starttls")
			srv.append(t, mkMsg(ours+" tidak boleh terbaca", uniq("untrusted"), 500))
			opt, h := tlsWatcher(t, srv, mode, nil) // nil: the system roots
			w := New(opt)
			_, _, err := w.connect(context.Background(), make(chan struct{}, 1))
			var verr *tls.CertificateVerificationError
			if !errors.As(err, &verr) {
				t.Fatalf("connect: %v, want a certificate verification error", err)
			}
			var uerr x509.UnknownAuthorityError
			if !errors.As(err, &uerr) || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
				t.Errorf("error %q does not name the unknown authority", err)
			}
			if !strings.Contains(err.Error(), "127.0.0.1") {
				t.Errorf("error %q does not name the server", err)
			}

			// Run logs the refusal once and keeps trying.
			rec := newLogRecorder()
			opt.Log = slog.New(rec)
			opt.OnConnected = func() { t.Error("connected despite the untrusted certificate") }
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- New(opt).Run(ctx) }()
			line := rec.wait(t, "cannot connect")
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
			if !strings.Contains(line, "unknown authority") {
				t.Errorf("logged %q", line)
			}
			if asked, calls, _ := h.stats(); asked != 0 || calls != 0 {
				t.Errorf("the handler saw %d headers and %d bodies", asked, calls)
			}
		})
	}
}

// TestStartTLSNotOffered: a server without STARTTLS is not talked to in
// plain text instead.
func TestStartTLSNotOffered(t *testing.T) {
	srv := startTLSServer(t, nil, false)
	opt, _ := tlsWatcher(t, srv, "starttls", nil)
	c, _, err := New(opt).connect(context.Background(), make(chan struct{}, 1))
	if err == nil {
		c.Close()
		t.Fatal("connected without STARTTLS")
	}
	if !strings.Contains(err.Error(), "starttls") {
		t.Errorf("error %q", err)
	}
}

// TestTLSNoneOnlyLoopback: plain text is refused for any host but
// loopback, before anything is dialled.
func TestTLSNoneOnlyLoopback(t *testing.T) {
	for _, tc := range []struct {
		host, tls string
		ok        bool
	}{
		{"127.0.0.1", "none", true},
		{"::1", "none", true},
		{"localhost", "none", true},
		{"LocalHost", "none", true},
		{"127.0.0.53", "none", true},
		{"mail.example.org", "none", false},
		{"192.0.2.10", "none", false},
		{"10.0.0.1", "none", false},
		{"localhost.example.org", "none", false},
		{"mail.example.org", "implicit", true},
		{"mail.example.org", "starttls", true},
		{"mail.example.org", "", true},
		{"mail.example.org", "ssl", false},
	} {
		err := checkTLSMode(config.Server{Host: tc.host, TLS: tc.tls})
		if (err == nil) != tc.ok {
			t.Errorf("%s with tls %q: %v, want ok=%v", tc.host, tc.tls, err, tc.ok)
		}
	}

	st, err := store.Open(filepath.Join(t.TempDir(), "mailflow.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w := New(Options{
		IMAP:  config.IMAP{Server: config.Server{Host: "mail.example.org", Port: 143, TLS: "none", Username: "u", Password: "p"}},
		Store: st, Handler: &fakeHandler{st: st},
		Dial: func(context.Context, string, string) (net.Conn, error) {
			t.Error("dialled despite tls none to a remote host")
			return nil, errors.New("no")
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), tlsTimeout)
	defer cancel()
	err = w.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("run: %v, want a refusal naming loopback", err)
	}
	if ctx.Err() != nil {
		t.Error("run did not return at once")
	}
}

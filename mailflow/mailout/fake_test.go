package mailout_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// fakeSMTP is a go-smtp server on 127.0.0.1 that records what it accepts
// and fails on demand: a reply code for the next n transactions at a
// stage, or a connection dropped in the middle of DATA.
type fakeSMTP struct {
	srv  *smtp.Server
	ln   net.Listener
	addr string

	mu     sync.Mutex
	faults []fault
	got    []received
	ch     chan received
	conns  int
	// delay is how long each DATA takes to be accepted (a real server
	// queues the mail to disk first); active/peak count transactions in
	// DATA at once.
	delay        time.Duration
	active, peak int
	authFails    int // the next n AUTH answer 454 4.7.0
	auths        int // successful AUTHs
}

type fault struct {
	stage string // "MAIL", "RCPT", "DATA"
	code  int    // 0 = drop the connection mid-DATA
	rcpt  string // RCPT: only this recipient
	left  int
}

type received struct {
	From string
	To   []string
	Data []byte
	At   time.Time
}

func startFake(t testing.TB) *fakeSMTP {
	t.Helper()
	f := &fakeSMTP{ch: make(chan received, 4096), addr: "127.0.0.1:0"}
	if err := f.up(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.down() })
	return f
}

// up (re)starts the server on its address: after down, on the same port.
func (f *fakeSMTP) up() error {
	s := smtp.NewServer(f)
	s.Domain = "fake.test"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxMessageBytes = 64 << 20
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.srv, f.ln, f.addr = s, ln, ln.Addr().String()
	f.mu.Unlock()
	go s.Serve(ln)
	return nil
}

// down stops the server: connections are refused until up.
func (f *fakeSMTP) down() {
	f.mu.Lock()
	s, ln := f.srv, f.ln
	f.mu.Unlock()
	ln.Close() // Serve may not have registered it yet
	s.Close()
}

func (f *fakeSMTP) port() int {
	_, p, _ := net.SplitHostPort(f.addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (f *fakeSMTP) fail(stage string, code, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fault{stage: stage, code: code, left: n})
}

func (f *fakeSMTP) failRcpt(rcpt string, code, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fault{stage: "RCPT", code: code, rcpt: rcpt, left: n})
}

func (f *fakeSMTP) take(stage, rcpt string) (fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.faults {
		ft := &f.faults[i]
		if ft.stage != stage || ft.left <= 0 || ft.rcpt != "" && ft.rcpt != rcpt {
			continue
		}
		ft.left--
		return *ft, true
	}
	return fault{}, false
}

func (f *fakeSMTP) messages() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.got...)
}

// wait returns the next accepted message or fails after a timeout.
func (f *fakeSMTP) wait(t testing.TB) received {
	t.Helper()
	select {
	case r := <-f.ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no message reached the SMTP server")
	}
	return received{}
}

func (f *fakeSMTP) NewSession(c *smtp.Conn) (smtp.Session, error) {
	f.mu.Lock()
	f.conns++
	f.mu.Unlock()
	return &session{f: f, c: c}, nil
}

func (f *fakeSMTP) failAuth(n int) {
	f.mu.Lock()
	f.authFails = n
	f.mu.Unlock()
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		s.f.mu.Lock()
		defer s.f.mu.Unlock()
		if s.f.authFails > 0 {
			s.f.authFails--
			return &smtp.SMTPError{Code: 454, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "Temporary authentication failure"}
		}
		s.f.auths++
		return nil
	}), nil
}

type session struct {
	f    *fakeSMTP
	c    *smtp.Conn
	from string
	to   []string
}

func reply(code int) error {
	switch code {
	case 421:
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "service not available, closing channel"}
	case 451:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "local error, try again later"}
	case 550:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "injected"}
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if ft, ok := s.f.take("MAIL", ""); ok {
		return reply(ft.code)
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ft, ok := s.f.take("RCPT", to); ok {
		return reply(ft.code)
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if ft, ok := s.f.take("DATA", ""); ok {
		if ft.code == 0 {
			var buf [512]byte
			io.ReadAtLeast(r, buf[:], 1)
			s.c.Conn().Close()
			return errors.New("dropped mid-DATA")
		}
		io.Copy(io.Discard, r)
		if ft.code == 421 {
			defer s.c.Conn().Close()
		}
		return reply(ft.code)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		return err
	}
	s.f.mu.Lock()
	s.f.active++
	s.f.peak = max(s.f.peak, s.f.active)
	d := s.f.delay
	s.f.mu.Unlock()
	time.Sleep(d)
	s.f.mu.Lock()
	s.f.active--
	s.f.mu.Unlock()
	m := received{From: s.from, To: s.to, Data: b.Bytes(), At: time.Now()}
	s.f.mu.Lock()
	s.f.got = append(s.f.got, m)
	s.f.mu.Unlock()
	s.f.ch <- m
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

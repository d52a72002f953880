// Package mailserver is an embedded mail server for tests and for running
// mailflow without an outside one: IMAP (go-imap's imapserver over the
// in-memory imapmemserver backend) and SMTP (go-smtp) on loopback only.
//
// Every account has an INBOX and a Sent mailbox. SMTP accepts AUTH PLAIN
// without TLS (it binds only loopback addresses) and also unauthenticated
// mail for the addresses it hosts; either way mail is delivered locally into
// the recipients' INBOXes. Faults lets tests of other packages make either
// protocol fail on demand.
//
// With Options.Dir the mailboxes are also kept on disk (persist.go) and
// come back after a restart or a crash with the same UIDVALIDITY, UIDs and
// flags. Files are renamed into place but not fsynced: a killed process
// loses nothing it acknowledged; a power cut may.
//
// Keywords: imapmemserver stores every flag lower-cased and answers FETCH
// FLAGS with the lower-cased form ("$mailflowdone", "\seen"); its
// PERMANENTFLAGS are the flags in use plus \*, so any keyword can be stored.
// Clients must compare flags case-insensitively (they must anyway: servers
// differ).
package mailserver

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

// Account is a mailbox owner. Address is also the login name.
type Account struct {
	Address  string
	Password string
}

// Options configure Start. Empty addresses mean 127.0.0.1:0 (a random port).
type Options struct {
	IMAPAddr string
	SMTPAddr string
	Accounts []Account
	// Hostname is used in the greetings and Received headers.
	Hostname string
	Logger   *slog.Logger // nil: discard
	Faults   *Faults      // nil: a fresh Faults, see Server.Faults
	// OnDeliver, if set, is called after each message is stored in a
	// mailbox by Deliver or Append (not by IMAP APPEND, COPY or MOVE).
	OnDeliver func(Delivery)
	// UIDValidityAbove makes every mailbox's UIDVALIDITY greater than it.
	// The mailboxes live in memory and number their messages from 1 at
	// every start: a client that remembers UIDs from the previous process
	// (mailflow's cursor) must see a new UIDVALIDITY (RFC 3501 §2.3.1.1).
	// Pass the highest UIDVALIDITY the client stored. With Dir, it applies
	// only to mailboxes created new, not to those restored from disk.
	UIDValidityAbove uint32
	// Dir, if set, keeps every mailbox on disk there (one directory per
	// account and mailbox, see disk): mail, flags, UIDVALIDITY and UIDs
	// survive a restart of the process. Empty: memory only.
	Dir string
}

// Delivery describes one stored message, for OnDeliver.
type Delivery struct {
	User    string
	Mailbox string
	UID     imap.UID
	Time    time.Time
}

// Server is a running embedded mail server. Its mailboxes live in memory and
// survive Stop/Resume and Restart; with Options.Dir they are also on disk
// and survive Close and a crash.
type Server struct {
	log       *slog.Logger
	hostname  string
	faults    *Faults
	onDeliver func(Delivery)
	uidAbove  uint32
	disk      *disk       // nil: memory only
	bearer    oauth.Check // AcceptBearer (oauth.go)

	mu       sync.Mutex
	users    map[string]*account // key: lower-cased address
	imapAddr string
	smtpAddr string
	imap     *imapserver.Server
	smtp     *smtp.Server
	imapLn   *trackingListener
	smtpLn   *trackingListener
	running  bool
	closed   bool
	serveWG  sync.WaitGroup
}

type account struct {
	Account
	mem *imapmemserver.User
}

// ErrClosed is returned by methods of a closed Server.
var ErrClosed = errors.New("mailserver: closed")

// Start creates the accounts and starts serving.
func Start(opts Options) (*Server, error) {
	if opts.IMAPAddr == "" {
		opts.IMAPAddr = "127.0.0.1:0"
	}
	if opts.SMTPAddr == "" {
		opts.SMTPAddr = "127.0.0.1:0"
	}
	for _, a := range []string{opts.IMAPAddr, opts.SMTPAddr} {
		if err := checkLoopback(a); err != nil {
			return nil, err
		}
	}
	if opts.Hostname == "" {
		opts.Hostname = "localhost"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Faults == nil {
		opts.Faults = &Faults{}
	}
	s := &Server{
		log:       opts.Logger,
		hostname:  opts.Hostname,
		faults:    opts.Faults,
		onDeliver: opts.OnDeliver,
		uidAbove:  opts.UIDValidityAbove,
		users:     make(map[string]*account),
		imapAddr:  opts.IMAPAddr,
		smtpAddr:  opts.SMTPAddr,
	}
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("mailserver: %w", err)
		}
		s.disk = &disk{dir: opts.Dir}
	}
	for _, a := range opts.Accounts {
		if err := s.AddAccount(a); err != nil {
			return nil, err
		}
	}
	if err := s.Resume(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkLoopback refuses addresses that are not loopback: the server speaks
// plain text and accepts passwords without TLS.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mailserver: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("mailserver: address %q is not loopback: the embedded server has no TLS and serves 127.0.0.1 or [::1] only", addr)
	}
	return nil
}

// IMAPAddr is the IMAP listener's host:port.
func (s *Server) IMAPAddr() string { s.mu.Lock(); defer s.mu.Unlock(); return s.imapAddr }

// SMTPAddr is the SMTP listener's host:port.
func (s *Server) SMTPAddr() string { s.mu.Lock(); defer s.mu.Unlock(); return s.smtpAddr }

// Faults returns the server's fault injector.
func (s *Server) Faults() *Faults { return s.faults }

// Accounts lists the accounts, for printing to a person.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := make([]Account, 0, len(s.users))
	for _, a := range s.users {
		l = append(l, a.Account)
	}
	return l
}

// Resume starts listening again after Stop, on the same addresses (the ports
// chosen on the first start are kept). Start calls it.
func (s *Server) Resume() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.running {
		return nil
	}
	imapLn, err := listen(s.imapAddr, s.faults.imapWrite)
	if err != nil {
		return fmt.Errorf("mailserver: listen imap: %w", err)
	}
	smtpLn, err := listen(s.smtpAddr, nil)
	if err != nil {
		imapLn.Close()
		return fmt.Errorf("mailserver: listen smtp: %w", err)
	}
	s.imapAddr, s.smtpAddr = imapLn.Addr().String(), smtpLn.Addr().String()
	s.imapLn, s.smtpLn = imapLn, smtpLn

	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &imapSession{s: s}, nil, nil
		},
		// MOVE needs IMAP4rev2 (or CapMove) advertised; imapmemserver
		// implements both.
		Caps: imap.CapSet{
			imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {},
			imap.CapMove: {}, imap.CapUIDPlus: {}, imap.CapNamespace: {},
			imap.CapESearch: {}, imap.CapListStatus: {}, imap.CapStatusSize: {},
			imap.CapChildren: {}, imap.CapLiteralPlus: {},
		},
		Logger:       printfLogger{s.log.With("proto", "imap")},
		InsecureAuth: true,
	})
	s.smtp = smtp.NewServer(&smtpBackend{s: s})
	s.smtp.Domain = s.hostname
	s.smtp.AllowInsecureAuth = true
	s.smtp.MaxMessageBytes = 64 << 20
	s.smtp.MaxRecipients = 100
	s.smtp.ReadTimeout = 5 * time.Minute
	s.smtp.WriteTimeout = time.Minute
	s.smtp.EnableSMTPUTF8 = true
	s.smtp.ErrorLog = printfLogger{s.log.With("proto", "smtp")}

	s.running = true
	imapSrv, smtpSrv := s.imap, s.smtp
	s.serveWG.Add(2)
	go func() {
		defer s.serveWG.Done()
		if err := imapSrv.Serve(imapLn); err != nil {
			s.log.Debug("imap serve ended", "err", err)
		}
	}()
	go func() {
		defer s.serveWG.Done()
		if err := smtpSrv.Serve(smtpLn); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			s.log.Debug("smtp serve ended", "err", err)
		}
	}()
	s.log.Info("mail server listening", "imap", s.imapAddr, "smtp", s.smtpAddr)
	return nil
}

// Stop closes the listeners and every connection, keeping the mailboxes.
// Clients see the server go away until Resume.
func (s *Server) Stop() error {
	s.mu.Lock()
	if !s.running {
		s.mu.Unlock()
		return nil
	}
	s.running = false
	imapSrv, smtpSrv := s.imap, s.smtp
	imapLn, smtpLn := s.imapLn, s.smtpLn
	s.mu.Unlock()

	// Close the tracked connections first: imapserver.Close waits for
	// sessions, and an IDLE session only ends when its socket does.
	imapLn.Close()
	smtpLn.Close()
	imapLn.closeConns()
	smtpLn.closeConns()
	errIMAP := imapSrv.Close()
	errSMTP := smtpSrv.Close()
	if errors.Is(errSMTP, smtp.ErrServerClosed) || errors.Is(errSMTP, net.ErrClosed) {
		errSMTP = nil
	}
	if errIMAP != nil && errors.Is(errIMAP, net.ErrClosed) {
		errIMAP = nil
	}
	s.serveWG.Wait()
	return errors.Join(errIMAP, errSMTP)
}

// Restart is Stop then Resume: the same ports and mailboxes, all clients
// disconnected.
func (s *Server) Restart() error {
	if err := s.Stop(); err != nil {
		s.log.Debug("stop before restart", "err", err)
	}
	return s.Resume()
}

// Close stops the server for good.
func (s *Server) Close() error {
	err := s.Stop()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	return err
}

// DropIMAPConnections closes every open IMAP connection without a BYE, as a
// crashed server or a broken network would. The listener stays open.
func (s *Server) DropIMAPConnections() int {
	s.mu.Lock()
	ln := s.imapLn
	s.mu.Unlock()
	if ln == nil {
		return 0
	}
	return ln.closeConns()
}

// DropSMTPConnections closes every open SMTP connection.
func (s *Server) DropSMTPConnections() int {
	s.mu.Lock()
	ln := s.smtpLn
	s.mu.Unlock()
	if ln == nil {
		return 0
	}
	return ln.closeConns()
}

// printfLogger adapts slog to the Printf loggers of imapserver and go-smtp.
type printfLogger struct{ l *slog.Logger }

func (p printfLogger) Printf(format string, v ...any) {
	p.l.Debug(strings.TrimSpace(fmt.Sprintf(format, v...)))
}

func (p printfLogger) Println(v ...any) { p.l.Debug(strings.TrimSpace(fmt.Sprintln(v...))) }

var _ io.Closer = (*Server)(nil)

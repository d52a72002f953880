package mailout

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// Sender submits one message. rejected lists recipients refused with a
// 5xx while the others were accepted; err is the whole transaction's
// failure (an *Error).
type Sender interface {
	Send(ctx context.Context, from string, to []string, msg io.WriterTo) (rejected []*Error, err error)
}

// DialFunc dials the submission server (tests inject their own).
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// SMTP submits over SMTP: port 587 with STARTTLS or 465 with implicit TLS,
// certificates verified, authenticated; plain text only to a loopback
// host. It keeps one connection open between mails (RSET before reuse) and
// drops it on any error or on Close.
type SMTP struct {
	cfg     config.SMTP
	helo    string
	tlsConf *tls.Config
	dial    DialFunc
	timeout time.Duration

	mu   sync.Mutex
	conn *smtp.Client
	cli  *mail.Client
}

// SMTPOptions tune NewSMTP; all optional.
type SMTPOptions struct {
	Helo      string      // EHLO name; default the office domain or "localhost"
	TLSConfig *tls.Config // e.g. extra roots in tests; ServerName is set
	Dial      DialFunc
	Timeout   time.Duration // per command and per data chunk; default 2 minutes
}

// NewSMTP checks the settings and returns a sender.
func NewSMTP(cfg config.SMTP, opt SMTPOptions) (*SMTP, error) {
	if cfg.Host == "" || cfg.Port <= 0 {
		return nil, errors.New("smtp: host and port are required ([mail.smtp] host, port)")
	}
	switch cfg.TLS {
	case "implicit", "starttls":
	case "none":
		if !IsLoopback(cfg.Host) {
			return nil, fmt.Errorf("smtp: tls = \"none\" is allowed only to a loopback host, not %s (use starttls on 587 or implicit on 465)", cfg.Host)
		}
	default:
		return nil, fmt.Errorf("smtp: unknown tls mode %q (use \"starttls\", \"implicit\" or, on loopback, \"none\")", cfg.TLS)
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if opt.TLSConfig != nil {
		tc = opt.TLSConfig.Clone()
	}
	tc.ServerName = cfg.Host
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Minute
	}
	if opt.Helo == "" {
		opt.Helo = "localhost"
	}
	return &SMTP{cfg: cfg, helo: opt.Helo, tlsConf: tc, dial: opt.Dial, timeout: opt.Timeout}, nil
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (s *SMTP) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(s.timeout), mail.WithHELO(s.helo),
		mail.WithTLSConfig(s.tlsConf)}
	switch s.cfg.TLS {
	case "implicit":
		opts = append(opts, mail.WithSSL())
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	switch {
	case s.cfg.Token != nil: // [mail.oauth]
		opts = append(opts, mail.WithSMTPAuthCustom(newOAuthAuth(s.cfg.Server)))
	case s.cfg.Username == "":
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthNoAuth))
	case s.cfg.TLS == "none":
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlainNoEnc))
	default:
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password.Reveal()))
	}
	if s.dial != nil {
		opts = append(opts, mail.WithDialContextFunc(mail.DialContextFunc(s.dial)))
	}
	return mail.NewClient(s.cfg.Host, opts...)
}

// connection returns the open connection, or dials a new one.
func (s *SMTP) connection(ctx context.Context) (*smtp.Client, error) {
	if s.conn != nil {
		if err := s.conn.Reset(); err == nil {
			return s.conn, nil
		}
		s.drop()
	}
	cli, err := s.client()
	if err != nil {
		return nil, &Error{Stage: "connect", Err: err, Msg: err.Error()}
	}
	c, err := cli.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, classify("connect", "", fmt.Errorf("%s: %w", s.cfg.Addr(), err))
	}
	s.cli, s.conn = cli, c
	return c, nil
}

func (s *SMTP) drop() {
	if s.conn != nil {
		s.conn.Close()
	}
	s.conn, s.cli = nil, nil
}

// Probe opens the connection (greeting, EHLO, TLS, AUTH), or checks the
// kept one with RSET, without sending: the worker asks while the server
// is unreachable. The connection is kept for the next mail.
func (s *SMTP) Probe(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.connection(ctx)
	return err
}

// Close ends the kept connection politely.
func (s *SMTP) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Quit()
	}
	s.drop()
	return nil
}

// Send runs one SMTP transaction (RFC 5321 §3.3). A 4xx for any recipient
// makes the whole transaction transient, so that a retry reaches everyone;
// 5xx recipients are reported in rejected while the rest get the mail.
func (s *SMTP) Send(ctx context.Context, from string, to []string, msg io.WriterTo) (rejected []*Error, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.connection(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.drop() // a failed connection is never reused
		}
	}()
	if stop := context.AfterFunc(ctx, func() { c.Close() }); stop != nil {
		defer stop()
	}
	c.UpdateDeadline(s.timeout)
	if err := c.Mail(from); err != nil {
		return nil, classify("MAIL", "", err)
	}
	var accepted int
	for _, r := range to {
		err := c.Rcpt(r)
		if err == nil {
			accepted++
			continue
		}
		e := classify("RCPT", r, err)
		if !e.Permanent {
			c.Reset()
			return nil, e
		}
		rejected = append(rejected, e)
	}
	if accepted == 0 {
		c.Reset()
		if len(rejected) == 1 {
			return nil, rejected[0]
		}
		return nil, &Error{Permanent: true, Stage: "RCPT", Code: rejected[0].Code, Msg: rejected[0].Msg,
			Recipient: strings.Join(to, ", "), Err: errors.Join(errs(rejected)...)}
	}
	w, err := c.Data()
	if err != nil {
		return nil, classify("DATA", "", err)
	}
	if _, err := msg.WriteTo(deadlineWriter{w, c, s.timeout}); err != nil {
		return nil, classify("DATA", "", err)
	}
	if err := w.Close(); err != nil {
		return nil, classify("DATA", "", err)
	}
	return rejected, nil
}

func errs(es []*Error) []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// deadlineWriter extends the connection deadline as data flows, so that a
// large attachment is bounded per chunk, not as a whole.
type deadlineWriter struct {
	w       io.Writer
	c       *smtp.Client
	timeout time.Duration
}

func (d deadlineWriter) Write(p []byte) (int, error) {
	d.c.UpdateDeadline(d.timeout)
	return d.w.Write(p)
}

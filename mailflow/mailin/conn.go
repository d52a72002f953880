package mailin

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

// checkTLSMode refuses plain text to anything but loopback: the password
// would cross the network in the clear.
func checkTLSMode(s config.Server) error {
	switch s.TLS {
	case "implicit", "starttls", "":
		return nil
	case "none":
		if !isLoopback(s.Host) {
			return fmt.Errorf("mailin: tls \"none\" to %s: plain text is allowed only to a loopback host", s.Host)
		}
		return nil
	}
	return fmt.Errorf("mailin: unknown tls mode %q", s.TLS)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// liveConn remembers when the server last sent anything. imapclient puts
// no deadline on the first byte of an answer, so a connection that died
// silently would hang any command forever; guard closes it instead.
type liveConn struct {
	net.Conn
	last    atomic.Int64 // unix nanoseconds of the last read or busy(true)
	waiting atomic.Bool  // a command awaits an answer
}

func (c *liveConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// busy says whether silence from the server is suspicious (a command is
// outstanding) or expected (IDLE, a poll interval, the Handler working).
func (c *liveConn) busy(b bool) {
	if b {
		c.last.Store(time.Now().UnixNano())
	}
	c.waiting.Store(b)
}

// guard closes c when a command has had no answer for timeout.
func (c *liveConn) guard(ctx context.Context, timeout time.Duration, log *slog.Logger) {
	t := time.NewTicker(timeout / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if c.waiting.Load() && time.Since(time.Unix(0, c.last.Load())) > timeout {
			log.Debug("no answer from the server, closing the connection", "timeout", timeout)
			c.Conn.Close()
			return
		}
	}
}

// connect dials, secures and authenticates a connection. The client reports
// EXISTS updates on poke. The guard runs until ctx ends.
func (w *Watcher) connect(ctx context.Context, poke chan<- struct{}) (*imapclient.Client, *liveConn, error) {
	srv := w.opt.IMAP.Server
	addr := net.JoinHostPort(srv.Host, fmt.Sprint(srv.Port))
	conn, err := w.opt.Dial(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	raw := &liveConn{Conn: conn}
	raw.busy(true)
	go raw.guard(ctx, w.opt.CommandTimeout, w.log)
	tlsConf := w.opt.TLSConfig.Clone()
	if tlsConf == nil {
		tlsConf = &tls.Config{}
	}
	if tlsConf.ServerName == "" {
		tlsConf.ServerName = srv.Host
	}
	copts := &imapclient.Options{
		TLSConfig: tlsConf,
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages == nil {
					return
				}
				select { // runs on the reader goroutine: never block
				case poke <- struct{}{}:
				default:
				}
			},
		},
	}
	var c *imapclient.Client
	switch srv.TLS {
	case "implicit", "":
		if tlsConf.NextProtos == nil {
			tlsConf.NextProtos = []string{"imap"}
		}
		tc := tls.Client(raw, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, nil, fmt.Errorf("tls handshake with %s: %w", addr, err)
		}
		c = imapclient.New(tc, copts)
	case "starttls":
		c, err = imapclient.NewStartTLS(raw, copts)
		if err != nil {
			return nil, nil, fmt.Errorf("starttls with %s: %w", addr, err)
		}
	default: // "none", loopback only (checkTLSMode)
		c = imapclient.New(raw, copts)
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("greeting from %s: %w", addr, err)
	}
	if err := w.login(c); err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, raw, nil
}

// login prefers AUTHENTICATE PLAIN and falls back to LOGIN.
func (w *Watcher) login(c *imapclient.Client) error {
	srv := w.opt.IMAP.Server
	if srv.Token != nil { // [mail.oauth]
		return oauth.IMAPLogin(c, srv.Username, srv.Token)
	}
	caps := c.Caps()
	if caps.Has(imap.Cap("AUTH=PLAIN")) || caps.Has(imap.CapLoginDisabled) {
		if err := c.Authenticate(sasl.NewPlainClient("", srv.Username, srv.Password.Reveal())); err != nil {
			return fmt.Errorf("authenticate plain as %s: %w", srv.Username, err)
		}
		return nil
	}
	if err := c.Login(srv.Username, srv.Password.Reveal()).Wait(); err != nil {
		return fmt.Errorf("login as %s: %w", srv.Username, err)
	}
	return nil
}

// hasFlag compares flags case-insensitively: imapmemserver lower-cases
// keywords, Dovecot keeps their case (RFC 3501 §2.3.2 says flags are
// case-insensitive).
func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, g := range flags {
		if strings.EqualFold(string(g), string(f)) {
			return true
		}
	}
	return false
}

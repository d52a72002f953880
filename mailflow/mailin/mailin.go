// Package mailin watches the office mailbox over IMAP: it finds new mail
// with IDLE (or polling), fetches each message's headers, asks the Handler
// whether the message is ours, streams only our messages to it, and marks
// them once the Handler has committed. Everything else in the mailbox is left
// exactly as it was: no flags, no moves, \Seen untouched (BODY.PEEK only).
//
// Exactly once rests on the store, not on the server: the Handler marks a
// message processed (store.Inbound) in the transaction that applies it, the
// cursor (UIDVALIDITY, last UID) only moves past a message after that
// commit, and before fetching a body the watcher asks the store whether the
// message (by place or by Message-ID) was processed before. The keyword set
// afterwards is for the humans reading the mailbox.
//
// One bad message never stops the mailbox: a Handler error marked
// Permanent quarantines the message at once (a store row, the keyword
// $MailflowQuarantine, Options.OnQuarantine) and the watcher goes on with
// the next UID; any other error is retried, in UID order, after growing
// waits, and the message is quarantined after IMAP.MaxAttempts attempts
// (counted in the store, so restarts do not reset them).
package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-message/mail"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Header is what the first pass fetches for every new message: the
// envelope and the header fields named by HeaderFields.
type Header struct {
	UID uint32
	// MessageID, InReplyTo and References are message IDs without the
	// angle brackets.
	MessageID     string
	InReplyTo     string
	References    []string
	Subject       string   // decoded (RFC 2047)
	From          string   // the first From address, e.g. "a@example.org"
	To            []string // To and Cc addresses
	AutoSubmitted string
	ContentType   string
	// Raw, when set, holds the header fields parsed. The watcher leaves it
	// empty and keeps the fields as fetched instead, parsed only when
	// asked: read any other field with Get, or all of them with Fields
	// (both also read Raw when it is set, e.g. in tests).
	Raw      mail.Header
	Envelope *imap.Envelope
	Flags    []imap.Flag
	Size     int64  // RFC822.SIZE
	raw      string // the header fields as fetched in pass 1
}

// Message is a message the Handler wanted, with its body streamed straight
// from the connection.
type Message struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
	Header      Header
	// Body is the whole message (BODY.PEEK[]) as it arrives; it is valid
	// only during Process. Reading it to the end returns
	// io.ErrUnexpectedEOF if the connection broke before the last byte.
	Body io.Reader
	Size int64
}

// Inbound is the marker to record in the transaction that applies m.
func (m *Message) Inbound() store.Inbound {
	return store.Inbound{Mailbox: m.Mailbox, UIDValidity: m.UIDValidity, UID: m.UID, MessageID: m.Header.MessageID}
}

// Handler understands messages; the watcher only moves them.
type Handler interface {
	// Wanted decides from the headers whether to fetch the whole message
	// (it correlates to a run, or matches the trigger rule). A message not
	// wanted is not ours: it is left as it was and never asked about again.
	Wanted(ctx context.Context, h Header) (bool, error)
	// Process reads the whole message and applies it, marking it processed
	// (m.Inbound()) in the same transaction as its event. It returns
	// store.ErrDuplicate when the message was processed before; an error
	// wrapping ErrSkip for a message that is not ours after all (it is
	// left alone); Permanent(err) for a message that can never be
	// processed (it is quarantined at once). Any other error is transient:
	// the message is fetched and tried again after a growing wait, and
	// quarantined after IMAP.MaxAttempts attempts. An error from Wanted is
	// treated the same way.
	Process(ctx context.Context, m *Message) error
}

// ErrSkip, wrapped in an error from Handler, means "never retry this
// message": the watcher logs it and moves on without marking it.
var ErrSkip = errors.New("skip message")

// Processed tells Options.OnProcessed what became of a wanted message.
type Processed struct {
	UIDValidity, UID uint32
	MessageID        string
	// Duplicate is set when the store already knew the message: it was
	// not applied again (and, if found before pass 2, not fetched again).
	Duplicate bool
	// Committed is when Process returned (Now), before marking.
	Committed time.Time
	Marked    bool // the keyword is set (now or before)
	Moved     bool
}

// SyncReport tells Options.OnSynced about one completed catch-up pass.
type SyncReport struct {
	UIDValidity, LastUID uint32
	Headers              int // messages fetched in pass 1
	Wanted               int
	Bodies               int // messages fetched in pass 2
	Quarantined          int // given up now, or met again
	Took                 time.Duration
}

// Options configure a Watcher. IMAP, Store and Handler are required.
type Options struct {
	IMAP    config.IMAP
	Store   *store.Store
	Handler Handler
	Log     *slog.Logger // nil: discard
	// Dial opens the TCP connection (TLS is layered on top). Nil: a
	// net.Dialer with a 30 s timeout and TCP keep-alives.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLSConfig is cloned for every connection; nil verifies against the
	// system roots. ServerName defaults to the configured host.
	TLSConfig *tls.Config
	Now       func() time.Time // nil: time.Now
	// Watchdog is how long IDLE may run before it is stopped and the
	// mailbox searched, which also proves the connection alive (IDLE dies
	// silently). Default 4 min; capped at 25 min (RFC 2177 §3: servers
	// may drop an IDLE after 30 min).
	Watchdog time.Duration
	// CommandTimeout bounds the watchdog's round trip. Default 30 s.
	CommandTimeout time.Duration
	// BackoffBase and BackoffMax shape reconnects. Default 1 s and 4 min.
	BackoffBase, BackoffMax time.Duration
	// ExtraHeaders are fetched in pass 1 besides DefaultHeaderFields.
	ExtraHeaders []string
	// ChunkSize is how many messages one pass-1 FETCH asks for; it bounds
	// the wanted headers held before pass 2. Default 2000.
	ChunkSize int
	// OnProcessed, if set, is called for every wanted message after its
	// commit and marking. OnSynced after every catch-up pass.
	OnProcessed func(Processed)
	OnSynced    func(SyncReport)
	// OnConnected is called after each successful SELECT.
	OnConnected func()
	// OnState, if set, is told of connects, losses and IDLE restarts.
	OnState func(State)
	// OnQuarantine, if set, is called when a message is given up, right
	// after the store recorded it.
	OnQuarantine func(Quarantined)
	// RetryBase and RetryMax shape the waits between attempts at a
	// message whose Handler failed transiently (IMAP.MaxAttempts, default
	// config.DefaultMaxAttempts, attempts in all). Default 30 s and 10
	// min: 5 attempts span about 4 to 8 minutes.
	RetryBase, RetryMax time.Duration
	// After waits before a reconnect or a retry; nil: a timer on the wall
	// clock. Tests pass one that records the waits and fires at once.
	After func(time.Duration) <-chan time.Time
}

// DefaultHeaderFields are fetched in pass 1: enough to correlate a message
// to a run, recognise a trigger and spot automatic mail.
var DefaultHeaderFields = []string{
	"Message-ID", "In-Reply-To", "References", "Subject", "From", "To", "Cc",
	"Date", "Reply-To", "Sender", "Auto-Submitted", "Precedence",
	"X-Auto-Response-Suppress", "Content-Type",
}

// Watcher watches one mailbox. Create it with New and start it with Run.
type Watcher struct {
	opt         Options
	log         *slog.Logger
	mailbox     string
	fields      []string
	maxAttempts int
	// unrecorded counts failures in a row the store could not record
	// (only the Run goroutine touches it).
	unrecorded int
}

// New applies defaults to opt and returns a Watcher.
func New(opt Options) *Watcher {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Dial == nil {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: time.Minute}
		opt.Dial = d.DialContext
	}
	if opt.Watchdog <= 0 {
		opt.Watchdog = 4 * time.Minute
	}
	opt.Watchdog = min(opt.Watchdog, 25*time.Minute)
	if opt.CommandTimeout <= 0 {
		opt.CommandTimeout = 30 * time.Second
	}
	if opt.BackoffBase <= 0 {
		opt.BackoffBase = time.Second
	}
	if opt.BackoffMax <= 0 {
		opt.BackoffMax = 4 * time.Minute
	}
	if opt.RetryBase <= 0 {
		opt.RetryBase = 30 * time.Second
	}
	if opt.RetryMax <= 0 {
		opt.RetryMax = 10 * time.Minute
	}
	if opt.After == nil {
		opt.After = time.After
	}
	maxAttempts := opt.IMAP.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = config.DefaultMaxAttempts
	}
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = 2000
	}
	if opt.IMAP.PollInterval <= 0 {
		opt.IMAP.PollInterval = time.Minute
	}
	mailbox := opt.IMAP.Mailbox
	if mailbox == "" {
		mailbox = "INBOX"
	}
	fields := append(append([]string(nil), DefaultHeaderFields...), opt.ExtraHeaders...)
	return &Watcher{opt: opt, log: opt.Log.With("mailbox", mailbox), mailbox: mailbox, fields: fields, maxAttempts: maxAttempts}
}

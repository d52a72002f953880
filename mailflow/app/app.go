// Package app assembles a running mailflow from a config: the store, the
// attachment files, the engine, the outbox worker, the IMAP watcher with
// its intake, and in embedded mode the built-in mail servers. cmd/mailflow
// run and demo, and the end-to-end tests, all build it here.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/intake"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/metrics"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Options adjust an App for the demo and tests.
type Options struct {
	Now func() time.Time // the clock; nil: time.Now
	// DataDir overrides the config's data_dir.
	DataDir string
	// Embedded: use these running servers instead of starting them.
	Server *mailserver.Server
	// Passwords of the embedded accounts (address → password); generated
	// and kept in the data dir when nil.
	Passwords map[string]string
	// PollInterval overrides the IMAP poll/watchdog interval.
	PollInterval time.Duration
	// MaxWait caps the workers' idle waits, so that an accelerated clock
	// is noticed (the demo); 0 keeps their defaults.
	MaxWait time.Duration
	// OnProcessed and OnSent observe the mail-in and mail-out sides.
	OnProcessed func(mailin.Processed)
	OnSent      func(mailout.Outcome)
	// WrapHandler, if set, wraps the intake the watcher calls: tests
	// inject faults (a message that cannot be processed) through it.
	WrapHandler func(mailin.Handler) mailin.Handler
}

// App is a wired mailflow.
type App struct {
	Cfg     *config.Config
	Log     *slog.Logger
	Store   *store.Store
	Blobs   *blob.Store
	Engine  *engine.Engine
	Outbox  *mailout.Worker
	Watcher *mailin.Watcher
	Intake  *intake.Intake
	Daemon  *daemon.Daemon
	Metrics *metrics.Metrics // the Prometheus registry and the live IMAP/SMTP state
	// Server is the embedded mail server (nil in external mode) and
	// Accounts its logins.
	Server   *mailserver.Server
	Accounts []mailserver.Account
	ownsSrv  bool
	alerts   *quarantineAlerts
}

// DataDir resolves the config's data dir relative to the config file.
func DataDir(cfg *config.Config) string {
	dir := cfg.DataDir
	if !filepath.IsAbs(dir) && cfg.Path != "" {
		dir = filepath.Join(filepath.Dir(cfg.Path), dir)
	}
	return dir
}

// StoreAt is where the store is: the [store] URL, or mailflow.db in dir.
func StoreAt(cfg *config.Config, dir string) string {
	if cfg.Store.Postgres() {
		return cfg.Store.URL.Reveal()
	}
	return filepath.Join(dir, "mailflow.db")
}

// openBlobs opens the attachments: files in dir, or the database's table
// cached there ([store] attachments = "database").
func openBlobs(cfg *config.Config, st *store.Store, dir string) (*blob.Store, error) {
	if cfg.Store.Attachments != "database" {
		return blob.Open(filepath.Join(dir, "attachments"))
	}
	tab, err := st.BlobTable(context.Background())
	if err != nil {
		return nil, err
	}
	return blob.OpenRemote(filepath.Join(dir, "attachment-cache"), tab)
}

// Build wires everything but starts nothing except the embedded servers.
func Build(cfg *config.Config, log *slog.Logger, opt Options) (*App, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	dir := opt.DataDir
	if dir == "" {
		dir = DataDir(cfg)
	}
	a := &App{Cfg: cfg, Log: log}
	ok := false
	defer func() {
		if !ok {
			a.Close()
		}
	}()
	var err error
	if a.Store, err = store.Open(StoreAt(cfg, dir), store.Options{}); err != nil {
		if cfg.Store.Postgres() {
			return nil, err
		}
		return nil, fmt.Errorf("%w (check that data_dir %q is writable)", err, dir)
	}
	// On PostgreSQL nothing has made data_dir yet (SQLite's file did):
	// it holds the attachment cache and the embedded mailboxes.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data_dir: %w", err)
	}
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	if a.Blobs, err = openBlobs(cfg, a.Store, dir); err != nil {
		return nil, err
	}
	a.Engine = engine.New(a.Store, flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}, log)
	a.Engine.Now = opt.Now
	a.Metrics = metrics.New(a.Store, a.Engine.Env, Version(), opt.Now)
	a.Engine.Observe = a.Metrics.Committed
	a.Daemon = daemon.New(a.Engine, log)
	if opt.MaxWait > 0 {
		a.Daemon.MaxSleep = opt.MaxWait // the demo's accelerated clock
	}

	imapCfg, smtpCfg := cfg.Mail.IMAP, cfg.Mail.SMTP
	if cfg.Mail.Mode == "embedded" {
		if err := a.embedded(dir, opt); err != nil {
			return nil, err
		}
		pw := a.password(cfg.Office.Mailbox)
		imapCfg = config.IMAP{Server: server(a.Server.IMAPAddr(), cfg.Office.Mailbox, pw), Mailbox: "INBOX",
			PollInterval: time.Minute, Keyword: "$MailflowDone", MaxAttempts: cfg.Mail.IMAP.MaxAttempts}
		smtpCfg = config.SMTP{Server: server(a.Server.SMTPAddr(), cfg.Office.Mailbox, pw), SentFolder: "Sent", MaxPerHour: 60}
	}
	if err := a.useOAuth(dir, &imapCfg, &smtpCfg); err != nil { // oauth.go
		return nil, err
	}
	if opt.PollInterval > 0 {
		imapCfg.PollInterval = opt.PollInterval
	}
	rnd, err := render.New(render.Options{Dir: cfg.TemplatesDir, Office: &cfg.Office, DayMinutes: cfg.Calendar.MinutesPerDay()})
	if err != nil {
		return nil, fmt.Errorf("load mail templates: %w (check office.templates_dir)", err)
	}
	var sent *config.IMAP
	if smtpCfg.SentFolder != "" {
		s := imapCfg
		sent = &s
	}
	if opt.MaxWait == 0 {
		// "mailflow start" in another process queues mail the worker can
		// only find by looking: look every few seconds.
		opt.MaxWait = 5 * time.Second
	}
	a.Outbox, err = mailout.New(mailout.Options{Store: a.Store, Engine: a.Engine, Renderer: rnd, Blobs: a.Blobs,
		Office: mailout.Office{Name: cfg.ShortName, Mailbox: cfg.Office.Mailbox, PlusAddressing: cfg.Mail.PlusAddressing},
		Cal:    &cfg.Calendar, SMTP: smtpCfg, SentIMAP: sent, Log: log.With("component", "mailout"), Now: opt.Now, MaxWait: opt.MaxWait,
		Conns: cfg.Mail.SMTP.Conns})
	if err != nil {
		return nil, err
	}
	a.Outbox.Observe(func(o mailout.Outcome) {
		a.Metrics.Mail(o)
		if opt.OnSent != nil {
			opt.OnSent(o)
		}
	})
	a.Engine.Notify = a.Outbox.Kick
	a.Intake = &intake.Intake{Engine: a.Engine, Config: cfg, Blobs: a.Blobs, Log: log.With("component", "intake")}
	a.alerts = newQuarantineAlerts(log.With("component", "mailin"), opt.Now, a.Engine)
	var handler mailin.Handler = a.Intake
	if opt.WrapHandler != nil {
		handler = opt.WrapHandler(handler)
	}
	a.Watcher = mailin.New(mailin.Options{IMAP: imapCfg, Store: a.Store, Handler: handler, Log: log.With("component", "mailin"),
		Now: opt.Now, OnProcessed: func(p mailin.Processed) {
			a.Metrics.IMAPProcessed(p)
			if opt.OnProcessed != nil {
				opt.OnProcessed(p)
			}
		}, OnQuarantine: a.alerts.add, OnState: a.Metrics.IMAPState, OnSynced: a.Metrics.IMAPSynced})
	a.Daemon.Components["mailin"] = a.Watcher
	if cfg.Store.Postgres() { // instances may share the store: one watches
		a.Daemon.Components["mailin"] = &daemon.Leased{Store: a.Store, Name: MailboxLease(imapCfg), Holder: daemon.Instance(),
			Inner: a.Watcher, Log: log.With("component", "mailin")}
	}
	a.Daemon.Components["mailout"] = a.Outbox
	ok = true
	return a, nil
}

// MailboxLease names the lease of a watched mailbox.
func MailboxLease(c config.IMAP) string {
	return fmt.Sprintf("mailbox:%s@%s/%s", c.Username, c.Addr(), c.Mailbox)
}

// server describes one of the embedded servers (always loopback, no TLS).
func server(addr, user, pw string) config.Server {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return config.Server{Host: host, Port: p, TLS: "none", Username: user, Password: config.Secret(pw)}
}

// embedded starts (or adopts) the built-in servers with one account per
// person plus the office mailbox and the admin.
func (a *App) embedded(dir string, opt Options) error {
	cfg := a.Cfg
	addrs := []string{cfg.Office.Mailbox}
	if cfg.Office.Admin != "" {
		addrs = append(addrs, cfg.Office.Admin)
	}
	for _, p := range cfg.Office.People {
		addrs = append(addrs, p.Email)
	}
	pws := opt.Passwords
	if pws == nil {
		var err error
		if pws, err = loadPasswords(filepath.Join(dir, "embedded-accounts.txt"), addrs); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, ad := range addrs {
		if !seen[ad] {
			seen[ad] = true
			a.Accounts = append(a.Accounts, mailserver.Account{Address: ad, Password: pws[ad]})
		}
	}
	if opt.Server != nil {
		a.Server = opt.Server
		for _, acc := range a.Accounts {
			a.Server.AddAccount(acc)
		}
		return nil
	}
	// The embedded mailboxes are kept under data/mail and come back with
	// their UIDVALIDITY and UIDs, so the watcher's cursor stays valid. A
	// mailbox created new (first start, or data from a version that kept
	// mail in memory) gets a UIDVALIDITY above the stored one, which tells
	// the watcher that its cursor no longer applies.
	var above uint32
	err := a.Store.View(context.Background(), func(tx *store.Tx) (err error) {
		above, _, err = tx.Cursor("INBOX")
		return err
	})
	if err != nil {
		return err
	}
	srv, err := mailserver.Start(mailserver.Options{IMAPAddr: cfg.Mail.EmbeddedIMAP, SMTPAddr: cfg.Mail.EmbeddedSMTP,
		Accounts: a.Accounts, Hostname: "mailflow.localhost", Logger: a.Log.With("component", "mailserver"), UIDValidityAbove: above,
		Dir: filepath.Join(dir, "mail")})
	if err != nil {
		return fmt.Errorf("start the embedded mail servers on %s and %s: %w (another mailflow running? set mail.embedded_imap/embedded_smtp to free ports)",
			cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP, err)
	}
	a.Server, a.ownsSrv = srv, true
	return nil
}

// privateDir makes the data directory and everything in it readable by
// mailflow's user only (0700 directories, 0600 files): replies,
// attachments and the embedded accounts' passwords live there. Files an
// older mailflow left readable by others are tightened at start.
func privateDir(dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&os.ModeSymlink != 0 {
			return nil // chmod would follow it out of the data dir
		}
		mode := os.FileMode(0o600)
		if d.IsDir() {
			mode = 0o700
		}
		if info, err := d.Info(); err == nil && info.Mode().Perm() == mode {
			return nil
		}
		if err := os.Chmod(path, mode); err != nil {
			return fmt.Errorf("make %s private: %w", path, err)
		}
		return nil
	})
}

func (a *App) password(addr string) string {
	for _, acc := range a.Accounts {
		if acc.Address == addr {
			return acc.Password
		}
	}
	return ""
}

// loadPasswords keeps one random password per embedded account in a file
// (mode 0600), so a mail client set up once keeps working across restarts.
func loadPasswords(path string, addrs []string) (map[string]string, error) {
	pws := map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if ad, pw, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
				pws[ad] = pw
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	changed := false
	for _, ad := range addrs {
		if pws[ad] == "" {
			var b [6]byte
			rand.Read(b[:])
			pws[ad] = hex.EncodeToString(b[:])
			changed = true
		}
	}
	if changed {
		var sb strings.Builder
		for _, ad := range addrs {
			fmt.Fprintf(&sb, "%s %s\n", ad, pws[ad])
		}
		// Renamed into place: a crash while writing must not leave half
		// a file, whose missing accounts would get new passwords.
		if err := os.WriteFile(path+".tmp", []byte(sb.String()), 0o600); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
	}
	return pws, nil
}

// Run runs the daemon until ctx ends.
func (a *App) Run(ctx context.Context) error { return a.Daemon.Run(ctx) }

// Close releases everything Build opened.
func (a *App) Close() {
	if a.Server != nil && a.ownsSrv {
		a.Server.Close()
	}
	if a.Store != nil {
		a.Store.Close()
	}
}

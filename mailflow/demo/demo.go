// Package demo runs the whole LAKIP SOP for real: the embedded IMAP and
// SMTP servers, the mailflow daemon, and simulated officials who read their
// mailboxes over IMAP and reply over SMTP from Gmail-, Outlook- and
// iPhone-like clients, on an accelerated clock. It prints a transcript and
// fails with the reason when the run does not reach its end.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// Options configure a demo run.
type Options struct {
	ConfigPath string    // the config with the SOP and the people
	Out        io.Writer // the transcript
	OutDir     string    // if set, every mailbox is written there as .eml files
	DataDir    string    // if set, the store is kept there (default: a temp dir)
	Verbose    bool      // log every component's lines too
	// External runs the same story against real servers (Dovecot and
	// Postfix in CI) instead of the embedded ones.
	External *External
	// Client, if set, sends the Kasubag Perencanaan's step 3 reply instead
	// of the built-in clients: the e2e tests use swaks, a tool not written
	// here, so our parsing also sees mail we did not compose.
	Client func(ClientReply) error
}

// ClientReply is a reply for Options.Client to compose and submit.
type ClientReply struct {
	SMTPAddr, From, Password, To string
	Subject, InReplyTo, Body     string
}

// External names real IMAP and SMTP servers that accept every address at
// Domain with one password (the CI's Dovecot passdb). Every address of the
// config is moved to Domain with Suffix added to its local part, so runs
// never see each other's mail.
type External struct {
	IMAPAddr, SMTPAddr string
	Domain, Suffix     string
	Password           string
}

// Result is what a demo measured.
type Result struct {
	Run      *flow.Run
	Wall     time.Duration
	Handoffs []time.Duration // reply accepted by SMTP → next mail in the recipient's INBOX
}

type demo struct {
	opt   Options
	cfg   *config.Config
	app   *app.App
	clk   *clock
	out   io.Writer
	mu    sync.Mutex
	loc   *time.Location
	offs  map[string]*official
	runID string
	// hand-off timing: when a reply was accepted, and the first delivery
	// of a mailflow mail after it.
	pending  time.Time
	handoffs []time.Duration
	external bool            // real servers: hand-offs end when an official sees the mail
	printed  map[string]bool // Message-IDs whose sending the transcript has told
}

// Run runs the demo and returns what it measured.
func Run(ctx context.Context, opt Options) (*Result, error) {
	t0 := time.Now()
	cfg, err := config.Load(opt.ConfigPath, config.Options{})
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", opt.ConfigPath, err)
	}
	cfg.Mail.Mode = "embedded"
	if opt.External != nil {
		moveAddresses(cfg, opt.External)
		// The test servers (Postfix without a DMARC milter) stamp no
		// Authentication-Results: only the tokens guard this run.
		cfg.Replies.RequireAuth = "none"
	}
	if len(cfg.Office.SOPs) == 0 {
		return nil, errors.New("the config has no SOP")
	}
	d := &demo{opt: opt, cfg: cfg, out: opt.Out, loc: cfg.Calendar.Loc, offs: map[string]*official{}, printed: map[string]bool{}}
	if d.out == nil {
		d.out = io.Discard
	}
	// Monday 6 May 2024: Thursday 9 and Friday 10 May are holidays, so the
	// collect week shows working days at work.
	d.clk = newClock(time.Date(2024, 5, 6, 8, 0, 0, 0, d.loc))
	dataDir := opt.DataDir
	if dataDir == "" {
		if dataDir, err = os.MkdirTemp("", "mailflow-demo-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dataDir)
	}
	var lh slog.Handler = &noteHandler{d: d}
	if opt.Verbose {
		lh = slog.NewTextHandler(d.out, nil)
	}
	aopt := app.Options{Now: d.clk.Now, DataDir: dataDir, PollInterval: 2 * time.Second, OnSent: d.onSent, MaxWait: 50 * time.Millisecond}
	imapAddr, smtpAddr := "", ""
	var srv *mailserver.Server
	if x := opt.External; x != nil {
		cfg.Mail.Mode = "external"
		ext := func(addr string) config.Server {
			host, port, _ := net.SplitHostPort(addr)
			p, _ := strconv.Atoi(port)
			return config.Server{Host: host, Port: p, TLS: "none", Username: cfg.Office.Mailbox, Password: config.Secret(x.Password)}
		}
		cfg.Mail.IMAP = config.IMAP{Server: ext(x.IMAPAddr), Mailbox: "INBOX", PollInterval: 2 * time.Second, Keyword: "$MailflowDone"}
		cfg.Mail.SMTP = config.SMTP{Server: ext(x.SMTPAddr), MaxPerHour: 60}
		imapAddr, smtpAddr = x.IMAPAddr, x.SMTPAddr
		d.external = true
	} else {
		srv, err = mailserver.Start(mailserver.Options{Hostname: "mailflow.localhost", OnDeliver: d.onDeliver})
		if err != nil {
			return nil, fmt.Errorf("start the embedded mail servers: %w", err)
		}
		defer srv.Close()
		aopt.Server = srv
		imapAddr, smtpAddr = srv.IMAPAddr(), srv.SMTPAddr()
	}
	d.app, err = app.Build(cfg, slog.New(lh), aopt)
	if err != nil {
		return nil, err
	}
	defer d.app.Close()
	for _, p := range cfg.Office.People {
		pw := ""
		for _, acc := range d.app.Accounts {
			if acc.Address == p.Email {
				pw = acc.Password
			}
		}
		if opt.External != nil {
			pw = opt.External.Password
		}
		d.offs[p.Email] = &official{name: p.Name, addr: p.Email, pw: pw, style: "gmail",
			imapAddr: imapAddr, smtpAddr: smtpAddr, office: cfg.Office.Mailbox, seen: map[string]bool{}, onFound: d.found}
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.app.Run(runCtx) }()
	err = d.script(ctx)
	cancel()
	if derr := <-done; derr != nil && err == nil {
		err = derr
	}
	res := &Result{Wall: time.Since(t0), Handoffs: d.handoffs}
	if d.runID != "" {
		d.app.Store.View(context.Background(), func(tx *store.Tx) error {
			res.Run, _ = tx.LoadRun(d.runID)
			return nil
		})
	}
	if opt.OutDir != "" && srv != nil {
		if werr := writeMailboxes(srv, d.app.Accounts, opt.OutDir); werr != nil && err == nil {
			err = werr
		}
	}
	if res.Run != nil {
		d.summary(res)
	}
	if err == nil && (res.Run == nil || res.Run.Status != flow.RunFinished) {
		err = errors.New("the run did not reach its end")
	}
	return res, err
}

func (d *demo) say(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fmt.Fprintf(d.out, format+"\n", args...)
}

func (d *demo) stamp() string {
	t := d.clk.Now().In(d.loc)
	return fmt.Sprintf("[%s %02d/%02d %02d.%02d]", [...]string{"Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"}[t.Weekday()], t.Day(), t.Month(), t.Hour(), t.Minute())
}

// onDeliver sees every mail the embedded server stores; mailflow's mail to
// a person closes a pending hand-off measurement.
func (d *demo) onDeliver(del mailserver.Delivery) {
	if del.Mailbox != mailserver.Inbox || strings.EqualFold(del.User, d.cfg.Office.Mailbox) {
		return
	}
	d.mu.Lock()
	if !d.pending.IsZero() {
		d.handoffs = append(d.handoffs, time.Since(d.pending))
		d.pending = time.Time{}
	}
	d.mu.Unlock()
}

// found is called when an official's client sees a new mail from mailflow;
// with real servers that ends a pending hand-off measurement.
func (d *demo) found() {
	if !d.external {
		return
	}
	d.mu.Lock()
	if !d.pending.IsZero() {
		d.handoffs = append(d.handoffs, time.Since(d.pending))
		d.pending = time.Time{}
	}
	d.mu.Unlock()
}

// moveAddresses puts every address of the config at x.Domain.
func moveAddresses(cfg *config.Config, x *External) {
	mv := func(a string) string {
		local, _, ok := strings.Cut(a, "@")
		if !ok {
			return a
		}
		return strings.ToLower(local + x.Suffix + "@" + x.Domain)
	}
	o := &cfg.Office
	o.Domain, o.Mailbox, o.Admin = x.Domain, mv(o.Mailbox), mv(o.Admin)
	for i := range o.People {
		o.People[i].Email = mv(o.People[i].Email)
	}
	for i := range o.Units {
		o.Units[i].Head = mv(o.Units[i].Head)
	}
	for i := range o.Acting {
		o.Acting[i].Person = mv(o.Acting[i].Person)
	}
	for i := range o.SOPs {
		for j, a := range o.SOPs[i].FromAddrs {
			o.SOPs[i].FromAddrs[j] = mv(a)
		}
	}
}

func (d *demo) onSent(o mailout.Outcome) {
	if o.Status != store.OutSent {
		if o.Err != nil {
			d.say("            mailflow: sending %s failed: %v", o.MessageID, o.Err)
		}
		return
	}
	var row store.OutboxRow
	d.app.Store.View(context.Background(), func(tx *store.Tx) error {
		row, _ = tx.MailByMessageID(o.MessageID)
		return nil
	})
	var to []string
	for _, r := range row.Mail.To {
		to = append(to, d.short(r.Email))
	}
	what := row.Template
	if row.Mail.Invite != nil {
		what += " (iCalendar " + row.Mail.Invite.Method + ")"
	}
	extra := ""
	if n := len(row.Mail.Attachments); n > 0 {
		extra = fmt.Sprintf(", %d attachment(s)", n)
	}
	d.say("            mailflow → %s: %s, step %d%s", strings.Join(to, ", "), what, row.Step, extra)
	d.mu.Lock()
	d.printed[o.MessageID] = true
	d.mu.Unlock()
}

// short names a person by jabatan for the transcript.
func (d *demo) short(addr string) string {
	if p, ok := d.cfg.Office.Person(addr); ok {
		return p.Jabatan
	}
	return addr
}

// noteHandler prints the engine's audit notes and every warning.
type noteHandler struct {
	d     *demo
	attrs []slog.Attr
}

func (h *noteHandler) Enabled(_ context.Context, l slog.Level) bool { return true }
func (h *noteHandler) Handle(_ context.Context, r slog.Record) error {
	isNote := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "event" {
			isNote = true
		}
		return true
	})
	switch {
	case r.Level >= slog.LevelWarn:
		h.d.say("            ! %s", r.Message)
	case isNote:
		h.d.say("            mailflow: %s", r.Message)
	}
	return nil
}
func (h *noteHandler) WithAttrs(as []slog.Attr) slog.Handler { return &noteHandler{d: h.d, attrs: as} }
func (h *noteHandler) WithGroup(string) slog.Handler         { return h }

// summary prints the run's status and each step's time against its Mutu Baku.
func (d *demo) summary(res *Result) {
	r := res.Run
	env := flow.Env{Office: &d.cfg.Office, Cal: &d.cfg.Calendar}
	day := d.cfg.Calendar.MinutesPerDay()
	d.say("\n== Status of run %s %q: %s, %d revision(s)", r.ID, r.Title, r.Status, r.Revisions)
	d.say("%-5s %-50s %-16s %-22s %s", "STEP", "KEGIATAN", "MUTU BAKU", "ACTUAL (working time)", "")
	for _, row := range flow.StatusRows(env, r, d.clk.Now()) {
		verdict := "within"
		if row.Actual > row.Limit {
			verdict = "OVER"
		}
		if row.Status != flow.StepDone {
			verdict = row.Status
		}
		actual := workcal.Durasi(row.Actual, day)
		if row.Outside {
			actual, verdict = "before mailflow", "outside"
		}
		if len(row.Rounds) > 1 {
			// Each round against the Mutu Baku on its own.
			d.say("%-5d %-50s %-16s", row.Number, clip(row.Kegiatan, 50), row.Waktu)
			for _, rr := range row.Rounds {
				v := "within"
				if rr.Over {
					v = "OVER"
				}
				d.say("%-5s %-50s %-16s %-22s %s", "", fmt.Sprintf("  round %d (%s)", rr.Round, rr.Outcome), "", workcal.Durasi(rr.Minutes, day), v)
			}
			continue
		}
		d.say("%-5d %-50s %-16s %-22s %s", row.Number, clip(row.Kegiatan, 50), row.Waktu, actual, verdict)
		for _, u := range row.Units {
			at := "not handed in"
			if u.Submitted {
				at = u.At.In(d.loc).Format("Mon 02 Jan 15.04") + ", " + workcal.Durasi(u.Minutes, day)
			}
			d.say("%-5s %-50s %-16s %s", "", "  "+clip(u.Unit, 48), "", at)
		}
	}
	if mt := r.Meeting; mt != nil {
		d.say("\nRapat Tim: %s, %s", workcal.Format(mt.Start.In(d.loc)), mt.Place)
		// In the order of the hierarchy, each answer stamped with the
		// time its sender wrote it.
		for _, a := range mt.Attendees {
			when := ""
			if !a.At.IsZero() {
				when = a.At.In(d.loc).Format("Mon 02 Jan 15.04")
			}
			d.say("  %-13s %-32s %s", a.PartStat, a.Name, when)
		}
	}
	hs := append([]time.Duration(nil), res.Handoffs...)
	sort.Slice(hs, func(i, j int) bool { return hs[i] < hs[j] })
	if len(hs) > 0 {
		d.say("\nhand-offs (reply accepted by SMTP → next mail in a mailbox): %d, p50 %s, p99 %s",
			len(hs), hs[len(hs)/2].Round(time.Millisecond/10), hs[(len(hs)*99)/100].Round(time.Millisecond/10))
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// told waits (briefly) until the transcript has shown mailflow sending the
// mail an official is about to answer, so the transcript reads in order.
func (d *demo) told(messageID string) {
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		d.mu.Lock()
		ok := d.printed[messageID]
		d.mu.Unlock()
		if ok {
			return
		}
	}
}

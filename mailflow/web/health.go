package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/metrics"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

type outboxData struct {
	Rows []outboxRow
}

type outboxRow struct {
	ID                          int64
	RunID, Template, To, Status string
	Failed                      bool
	Attempts                    int
	LastError                   string
	Next, Created               time.Time
}

func (s *req) outboxPage(w http.ResponseWriter, r *http.Request, se *session) {
	var d outboxData
	err := s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		rows, err := tx.OutboxOpen(500)
		for _, o := range rows {
			to := ""
			for i, rc := range o.Mail.To {
				if i > 0 {
					to += ", "
				}
				to += rc.Email
			}
			d.Rows = append(d.Rows, outboxRow{ID: o.ID, RunID: o.RunID, Template: o.Template, To: to, Status: outStatusIndo[o.Status],
				Failed: o.Status == store.OutFailed, Attempts: o.Attempts, LastError: o.LastError, Next: s.local(o.NextAttempt), Created: s.local(o.Created)})
		}
		return err
	})
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	s.render(w, http.StatusOK, "outbox", page{Title: "Kotak Keluar", Nav: "outbox", Account: se.Account, CSRF: se.CSRF, Flash: r.URL.Query().Get("pesan"), Data: d})
}

type healthData struct {
	Live                metrics.LiveState
	Mode                string
	Since, Sync, LastIn string
	SMTPOK, SMTPErrAt   string
	IMAPErrAt           string
	Cursor              string
	Version             string
	ConfigPath, Check   string
	Store               string
	StoreOK             string
	Ready               bool
	Gauges              metrics.StoreGauges
	Quarantined         int
	Age                 string
	Warnings            []string
	Lease               string // who watches the mailbox ("" on SQLite)
}

func (s *req) healthPage(w http.ResponseWriter, r *http.Request, se *session) {
	now := s.now()
	l := s.app().Metrics.Live.Snapshot()
	d := healthData{Live: l, Version: app.Version(), ConfigPath: absPath(s.conf().Path), Check: checkResult(s.conf()), Store: absPath(s.app().Store.Path)}
	for _, w := range s.conf().Warnings {
		d.Warnings = append(d.Warnings, w.String())
	}
	d.Mode = "polling (tanpa IDLE)"
	if l.IMAPIdle {
		d.Mode = "IDLE"
	}
	d.Since, d.Sync, d.LastIn = shortTime(s.local(l.IMAPSince)), shortTime(s.local(l.IMAPLastSync)), shortTime(s.local(l.LastMessage))
	d.SMTPOK, d.SMTPErrAt, d.IMAPErrAt = shortTime(s.local(l.SMTPLastOK)), shortTime(s.local(l.SMTPLastErrAt)), shortTime(s.local(l.IMAPLastErrAt))
	err := s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		uv, last, err := tx.Cursor(s.mailbox())
		if err != nil {
			return err
		}
		d.Cursor = fmt.Sprintf("UIDVALIDITY %d, UID terakhir %d", uv, last)
		if d.Gauges, err = metrics.ReadGauges(tx, now, nil); err != nil {
			return err
		}
		d.Age = ageIndo(d.Gauges.OldestPending)
		if l.LastMessage.IsZero() {
			in, err := tx.InboundResults(1)
			if err != nil {
				return err
			}
			if len(in) > 0 {
				d.LastIn = shortTime(s.local(in[0].At)) + " (sebelum mulai ulang)"
			}
		}
		if l.SMTPLastOK.IsZero() { // not since this start: the store remembers
			last, err := tx.LastSent()
			if err != nil {
				return err
			}
			if !last.IsZero() {
				d.SMTPOK = shortTime(s.local(last)) + " (sebelum mulai ulang)"
			}
		}
		d.Quarantined, err = tx.QuarantinedCount()
		return err
	})
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	d.StoreOK = "dapat ditulis"
	if err := s.storeWritable(r.Context()); err != nil {
		d.StoreOK = "GAGAL: " + err.Error()
	}
	d.Ready = s.ready(r.Context(), now) == nil
	d.Lease = s.leaseText(r.Context(), s.app())
	s.render(w, http.StatusOK, "health", page{Title: "Kesehatan", Nav: "health", Account: se.Account, CSRF: se.CSRF, Data: d})
}

// checkResult is what "mailflow check" says of the running config (it
// loaded, so it has no errors).
func checkResult(c *config.Config) string {
	if n := len(c.Warnings); n > 0 {
		return fmt.Sprintf("OK, %d peringatan", n)
	}
	return "OK"
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil && p != "" {
		return a
	}
	return p
}

// ageIndo says how old the oldest pending mail is, in words.
func ageIndo(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Minute:
		return fmt.Sprintf("%d detik", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d menit", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d jam %d menit", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d hari", int(d.Hours()/24))
}

func (s *req) mailbox() string {
	if s.conf().Mail.Mode == "embedded" || s.conf().Mail.IMAP.Mailbox == "" {
		return "INBOX"
	}
	return s.conf().Mail.IMAP.Mailbox
}

// healthz: the process answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *req) ready(ctx context.Context, now time.Time) error {
	if err := s.storeWritable(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if _, ok := s.standby(ctx); ok {
		return nil // another instance watches the mailbox (offices.go)
	}
	l := s.app().Metrics.Live.Snapshot()
	limit := s.conf().Web.ReadyIMAP
	switch {
	case l.IMAPUp:
		return nil
	case l.IMAPSince.IsZero():
		return fmt.Errorf("IMAP: not connected yet")
	case !l.IMAPLastSync.IsZero() && now.Sub(l.IMAPLastSync) <= limit:
		return nil
	}
	return fmt.Errorf("IMAP: down since %s (%s)", l.IMAPSince.UTC().Format(time.RFC3339), l.IMAPLastErr)
}

// storeWritable takes SQLite's write lock (BEGIN IMMEDIATE) and writes a
// file in the data directory: a full disk or a read-only mount fails.
func (s *req) storeWritable(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.app().Store.Update(ctx, func(*store.Tx) error { return nil }); err != nil {
		return err
	}
	if s.app().Store.Postgres() {
		return nil // Path is the database's URL: no data directory to write
	}
	f, err := os.CreateTemp(filepath.Dir(s.app().Store.Path), ".readyz-*")
	if err != nil {
		return err
	}
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	os.Remove(f.Name())
	if werr != nil {
		return werr
	}
	return cerr
}

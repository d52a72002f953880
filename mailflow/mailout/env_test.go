package mailout_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

const configPath = "../../config.toml"

// clock is the injected time; tests move it, nothing sleeps.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// env is a store, an engine, a blob store with the sample attachments and
// a fake SMTP server, all in a temp dir.
type env struct {
	t     testing.TB
	dir   string
	loc   string // the store: a SQLite file or a PostgreSQL schema
	cfg   *config.Config
	fenv  flow.Env
	st    *store.Store
	eng   *engine.Engine
	blobs *blob.Store
	rend  *render.Renderer
	clk   *clock
	smtp  *fakeSMTP
}

func newEnv(t testing.TB) *env {
	t.Helper()
	fenv, cfg, err := samples.Env(configPath)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	loc := storetest.For(t)
	st, err := store.Open(loc, store.Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := blob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	rend, err := render.New(render.Options{Office: fenv.Office, DayMinutes: fenv.Cal.MinutesPerDay()})
	if err != nil {
		t.Fatal(err)
	}
	// Monday 3 June 2024, 09:00 WIB: inside working hours.
	clk := &clock{t: time.Date(2024, 6, 3, 9, 0, 0, 0, fenv.Cal.Loc)}
	eng := engine.New(st, fenv, nil)
	eng.Now = clk.Now
	e := &env{t: t, dir: dir, loc: loc, cfg: cfg, fenv: fenv, st: st, eng: eng, blobs: blobs, rend: rend, clk: clk, smtp: startFake(t)}
	return e
}

func (e *env) putBlob(a flow.Attachment) {
	e.t.Helper()
	sum, _, err := e.blobs.Put(bytes.NewReader(samples.Content(a.Filename)), 0)
	if err != nil || sum != a.SHA256 {
		e.t.Fatalf("put %s: %v (sum %s want %s)", a.Filename, err, sum, a.SHA256)
	}
}

func (e *env) options() mailout.Options {
	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	smtpCfg := e.cfg.Mail.SMTP
	smtpCfg.Host, smtpCfg.Port, smtpCfg.TLS, smtpCfg.Username = "127.0.0.1", e.smtp.port(), "none", ""
	return mailout.Options{
		Store: e.st, Engine: e.eng, Renderer: e.rend, Blobs: e.blobs, Cal: e.fenv.Cal, SMTP: smtpCfg,
		Office: mailout.Office{Name: e.fenv.Office.Name, Mailbox: e.fenv.Office.Mailbox},
		Log:    logger, Now: e.clk.Now, Jitter: func() float64 { return 0.5 },
	}
}

func (e *env) worker(opt mailout.Options) *mailout.Worker {
	e.t.Helper()
	w, err := mailout.New(opt)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(w.Wait) // archiving still writing blobs must end before the temp dir goes
	return w
}

// enqueue puts mails straight into the outbox, due now.
func (e *env) enqueue(ms ...*flow.Mail) { e.enqueueRun("run-x", ms...) }

func (e *env) enqueueRun(runID string, ms ...*flow.Mail) {
	e.t.Helper()
	now := e.clk.Now()
	err := e.st.Update(context.Background(), func(tx *store.Tx) error {
		if runID == "run-x" {
			if _, err := tx.LoadRun(runID); err != nil {
				// A bare run for mails that do not come from a live flow.
				r := &flow.Run{ID: runID, Token: "zzzzzzzzzzzzzzzzzzzz", SOP: "lakip", Title: "LAKIP Tahun 2023", Status: flow.RunActive, StartedAt: now}
				if err := tx.SaveRun(r, now); err != nil {
					return err
				}
			}
		}
		for i, m := range ms {
			if err := tx.Enqueue(runID, int64(i), m, now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) outbox() []store.OutboxRow {
	e.t.Helper()
	var rows []store.OutboxRow
	if err := e.st.View(context.Background(), func(tx *store.Tx) error {
		var err error
		rows, err = tx.Outbox("")
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func (e *env) drain(w *mailout.Worker) time.Time {
	e.t.Helper()
	next, err := w.Drain(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return next
}

// start begins a LAKIP run through the engine: one assignment is queued.
func (e *env) start() *engine.Result {
	e.t.Helper()
	a := samples.File("disposisi_lakip_2023.pdf")
	e.putBlob(a)
	res, err := e.eng.Handle(context.Background(), flow.Event{Type: flow.EvStart, At: e.clk.Now(), RunID: "run1",
		Token: samples.Token, SOP: "lakip", Title: "LAKIP Tahun 2023", From: "kepala@dinsospmd.bangkatengahkab.go.id",
		Attachments: []flow.Attachment{a}}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

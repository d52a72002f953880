// Package failover tests several mailflow instances on one PostgreSQL
// store as they will fail: processes killed (SIGKILL) or paused (SIGSTOP)
// while they hold a mailbox. Each instance is this test binary run again
// as TestInstance; it serves two offices, each from its own schema, watches
// their simulated mailboxes under their leases, and sends their outboxes to
// a directory the parent reads.
package failover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

const (
	configPath = "../flow/testdata/cuti.toml"
	runsPer    = 8                      // runs per office
	pace       = 120 * time.Millisecond // between two messages of a mailbox
)

var offices = []string{"a", "b"}

// berkas is the attachment every step 2 hands in.
var berkas = []byte("%PDF-1.4 berkas cuti\n")

// message is the uid-th message (1-based) of an office's mailbox: per run,
// the request, the Kasubag's SELESAI with the file, the Kepala's SETUJU;
// every third run the Kepala first rejects and the Kasubag sends again.
func message(office string, uid int, sum string) (flow.Event, store.Inbound, bool) {
	return messageOf(office, uid, sum, runsPer)
}

// messageOf is message for an office with runs runs (1-char office names
// and at most 10,000 runs: the token is built from them).
func messageOf(office string, uid int, sum string, runs int) (flow.Event, store.Inbound, bool) {
	at := time.Date(2024, 6, 3, 8, 0, 0, 0, time.FixedZone("WIB", 7*3600)).Add(time.Duration(uid) * time.Minute)
	in := store.Inbound{Mailbox: "INBOX-" + office, UIDValidity: 1, UID: uint32(uid), MessageID: fmt.Sprintf("%s-m%d@test", office, uid)}
	n := uid - 1
	for k := range runs {
		size := 3
		if k%3 == 2 {
			size = 5
		}
		if n >= size {
			n -= size
			continue
		}
		tok := office + tokenize(fmt.Sprintf("%04d", k)) + "ccccccccccccccc"
		ev := flow.Event{Type: flow.EvReply, At: at, RunID: tok[:10], MessageID: in.MessageID}
		att := []flow.Attachment{{Filename: "berkas_cuti.pdf", ContentType: "application/pdf", Size: int64(len(berkas)), SHA256: sum}}
		switch {
		case n == 0:
			ev = flow.Event{Type: flow.EvStart, At: at, RunID: tok[:10], Token: tok, SOP: "cuti", Title: fmt.Sprintf("CUTI %s %d", office, k),
				From: "andi@contoh.go.id", MessageID: in.MessageID}
		case n == 1 || n == 3:
			ev.From, ev.Command, ev.Step, ev.Attachments = "bella@contoh.go.id", flow.CmdDone, 2, att
		case n == 2 && size == 5:
			ev.From, ev.Command, ev.Step, ev.Notes = "candra@contoh.go.id", flow.CmdReject, 3, "lengkapi"
		default:
			ev.From, ev.Command, ev.Step = "candra@contoh.go.id", flow.CmdApprove, 3
		}
		return ev, in, true
	}
	return flow.Event{}, in, false
}

func messages() int {
	n := 0
	for k := range runsPer {
		n += 3
		if k%3 == 2 {
			n += 2
		}
	}
	return n
}

func tokenize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = 'd' + (c - '0')
		}
	}
	return string(b)
}

// watcher is an office's mailbox watcher: it handles the next message and
// advances the cursor in one transaction, as mailin does with the real
// mailbox; under a fenced context.
type watcher struct {
	office string
	eng    *engine.Engine
	sum    string
	runs   int           // 0: runsPer
	pace   time.Duration // 0: pace
	done   func()        // called once the mailbox is all handled
}

func (w *watcher) Run(ctx context.Context) error {
	st := w.eng.Store
	box := "INBOX-" + w.office
	runs, wait := w.runs, w.pace
	if runs == 0 {
		runs = runsPer
	}
	if wait == 0 {
		wait = pace
	}
	for ctx.Err() == nil {
		var cur uint32
		if err := st.View(ctx, func(tx *store.Tx) (err error) { _, cur, err = tx.Cursor(box); return }); err != nil {
			time.Sleep(pace)
			continue
		}
		ev, in, ok := messageOf(w.office, int(cur)+1, w.sum, runs)
		if !ok {
			if w.done != nil {
				w.done()
				return nil
			}
			time.Sleep(wait)
			continue
		}
		var res *engine.Result
		err := st.Update(ctx, func(tx *store.Tx) error {
			var err error
			res, err = w.eng.HandleTx(tx, ev, &in)
			if engine.IsDuplicate(err) {
				res, err = nil, nil
			}
			if err != nil {
				return err
			}
			return tx.SetCursor(box, 1, cur+1)
		})
		if errors.Is(err, store.ErrLeaseLost) {
			return err
		}
		if err != nil {
			if ctx.Err() == nil {
				w.eng.Log.Error("message failed; retrying", "uid", cur+1, "err", err)
			}
			time.Sleep(pace)
			continue
		}
		if res != nil {
			w.eng.Committed(res)
		}
		if wait > 0 {
			time.Sleep(wait)
		}
	}
	return ctx.Err()
}

// dirSender "delivers" a mail by writing it to a file in dir.
type dirSender struct {
	dir, id string
	n       atomic.Int64
}

func (d *dirSender) Send(_ context.Context, _ string, _ []string, msg io.WriterTo) ([]*mailout.Error, error) {
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, err
	}
	// Written aside and renamed: an instance killed during the write
	// leaves no half message, as an SMTP server accepts none without its
	// final dot (the sender then counts as cut off, and the mail goes
	// again under its Message-ID).
	name := filepath.Join(d.dir, fmt.Sprintf("%s-%d.eml", d.id, d.n.Add(1)))
	if err := os.WriteFile(name+".part", b.Bytes(), 0o600); err != nil {
		return nil, err
	}
	return nil, os.Rename(name+".part", name)
}

// TestInstance is one mailflow instance, run by the failover tests as a
// child process until they kill it. It serves both offices, each from its
// own store (its own PostgreSQL schema), as mailflow run -config-dir does.
func TestInstance(t *testing.T) {
	id := os.Getenv("MF_FAILOVER_ID")
	if id == "" {
		t.Skip("only run as a failover test's child")
	}
	cfg, err := config.Load(configPath, config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})).With("instance", id)
	blobs, err := blob.Open(os.Getenv("MF_FAILOVER_BLOBS"))
	if err != nil {
		t.Fatal(err)
	}
	sum := os.Getenv("MF_FAILOVER_SUM")
	rnd, err := render.New(render.Options{Office: &cfg.Office, DayMinutes: cfg.Calendar.MinutesPerDay()})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, len(offices))
	for _, o := range offices {
		st, err := store.Open(os.Getenv("MF_FAILOVER_DB_"+o), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		log := log.With("office", o)
		eng := engine.New(st, flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}, log)
		out, err := mailout.New(mailout.Options{Store: st, Engine: eng, Renderer: rnd, Blobs: blobs, Sender: &dirSender{dir: os.Getenv("MF_FAILOVER_SENT"), id: id + o},
			Office: mailout.Office{Name: cfg.Office.Name, Mailbox: cfg.Office.Mailbox}, Log: log, Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		eng.Notify = out.Kick
		d := daemon.New(eng, log)
		d.MaxSleep = time.Second
		d.Components["mailin"] = &daemon.Leased{Store: st, Name: "mailbox:" + o, Holder: id, Inner: &watcher{office: o, eng: eng, sum: sum}, Log: log}
		d.Components["mailout"] = out
		go func() { errc <- d.Run(context.Background()) }()
	}
	log.Info("instance up")
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

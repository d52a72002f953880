package intake_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/intake"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

const dom = "dinsospmd.bangkatengahkab.go.id"

type fixture struct {
	t   *testing.T
	in  *intake.Intake
	eng *engine.Engine
	uid uint32
}

func newFixture(t *testing.T) *fixture {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	// The shipped config requires DMARC from the embedded server; these
	// tests choose their policy themselves (fixture.policy).
	cfg.Replies.RequireAuth = "none"
	dir := t.TempDir()
	st, err := store.Open(storetest.For(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bl, _ := blob.Open(filepath.Join(dir, "blobs"))
	eng := engine.New(st, flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}, nil)
	now := time.Date(2024, 6, 3, 8, 0, 0, 0, cfg.Calendar.Loc)
	eng.Now = func() time.Time { return now }
	return &fixture{t: t, eng: eng, in: &intake.Intake{Engine: eng, Config: cfg, Blobs: bl, Log: eng.Log}}
}

// deliver runs a raw message through Wanted and Process like mailin does.
func (f *fixture) deliver(raw string) (wanted bool, err error) {
	f.t.Helper()
	f.uid++
	mr, err := mail.CreateReader(strings.NewReader(raw))
	if err != nil {
		f.t.Fatal(err)
	}
	h := mailin.Header{UID: f.uid, Raw: mr.Header}
	h.MessageID, _ = mr.Header.MessageID()
	h.Subject, _ = mr.Header.Subject()
	if from, _ := mr.Header.AddressList("From"); len(from) > 0 {
		h.From = strings.ToLower(from[0].Address)
	}
	if ids, _ := mr.Header.MsgIDList("In-Reply-To"); len(ids) > 0 {
		h.InReplyTo = ids[0]
	}
	h.References, _ = mr.Header.MsgIDList("References")
	h.ContentType = mr.Header.Get("Content-Type")
	ctx := context.Background()
	ok, err := f.in.Wanted(ctx, h)
	if err != nil || !ok {
		return ok, err
	}
	m := &mailin.Message{Mailbox: "INBOX", UIDValidity: 1, UID: f.uid, Header: h, Body: strings.NewReader(raw), Size: int64(len(raw))}
	return true, f.in.Process(ctx, m)
}

func (f *fixture) runs() []store.RunInfo {
	var rs []store.RunInfo
	f.eng.Store.View(context.Background(), func(tx *store.Tx) error { rs, _ = tx.Runs(""); return nil })
	return rs
}

func (f *fixture) run(id string) *flow.Run {
	var r *flow.Run
	f.eng.Store.View(context.Background(), func(tx *store.Tx) error { r, _ = tx.LoadRun(id); return nil })
	return r
}

func (f *fixture) outbox(id string) []store.OutboxRow {
	var o []store.OutboxRow
	f.eng.Store.View(context.Background(), func(tx *store.Tx) error { o, _ = tx.Outbox(id); return nil })
	return o
}

func msg(from, subject, msgid, inReplyTo, body string) string {
	s := fmt.Sprintf("From: %s\r\nTo: sekretariat@%s\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: Mon, 03 Jun 2024 08:00:00 +0700\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n", from, dom, subject, msgid)
	if inReplyTo != "" {
		s += fmt.Sprintf("In-Reply-To: <%s>\r\nReferences: <%s>\r\n", inReplyTo, inReplyTo)
	}
	return s + "\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
}

const dispo = "Yth. Sekretaris,\nMohon segera diagendakan penyusunan LAKIP Tahun 2023.\nDisposisi: segera.\n"

func TestDispositionStartsOneRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		ok, err := f.deliver(msg("Kepala Dinas <kepala@"+dom+">", "Disposisi: Penyusunan LAKIP Tahun 2023", "d1@"+dom, "", dispo))
		if !ok || err != nil {
			t.Fatalf("disposition: wanted=%v err=%v", ok, err)
		}
		rs := f.runs()
		if len(rs) != 1 || rs[0].Title != "LAKIP Tahun 2023" {
			t.Fatalf("runs: %+v", rs)
		}
		// The same disposition forwarded again attaches to the run.
		ok, err = f.deliver(msg("Kepala Dinas <kepala@"+dom+">", "Disposisi: Penyusunan LAKIP Tahun 2023 (ulang)", "d2@"+dom, "", dispo))
		if !ok || err != nil {
			t.Fatalf("second disposition: wanted=%v err=%v", ok, err)
		}
		if n := len(f.runs()); n != 1 {
			t.Fatalf("a second disposition started run number %d", n)
		}
		// From someone who may not dispose: not a trigger, and not marked.
		ok, err = f.deliver(msg("Budi <rehsos@"+dom+">", "Disposisi LAKIP 2023", "d3@"+dom, "", dispo))
		if ok && !errors.Is(err, mailin.ErrSkip) {
			t.Fatalf("wrong sender's disposition: wanted=%v err=%v", ok, err)
		}
		if n := len(f.runs()); n != 1 {
			t.Fatal("a unit head's mail started a run")
		}
	})
}

func TestReplyFlow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		f.deliver(msg("kepala@"+dom, "Disposisi LAKIP 2023", "d1@"+dom, "", dispo))
		rid := f.runs()[0].ID
		assign := f.outbox(rid)[0]
		if assign.Step != 2 {
			t.Fatalf("first mail is for step %d", assign.Step)
		}
		// Unrelated mail in the shared mailbox is not even fetched.
		if ok, _ := f.deliver(msg("warga@gmail.com", "Permohonan bantuan sosial", "x1@gmail.com", "", "Mohon bantuan.")); ok {
			t.Fatal("unrelated mail was wanted")
		}
		// A reply from an address not in the config: recorded, not applied, no answer.
		quoted := "SETUJU\n\nPada Sen, 3 Jun 2024 pukul 08.00, Sekretariat menulis:\n> TOLAK <alasan>\n"
		ok, err := f.deliver(msg("Rina <rina.pribadi@gmail.com>", "Re: tugas", "r0@gmail.com", assign.MessageID, quoted))
		if !ok || err != nil {
			t.Fatalf("unknown sender: wanted=%v err=%v", ok, err)
		}
		if r := f.run(rid); r.Steps[1].Status != flow.StepActive {
			t.Fatal("a reply from an unknown address was applied")
		}
		out := f.outbox(rid)
		if len(out) != 3 || out[1].Template != flow.TplAck {
			t.Fatalf("outbox after the refused reply: %d mails, want the assignment, the acknowledgement and one notice", len(out))
		}
		if n := out[2]; n.Template != flow.TplNotice || n.Mail.Data.Reason != flow.WhyUnverified ||
			n.Mail.To[0].Email != "sekretaris@"+dom || n.Mail.Data.Detail != "rina.pribadi@gmail.com" {
			t.Fatalf("the real assignee must be told, never the unverified From: %+v", n.Mail)
		}
		// An auto-reply from the right person: never applied, never answered.
		auto := strings.Replace(msg("sekretaris@"+dom, "Balasan Otomatis: tugas", "a1@"+dom, assign.MessageID, "Saya sedang cuti."), "MIME-Version", "Auto-Submitted: auto-replied\r\nMIME-Version", 1)
		f.deliver(auto)
		if len(f.outbox(rid)) != 3 {
			t.Fatal("an auto-reply was answered")
		}
		// The real reply, top-posted over a quote that contains TOLAK.
		ok, err = f.deliver(msg("Rina Marlina <sekretaris@"+dom+">", "Re: tugas", "r1@"+dom, assign.MessageID, quoted))
		if !ok || err != nil {
			t.Fatalf("reply: wanted=%v err=%v", ok, err)
		}
		if r := f.run(rid); r.Steps[1].Status != flow.StepDone {
			t.Fatalf("step 2 is %s after SETUJU", r.Steps[1].Status)
		}
		// Delivered twice (same Message-ID, new UID): applied once.
		_, err = f.deliver(msg("Rina Marlina <sekretaris@"+dom+">", "Re: tugas", "r1@"+dom, assign.MessageID, quoted))
		if !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("duplicate: err=%v", err)
		}
	})
}

func TestBounceBecomesDeliveryFailure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		f.deliver(msg("kepala@"+dom, "Disposisi LAKIP 2023", "d1@"+dom, "", dispo))
		rid := f.runs()[0].ID
		assign := f.outbox(rid)[0]
		dsn := "From: MAILER-DAEMON@" + dom + "\r\nTo: sekretariat@" + dom + "\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b1@" + dom + ">\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n" +
			"--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n" +
			"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx." + dom + "\r\n\r\nFinal-Recipient: rfc822; sekretaris@" + dom + "\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n" +
			"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" + assign.MessageID + ">\r\nSubject: tugas\r\n" +
			"--B--\r\n"
		ok, err := f.deliver(dsn)
		if !ok || err != nil {
			t.Fatalf("bounce: wanted=%v err=%v", ok, err)
		}
		r := f.run(rid)
		if len(r.Failures) != 1 || r.Failures[0].MessageID != assign.MessageID {
			t.Fatalf("failures: %+v", r.Failures)
		}
		alerts := 0
		for _, o := range f.outbox(rid) {
			if o.Template == flow.TplAlert {
				alerts++
			}
		}
		if alerts == 0 {
			t.Fatal("no alert queued for the admin")
		}
	})
}

// A new mail from an official without a command is not ours: left alone
// (with one, see TestUntokenedNewMail).
func TestNewMailWithoutCommandIsLeftAlone(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		f.deliver(msg("kepala@"+dom, "Disposisi LAKIP 2023", "d1@"+dom, "", dispo))
		ok, err := f.deliver(msg("Rina Marlina <sekretaris@"+dom+">", "Undangan LAKIP provinsi", "n2@"+dom, "", "Untuk diketahui."))
		if ok && !errors.Is(err, mailin.ErrSkip) {
			t.Fatalf("mail without a command: wanted=%v err=%v", ok, err)
		}
	})
}

package intake_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// latestTo is the newest mail of run for step addressed to addr.
func (f *fixture) latestTo(rid string, step int, addr string) store.OutboxRow {
	f.t.Helper()
	out := f.outbox(rid)
	for i := len(out) - 1; i >= 0; i-- {
		o := out[i]
		if o.Step != step {
			continue
		}
		for _, r := range append(o.Mail.To, o.Mail.Cc...) {
			if strings.EqualFold(r.Email, addr) {
				return o
			}
		}
	}
	f.t.Fatalf("no mail of step %d to %s in the outbox", step, addr)
	return store.OutboxRow{}
}

// withPDF turns a text/plain message into one with a PDF attached.
func withPDF(raw, name string, data []byte) string {
	head, body, _ := strings.Cut(raw, "\r\n\r\n")
	head = strings.Replace(head, "Content-Type: text/plain; charset=utf-8", `Content-Type: multipart/mixed; boundary="XX"`, 1)
	return head + "\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n--XX\r\n" +
		"Content-Type: application/pdf; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(data) + "\r\n--XX--\r\n"
}

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// answer replies to the newest mail of step sent to from.
func (f *fixture) answer(rid string, step int, from, body string, attach bool) {
	f.t.Helper()
	to := f.latestTo(rid, step, from)
	f.uid++
	raw := msg(from, "Re: LAKIP langkah "+fmt.Sprint(step), fmt.Sprintf("a%d@%s", f.uid, dom), to.MessageID, body)
	if attach {
		raw = withPDF(raw, "draf.pdf", pdf)
	}
	f.uid--
	if _, err := f.deliver(raw); err != nil {
		f.t.Fatalf("answer step %d from %s: %v", step, from, err)
	}
}

func (f *fixture) step(rid string) int {
	r := f.run(rid)
	return r.Steps[r.Cur].Number
}

func (f *fixture) start() string {
	f.t.Helper()
	return f.start2()
}

func notices(out []store.OutboxRow, why string) int {
	n := 0
	for _, o := range out {
		if o.Template == flow.TplNotice && o.Mail.Data.Reason == why {
			n++
		}
	}
	return n
}

// A TOLAK replayed from round 1's mail after the revision must not act on
// round 2 (issue 9 §2): the token carries the round.
func TestStaleRoundReplyChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		rid := f.start()
		sek, ren := "sekretaris@"+dom, "perencanaan@"+dom
		f.answer(rid, 2, sek, "SELESAI", false)
		f.answer(rid, 3, ren, "SELESAI", false)
		for _, u := range []string{"perencanaan", "umum", "keuangan", "rehsos", "linjamsos", "pmd"} {
			if f.step(rid) == 4 {
				f.answer(rid, 4, u+"@"+dom, "SELESAI, bahan terlampir.", true)
			}
		}
		f.answer(rid, 5, ren, "SELESAI", false)
		f.answer(rid, 6, sek, "SELESAI", false)
		f.answer(rid, 7, ren, "SELESAI, draf terlampir.", true)
		round1 := f.latestTo(rid, 8, sek)
		f.answer(rid, 8, sek, "TOLAK tabel 3 belum lengkap", false)
		if s := f.step(rid); s != 7 {
			t.Fatalf("after TOLAK the run is at step %d, want 7", s)
		}
		f.answer(rid, 7, ren, "SELESAI, draf perbaikan terlampir.", true)
		if s := f.step(rid); s != 8 {
			t.Fatalf("after the revision the run is at step %d, want 8", s)
		}
		before := f.run(rid)
		// The same TOLAK, sent again as a reply to round 1's mail.
		raw := msg(sek, "Re: LAKIP langkah 8", "stale@"+dom, round1.MessageID, "TOLAK tabel 3 belum lengkap")
		if _, err := f.deliver(raw); err != nil {
			t.Fatal(err)
		}
		after := f.run(rid)
		if after.Cur != before.Cur || after.Revisions != before.Revisions || after.Steps[after.Cur].Status != flow.StepActive {
			t.Fatalf("a stale TOLAK changed the run: step %d→%d, revisions %d→%d", f.stepOf(before), f.stepOf(after), before.Revisions, after.Revisions)
		}
		if notices(f.outbox(rid), flow.WhyStaleRound) != 1 {
			t.Fatal("the official was not told that the reply answers an earlier round")
		}
		// The reply to round 2's mail counts.
		f.answer(rid, 8, sek, "SETUJU", false)
		if s := f.step(rid); s == 8 {
			t.Fatal("SETUJU on round 2 was not applied")
		}
	})
}

func (f *fixture) stepOf(r *flow.Run) int { return r.Steps[r.Cur].Number }

// withHeader adds header lines on top of a message.
func withHeader(raw string, lines ...string) string {
	return strings.Join(lines, "\r\n") + "\r\n" + raw
}

func (f *fixture) policy(require string) {
	f.in.Config.Replies.RequireAuth = require
	f.in.Config.Replies.AuthServID = "mx." + dom
}

var arGood = "Authentication-Results: mx." + dom + "; dkim=pass header.d=" + dom + "; dmarc=pass header.from=" + dom

func arDMARC(fromDomain string) string {
	return "Authentication-Results: mx." + dom + "; dmarc=pass (p=quarantine) header.from=" + fromDomain
}

// Under require_auth = "dkim", a DKIM pass for someone else's domain proves
// nothing about the From (issue 9 §2).
func TestForeignDKIMPassDoesNotApprove(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		f.policy("dkim")
		rid := f.start()
		sek := "sekretaris@" + dom
		to := f.latestTo(rid, 2, sek)
		forged := withHeader(msg(sek, "Re: tugas", "e1@evil.example", to.MessageID, "SELESAI"),
			"Authentication-Results: mx."+dom+"; dkim=pass header.d=evil.example header.s=s1; spf=pass smtp.mailfrom=evil.example")
		if _, err := f.deliver(forged); err != nil {
			t.Fatal(err)
		}
		if f.step(rid) != 2 {
			t.Fatal("a DKIM pass for evil.example completed the Sekretaris's step")
		}
		if notices(f.outbox(rid), flow.WhyUnverified) != 1 {
			t.Fatal("the real assignee was not told of the refused reply")
		}
		// The control: the same reply signed by the office's own domain counts.
		good := withHeader(msg(sek, "Re: tugas", "g1@"+dom, to.MessageID, "SELESAI"),
			"Authentication-Results: mx."+dom+"; dkim=pass header.d="+dom+" header.s=s1")
		if _, err := f.deliver(good); err != nil {
			t.Fatal(err)
		}
		if f.step(rid) == 2 {
			t.Fatal("an aligned DKIM pass was not accepted")
		}
	})
}

// A message with two From headers, or two addresses in From, is never
// trusted, whatever else it carries.
func TestTwoFromsNeverAct(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		for _, from := range []string{"sekretaris@" + dom + "\r\nFrom: attacker@evil.example", "sekretaris@" + dom + ", attacker@evil.example"} {
			f := newFixture(t)
			rid := f.start()
			to := f.latestTo(rid, 2, "sekretaris@"+dom)
			if _, err := f.deliver(msg(from, "Re: tugas", "x1@evil.example", to.MessageID, "SELESAI")); err != nil {
				t.Fatal(err)
			}
			if f.step(rid) != 2 {
				t.Fatalf("From %q acted", from)
			}
		}
	})
}

// A new mail (no token) asks the official to reply to the assignment; it
// is applied only when the office accepts untokened mail from an
// authenticated sender.
func TestUntokenedNewMail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		newMail := msg("Rina Marlina <sekretaris@"+dom+">", "Penugasan LAKIP", "n1@"+dom, "", "SELESAI, sudah saya tugaskan.")
		f := newFixture(t)
		rid := f.start()
		if ok, err := f.deliver(newMail); !ok || err != nil {
			t.Fatalf("new mail: wanted=%v err=%v", ok, err)
		}
		if f.step(rid) != 2 || notices(f.outbox(rid), flow.WhyNoToken) != 1 {
			t.Fatalf("untokened mail: step %d, %d no-token notices", f.step(rid), notices(f.outbox(rid), flow.WhyNoToken))
		}
		// accept_untokened without an authentication policy proves nothing.
		f = newFixture(t)
		f.in.Config.Replies.AcceptUntokened = true
		rid = f.start()
		f.deliver(newMail)
		if f.step(rid) != 2 {
			t.Fatal("accept_untokened applied a mail whose sender nothing authenticated")
		}
		// accept_untokened with a DMARC pass for the From: applied.
		f = newFixture(t)
		f.policy("dmarc")
		f.in.Config.Replies.AcceptUntokened = true
		rid = f.start2()
		f.deliver(withHeader(newMail, arDMARC(dom)))
		if f.step(rid) == 2 {
			t.Fatal("an authenticated untokened mail was not applied with accept_untokened = true")
		}
	})
}

// start2 starts a run with a disposition that passes DMARC.
func (f *fixture) start2() string {
	f.t.Helper()
	if _, err := f.deliver(withHeader(msg("kepala@"+dom, "Disposisi LAKIP 2023", "d1@"+dom, "", dispo), arGood)); err != nil {
		f.t.Fatal(err)
	}
	if len(f.runs()) != 1 {
		f.t.Fatal("an authenticated disposition started no run")
	}
	return f.runs()[0].ID
}

// Under dmarc, a disposition in the Kepala Dinas's name starts a run only
// with a DMARC pass for his domain.
func TestSpoofedDispositionStartsNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		f.policy("dmarc")
		for i, extra := range []string{
			"",                      // no Authentication-Results at all
			arDMARC("evil.example"), // a pass for another domain
			strings.Replace(arDMARC(dom), "mx.", "mx-forged.", 1), // another authserv-id
			"Authentication-Results: mx." + dom + "; dmarc=fail header.from=" + dom,
		} {
			raw := msg("Kepala Dinas <kepala@"+dom+">", "Disposisi: Penyusunan LAKIP Tahun 2023", fmt.Sprintf("s%d@evil.example", i), "", dispo)
			if extra != "" {
				raw = withHeader(raw, extra)
			}
			f.deliver(raw)
			if n := len(f.runs()); n != 0 {
				t.Fatalf("case %d: a spoofed disposition started %d run(s)", i, n)
			}
		}
		f.start2()
	})
}

package intake_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// multipart builds a reply of parts (each "headers\r\n\r\nbody").
func multipart(from, subject, msgid, inReplyTo string, parts ...string) string {
	raw := msg(from, subject, msgid, inReplyTo, "")
	head, _, _ := strings.Cut(raw, "\r\n\r\n")
	head = strings.Replace(head, "Content-Type: text/plain; charset=utf-8", `Content-Type: multipart/mixed; boundary="ZZ"`, 1)
	var b strings.Builder
	b.WriteString(head + "\r\n\r\n")
	for _, p := range parts {
		b.WriteString("--ZZ\r\n" + p + "\r\n")
	}
	b.WriteString("--ZZ--\r\n")
	return b.String()
}

func pdfPart(name string, content string) string {
	return "Content-Type: application/pdf; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n" + content
}

const textPart = "Content-Type: text/plain; charset=utf-8\r\n\r\nSELESAI, bahan terlampir."

func (f *fixture) toCollect() string {
	f.t.Helper()
	rid := f.start()
	f.answer(rid, 2, "sekretaris@"+dom, "SELESAI", false)
	f.answer(rid, 3, "perencanaan@"+dom, "SELESAI", false)
	if f.step(rid) != 4 {
		f.t.Fatalf("run at step %d, want the collect step", f.step(rid))
	}
	return rid
}

func submitted(r *flow.Run, unit string) bool {
	for _, u := range r.Units {
		if u.Unit == unit && u.Submitted {
			return true
		}
	}
	return false
}

// An executable labelled as a PDF is refused, and the hand-in it carried
// does not count (issue 9 §3).
func TestExeLabelledPDFIsRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		rid := f.toCollect()
		to := f.latestTo(rid, 4, "umum@"+dom)
		exe := "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xffThis program cannot be run in DOS mode."
		f.deliver(multipart("umum@"+dom, "Re: bahan", "x1@"+dom, to.MessageID, textPart, pdfPart("bahan.pdf", exe)))
		r := f.run(rid)
		if submitted(r, "subbag_umum") {
			t.Fatal("an .exe labelled application/pdf was taken as the unit's material")
		}
		var told bool
		for _, o := range f.outbox(rid) {
			for _, why := range o.Mail.Data.Rejected {
				told = told || strings.Contains(why, "bahan.pdf") && strings.Contains(why, "program")
			}
		}
		if !told {
			t.Fatal("the notice does not name the refused file")
		}
		// The control: a real PDF counts.
		f.deliver(multipart("umum@"+dom, "Re: bahan", "x2@"+dom, to.MessageID, textPart, pdfPart("bahan.pdf", string(pdf))))
		if !submitted(f.run(rid), "subbag_umum") {
			t.Fatal("a real PDF was not taken")
		}
	})
}

// A message with more parts than the limit is never half-applied, and the
// official is told.
func TestThousandAttachmentsChangeNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		rid := f.toCollect()
		to := f.latestTo(rid, 4, "umum@"+dom)
		parts := []string{textPart}
		for i := range 1000 {
			parts = append(parts, pdfPart(fmt.Sprintf("b%04d.pdf", i), string(pdf)))
		}
		if _, err := f.deliver(multipart("umum@"+dom, "Re: bahan", "x1@"+dom, to.MessageID, parts...)); err != nil {
			t.Fatal(err)
		}
		if submitted(f.run(rid), "subbag_umum") {
			t.Fatal("a message with 1,000 attachments was applied in part")
		}
		var told bool
		for _, o := range f.outbox(rid) {
			for _, why := range o.Mail.Data.Rejected {
				told = told || strings.Contains(why, "melebihi batas")
			}
		}
		if !told {
			t.Fatal("the official was not told that parts were not read")
		}
	})
}

// SETUJU hidden in the HTML (display:none, white on white, font-size 0)
// is not what the official sees, and never acts.
func TestHiddenHTMLApprovalDoesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		for i, hidden := range []string{
			`<div style="display:none">SETUJU</div>`,
			`<span style="color:#ffffff;background-color:#ffffff">SETUJU</span>`,
			`<p style="font-size:0">SETUJU</p>`,
			`<p hidden>SETUJU</p>`,
		} {
			f := newFixture(t)
			rid := f.start()
			to := f.latestTo(rid, 2, "sekretaris@"+dom)
			html := "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>" + hidden + "<p>Mohon waktu, akan saya pelajari.</p></body></html>"
			raw := multipart("sekretaris@"+dom, "Re: tugas", fmt.Sprintf("h%d@%s", i, dom), to.MessageID, html)
			if _, err := f.deliver(raw); err != nil {
				t.Fatal(err)
			}
			if f.step(rid) != 2 {
				t.Fatalf("case %d: hidden %s completed the step", i, hidden)
			}
		}
	})
}

// toMeeting drives a run to the invitations of the Rapat Tim.
func (f *fixture) toMeeting() string {
	f.t.Helper()
	rid := f.toCollect()
	for _, u := range []string{"perencanaan", "umum", "keuangan", "rehsos", "linjamsos", "pmd"} {
		f.answer(rid, 4, u+"@"+dom, "SELESAI, bahan terlampir.", true)
	}
	ren, sek, kep := "perencanaan@"+dom, "sekretaris@"+dom, "kepala@"+dom
	f.answer(rid, 5, ren, "SELESAI", false)
	f.answer(rid, 6, sek, "SELESAI", false)
	f.answer(rid, 7, ren, "SELESAI, draf terlampir.", true)
	f.answer(rid, 8, sek, "SETUJU", false)
	f.answer(rid, 11, kep, "SETUJU", false)
	f.answer(rid, 12, kep, "SELESAI\nTanggal: Senin, 10 Juni 2024\nPukul: 09.00 WIB", false)
	// Step 13: the Kasubag Perencanaan sends the invitations.
	f.answer(rid, 13, ren, "Kirim.\n\nSalam,\nDedi", false)
	r := f.run(rid)
	if r.Meeting == nil || len(r.Meeting.Attendees) == 0 || r.Meeting.Issued.IsZero() {
		f.t.Fatalf("no meeting after step 12 (run at step %d)", f.step(rid))
	}
	return rid
}

func calendarReply(from, attendee, uid, partstat, inReplyTo string) string {
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:" + uid +
		"\r\nDTSTAMP:20240605T010000Z\r\nDTSTART:20240610T020000Z\r\nSEQUENCE:0\r\nATTENDEE;PARTSTAT=" + partstat + ":mailto:" + attendee +
		"\r\nORGANIZER:mailto:sekretariat@" + dom + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	return multipart(from, "Diterima: Rapat Tim Penyusunan LAKIP", "c-"+attendee+"-"+from, inReplyTo,
		"Content-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n"+ics)
}

func partstat(r *flow.Run, email string) string {
	for _, a := range r.Meeting.Attendees {
		if strings.EqualFold(a.Email, email) {
			return a.PartStat
		}
	}
	return "?"
}

// An attendee answers only for themselves: a calendar REPLY whose ATTENDEE
// is not its From, or whose From nothing proves, records nothing.
func TestSpoofedCalendarReplyRecordsNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		rid := f.toMeeting()
		r := f.run(rid)
		uid := r.Meeting.UID
		kep, umum := "kepala@"+dom, "umum@"+dom
		before := partstat(r, kep)
		// A unit head declines in the Kepala Dinas's name.
		f.deliver(calendarReply(umum, kep, uid, "DECLINED", ""))
		// A stranger does the same with the Kepala Dinas's From.
		f.policy("dmarc")
		f.deliver(withHeader(calendarReply(kep, kep, uid, "DECLINED", ""), arDMARC("evil.example")))
		if got := partstat(f.run(rid), kep); got != before {
			t.Fatalf("a spoofed calendar reply set the Kepala Dinas to %s", got)
		}
		// The control: his own, authenticated reply counts.
		f.deliver(withHeader(calendarReply(kep, kep, uid, "ACCEPTED", ""), arGood))
		if got := partstat(f.run(rid), kep); got != "ACCEPTED" {
			t.Fatalf("the Kepala Dinas's own reply recorded %s", got)
		}
	})
}

// A DSN counts only for a mail we sent, to a recipient we sent it to.
func TestBounceForAnotherRecipientIsIgnored(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		rid := f.start()
		assign := f.outbox(rid)[0]
		dsn := func(rcpt string) string {
			return "From: MAILER-DAEMON@" + dom + "\r\nTo: sekretariat@" + dom + "\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b-" + rcpt + ">\r\n" +
				"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n" +
				"--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n" +
				"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.evil.example\r\n\r\nFinal-Recipient: rfc822; " + rcpt + "\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
				"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" + assign.MessageID + ">\r\n" +
				"--B--\r\n"
		}
		f.deliver(dsn("kepala@" + dom))
		if n := len(f.run(rid).Failures); n != 0 {
			t.Fatalf("a bounce for someone the mail never went to recorded %d failure(s)", n)
		}
		f.deliver(dsn("sekretaris@" + dom))
		if n := len(f.run(rid).Failures); n != 1 {
			t.Fatalf("the real bounce recorded %d failure(s)", n)
		}
	})
}

// A plain-text answer to the invitation ("Insya Allah hadir", "Diwakilkan
// oleh …") records attendance like a calendar reply.
func TestTextRSVP(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		rid := f.toMeeting()
		umum, pmd := "umum@"+dom, "pmd@"+dom
		inv := f.latestTo(rid, 13, umum)
		f.deliver(msg(umum, "Re: Undangan Rapat Tim", "t1@"+dom, inv.MessageID, "Insya Allah hadir.\n\nSalam,\nSiti"))
		if got := partstat(f.run(rid), umum); got != "ACCEPTED" {
			t.Fatalf("'Insya Allah hadir' recorded %s", got)
		}
		inv = f.latestTo(rid, 13, pmd)
		f.deliver(msg(pmd, "Re: Undangan Rapat Tim", "t2@"+dom, inv.MessageID, "Mohon maaf tidak dapat hadir, diwakilkan oleh Sdr. Budi Santoso."))
		r := f.run(rid)
		if got := partstat(r, pmd); got != "DELEGATED" {
			t.Fatalf("a delegation recorded %s", got)
		}
		for _, a := range r.Meeting.Attendees {
			if a.Email == pmd && !strings.Contains(a.Delegate, "Budi") {
				t.Fatalf("delegate %q", a.Delegate)
			}
		}
	})
}

// What intake cannot read at all is set aside at once (mailin quarantines
// a permanent error); a failure of the disk is worth another try.
func TestParseFailuresAreClassified(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		ctx := context.Background()
		m := &mailin.Message{Mailbox: "INBOX", UIDValidity: 1, UID: 7, Body: strings.NewReader("\x00\x01\x02\xff binary, not mail\r\n\r\n")}
		if err := f.in.Process(ctx, m); err == nil || !mailin.IsPermanent(err) {
			t.Fatalf("binary junk: err %v, want a permanent error", err)
		}
		rid := f.toCollect()
		to := f.latestTo(rid, 4, "umum@"+dom)
		raw := multipart("umum@"+dom, "Re: bahan", "x1@"+dom, to.MessageID, textPart, pdfPart("bahan.pdf", string(pdf)))
		dir := t.TempDir()
		bl, err := blob.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		os.RemoveAll(filepath.Join(dir, "tmp")) // every write fails, as on a broken disk
		f.in.Blobs = bl
		err = f.in.Process(ctx, &mailin.Message{Mailbox: "INBOX", UIDValidity: 1, UID: 8, Body: strings.NewReader(raw)})
		if err == nil || mailin.IsPermanent(err) {
			t.Fatalf("disk full: err %v, want a transient error", err)
		}
		if submitted(f.run(rid), "subbag_umum") {
			t.Fatal("a hand-in whose file was not stored was applied")
		}
	})
}

package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/simofficial"
)

// compose sends a new mail (not a reply) to the office.
func (o *official) compose(subject, body string, files []file, at time.Time) (time.Time, error) {
	var buf bytes.Buffer
	var h mail.Header
	h.SetDate(at)
	h.SetAddressList("From", []*mail.Address{{Name: o.name, Address: o.addr}})
	h.SetAddressList("To", []*mail.Address{{Name: "Sekretariat", Address: o.office}})
	h.SetSubject(subject)
	h.GenerateMessageIDWithHostname(strings.SplitN(o.addr, "@", 2)[1])
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return time.Time{}, err
	}
	var th mail.InlineHeader
	th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	tw, err := w.CreateSingleInline(th)
	if err != nil {
		return time.Time{}, err
	}
	io.WriteString(tw, body)
	tw.Close()
	return o.finish(w, &buf, files)
}

// pdf makes a small valid one-page PDF showing a line of text.
func pdf(name, text string) file {
	return file{Name: name, Content: simofficial.PDF(text)}
}

// collect is step 4: every unit hands in its material; Bidang PMD is late,
// gets a reminder (and its superior an escalation), then hands in.
func (d *demo) collect(ctx context.Context) error {
	type unit struct {
		local, style, at string
	}
	units := []unit{
		{"perencanaan", "gmail", "2024-05-06 13:00"},
		{"umum", "outlook", "2024-05-07 09:30"},
		{"keuangan", "iphone", "2024-05-08 10:15"},
		{"rehsos", "gmail", "2024-05-13 14:00"},
		{"linjamsos", "outlook", "2024-05-14 11:20"},
	}
	asked := map[string]*received{}
	for _, u := range append(units, unit{"pmd", "iphone", ""}) {
		o := d.who(u.local)
		if o == nil {
			return fmt.Errorf("the demo needs %s@ in the config", u.local)
		}
		o.style = u.style
		m, err := d.assignment(ctx, o, 4)
		if err != nil {
			return err
		}
		asked[u.local] = m
	}
	for _, m := range asked {
		d.told(m.MessageID)
	}
	d.say("\n== Langkah 4  %s (Mutu Baku 1 minggu = 5 hari kerja)", d.kegiatan(4))
	for _, u := range units {
		o := d.who(u.local)
		d.at(u.at)
		body := "SELESAI\nBersama ini kami sampaikan bahan LAKIP " + d.short(o.addr) + ".\n\nTerima kasih."
		if u.local == "keuangan" {
			body = "Terlampir bahan LAKIP Subbag Keuangan.\nSELESAI"
		}
		f := pdf("bahan_lakip_2023_"+u.local+".pdf", "Bahan LAKIP 2023 - "+d.short(o.addr))
		if err := d.answer(ctx, o, asked[u.local], body, f); err != nil {
			return err
		}
		if _, err := d.kind(ctx, o, 4, flow.TplReceipt); err != nil {
			return err
		}
	}
	// The deadline (Wed 15 May) passes: Bidang PMD is reminded.
	pmd := d.who("pmd")
	d.at("2024-05-15 09:00")
	d.say("%s deadline of step 4 passed; Bidang PMD has not handed in", d.stamp())
	rem, err := d.kind(ctx, pmd, 4, flow.TplReminder)
	if err != nil {
		return err
	}
	d.at("2024-05-16 10:00")
	if err := d.answer(ctx, pmd, rem, "SELESAI, mohon maaf terlambat. Bahan terlampir.",
		pdf("bahan_lakip_2023_pmd.pdf", "Bahan LAKIP 2023 - Bidang PMD")); err != nil {
		return err
	}
	return d.waitRun(ctx, "step 4 is done", func(r *flow.Run) bool { return r.Steps[3].Status == flow.StepDone })
}

// draftToMeeting runs steps 5 to 14: the Sekretaris rejects the first
// draft, the Kepala Dinas sets a holiday date and confirms the slot
// offered, the Kasubag Perencanaan sends the Undangan (KIRIM), the
// attendees answer, and the notulen ends the run.
func (d *demo) draftToMeeting(ctx context.Context) error {
	kepala, sekr, renc := d.who("kepala"), d.who("sekretaris"), d.who("perencanaan")
	type act struct {
		o     *official
		step  int
		at    string
		body  string
		files []file
	}
	acts := []act{
		{renc, 5, "2024-05-16 10:06", "SELESAI. Seluruh bahan unit kerja sudah lengkap, laporan kesiapan sudah benar.", nil},
		{sekr, 6, "2024-05-16 10:13", "SELESAI\nCatatan: utamakan capaian IKU dan realisasi anggaran per program;\nsertakan analisis efisiensi.", nil},
		{renc, 7, "2024-05-17 14:00", "SELESAI, draft LAKIP terlampir.", []file{pdf("draft_lakip_2023_v1.pdf", "Draft LAKIP 2023 versi 1")}},
		{sekr, 8, "2024-05-17 14:25", "TOLAK tabel capaian IKU belum lengkap, mohon dilengkapi target dan realisasi triwulan IV.", nil},
		{renc, 7, "2024-05-20 09:30", "SELESAI, draft sudah diperbaiki sesuai arahan.", []file{pdf("draft_lakip_2023_v2.pdf", "Draft LAKIP 2023 versi 2 (perbaikan)")}},
		{sekr, 8, "2024-05-20 09:50", "SETUJU, sudah saya paraf.", nil},
		{kepala, 11, "2024-05-20 13:00", "Setuju pak, lanjutkan.", nil},
		// 23 May 2024 is Waisak: mailflow offers the next possible slot.
		{kepala, 12, "2024-05-20 13:04", "SELESAI\nRapat tim dijadwalkan:\nTanggal: Kamis, 23 Mei 2024\nPukul: 09.00 WIB\nTempat: Aula Dinas Sosial PMD", nil},
	}
	for _, a := range acts {
		m, err := d.assignment(ctx, a.o, a.step)
		if err != nil {
			return err
		}
		d.at(a.at)
		d.say("\n== Langkah %d  %s", a.step, d.kegiatan(a.step))
		if err := d.answer(ctx, a.o, m, a.body, a.files...); err != nil {
			return err
		}
	}
	// The date falls on a holiday: the Kepala Dinas confirms the slot offered.
	slot, err := d.kind(ctx, kepala, 12, flow.TplSlot)
	if err != nil {
		return err
	}
	d.at("2024-05-20 13:10")
	if err := d.answer(ctx, kepala, slot, "SETUJU"); err != nil {
		return err
	}
	// Step 13 is the Kasubag Perencanaan's: he sends the Undangan.
	send, err := d.kind(ctx, renc, 13, flow.TplSend)
	if err != nil {
		return err
	}
	d.at("2024-05-20 13:30")
	d.say("\n== Langkah 13  %s", d.kegiatan(13))
	if err := d.answer(ctx, renc, send, "KIRIM"); err != nil {
		return err
	}
	if err := d.waitRun(ctx, "the invitations go out", func(r *flow.Run) bool { return r.Meeting != nil && !r.Meeting.Issued.IsZero() }); err != nil {
		return err
	}
	// Attendees answer from their calendar clients.
	answers := []struct{ local, partstat, at string }{
		{"umum", "ACCEPTED", "2024-05-21 08:00"},
		{"keuangan", "DECLINED", "2024-05-21 08:30"},
		{"rehsos", "TENTATIVE", "2024-05-21 09:10"},
		{"sekretaris", "ACCEPTED", "2024-05-21 10:00"},
	}
	for _, a := range answers {
		o := d.who(a.local)
		inv, err := o.waitFor(ctx, "the Rapat Tim invitation", func(m *received) bool { return m.Calendar != "" })
		if err != nil {
			return err
		}
		d.at(a.at)
		d.say("%s %s answers the invitation: %s", d.stamp(), o.name, a.partstat)
		if _, err := o.rsvp(inv, a.partstat, d.clk.Now()); err != nil {
			return err
		}
	}
	if err := d.waitRun(ctx, "every RSVP is recorded", func(r *flow.Run) bool {
		n := 0
		for _, at := range r.Meeting.Attendees {
			if at.PartStat != "NEEDS-ACTION" {
				n++
			}
		}
		return n == len(answers)
	}); err != nil {
		return err
	}
	// The working day before the meeting the Kasubag Perencanaan gets the
	// attendance summary.
	r, err := d.run(ctx)
	if err != nil {
		return err
	}
	before := d.cfg.Calendar.PrevWorkingDay(r.Meeting.Start).Add(time.Minute)
	d.at(before.In(d.loc).Format("2006-01-02 15:04"))
	d.say("%s the working day before the meeting (23 and 24 May are Waisak holidays)", d.stamp())
	if _, err := d.kind(ctx, renc, 13, flow.TplAttendance); err != nil {
		return err
	}
	// The meeting ends; the notulen (Pencatatan dan Pendataan) ends the run.
	end := r.Meeting.Start.Add(time.Duration(r.Meeting.Minutes)*time.Minute + time.Minute)
	d.at(end.In(d.loc).Format("2006-01-02 15:04"))
	d.say("\n== Langkah 14  %s", d.kegiatan(14))
	req, err := d.kind(ctx, renc, 14, flow.TplNotulen)
	if err != nil {
		return err
	}
	d.at(end.Add(2 * time.Hour).In(d.loc).Format("2006-01-02 15:04"))
	if err := d.answer(ctx, renc, req, "SELESAI, notulensi rapat dan daftar hadir terlampir.",
		pdf("notulen_rapat_tim_lakip_2023.pdf", "Notulensi Rapat Tim Penyusunan LAKIP 2023")); err != nil {
		return err
	}
	return d.waitRun(ctx, "the run finishes", func(r *flow.Run) bool { return r.Status == flow.RunFinished })
}

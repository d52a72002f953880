// Package samples drives the pure flow through a realistic LAKIP run and
// collects the mails it emits, one or more of every kind. Golden tests of
// the templates, the MIME tests and the benchmarks of mail-out use them, so
// that what is tested is what the flow really sends.
package samples

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// Token is the run token of the sample run.
const Token = "abcdefghijklmnopqrst"

const dom = "@dinsospmd.bangkatengahkab.go.id"

// Sample is one mail the flow emitted, named for its golden file.
type Sample struct {
	Name string
	Mail *flow.Mail
}

// Content is the deterministic content of a sample attachment; its sha256
// is the attachment's SHA256.
func Content(filename string) []byte {
	return []byte(fmt.Sprintf("%%PDF-1.4\n%% contoh berkas %s untuk pengujian mailflow\n%%%%EOF\n", filename))
}

// File is a sample attachment whose content is Content(name).
func File(name string) flow.Attachment {
	c := Content(name)
	sum := sha256.Sum256(c)
	return flow.Attachment{Filename: name, ContentType: "application/pdf", Size: int64(len(c)), SHA256: hex.EncodeToString(sum[:])}
}

// Env loads the office and calendar from a config file (the repo's
// config.toml), with every secret set to a dummy.
func Env(configPath string) (flow.Env, *config.Config, error) {
	c, err := config.Load(configPath, config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		return flow.Env{}, nil, fmt.Errorf("load sample config %s: %w", configPath, err)
	}
	return flow.Env{Office: &c.Office, Cal: &c.Calendar}, c, nil
}

type driver struct {
	env  flow.Env
	run  *flow.Run
	n    int
	out  []Sample
	seen map[string]int
	err  error
}

func (d *driver) at(v string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", v, d.env.Cal.Loc)
	if err != nil && d.err == nil {
		d.err = err
	}
	return t
}

// apply applies ev and keeps the mails named by keep: the template name
// maps to the sample name ("" = keep under the template's name).
func (d *driver) apply(ev flow.Event, keep map[string]string) {
	if d.err != nil {
		return
	}
	ev.RunID = "run1"
	run, effs, err := flow.Apply(d.env, d.run, ev)
	if err != nil {
		d.err = fmt.Errorf("apply %s at %s: %w", ev.Type, ev.At, err)
		return
	}
	d.run = run
	for _, e := range effs {
		if e.Type != flow.EffSend {
			continue
		}
		name, ok := keep[e.Mail.Template]
		if !ok {
			continue
		}
		if name == "" {
			name = e.Mail.Template
		}
		if d.seen[name] > 0 {
			continue // the first of each kind is enough
		}
		d.seen[name]++
		d.out = append(d.out, Sample{Name: name, Mail: e.Mail})
	}
}

func (d *driver) reply(at, from string, cmd flow.Command, step int, notes string, keep map[string]string, att ...flow.Attachment) {
	d.n++
	d.apply(flow.Event{Type: flow.EvReply, At: d.at(at), From: from + dom, Command: cmd, Step: step, Notes: notes,
		Attachments: att, MessageID: fmt.Sprintf("CAF%04d.balasan@mail.gmail.com", d.n)}, keep)
}

func k(pairs ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

// Mails runs the sample LAKIP run (June 2024, with rejections, a late unit,
// a delivery failure and a rescheduled then cancelled meeting) and returns
// the mails worth showing, in order, each under a unique name.
func Mails(configPath string) ([]Sample, error) {
	env, _, err := Env(configPath)
	if err != nil {
		return nil, err
	}
	d := &driver{env: env, seen: map[string]int{}}
	d.apply(flow.Event{Type: flow.EvStart, At: d.at("2024-06-03 08:00"), Token: Token, SOP: "lakip", Title: "LAKIP Tahun 2023",
		From: "kepala" + dom, MessageID: "dispo.123@srikandi.bangkatengahkab.go.id", Attachments: []flow.Attachment{File("disposisi_lakip_2023.pdf")},
		Notes: "Segera dikoordinasikan."}, k(flow.TplTask, "assign_task", flow.TplAck, "disposition_ack"))
	// The same disposition sent again: the sender is told which run it is.
	d.apply(flow.Event{Type: flow.EvRedisposition, At: d.at("2024-06-03 08:02"), From: "kepala" + dom, MessageID: "dispo.124@srikandi.bangkatengahkab.go.id"},
		k(flow.TplNotice, "notice_redisposition"))
	d.reply("2024-06-03 08:05", "sekretaris", flow.CmdDone, 2, "", k(flow.TplReceipt, "receipt_done", flow.TplTask, "assign_task_step3"))
	d.reply("2024-06-03 08:07", "umum", flow.CmdApprove, 3, "", k(flow.TplNotice, "notice_wrong_role"))
	d.reply("2024-06-03 08:08", "sekretaris", flow.CmdDone, 8, "", k(flow.TplNotice, "notice_not_current"))
	d.reply("2024-06-03 08:12", "perencanaan", flow.CmdDone, 3, "", k(flow.TplCollect, "assign_collect"))
	d.reply("2024-06-03 09:00", "perencanaan", flow.CmdStatus, 4, "", k(flow.TplStatus, "status"))
	d.reply("2024-06-03 09:10", "umum", flow.CmdHelp, 4, "", k(flow.TplHelp, "help"))
	d.reply("2024-06-03 09:20", "keuangan", flow.CmdNone, 4, "", k(flow.TplNotice, "notice_no_command"))
	d.reply("2024-06-03 09:30", "keuangan", flow.CmdDone, 4, "", k(flow.TplNotice, "notice_missing_attachment"))
	d.reply("2024-06-03 09:40", "keuangan", flow.CmdApprove, 4, "", k(flow.TplNotice, "notice_wrong_command"))
	d.apply(flow.Event{Type: flow.EvRefused, At: d.at("2024-06-03 09:45"), From: "siti.aminah.pribadi@gmail.com", Step: 4,
		Reason: "address not in the config", MessageID: "CAFx.pribadi@mail.gmail.com"}, k(flow.TplNotice, "notice_unverified_sender"))
	d.apply(flow.Event{Type: flow.EvReply, At: d.at("2024-06-03 09:50"), From: "keuangan" + dom, Command: flow.CmdDone, Step: 4,
		MessageID: "CAFy.balasan@mail.gmail.com", Rejected: []string{"bahan_keuangan.zip (36 MB, lebih dari batas 25 MB)"}},
		k(flow.TplNotice, "notice_rejected_attachment"))
	// A new mail, not a reply: the official is asked to reply to the request itself.
	d.apply(flow.Event{Type: flow.EvNoToken, At: d.at("2024-06-03 09:55"), From: "linjamsos" + dom, MessageID: "CAFz.baru@mail.gmail.com"},
		k(flow.TplNotice, "notice_no_token"))
	units := []string{"perencanaan", "umum", "keuangan", "rehsos", "linjamsos"}
	for i, u := range units {
		d.reply(fmt.Sprintf("2024-06-04 10:%02d", i*7), u, flow.CmdDone, 4, "", k(flow.TplReceipt, "receipt_submitted"),
			File("bahan_lakip_"+u+".pdf"))
	}
	d.reply("2024-06-05 11:00", "umum", flow.CmdDone, 4, "Mengganti berkas sebelumnya; tabel kepegawaian diperbarui.",
		k(flow.TplReceipt, "receipt_resubmitted"), File("bahan_lakip_umum_rev.pdf"), File("lampiran_tabel_pegawai.xlsx"))
	// pmd is late: the deadline passes, a reminder, then the escalation.
	d.tickUntil(d.at("2024-06-12 10:00"), k(flow.TplReminder, "reminder", flow.TplEscalation, "escalation"))
	d.reply("2024-06-12 10:30", "pmd", flow.CmdDone, 4, "Mohon maaf atas keterlambatan.", k(flow.TplReport, "assign_report"), File("bahan_lakip_pmd.pdf"))
	d.reply("2024-06-12 13:00", "perencanaan", flow.CmdDone, 5, "", k(flow.TplReport, "assign_report_petunjuk"))
	d.reply("2024-06-12 13:05", "sekretaris", flow.CmdDone, 6, "Utamakan capaian IKU dan lampirkan tabel realisasi anggaran.", k(flow.TplTask, "assign_task_draf"))
	d.reply("2024-06-13 15:00", "perencanaan", flow.CmdDone, 7, "", k(flow.TplApproval, "assign_approval"), File("draft_lakip_2023_v1.pdf"))
	d.apply(flow.Event{Type: flow.EvReply, At: d.at("2024-06-13 15:20"), From: "sekretaris" + dom, Command: flow.CmdUnclear, Step: 8, Round: 1,
		Notes: "Pada prinsipnya setuju, tapi tabel <b>capaian</b> belum lengkap.", MessageID: "CAFu.balasan@mail.gmail.com"},
		k(flow.TplNotice, "notice_unclear"))
	d.reply("2024-06-13 15:30", "sekretaris", flow.CmdReject, 8, "Tabel capaian kinerja belum lengkap; lengkapi realisasi triwulan IV.",
		k(flow.TplReceipt, "receipt_rejected", flow.TplTask, "assign_task_revision"))
	d.reply("2024-06-14 09:00", "perencanaan", flow.CmdDone, 7, "", k(flow.TplApproval, "assign_approval_revision"), File("draft_lakip_2023_v2.pdf"))
	// The first TOLAK, sent again from another copy of round 1's mail: stale.
	d.apply(flow.Event{Type: flow.EvReply, At: d.at("2024-06-14 09:10"), From: "sekretaris" + dom, Command: flow.CmdReject, Step: 8, Round: 1,
		Notes: "Tabel capaian kinerja belum lengkap.", MessageID: "CAFs.balasan@mail.gmail.com"}, k(flow.TplNotice, "notice_stale_round"))
	d.reply("2024-06-14 09:20", "sekretaris", flow.CmdApprove, 8, "Sudah diparaf.", k(flow.TplReceipt, "receipt_approved", flow.TplApproval, "assign_approval_ttd"))
	d.reply("2024-06-14 10:00", "kepala", flow.CmdApprove, 11, "", k(flow.TplTask, "assign_task_disposisi"))
	// Monday 17 June 2024 is Idul Adha: the date is refused, the next slot offered.
	d.n++
	d.apply(flow.Event{Type: flow.EvReply, At: d.at("2024-06-14 10:02"), From: "kepala" + dom, Command: flow.CmdDone, Step: 12,
		MessageID: "dispo12a@srikandi.bangkatengahkab.go.id",
		Meeting:   &flow.MeetingInput{Start: d.at("2024-06-17 09:00"), HasTime: true}}, k(flow.TplSlot, "meeting_slot"))
	d.n++
	d.apply(flow.Event{Type: flow.EvReply, At: d.at("2024-06-14 10:05"), From: "kepala" + dom, Command: flow.CmdDone, Step: 12,
		MessageID: "dispo12@srikandi.bangkatengahkab.go.id", Notes: "Undang seluruh tim.",
		Meeting: &flow.MeetingInput{Start: d.at("2024-06-19 09:00"), HasTime: true, Place: "Ruang Rapat Sekretariat Lantai 2"}},
		k(flow.TplSend, "assign_send"))
	d.reply("2024-06-14 10:10", "perencanaan", flow.CmdApprove, 13, "", k(flow.TplInvitation, "invitation", flow.TplReceipt, "receipt_sent"))
	d.reply("2024-06-14 10:30", "perencanaan", flow.CmdDone, 14, "", k(flow.TplNotice, "notice_not_started"))
	d.apply(flow.Event{Type: flow.EvDeliveryFailed, At: d.at("2024-06-14 10:40"), RunID: "run1", FailedID: "mf." + Token + ".s13.40@dinsospmd.bangkatengahkab.go.id",
		Recipient: "linjamsos" + dom, Reason: "550 5.1.1 mailbox unavailable", Step: 13}, k(flow.TplAlert, "alert_delivery"))
	for i, a := range []struct{ who, ps string }{{"umum", "ACCEPTED"}, {"pmd", "DECLINED"}, {"keuangan", "TENTATIVE"}, {"sekretaris", "ACCEPTED"}} {
		d.apply(flow.Event{Type: flow.EvCalendarReply, At: d.at(fmt.Sprintf("2024-06-14 11:%02d", i)), From: a.who + dom, PartStat: a.ps,
			MessageID: fmt.Sprintf("rsvp%d@x", i)}, nil)
	}
	d.apply(flow.Event{Type: flow.EvMeetingChange, At: d.at("2024-06-14 13:00"), From: "kepala" + dom,
		Meeting: &flow.MeetingInput{Start: d.at("2024-06-20 13:30"), HasTime: true, Place: "Aula Dinas Sosial PMD"}},
		k(flow.TplInvitation, "invitation_update"))
	// "Hadir" written to the first invitation, after the reschedule: stale.
	d.apply(flow.Event{Type: flow.EvCalendarReply, At: d.at("2024-06-14 14:00"), From: "rehsos" + dom, PartStat: "ACCEPTED", TextRSVP: true,
		Step: 13, Round: 1, MessageID: "rsvp8@x"}, k(flow.TplNotice, "notice_stale_rsvp"))
	d.apply(flow.Event{Type: flow.EvCalendarReply, At: d.at("2024-06-17 08:00"), From: "umum" + dom, PartStat: "ACCEPTED", MessageID: "rsvp9@x"}, nil)
	d.apply(flow.Event{Type: flow.EvCalendarReply, At: d.at("2024-06-17 08:05"), From: "pmd" + dom, PartStat: "DECLINED", MessageID: "rsvp10@x"}, nil)
	d.apply(flow.Event{Type: flow.EvCalendarReply, At: d.at("2024-06-17 08:10"), From: "keuangan" + dom, PartStat: "DELEGATED",
		Delegate: "Ahmad Fauzi, S.E.", TextRSVP: true, MessageID: "rsvp11@x"}, k(flow.TplReceipt, "receipt_rsvp"))
	d.tickUntil(d.at("2024-06-19 08:00"), k(flow.TplAttendance, "attendance"))
	d.apply(flow.Event{Type: flow.EvMeetingChange, At: d.at("2024-06-19 09:00"), From: "kepala" + dom, Cancel: true},
		k(flow.TplCancel, "invitation_cancel"))
	// A new meeting after the cancellation, then the notulen ends the run.
	d.apply(flow.Event{Type: flow.EvMeetingChange, At: d.at("2024-06-19 10:00"), From: "kepala" + dom,
		Meeting: &flow.MeetingInput{Start: d.at("2024-06-24 09:00"), HasTime: true, Place: "Aula Dinas Sosial PMD"}}, nil)
	d.tickUntil(d.at("2024-06-24 11:00"), k(flow.TplNotulen, "assign_notulen"))
	d.reply("2024-06-24 14:00", "perencanaan", flow.CmdDone, 14, "", k(flow.TplSummary, "summary"), File("notulen_rapat_tim_lakip_2023.pdf"))
	d.reply("2024-06-25 08:00", "rehsos", flow.CmdDone, 4, "", k(flow.TplNotice, "notice_run_finished"))
	// An acting official (Plh. Sekretaris, 15-19 July) gets the assignment.
	d.run = nil
	d.apply(flow.Event{Type: flow.EvStart, At: d.at("2024-07-15 08:00"), Token: "bcdefghijklmnopqrstu", SOP: "lakip", Title: "LAKIP Tahun 2023",
		From: "kepala" + dom}, k(flow.TplTask, "assign_task_acting"))
	return d.out, d.err
}

func (d *driver) tickUntil(end time.Time, keep map[string]string) {
	for i := 0; i < 1000 && d.err == nil && !d.run.Wake.IsZero() && !d.run.Wake.After(end); i++ {
		d.apply(flow.Event{Type: flow.EvTick, At: d.run.Wake}, keep)
	}
}

// AdminMails are the mails of no run, to the office's admin: the first
// quarantine alert and an hour's summary, about hostile messages (markup,
// forged header lines and a bidi override in From and Subject).
func AdminMails(configPath string) ([]Sample, error) {
	env, _, err := Env(configPath)
	if err != nil {
		return nil, err
	}
	loc := env.Cal.Loc
	at := func(h, m int) time.Time { return time.Date(2024, 6, 3, h, m, 0, 0, loc) }
	first := flow.QuarantineAlert(env.Office, 1, []flow.QuarantineItem{{
		At: at(9, 14), Mailbox: "INBOX", UID: 41, MessageID: "CAFq.racun@mail.gmail.com", From: "penipu@evil.example",
		Subject: "Re: [LAKIP 2023 · Langkah 4] <b>SETUJU</b>\r\nBcc: semua@dinsospmd.bangkatengahkab.go.id", Attempts: 1, Permanent: true,
		Error: "parse: attachment 2: illegal base64 data at input byte 4",
	}}, "$MailflowQuarantine")
	var items []flow.QuarantineItem
	for i := 0; i < 7; i++ {
		items = append(items, flow.QuarantineItem{At: at(9, 20+i*5), Mailbox: "INBOX", UID: uint32(42 + i),
			From: fmt.Sprintf("\"<script>alert(%d)</script>\"@evil.example", i), Subject: "Tagihan \u202Efdp.exe",
			Attempts: 5, Permanent: i%2 == 0, Error: "write blob: no space left on device"})
	}
	items[1].From, items[1].Subject = "", ""
	summary := flow.QuarantineAlert(env.Office, 37, items, "$MailflowQuarantine")
	if first == nil || summary == nil {
		return nil, fmt.Errorf("the sample config %s has no office.admin", configPath)
	}
	first.MessageID = "mf-admin.20240603T021400.0a1b2c3d4e5f@" + env.Office.Domain
	summary.MessageID = "mf-admin.20240603T031400.5f4e3d2c1b0a@" + env.Office.Domain
	return []Sample{{Name: "alert_quarantine", Mail: first}, {Name: "alert_quarantine_summary", Mail: summary}}, nil
}

package flow_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
)

const dom = "@dinsospmd.bangkatengahkab.go.id"

var units = []string{"perencanaan", "umum", "keuangan", "rehsos", "linjamsos", "pmd"}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func file(name string) []flow.Attachment {
	return []flow.Attachment{{Filename: name, ContentType: "application/pdf", Size: 1000, SHA256: "00"}}
}

var msgN int

func (s *scenario) reply(at, from string, cmd flow.Command, step int, notes string, att []flow.Attachment) []flow.Effect {
	msgN++
	return s.apply(flow.Event{Type: flow.EvReply, At: s.at(at), From: from + dom, Command: cmd, Step: step,
		Notes: notes, Attachments: att, MessageID: "reply" + time.Duration(msgN).String() + "@gmail.com"})
}

func (s *scenario) start(at string) {
	s.apply(flow.Event{Type: flow.EvStart, At: s.at(at), Token: tok, SOP: "lakip", Title: "LAKIP Tahun 2023",
		From: "kepala" + dom, MessageID: "dispo@srikandi.go.id", Attachments: file("disposisi.pdf")})
}

// upToCollect runs steps 2 and 3.
func (s *scenario) upToCollect(day string) {
	s.reply(day+" 08:05", "sekretaris", flow.CmdDone, 2, "", nil)
	s.reply(day+" 08:12", "perencanaan", flow.CmdApprove, 3, "", nil)
}

func (s *scenario) allUnits(day string) {
	for i, u := range units {
		s.reply(day+" 10:0"+string(rune('0'+i)), u, flow.CmdDone, 4, "", file("lakip_"+u+".pdf"))
	}
}

// fromCollectToEnd runs steps 5..12 without rejections.
func (s *scenario) fromCollectToEnd(day string) {
	s.reply(day+" 13:00", "perencanaan", flow.CmdDone, 5, "", nil)
	s.reply(day+" 13:05", "sekretaris", flow.CmdDone, 6, "Utamakan capaian IKU, lampirkan tabel realisasi anggaran.", nil)
	s.reply(day+" 15:00", "perencanaan", flow.CmdDone, 7, "", file("draft_lakip_v1.pdf"))
	s.reply(day+" 15:20", "sekretaris", flow.CmdApprove, 8, "", nil)
	s.reply(day+" 15:40", "kepala", flow.CmdApprove, 11, "", nil)
	s.apply(flow.Event{Type: flow.EvReply, At: s.at(day + " 15:45"), From: "kepala" + dom, Command: flow.CmdDone, Step: 12,
		MessageID: "dispo12@x", Meeting: &flow.MeetingInput{Start: s.at("2024-06-10 09:00"), HasTime: true, Place: "Aula Dinsos"}})
	s.reply(day+" 15:55", "perencanaan", flow.CmdApprove, 13, "", nil) // KIRIM
}

// notulen ends the run: the meeting is over, the notulen comes in.
func (s *scenario) notulen(at string) {
	s.tickUntil(s.at(at))
	s.reply(at, "perencanaan", flow.CmdDone, 14, "", file("notulen_rapat_tim.pdf"))
}

func TestHappyPath(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	// The invitations are out; the run waits for the meeting's notulen.
	if s.run.Status != flow.RunActive || s.run.Steps[len(s.run.Steps)-1].WaitUntil.IsZero() {
		t.Fatalf("run is %s, want active and waiting for the notulen", s.run.Status)
	}
	if s.run.Meeting == nil || len(s.run.Meeting.Attendees) != 8 {
		t.Fatalf("meeting attendees: %+v", s.run.Meeting)
	}
	// RSVPs update attendance.
	s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at("2024-06-05 08:00"), From: "umum" + dom, PartStat: "ACCEPTED", MessageID: "r1"})
	s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at("2024-06-05 08:10"), From: "pmd" + dom, PartStat: "DECLINED", MessageID: "r2"})
	// The working day before the meeting (Fri 7 June), the summary goes out.
	s.tickUntil(s.at("2024-06-08 00:00"))
	if !s.run.Meeting.SummarySent {
		t.Error("attendance summary not sent")
	}
	// The meeting (Mon 10 June 09.00, 120 minutes) ends; the notulen ends the run.
	s.notulen("2024-06-10 13:00")
	if s.run.Status != flow.RunFinished || s.run.Docs["notulen"].Version != 1 {
		t.Fatalf("run is %s with docs %v, want finished with the notulen", s.run.Status, s.run.Docs)
	}
	s.golden("happy_path")
}

func TestRejections(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.reply("2024-06-04 13:00", "perencanaan", flow.CmdDone, 5, "", nil)
	s.reply("2024-06-04 13:05", "sekretaris", flow.CmdDone, 6, "", nil)
	s.reply("2024-06-04 15:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v1.pdf"))
	s.reply("2024-06-04 15:30", "sekretaris", flow.CmdReject, 8, "Tabel capaian kinerja belum lengkap", nil)
	if s.run.Revisions != 1 || s.run.Steps[6].Status != flow.StepActive || s.run.Steps[7].Status != flow.StepPending {
		t.Fatalf("after rejection at 8: revisions=%d step7=%s step8=%s", s.run.Revisions, s.run.Steps[6].Status, s.run.Steps[7].Status)
	}
	s.reply("2024-06-05 09:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v2.pdf"))
	s.reply("2024-06-05 09:20", "sekretaris", flow.CmdApprove, 8, "", file("draft_v2_paraf.pdf"))
	s.reply("2024-06-05 10:00", "kepala", flow.CmdReject, 11, "Perbaiki bab analisis akuntabilitas", nil)
	s.reply("2024-06-05 14:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v3.pdf"))
	// After a rejection, 8 and 11 run again in order: 11 is not current yet.
	s.reply("2024-06-05 14:05", "kepala", flow.CmdApprove, 11, "", nil)
	s.reply("2024-06-05 14:10", "sekretaris", flow.CmdApprove, 8, "", nil)
	s.reply("2024-06-05 14:30", "kepala", flow.CmdApprove, 11, "", nil)
	if s.run.Revisions != 2 || s.run.Docs["draft"].Attachments[0].Filename != "draft_v3.pdf" {
		t.Fatalf("revisions=%d draft=%+v", s.run.Revisions, s.run.Docs["draft"])
	}
	if s.run.Steps[8].Round != 2 || s.run.Steps[7].Round != 3 {
		t.Errorf("rounds: step 8=%d step 11=%d", s.run.Steps[7].Round, s.run.Steps[8].Round)
	}
	s.golden("rejections")
}

func TestUnitNeverSubmits(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	for _, u := range units[:5] {
		s.reply("2024-06-05 10:00", u, flow.CmdDone, 4, "", file(u+".pdf"))
	}
	// pmd never answers: reminders, then escalation up the chain.
	s.tickUntil(s.at("2024-06-20 16:00"))
	st := s.run.Steps[3]
	if st.Reminders != 3 || st.Escalations < 2 {
		t.Fatalf("reminders=%d escalations=%d", st.Reminders, st.Escalations)
	}
	// Kasubag Perencanaan closes the step early.
	s.reply("2024-06-20 10:00", "perencanaan", flow.CmdDone, 4, "Bidang PMD menyusul", nil)
	if s.run.Steps[3].Status != flow.StepDone {
		t.Fatal("collect not closed")
	}
	s.golden("unit_never_submits")
}

func TestHolidayAndWeekendInCollectWeek(t *testing.T) {
	s := newScenario(t, lakip(t))
	// Mon 6 May 2024: Thu 9 (Kenaikan Isa Almasih) and Fri 10 (cuti bersama)
	// are holidays, then a weekend: 5 working days end on Wed 15 May.
	s.start("2024-05-06 08:00")
	s.upToCollect("2024-05-06")
	due := s.run.Steps[3].DueAt.In(s.loc)
	if want := s.at("2024-05-15 08:12"); !due.Equal(want) {
		t.Fatalf("collect due %s, want %s", due, want)
	}
	// A reply on Friday evening: the resubmission replaces the first one.
	s.reply("2024-05-07 09:00", "umum", flow.CmdDone, 4, "", file("umum_v1.pdf"))
	s.reply("2024-05-10 19:00", "umum", flow.CmdDone, 4, "revisi", file("umum_v2.pdf"))
	u := s.run.Units[1]
	if len(u.History) != 2 || u.Attachments[0].Filename != "umum_v2.pdf" {
		t.Fatalf("resubmission: %+v", u)
	}
	s.tickUntil(s.at("2024-05-16 12:00"))
	s.golden("holiday_weekend")
}

func TestStaleAndDuplicateReplies(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	before := mustJSON(t, s.run.Steps)
	// A second confirmation of step 2, now done: a late reply.
	effs := s.reply("2024-06-03 09:00", "sekretaris", flow.CmdDone, 2, "", nil)
	if mustJSON(t, s.run.Steps) != before || !hasNotice(effs, flow.WhyNotCurrent) {
		t.Fatal("a late reply changed the run or got no notice")
	}
	// The very same message again (same Message-ID): nothing at all.
	ev := s.log[len(s.log)-1]
	run, effs, err := flow.Apply(s.env, s.run, ev)
	if err != nil || len(sends(effs)) != 0 || mustJSON(t, run.Steps) != before {
		t.Fatal("a duplicate Message-ID was applied again")
	}
	// SETUJU on the collect step.
	effs = s.reply("2024-06-03 09:10", "umum", flow.CmdApprove, 4, "", nil)
	if !hasNotice(effs, flow.WhyWrongCommand) {
		t.Error("SETUJU on collect: want wrong_command")
	}
	// SELESAI without the work attached.
	effs = s.reply("2024-06-03 09:15", "keuangan", flow.CmdDone, 4, "", nil)
	if !hasNotice(effs, flow.WhyNoAttachment) {
		t.Error("SELESAI without attachment: want missing_attachment")
	}
	// No command at all.
	effs = s.reply("2024-06-03 09:20", "rehsos", flow.CmdNone, 4, "", nil)
	if !hasNotice(effs, flow.WhyNoCommand) {
		t.Error("no command: want no_command")
	}
	// Finish the run, then reply to it.
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	s.notulen("2024-06-10 13:00")
	effs = s.reply("2024-06-11 08:00", "sekretaris", flow.CmdApprove, 8, "", nil)
	if !hasNotice(effs, flow.WhyFinished) {
		t.Error("reply to finished run: want run_finished")
	}
	// STATUS still works on a finished run.
	effs = s.reply("2024-06-11 08:05", "sekretaris", flow.CmdStatus, 0, "", nil)
	if len(sends(effs)) != 1 || sends(effs)[0].Template != flow.TplStatus {
		t.Error("STATUS on a finished run: want a status mail")
	}
	s.golden("stale_duplicate")
}

func TestWrongRole(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	// The Kasubag Perencanaan answers the Sekretaris's step.
	effs := s.reply("2024-06-03 08:03", "perencanaan", flow.CmdDone, 2, "", nil)
	if !hasNotice(effs, flow.WhyWrongRole) || s.run.Steps[1].Status != flow.StepActive {
		t.Fatal("wrong-role reply was applied")
	}
	// ...but during 15-19 July 2024 they are Plh. Sekretaris.
	s2 := newScenario(t, lakip(t))
	s2.start("2024-07-15 08:00")
	effs = s2.reply("2024-07-15 08:03", "perencanaan", flow.CmdDone, 2, "", nil)
	if hasNotice(effs, flow.WhyWrongRole) || s2.run.Steps[1].Status != flow.StepDone {
		t.Fatal("Plh. Sekretaris's reply was not applied")
	}
	// A unit head approving step 8 is refused too.
	s.out.WriteString("\n-- Plh. run --")
	s.out.WriteString(s2.out.String())
	s.golden("wrong_role")
}

func TestSecondSOP(t *testing.T) {
	env := loadEnv(t, "testdata/cuti.toml")
	s := newScenario(t, env)
	s.apply(flow.Event{Type: flow.EvStart, At: s.at("2025-03-03 09:00"), Token: tok, SOP: "cuti", Title: "Cuti Andi Maret 2025",
		From: "andi@contoh.go.id", MessageID: "m0"})
	s.apply(flow.Event{Type: flow.EvReply, At: s.at("2025-03-03 10:00"), From: "bella@contoh.go.id", Command: flow.CmdDone, Step: 2, MessageID: "m1", Attachments: file("berkas.pdf")})
	s.apply(flow.Event{Type: flow.EvReply, At: s.at("2025-03-04 10:00"), From: "candra@contoh.go.id", Command: flow.CmdReject, Step: 3, Notes: "Tanggal bentrok", MessageID: "m2"})
	s.apply(flow.Event{Type: flow.EvReply, At: s.at("2025-03-04 11:00"), From: "bella@contoh.go.id", Command: flow.CmdDone, Step: 2, MessageID: "m3", Attachments: file("berkas2.pdf")})
	s.apply(flow.Event{Type: flow.EvReply, At: s.at("2025-03-04 13:00"), From: "candra@contoh.go.id", Command: flow.CmdApprove, Step: 3, MessageID: "m4"})
	if s.run.Status != flow.RunFinished {
		t.Fatalf("cuti run is %s", s.run.Status)
	}
	s.golden("second_sop")
}

func TestDeliveryFailure(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.apply(flow.Event{Type: flow.EvDeliveryFailed, At: s.at("2024-06-03 08:01"), FailedID: "mf.x.s2.1@d", Recipient: "sekretaris" + dom, Reason: "550 5.1.1 user unknown", Step: 2})
	if len(s.run.Failures) != 1 {
		t.Fatal("failure not recorded")
	}
	s.golden("delivery_failure")
}

func hasNotice(effs []flow.Effect, why string) bool {
	for _, m := range sends(effs) {
		if m.Template == flow.TplNotice && m.Data.Reason == why {
			return true
		}
	}
	return false
}

func sends(effs []flow.Effect) []*flow.Mail {
	var out []*flow.Mail
	for _, e := range effs {
		if e.Type == flow.EffSend {
			out = append(out, e.Mail)
		}
	}
	return out
}

func TestMeetingRescheduleAndCancel(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at("2024-06-05 08:00"), From: "umum" + dom, PartStat: "ACCEPTED", MessageID: "r1"})
	// The Kepala Dinas moves the meeting by replying with new fields.
	effs := s.apply(flow.Event{Type: flow.EvReply, At: s.at("2024-06-05 09:00"), From: "kepala" + dom, Command: flow.CmdDone,
		MessageID: "move", Meeting: &flow.MeetingInput{Start: s.at("2024-06-12 13:00"), HasTime: true}})
	inv := sends(effs)
	if len(inv) != 1 || inv[0].Invite == nil || inv[0].Invite.Method != "REQUEST" || inv[0].Invite.Sequence != 1 {
		t.Fatalf("reschedule: %+v", inv)
	}
	if s.run.Meeting.Attendees[3].PartStat != "NEEDS-ACTION" {
		t.Error("answers must be asked again after a reschedule")
	}
	// A unit head may not move it: a notice, no update.
	effs = s.apply(flow.Event{Type: flow.EvReply, At: s.at("2024-06-05 09:10"), From: "umum" + dom, Command: flow.CmdDone,
		MessageID: "move2", Meeting: &flow.MeetingInput{Start: s.at("2024-06-13 13:00"), HasTime: true}})
	if !hasNotice(effs, flow.WhyNotStarted) || s.run.Meeting.Sequence != 1 {
		t.Error("a unit head rescheduled the meeting")
	}
	// The admin cancels it.
	effs = s.apply(flow.Event{Type: flow.EvMeetingChange, At: s.at("2024-06-06 10:00"), From: "admin", Cancel: true})
	if c := sends(effs); len(c) != 1 || c[0].Invite.Method != "CANCEL" || c[0].Invite.Sequence != 2 || !s.run.Meeting.Cancelled {
		t.Fatalf("cancel: %+v", c)
	}
	s.tickUntil(s.at("2024-06-20 00:00"))
	if s.run.Meeting.SummarySent {
		t.Error("attendance summary sent for a cancelled meeting")
	}
	if s.run.Status != flow.RunActive || s.run.Steps[len(s.run.Steps)-1].Status != flow.StepPending {
		t.Fatal("a cancelled meeting must leave the notulen waiting")
	}
	// A new date on a holiday (25 December, Hari Raya Natal): refused
	// without Force.
	uid := s.run.Meeting.UID
	effs = s.apply(flow.Event{Type: flow.EvMeetingChange, At: s.at("2024-06-21 10:00"), From: "admin",
		Meeting: &flow.MeetingInput{Start: s.at("2024-12-25 09:00"), HasTime: true}})
	if len(sends(effs)) != 0 || !s.run.Meeting.Cancelled {
		t.Fatal("a meeting on a holiday was scheduled")
	}
	// After the cancellation a new date schedules a new meeting: a new UID.
	effs = s.apply(flow.Event{Type: flow.EvMeetingChange, At: s.at("2024-06-21 10:05"), From: "admin",
		Meeting: &flow.MeetingInput{Start: s.at("2024-06-26 09:00"), HasTime: true}})
	if c := sends(effs); len(c) != 1 || c[0].Invite.Method != "REQUEST" || c[0].Invite.UID == uid || s.run.Meeting.Cancelled {
		t.Fatalf("reschedule after cancel: %+v", c)
	}
	if w := s.run.Steps[len(s.run.Steps)-1].WaitUntil; !w.Equal(s.at("2024-06-26 11:00")) {
		t.Fatalf("notulen waits until %v, want the new meeting's end", w)
	}
	// An answer to the cancelled meeting's UID does not count.
	s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at("2024-06-21 11:00"), From: "umum" + dom, PartStat: "ACCEPTED", MessageID: "old-uid", CalendarUID: uid})
	for _, a := range s.run.Meeting.Attendees {
		if a.PartStat != "NEEDS-ACTION" {
			t.Fatalf("an answer to the cancelled meeting counted: %+v", a)
		}
	}
	s.notulen("2024-06-26 13:00")
	if s.run.Status != flow.RunFinished {
		t.Fatalf("run %s after the notulen", s.run.Status)
	}
	s.golden("meeting_change")
}

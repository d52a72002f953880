package flow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// Answers (receipts, notices, the acknowledgement, STATUS) go at any hour;
// only mail nobody asked for waits for working hours.
func TestOnlyUnaskedMailWaitsForWorkingHours(t *testing.T) {
	s := newScenario(t, lakip(t))
	var all []*flow.Mail
	collect := func(effs []flow.Effect) { all = append(all, sends(effs)...) }
	collect(s.apply(flow.Event{Type: flow.EvStart, At: s.at("2024-06-03 20:00"), Token: tok, SOP: "lakip", Title: "LAKIP Tahun 2023",
		From: "kepala" + dom, MessageID: "dispo@x"}))
	collect(s.reply("2024-06-03 21:00", "sekretaris", flow.CmdDone, 2, "", nil))
	collect(s.reply("2024-06-03 21:05", "umum", flow.CmdNone, 3, "", nil))
	collect(s.reply("2024-06-03 21:10", "perencanaan", flow.CmdStatus, 3, "", nil))
	// Step 3 is never answered: reminders and escalations follow.
	for s.run.Wake.Before(s.at("2024-06-07 00:00")) && !s.run.Wake.IsZero() {
		collect(s.apply(flow.Event{Type: flow.EvTick, At: s.run.Wake}))
	}
	waits := map[string]bool{flow.TplReminder: true, flow.TplEscalation: true, flow.TplSummary: true, flow.TplAttendance: true}
	kinds := map[string]bool{}
	for _, m := range all {
		kinds[m.Template] = true
		if m.WaitsForHours() != waits[m.Template] {
			t.Errorf("%s: waits for working hours = %v", m.Template, m.WaitsForHours())
		}
	}
	for _, k := range []string{flow.TplAck, flow.TplReceipt, flow.TplNotice, flow.TplStatus, flow.TplReminder, flow.TplEscalation} {
		if !kinds[k] {
			t.Errorf("the scenario sent no %s", k)
		}
	}
}

// Step 1 is measured from the disposition's Date to its arrival; without a
// usable Date it is "outside", never 0 minutes.
func TestStepOneMeasured(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.apply(flow.Event{Type: flow.EvStart, At: s.at("2024-06-03 09:30"), SentAt: s.at("2024-06-03 09:05"), Token: tok, SOP: "lakip",
		Title: "LAKIP Tahun 2023", From: "kepala" + dom, MessageID: "dispo@x"})
	if st := s.run.Steps[0]; st.Outside || st.WorkMinutes != 25 || len(st.Rounds) != 1 {
		t.Fatalf("step 1: %+v", st)
	}
	for _, sent := range []string{"2024-06-03 10:00", "2024-01-01 08:00"} { // from the future; months old
		s2 := newScenario(t, lakip(t))
		s2.apply(flow.Event{Type: flow.EvStart, At: s2.at("2024-06-03 09:30"), SentAt: s2.at(sent), Token: tok, SOP: "lakip",
			Title: "LAKIP Tahun 2023", From: "kepala" + dom, MessageID: "dispo@x"})
		if st := s2.run.Steps[0]; !st.Outside || st.WorkMinutes != 0 {
			t.Fatalf("step 1 with Date %s: %+v", sent, st)
		}
	}
}

// A step done in two rounds is judged per round: 25 + 20 minutes against
// 30 is within, twice; the sum (45) is not what counts.
func TestPerRoundMutuBaku(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.reply("2024-06-04 13:00", "perencanaan", flow.CmdDone, 5, "", nil)
	s.reply("2024-06-04 13:05", "sekretaris", flow.CmdDone, 6, "", nil)
	s.reply("2024-06-04 14:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v1.pdf"))
	s.reply("2024-06-04 14:25", "sekretaris", flow.CmdReject, 8, "Lengkapi tabel", nil)
	s.reply("2024-06-04 15:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v2.pdf"))
	s.reply("2024-06-04 15:20", "sekretaris", flow.CmdApprove, 8, "", nil)
	var row flow.StatusRow
	for _, r := range flow.StatusRows(s.env, s.run, s.at("2024-06-04 15:30")) {
		if r.Number == 8 {
			row = r
		}
	}
	if len(row.Rounds) != 2 || row.Rounds[0].Minutes != 25 || row.Rounds[1].Minutes != 20 || row.Rounds[0].Over || row.Rounds[1].Over {
		t.Fatalf("step 8 rounds: %+v", row.Rounds)
	}
	if row.Rounds[0].Outcome != flow.OutcomeRejected || row.Rounds[1].Outcome != flow.OutcomeApproved || row.Actual != 45 {
		t.Fatalf("step 8: %+v", row)
	}
	// Step 4 shows every unit with its own hand-in time.
	for _, r := range flow.StatusRows(s.env, s.run, s.at("2024-06-04 15:30")) {
		if r.Number == 4 && (len(r.Units) != 6 || r.Units[0].Minutes == 0 || r.Units[0].At.IsZero()) {
			t.Fatalf("step 4 units: %+v", r.Units)
		}
	}
}

// Step 12 with a date on a holiday: not accepted; the Kepala Dinas gets the
// next possible slot and confirms it with SETUJU.
func TestHolidayMeetingProposedAndConfirmed(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.toStep12()
	// Monday 17 June 2024 is Idul Adha.
	effs := s.apply(flow.Event{Type: flow.EvReply, At: s.at("2024-06-04 15:45"), From: "kepala" + dom, Command: flow.CmdDone, Step: 12,
		MessageID: "d12", Meeting: &flow.MeetingInput{Start: s.at("2024-06-17 09:00"), HasTime: true}})
	slot := sends(effs)
	if len(slot) != 1 || slot[0].Template != flow.TplSlot || slot[0].Data.Meeting.Problem != flow.SlotHoliday ||
		!strings.Contains(slot[0].Data.Meeting.ProblemDetail, "Idul Adha") || !slot[0].AnyHour {
		t.Fatalf("holiday date: %+v", slot)
	}
	proposed := slot[0].Data.Meeting.Proposed
	if proposed.IsZero() || !s.env.Cal.IsWorkingDay(proposed.In(s.loc)) || !proposed.After(s.at("2024-06-17 09:00")) {
		t.Fatalf("proposed %v", proposed)
	}
	if s.run.Steps[9].Status != flow.StepActive {
		t.Fatal("step 12 completed with an impossible date")
	}
	// Outside working hours and in the past: refused too.
	for _, bad := range []string{"2024-06-18 17:00", "2024-06-03 09:00", "2024-06-15 09:00"} {
		effs = s.apply(flow.Event{Type: flow.EvReply, At: s.at("2024-06-04 15:46"), From: "kepala" + dom, Command: flow.CmdDone, Step: 12,
			MessageID: "bad" + bad, Meeting: &flow.MeetingInput{Start: s.at(bad), HasTime: true}})
		if m := sends(effs); len(m) != 1 || m[0].Template != flow.TplSlot || s.run.Steps[9].Status != flow.StepActive {
			t.Fatalf("date %s accepted", bad)
		}
	}
	proposed = s.run.Meeting.Proposed
	// SETUJU confirms the slot offered.
	s.reply("2024-06-04 15:50", "kepala", flow.CmdApprove, 12, "", nil)
	if s.run.Steps[9].Status != flow.StepDone || !s.run.Meeting.Start.Equal(proposed) {
		t.Fatalf("confirmation: step 12 %s, meeting %v, proposed %v", s.run.Steps[9].Status, s.run.Meeting.Start, proposed)
	}
	s.reply("2024-06-04 16:00", "perencanaan", flow.CmdApprove, 13, "", nil)
	if s.run.Meeting.Issued.IsZero() || !s.run.Meeting.Start.Equal(proposed) {
		t.Fatal("the confirmed slot was not sent")
	}
	s.golden("holiday_meeting")
}

// auto = true keeps the automatic sending at step 13.
func TestMeetingStepAuto(t *testing.T) {
	env := lakip(t)
	d, _ := env.Office.SOP("lakip")
	ms, _, _ := d.MeetingStep()
	ms.Auto = true
	defer func() { ms.Auto = false }()
	s := newScenario(t, env)
	s.toStep12()
	effs := s.reply("2024-06-04 15:45", "kepala", flow.CmdDone, 12, "", nil)
	var inv *flow.Mail
	for _, m := range sends(effs) {
		if m.Invite != nil {
			inv = m
		}
		if m.Template == flow.TplSend {
			t.Fatal("auto = true asked the Kasubag to send")
		}
	}
	if inv == nil || s.run.Steps[10].Status != flow.StepDone || s.run.Steps[10].Rounds[0].Outcome != flow.OutcomeSent {
		t.Fatalf("auto: no invitation, step 13 %+v", s.run.Steps[10])
	}
}

// Changing the plan at step 13 (a reply with only Tanggal/Pukul) waits for
// KIRIM; a negated or hedged KIRIM (unclear) sends nothing.
func TestMeetingStepChangeThenSend(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	// fromCollectToEnd sends at 15:55; start again before that point.
	s2 := newScenario(t, lakip(t))
	s2.log, s2.run = nil, nil
	for _, ev := range s.log[:len(s.log)-1] {
		s2.apply(ev)
	}
	effs := s2.apply(flow.Event{Type: flow.EvReply, At: s2.at("2024-06-04 15:50"), From: "perencanaan" + dom, Command: flow.CmdNone, Step: 13,
		MessageID: "m1", Meeting: &flow.MeetingInput{Start: s2.at("2024-06-11 10:00"), HasTime: true}})
	if len(sends(effs)) != 1 || sends(effs)[0].Data.Action != "planned" || !s2.run.Meeting.Issued.IsZero() {
		t.Fatalf("plan change: %+v", sends(effs))
	}
	effs = s2.apply(flow.Event{Type: flow.EvReply, At: s2.at("2024-06-04 15:52"), From: "perencanaan" + dom, Command: flow.CmdUnclear, Step: 13,
		MessageID: "m2", Notes: "Kirim, tapi tunggu konfirmasi Kadis"})
	if !hasNotice(effs, flow.WhyUnclear) || !s2.run.Meeting.Issued.IsZero() {
		t.Fatal("an unclear KIRIM sent the invitations")
	}
	s2.reply("2024-06-04 15:55", "perencanaan", flow.CmdApprove, 13, "", nil)
	if s2.run.Meeting.Issued.IsZero() || !s2.run.Meeting.Start.Equal(s2.at("2024-06-11 10:00")) {
		t.Fatal("KIRIM did not send the changed plan")
	}
}

// A step done on paper needs a reason and is recorded as such.
func TestManualStep(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	if _, _, err := flow.Apply(s.env, s.run, flow.Event{Type: flow.EvManual, At: s.at("2024-06-03 09:00"), RunID: "run1", From: "web:rina", Step: 2}); err == nil {
		t.Fatal("a step was marked done on paper without a reason")
	}
	s.apply(flow.Event{Type: flow.EvManual, At: s.at("2024-06-03 09:00"), From: "web:rina", Step: 2, Notes: "Disposisi diteruskan secara lisan dalam apel pagi."})
	st := s.run.Steps[1]
	if st.Status != flow.StepDone || st.DoneBy != "web:rina" || st.Rounds[0].Outcome != flow.OutcomeManual {
		t.Fatalf("manual step: %+v", st)
	}
	if n := s.run.Notes[len(s.run.Notes)-1]; n.Kind != "manual" || n.By != "web:rina" {
		t.Fatalf("manual note: %+v", n)
	}
}

// A finished run starts the next SOP's run with the documents it names.
func TestChainedSOP(t *testing.T) {
	env := loadEnv(t, "testdata/chain.toml")
	s := newScenario(t, env)
	s.apply(flow.Event{Type: flow.EvStart, At: s.at("2024-06-03 08:00"), Token: tok, SOP: "cuti", Title: "CUTI Andi 2024", From: "andi@contoh.go.id"})
	s.apply(flow.Event{Type: flow.EvReply, At: s.at("2024-06-03 09:00"), From: "bella@contoh.go.id", Command: flow.CmdDone, Step: 2,
		MessageID: "b1", Attachments: file("berkas_cuti.pdf")})
	effs := s.apply(flow.Event{Type: flow.EvReply, At: s.at("2024-06-03 10:00"), From: "candra@contoh.go.id", Command: flow.CmdApprove, Step: 3, MessageID: "c1"})
	var c *flow.Chain
	for _, e := range effs {
		if e.Type == flow.EffChain {
			c = e.Chain
		}
	}
	if s.run.Status != flow.RunFinished || c == nil || c.SOP != "catat_cuti" || c.Title != "CATAT Andi 2024" || len(c.Docs) != 1 || c.Docs[0].Name != "berkas" {
		t.Fatalf("chain: %+v", c)
	}
	// The engine starts it; the flow's side: the start takes the documents.
	next, effs, err := flow.Apply(env, nil, flow.Event{Type: flow.EvStart, At: s.at("2024-06-03 10:00"), RunID: "run2", Token: "bcdefghijklmnopqrstu",
		SOP: c.SOP, Title: c.Title, Parent: c.Parent, Docs: c.Docs})
	if err != nil {
		t.Fatal(err)
	}
	if next.Docs["berkas"].Attachments[0].Filename != "berkas_cuti.pdf" {
		t.Fatalf("chained docs: %+v", next.Docs)
	}
	for _, m := range sends(effs) {
		if m.Step == 2 && (len(m.Attachments) != 1 || m.Attachments[0].Filename != "berkas_cuti.pdf") {
			t.Fatalf("the chained run's step 2 lacks the berkas: %+v", m.Attachments)
		}
	}
	// A link that is off starts nothing.
	d, _ := env.Office.SOP("cuti")
	d.Next = sop.Next{SOP: "catat_cuti", Docs: []string{"berkas"}}
	off := newScenario(t, env)
	off.apply(flow.Event{Type: flow.EvStart, At: off.at("2024-06-03 08:00"), Token: tok, SOP: "cuti", Title: "CUTI Andi 2024", From: "andi@contoh.go.id"})
	off.apply(flow.Event{Type: flow.EvReply, At: off.at("2024-06-03 09:00"), From: "bella@contoh.go.id", Command: flow.CmdDone, Step: 2,
		MessageID: "b1", Attachments: file("berkas_cuti.pdf")})
	for _, e := range off.apply(flow.Event{Type: flow.EvReply, At: off.at("2024-06-03 10:00"), From: "candra@contoh.go.id", Command: flow.CmdApprove, Step: 3, MessageID: "c1"}) {
		if e.Type == flow.EffChain {
			t.Fatal("a link that is off started the next SOP")
		}
	}
}

// Property: for any requested time, CheckMeeting accepts only a working
// hour of a working day, not in the past; and the slot it offers instead
// is one it accepts.
func TestMeetingSlotProperty(t *testing.T) {
	env := lakip(t)
	s := newScenario(t, env)
	s.start("2024-05-06 08:00")
	now := s.at("2024-05-20 13:00")
	rng := uint64(7)
	next := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	for i := 0; i < 3000; i++ {
		want := now.Add(time.Duration(next(60*24*120)-60*24*5) * time.Minute)
		minutes := 30 + next(300)
		prob, _, slot := flow.CheckMeeting(env, s.run, want, minutes, now)
		if prob == "" {
			loc := want.In(env.Cal.Loc)
			tod := loc.Hour()*60 + loc.Minute()
			if want.Before(now) || !env.Cal.IsWorkingDay(loc) || tod < env.Cal.Open || tod+minutes > env.Cal.Close {
				t.Fatalf("accepted %v (%d min)", loc, minutes)
			}
			continue
		}
		if slot.IsZero() {
			t.Fatalf("no slot offered for %v", want)
		}
		if p2, _, _ := flow.CheckMeeting(env, s.run, slot, minutes, now); p2 != "" {
			t.Fatalf("offered %v for %v (%d min), which is refused: %s", slot.In(env.Cal.Loc), want.In(env.Cal.Loc), minutes, p2)
		}
	}
}

// toStep12 runs a run from the disposition (Mon 3 June 2024) to step 12,
// the draft signed on Tue 4 June at 15.40.
func (s *scenario) toStep12() {
	s.t.Helper()
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.reply("2024-06-04 13:00", "perencanaan", flow.CmdDone, 5, "", nil)
	s.reply("2024-06-04 13:05", "sekretaris", flow.CmdDone, 6, "", nil)
	s.reply("2024-06-04 15:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v1.pdf"))
	s.reply("2024-06-04 15:20", "sekretaris", flow.CmdApprove, 8, "", nil)
	s.reply("2024-06-04 15:40", "kepala", flow.CmdApprove, 11, "", nil)
}

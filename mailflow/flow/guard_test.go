package flow_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	mftoken "github.com/bangkatengah/mailflow/mailflow/token"
)

// replyR is a reply to the mail of one round of a step.
func (s *scenario) replyR(at, from string, cmd flow.Command, step, round int, notes string, att []flow.Attachment) []flow.Effect {
	msgN++
	return s.apply(flow.Event{Type: flow.EvReply, At: s.at(at), From: from + dom, Command: cmd, Step: step, Round: round,
		Notes: notes, Attachments: att, MessageID: fmt.Sprintf("r%d@gmail.com", msgN)})
}

// toDraftReview runs the LAKIP run up to step 8 (the draft's first review).
func (s *scenario) toDraftReview() {
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.reply("2024-06-04 13:00", "perencanaan", flow.CmdDone, 5, "", nil)
	s.reply("2024-06-04 13:05", "sekretaris", flow.CmdDone, 6, "", nil)
	s.reply("2024-06-04 15:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v1.pdf"))
}

// A TOLAK of round 1's draft, sent again after the revision (another copy
// of the mail, another Message-ID), must not reject round 2's draft.
func TestStaleRoundReplayIsNotApplied(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.toDraftReview()
	s.replyR("2024-06-04 15:30", "sekretaris", flow.CmdReject, 8, 1, "Tabel capaian kinerja belum lengkap", nil)
	effs := s.replyR("2024-06-05 09:00", "perencanaan", flow.CmdDone, 7, 2, "", file("draft_v2.pdf"))
	var review *flow.Mail
	for _, m := range sends(effs) {
		if m.Template == flow.TplApproval {
			review = m
		}
	}
	if review == nil {
		t.Fatal("no second review request")
	}
	if ref, _ := mftoken.FromMessageID(review.MessageID); ref.Step != 8 || ref.Round != 2 || !strings.HasSuffix(review.Data.Ref, "-8r2") {
		t.Fatalf("round 2's request: Message-ID %s, Ref %q", review.MessageID, review.Data.Ref)
	}
	before := mustJSON(t, s.run.Steps) + mustJSON(t, s.run.Notes) + fmt.Sprint(s.run.Revisions)
	effs = s.replyR("2024-06-05 09:10", "sekretaris", flow.CmdReject, 8, 1, "Tabel capaian kinerja belum lengkap", nil)
	if after := mustJSON(t, s.run.Steps) + mustJSON(t, s.run.Notes) + fmt.Sprint(s.run.Revisions); after != before {
		t.Fatal("a stale TOLAK changed the run")
	}
	if !hasNotice(effs, flow.WhyStaleRound) || len(sends(effs)) != 1 {
		t.Fatalf("stale TOLAK: want one stale_round notice, got %d mails", len(sends(effs)))
	}
	l := sends(effs)[0].Data.Latest
	if l == nil || l.Round != 2 || l.Step.Number != 8 || !l.SentAt.Equal(s.at("2024-06-05 09:00")) || l.Template != flow.TplApproval {
		t.Fatalf("the notice must name round 2's request: %+v", l)
	}
	// A stale SETUJU is no better: it approved the old draft.
	effs = s.replyR("2024-06-05 09:12", "sekretaris", flow.CmdApprove, 8, 1, "", nil)
	if !hasNotice(effs, flow.WhyStaleRound) || s.run.Steps[7].Status != flow.StepActive {
		t.Fatal("a stale SETUJU approved the new draft")
	}
	// The current round's answer is applied.
	s.replyR("2024-06-05 09:20", "sekretaris", flow.CmdApprove, 8, 2, "", nil)
	if s.run.Steps[7].Status != flow.StepDone {
		t.Fatal("round 2's SETUJU was not applied")
	}
	s.golden("stale_round")
}

// A reply whose carrier names no round (old mail) is judged as before.
func TestRoundZeroIsUnknown(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.toDraftReview()
	s.replyR("2024-06-04 15:30", "sekretaris", flow.CmdApprove, 8, 0, "", nil)
	if s.run.Steps[7].Status != flow.StepDone {
		t.Fatal("a round-0 SETUJU on the current step was not applied")
	}
}

func TestUnclearChangesNothing(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	// A task step: asked for SELESAI.
	effs := s.replyR("2024-06-03 08:04", "sekretaris", flow.CmdUnclear, 2, 1, "Selesai, tapi belum semua", nil)
	if s.run.Steps[1].Status != flow.StepActive || !hasNotice(effs, flow.WhyUnclear) {
		t.Fatal("unclear on a task step was applied or not answered")
	}
	if m := sends(effs)[0]; m.Data.Expect != "SELESAI" || m.Data.Detail != "Selesai, tapi belum semua" || m.To[0].Email != "sekretaris"+dom {
		t.Errorf("task notice: expect %q detail %q to %v", m.Data.Expect, m.Data.Detail, m.To)
	}
	s.upToCollect("2024-06-03")
	// The collect step: attachments with an unclear reply hand nothing in.
	effs = s.replyR("2024-06-03 09:00", "umum", flow.CmdUnclear, 4, 1, "mungkin ini sudah?", file("umum.pdf"))
	if s.run.Units[1].Submitted || !hasNotice(effs, flow.WhyUnclear) || sends(effs)[0].Data.Expect != "SELESAI, dengan melampirkan berkasnya" {
		t.Fatal("unclear on collect handed in or was not answered")
	}
	// Someone who hands nothing in here is told so, not asked for SELESAI.
	if effs = s.replyR("2024-06-03 09:05", "kepala", flow.CmdUnclear, 4, 1, "setuju?", nil); !hasNotice(effs, flow.WhyNotUnitHead) {
		t.Error("unclear from a non-unit-head on collect: want not_unit_head")
	}
	s.allUnits("2024-06-04")
	s.reply("2024-06-04 13:00", "perencanaan", flow.CmdDone, 5, "", nil)
	s.reply("2024-06-04 13:05", "sekretaris", flow.CmdDone, 6, "", nil)
	s.reply("2024-06-04 15:00", "perencanaan", flow.CmdDone, 7, "", file("draft_v1.pdf"))
	// An approval step: the read text is quoted back, clipped and folded.
	long := "Setuju\ntapi " + strings.Repeat("tabel belum lengkap ", 40)
	before := core(t, s.run)
	effs = s.replyR("2024-06-04 15:30", "sekretaris", flow.CmdUnclear, 8, 1, long, nil)
	if core(t, s.run) != before {
		t.Fatal("unclear on an approval changed the run")
	}
	m := sends(effs)[0]
	if m.Data.Reason != flow.WhyUnclear || m.Data.Expect != "SETUJU atau TOLAK <alasan>" {
		t.Fatalf("approval notice: %+v", m.Data)
	}
	if n := utf8.RuneCountInString(m.Data.Detail); n > 301 || !strings.HasPrefix(m.Data.Detail, "Setuju tapi tabel") || strings.Contains(m.Data.Detail, "\n") {
		t.Errorf("quoted text (%d runes): %q", n, m.Data.Detail)
	}
	s.golden("unclear")
}

// core is the part of a run that a reply may change: everything but the
// counters and evidence every event touches.
func core(t *testing.T, r *flow.Run) string {
	return mustJSON(t, []any{r.Status, r.Cur, r.Steps, r.Units, r.Docs, r.Revisions, r.Notes, r.Meeting})
}

// 100 forged replies in one step tell the assignee once; a handful of
// made-up senders cannot raise that past the per-step cap; the window
// reopens after 24 hours.
func TestRefusedNoticesAreRateLimited(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	refuse := func(at time.Time, from string, i int) []flow.Effect {
		return s.apply(flow.Event{Type: flow.EvRefused, At: at, From: from, Step: 2, Reason: "DMARC did not pass",
			MessageID: fmt.Sprintf("forged%d@evil.example", i)})
	}
	notices := 0
	t0 := s.at("2024-06-03 09:00")
	for i := 0; i < 100; i++ {
		for _, m := range sends(refuse(t0.Add(time.Duration(i)*time.Minute), "sekretaris@evil.example", i)) {
			if m.Data.Reason != flow.WhyUnverified || m.To[0].Email != "sekretaris"+dom {
				t.Fatalf("unexpected mail %+v", m)
			}
			notices++
		}
	}
	if notices != 1 {
		t.Fatalf("100 forged mails from one sender: %d notices, want 1", notices)
	}
	for i := 0; i < 20; i++ {
		notices += len(sends(refuse(t0.Add(2*time.Hour+time.Duration(i)*time.Minute), fmt.Sprintf("x%d@evil.example", i), 100+i)))
	}
	if notices != 3 {
		t.Fatalf("after 20 more senders: %d notices, want 3 (the per-step cap)", notices)
	}
	if n := len(sends(refuse(t0.Add(27*time.Hour), "sekretaris@evil.example", 200))); n != 1 {
		t.Fatalf("a day later: %d notices, want 1", n)
	}
	if len(s.run.Throttle) > 2 {
		t.Errorf("expired windows kept: %v", s.run.Throttle)
	}
	s.checkReplay()
}

// A new mail without a token is not applied; the official is asked to
// reply to their assignment, named by subject and date.
func TestNoTokenAsksForAReply(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	before := mustJSON(t, s.run.Units) + mustJSON(t, s.run.Steps)
	var notices []*flow.Mail
	for i := 0; i < 5; i++ {
		effs := s.apply(flow.Event{Type: flow.EvNoToken, At: s.at("2024-06-03 10:00").Add(time.Duration(i) * time.Minute),
			From: "umum" + dom, MessageID: fmt.Sprintf("new%d@gmail.com", i), Command: flow.CmdDone, Attachments: file("umum.pdf")})
		notices = append(notices, sends(effs)...)
	}
	if mustJSON(t, s.run.Units)+mustJSON(t, s.run.Steps) != before {
		t.Fatal("an untokened mail changed the run")
	}
	if len(notices) != 2 {
		t.Fatalf("5 untokened mails: %d notices, want 2", len(notices))
	}
	m := notices[0]
	if m.Data.Reason != flow.WhyNoToken || m.Step != 4 || m.Data.Latest == nil || m.Data.Latest.Template != flow.TplCollect ||
		m.Data.Latest.Unit != "Sub Bagian Umum dan Kepegawaian" || !m.Data.Latest.SentAt.Equal(s.at("2024-06-03 08:12")) {
		t.Fatalf("no_token notice: step %d %+v latest %+v", m.Step, m.Data.Reason, m.Data.Latest)
	}
	// Someone not asked in this step gets the notice without a mail to name.
	effs := s.apply(flow.Event{Type: flow.EvNoToken, At: s.at("2024-06-03 11:00"), From: "kepala" + dom, MessageID: "k@x"})
	if !hasNotice(effs, flow.WhyNoToken) || sends(effs)[0].Data.Latest != nil {
		t.Fatal("no_token to a non-assignee")
	}
	s.golden("no_token")
}

// "Hadir", "Diwakilkan oleh X" written in a reply are recorded like
// calendar answers, and the writer gets a receipt; an iTIP REPLY does not.
func TestTextRSVP(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	effs := s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at("2024-06-05 08:00"), From: "umum" + dom, PartStat: "ACCEPTED", MessageID: "ics1"})
	if len(sends(effs)) != 0 {
		t.Error("an iTIP REPLY got a receipt")
	}
	effs = s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at("2024-06-05 08:10"), From: "pmd" + dom, PartStat: "DELEGATED",
		Delegate: "Budi Santoso, S.IP.", TextRSVP: true, MessageID: "txt1"})
	ms := sends(effs)
	if len(ms) != 1 || ms[0].Template != flow.TplReceipt || ms[0].Data.Action != "rsvp" || ms[0].Data.RSVP == nil ||
		ms[0].Data.RSVP.Delegate != "Budi Santoso, S.IP." || ms[0].To[0].Email != "pmd"+dom || ms[0].InReplyTo != "txt1" {
		t.Fatalf("text RSVP receipt: %+v", ms)
	}
	s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at("2024-06-05 08:20"), From: "rehsos" + dom, PartStat: "declined", TextRSVP: true, MessageID: "txt2"})
	s.tickUntil(s.at("2024-06-08 00:00"))
	got := map[string]flow.Attendee{}
	for _, a := range s.run.Meeting.Attendees {
		got[strings.TrimSuffix(a.Email, dom)] = a
	}
	if got["pmd"].PartStat != "DELEGATED" || got["pmd"].Delegate != "Budi Santoso, S.IP." || got["rehsos"].PartStat != "DECLINED" || got["rehsos"].Delegate != "" {
		t.Fatalf("attendees: %+v", got)
	}
	if !s.run.Meeting.SummarySent {
		t.Fatal("attendance summary not sent")
	}
	s.golden("text_rsvp")
}

// A unit's notes, which the receipt promises to pass on, reach the collect
// owner's next assignment (the readiness report to the Kasubag
// Perencanaan); a later hand-in's notes replace the unit's earlier ones.
func TestUnitNotesReachTheCollectOwner(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	effs := s.reply("2024-06-04 09:00", "umum", flow.CmdDone, 4, "Tabel pegawai menyusul.", file("umum_v1.pdf"))
	var receipt *flow.Mail
	for _, m := range sends(effs) {
		if m.Template == flow.TplReceipt {
			receipt = m
		}
	}
	if receipt == nil || receipt.Data.Detail != "Tabel pegawai menyusul." {
		t.Fatalf("the receipt does not promise the notes: %+v", receipt)
	}
	s.reply("2024-06-04 09:30", "umum", flow.CmdDone, 4, "Tabel pegawai sudah dilampirkan.", file("umum_v2.pdf"))
	s.reply("2024-06-04 09:40", "pmd", flow.CmdDone, 4, "Data desa per 31 Desember.", file("pmd.pdf"))
	var report *flow.Mail
	for i, u := range units {
		if u == "umum" || u == "pmd" {
			continue
		}
		for _, m := range sends(s.reply(fmt.Sprintf("2024-06-04 10:0%d", i), u, flow.CmdDone, 4, "", file(u+".pdf"))) {
			if m.Template == flow.TplReport {
				report = m
			}
		}
	}
	if report == nil || report.To[0].Email != "perencanaan"+dom {
		t.Fatalf("no readiness report to the Kasubag Perencanaan: %+v", report)
	}
	var texts []string
	for _, n := range report.Data.Notes {
		if n.Step == 4 {
			texts = append(texts, n.Unit+": "+n.Text)
		}
	}
	want := "Sub Bagian Umum dan Kepegawaian: Tabel pegawai sudah dilampirkan.|Bidang Pemberdayaan Masyarakat Desa: Data desa per 31 Desember."
	if got := strings.Join(texts, "|"); got != want {
		t.Fatalf("notes in the report:\n got %s\nwant %s", got, want)
	}
	s.golden("unit_notes")
}

// Property: at every point of a run with two revisions, a reply from
// anyone, with any command, naming a round of the current step other than
// the current one, changes nothing.
func TestOtherRoundsNeverAct(t *testing.T) {
	s := newScenario(t, lakip(t))
	cmds := []flow.Command{flow.CmdApprove, flow.CmdReject, flow.CmdDone, flow.CmdUnclear, flow.CmdNone}
	who := append([]string{"kepala", "sekretaris"}, units...)
	tried := 0
	probe := func() {
		_, st, ok := s.env.Current(s.run)
		if !ok || s.run.Status != flow.RunActive {
			return
		}
		before := core(t, s.run)
		for r := 1; r <= st.Round+1; r++ {
			if r == st.Round {
				continue
			}
			for _, c := range cmds {
				for _, w := range who {
					run, _, err := flow.Apply(s.env, s.run, flow.Event{Type: flow.EvReply, At: s.run.Steps[s.run.Cur].StartedAt.Add(time.Minute),
						RunID: "run1", From: w + dom, Command: c, Step: st.Number, Round: r, Notes: "x", Attachments: file("x.pdf"), MessageID: "probe"})
					if err != nil {
						t.Fatal(err)
					}
					if core(t, run) != before {
						t.Fatalf("step %d round %d: %s from %s naming round %d changed the run", st.Number, st.Round, c, w, r)
					}
					tried++
				}
			}
		}
	}
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.reply("2024-06-04 13:00", "perencanaan", flow.CmdDone, 5, "", nil)
	s.reply("2024-06-04 13:05", "sekretaris", flow.CmdDone, 6, "", nil)
	steps := []struct {
		at, who string
		cmd     flow.Command
		step    int
		att     []flow.Attachment
	}{
		{"2024-06-04 15:00", "perencanaan", flow.CmdDone, 7, file("v1.pdf")},
		{"2024-06-04 15:30", "sekretaris", flow.CmdReject, 8, nil},
		{"2024-06-05 09:00", "perencanaan", flow.CmdDone, 7, file("v2.pdf")},
		{"2024-06-05 09:20", "sekretaris", flow.CmdApprove, 8, nil},
		{"2024-06-05 10:00", "kepala", flow.CmdReject, 11, nil},
		{"2024-06-05 14:00", "perencanaan", flow.CmdDone, 7, file("v3.pdf")},
		{"2024-06-05 14:10", "sekretaris", flow.CmdApprove, 8, nil},
		{"2024-06-05 14:30", "kepala", flow.CmdApprove, 11, nil},
	}
	for _, x := range steps {
		probe()
		_, st, _ := s.env.Current(s.run)
		s.replyR(x.at, x.who, x.cmd, x.step, st.Round, "catatan", x.att)
	}
	if s.run.Steps[6].Round != 3 || tried == 0 {
		t.Fatalf("step 7 round %d, %d probes", s.run.Steps[6].Round, tried)
	}
}

// A written "Hadir" to the invitation as it was before a reschedule does
// not count for the new date; a written answer to the latest one does. An
// iTIP REPLY is judged by its SEQUENCE upstream and is recorded.
func TestTextRSVPToAnOlderInvitation(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	effs := s.apply(flow.Event{Type: flow.EvMeetingChange, At: s.at("2024-06-05 09:00"), From: "admin",
		Meeting: &flow.MeetingInput{Start: s.at("2024-06-12 13:00"), HasTime: true}})
	inv := sends(effs)[0]
	if ref, _ := mftoken.FromMessageID(inv.MessageID); ref.Round != 2 {
		t.Fatalf("the reschedule is round %d, want 2", ref.Round)
	}
	rsvp := func(at, who string, round int, text bool) []flow.Effect {
		msgN++
		return s.apply(flow.Event{Type: flow.EvCalendarReply, At: s.at(at), From: who + dom, PartStat: "ACCEPTED", Step: 13, Round: round,
			TextRSVP: text, MessageID: fmt.Sprintf("rsvp%d@x", msgN)})
	}
	partstat := func(who string) string {
		for _, a := range s.run.Meeting.Attendees {
			if a.Email == who+dom {
				return a.PartStat
			}
		}
		return ""
	}
	effs = rsvp("2024-06-05 10:00", "umum", 1, true)
	if partstat("umum") != "NEEDS-ACTION" || !hasNotice(effs, flow.WhyStaleRound) {
		t.Fatal("a written answer to the old invitation counted")
	}
	if l := sends(effs)[0].Data.Latest; l == nil || l.Template != flow.TplInvitation || l.Round != 2 || !l.SentAt.Equal(s.at("2024-06-05 09:00")) {
		t.Fatalf("the notice must name the reschedule: %+v", l)
	}
	if rsvp("2024-06-05 10:05", "umum", 2, true); partstat("umum") != "ACCEPTED" {
		t.Fatal("a written answer to the latest invitation did not count")
	}
	if rsvp("2024-06-05 10:10", "pmd", 1, false); partstat("pmd") != "ACCEPTED" {
		t.Fatal("an iTIP REPLY was judged by the mail's round")
	}
	s.golden("text_rsvp_stale")
}

// An untokened mail about a run that has ended is told so, not asked to
// reply to an assignment that no longer waits.
func TestNoTokenAfterTheEnd(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	s.notulen("2024-06-10 13:00")
	effs := s.apply(flow.Event{Type: flow.EvNoToken, At: s.at("2024-06-11 10:00"), From: "umum" + dom, MessageID: "late@x"})
	if !hasNotice(effs, flow.WhyFinished) || hasNotice(effs, flow.WhyNoToken) {
		t.Fatal("untokened mail after the end: want run_finished")
	}
}

// Property: whatever forged senders and timing an attacker picks, the
// assignee gets at most a few notices in any 24 hours (fixed windows allow
// at most two windows' worth across a boundary), and one sender at most
// two.
func TestRefusedFloodProperty(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		s := newScenario(t, lakip(t))
		s.start("2024-06-03 08:00")
		at := s.at("2024-06-03 08:01")
		type sent struct {
			at   time.Time
			from string
		}
		var got []sent
		for i := 0; i < 1500; i++ {
			at = at.Add(time.Duration(rng.IntN(40)) * time.Minute)
			from := fmt.Sprintf("f%d@evil.example", rng.IntN(1+int(seed)*10))
			run, effs, err := flow.Apply(s.env, s.run, flow.Event{Type: flow.EvRefused, At: at, RunID: "run1", From: from, Step: 2,
				Reason: "forged", MessageID: fmt.Sprintf("m%d", i)})
			if err != nil {
				t.Fatal(err)
			}
			s.run = run
			for range sends(effs) {
				got = append(got, sent{at, from})
			}
		}
		for i := range got {
			n, per := 0, 0
			for j := i; j < len(got) && got[j].at.Sub(got[i].at) < 24*time.Hour; j++ {
				n++
				if got[j].from == got[i].from {
					per++
				}
			}
			if n > 6 || per > 2 {
				t.Fatalf("seed %d: %d notices (%d from %s) within 24h of %s", seed, n, per, got[i].from, got[i].at)
			}
		}
		if len(got) == 0 || len(s.run.Throttle) > 4 {
			t.Fatalf("seed %d: %d notices, throttle state %d keys", seed, len(got), len(s.run.Throttle))
		}
	}
}

// A reschedule read from an unclear reply moves nothing.
func TestUnclearRescheduleMovesNothing(t *testing.T) {
	s := newScenario(t, lakip(t))
	s.start("2024-06-03 08:00")
	s.upToCollect("2024-06-03")
	s.allUnits("2024-06-04")
	s.fromCollectToEnd("2024-06-04")
	before := mustJSON(t, s.run.Meeting)
	effs := s.apply(flow.Event{Type: flow.EvReply, At: s.at("2024-06-05 09:00"), From: "kepala" + dom, Command: flow.CmdUnclear,
		Notes: "Mungkin rapat dipindah ke Rabu?", MessageID: "move?", Meeting: &flow.MeetingInput{Start: s.at("2024-06-12 13:00"), HasTime: true}})
	if mustJSON(t, s.run.Meeting) != before || !hasNotice(effs, flow.WhyUnclear) || len(sends(effs)) != 1 {
		t.Fatal("an unclear reply rescheduled the meeting")
	}
}

// Package e2e runs the whole LAKIP SOP end to end over real IMAP and SMTP:
// on the embedded servers in every go test, and on Dovecot + Postfix when
// MAILFLOW_TEST_REAL=1 (.ci/mailservers.sh starts them).
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/demo"
	"github.com/bangkatengah/mailflow/mailflow/flow"
)

func checkRun(t *testing.T, res *demo.Result) {
	t.Helper()
	r := res.Run
	if r == nil || r.Status != flow.RunFinished {
		t.Fatalf("run: %+v", r)
	}
	if r.Revisions != 1 {
		t.Errorf("revisions = %d, want 1 (the Sekretaris rejects the first draft)", r.Revisions)
	}
	for i, st := range r.Steps {
		if st.Status != flow.StepDone {
			t.Errorf("step %d is %s", st.Number, st.Status)
		}
		if i > 0 && st.DoneAt.Before(r.Steps[i-1].DoneAt) && st.Number != 7 {
			t.Errorf("step %d done before step %d", st.Number, r.Steps[i-1].Number)
		}
	}
	// Step 4: every unit handed in; Bidang PMD after its reminder.
	for _, u := range r.Units {
		if !u.Submitted || len(u.Attachments) != 1 {
			t.Errorf("unit %s: %+v", u.Unit, u)
		}
	}
	if r.Steps[3].Reminders == 0 || r.Steps[3].Escalations == 0 {
		t.Errorf("step 4 reminders=%d escalations=%d, want both", r.Steps[3].Reminders, r.Steps[3].Escalations)
	}
	if d := r.Docs["draft"]; d.Version != 2 || len(d.Attachments) != 1 || d.Attachments[0].Filename != "draft_lakip_2023_v2.pdf" {
		t.Errorf("draft: %+v", d)
	}
	mt := r.Meeting
	if mt == nil || len(mt.Attendees) != 8 || mt.Place != "Aula Dinas Sosial PMD" || !mt.SummarySent {
		t.Fatalf("meeting: %+v", mt)
	}
	if got := mt.Start.Format("2006-01-02 15:04 -0700"); got != "2024-05-27 09:00 +0700" {
		t.Errorf("meeting starts %s, want the slot offered after the Waisak date and confirmed", got)
	}
	// Step 13 is the Kasubag Perencanaan's KIRIM, measured; the notulen
	// (step 14) ends the run and is kept with the draft.
	last := r.Steps[len(r.Steps)-1]
	if st := r.Steps[len(r.Steps)-2]; st.Number != 13 || !strings.HasPrefix(st.DoneBy, "perencanaan") || st.WorkMinutes == 0 {
		t.Errorf("step 13: %+v", st)
	}
	if last.Number != 14 || r.Docs["notulen"].Version != 1 || !r.FinishedAt.After(mt.Start) {
		t.Errorf("notulen: step %+v, docs %v, finished %v", last, r.Docs["notulen"], r.FinishedAt)
	}
	if r.Steps[0].Outside || r.Steps[0].WorkMinutes != 8 {
		t.Errorf("step 1 measured %d minutes (outside %v), want 8 from the disposition's Date", r.Steps[0].WorkMinutes, r.Steps[0].Outside)
	}
	count := map[string]int{}
	for _, a := range mt.Attendees {
		count[a.PartStat]++
	}
	if count["ACCEPTED"] != 2 || count["DECLINED"] != 1 || count["TENTATIVE"] != 1 {
		t.Errorf("attendance: %v", count)
	}
	hs := append([]time.Duration(nil), res.Handoffs...)
	sort.Slice(hs, func(i, j int) bool { return hs[i] < hs[j] })
	if len(hs) < 10 {
		t.Fatalf("only %d hand-offs measured", len(hs))
	}
	t.Logf("wall %s; %d hand-offs: p50 %s p99 %s", res.Wall.Round(time.Millisecond), len(hs), hs[len(hs)/2], hs[len(hs)*99/100])
}

func TestLAKIPEmbedded(t *testing.T) {
	var out bytes.Buffer
	dir := t.TempDir()
	res, err := demo.Run(context.Background(), demo.Options{ConfigPath: "../../config.toml", Out: &out, OutDir: dir, Client: swaks(t)})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	checkRun(t, res)
	checkMailboxes(t, dir, res.Run)
}

func TestLAKIPRealServers(t *testing.T) {
	if os.Getenv("MAILFLOW_TEST_REAL") != "1" {
		t.Skip("set MAILFLOW_TEST_REAL=1 with Dovecot and Postfix running (.ci/mailservers.sh start)")
	}
	var b [4]byte
	rand.Read(b[:])
	x := &demo.External{IMAPAddr: os.Getenv("MAILFLOW_TEST_IMAP"), SMTPAddr: os.Getenv("MAILFLOW_TEST_SMTP"),
		Domain: os.Getenv("MAILFLOW_TEST_DOMAIN"), Password: os.Getenv("MAILFLOW_TEST_PASSWORD"), Suffix: "-" + hex.EncodeToString(b[:])}
	var out bytes.Buffer
	res, err := demo.Run(context.Background(), demo.Options{ConfigPath: "../../config.toml", Out: &out, External: x, Client: swaks(t)})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	checkRun(t, res)
	checkRealMailboxes(t, x, res.Run)
}

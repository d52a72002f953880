package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func TestLoginCSRFAndRateLimit(t *testing.T) {
	c := startConsole(t, false)
	hc := client(t)
	if st, body := get(t, hc, c.URL+"/"); st != http.StatusSeeOther || body == "x" {
		t.Fatalf("runs without a login: %d", st)
	}
	// A login form posted without its token is refused.
	if st, _, _ := post(t, hc, c.URL+"/login", url.Values{"akun": {testAccount}, "sandi": {testPassword}}); st != http.StatusForbidden {
		t.Fatalf("login without CSRF: %d", st)
	}
	// Five wrong passwords, then even the right one waits.
	for i := 0; i < 5; i++ {
		if st, _ := login(t, hc, c.URL, testAccount, "salah-salah-salah"); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, st)
		}
	}
	if st, _ := login(t, hc, c.URL, testAccount, testPassword); st != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: %d, want 429", st)
	}
	// Another client address is limited separately by address, but the
	// account name is limited too: a fresh client still waits.
	if st, _ := login(t, client(t), c.URL, testAccount, testPassword); st != http.StatusTooManyRequests {
		t.Fatalf("the account is rate-limited whatever the client: %d", st)
	}
}

func TestActionsNeedCSRFAndAreRecorded(t *testing.T) {
	c := startConsole(t, false)
	hc := client(t)
	st, csrf := login(t, hc, c.URL, testAccount, testPassword)
	if st != http.StatusSeeOther || csrf == "" {
		t.Fatalf("login: %d csrf %q", st, csrf)
	}
	// Start a run without the token: refused, nothing started.
	if st, _, _ := post(t, hc, c.URL+"/start", url.Values{"sop": {"lakip"}, "judul": {"LAKIP Tahun 2030"}}); st != http.StatusForbidden {
		t.Fatalf("start without CSRF: %d", st)
	}
	if st, _, _ := post(t, hc, c.URL+"/start", url.Values{"sop": {"lakip"}, "judul": {"LAKIP Tahun 2030"}, "csrf": {strings.Repeat("0", len(csrf))}}); st != http.StatusForbidden {
		t.Fatalf("start with a wrong CSRF token: %d", st)
	}
	var n int
	c.App.Store.View(context.Background(), func(tx *store.Tx) error {
		runs, err := tx.Runs("")
		n = len(runs)
		return err
	})
	if n != 0 {
		t.Fatalf("a refused POST started %d run(s)", n)
	}
	st, loc, _ := post(t, hc, c.URL+"/start", url.Values{"sop": {"lakip"}, "judul": {"LAKIP Tahun 2030"}, "csrf": {csrf}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/run/") {
		t.Fatalf("start: %d %s", st, loc)
	}
	runID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/run/")
	var actor string
	c.App.Store.View(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.Events(runID)
		if len(evs) > 0 {
			actor = evs[0].Actor
		}
		return err
	})
	if actor != "web:"+testAccount {
		t.Fatalf("the start is recorded as %q, want web:%s", actor, testAccount)
	}
	_, body := get(t, hc, c.URL+loc)
	if !strings.Contains(body, "konsol: "+testAccount) || !strings.Contains(body, "LAKIP Tahun 2030") {
		t.Fatalf("run page does not name the account:\n%s", body)
	}
}

func TestHealthEndpoints(t *testing.T) {
	c := startConsole(t, false)
	hc := client(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if st, body := get(t, hc, c.URL+p); st != http.StatusOK {
			t.Fatalf("%s: %d %s", p, st, body)
		}
	}
	st, body := get(t, hc, c.URL+"/metrics")
	for _, m := range []string{"mailflow_runs{status=\"active\"}", "mailflow_steps_overdue", "mailflow_outbox_oldest_pending_age_seconds",
		"mailflow_imap_up 1", "mailflow_handoff_seconds_bucket", "mailflow_imap_reconnects_total", "mailflow_imap_idle_restarts_total"} {
		if !strings.Contains(body, m) {
			t.Errorf("/metrics (%d) lacks %s", st, m)
		}
	}
}

// TestEveryPostNeedsCSRF: each POST route of the console, with a valid
// session but without the form's token, is refused with 403 and changes
// nothing.
func TestEveryPostNeedsCSRF(t *testing.T) {
	c := startConsole(t, false)
	hc := client(t)
	if st, csrf := login(t, hc, c.URL, testAccount, testPassword); st != http.StatusSeeOther || csrf == "" {
		t.Fatalf("login %d", st)
	}
	res, err := c.App.Engine.Start(context.Background(), "lakip", "LAKIP Tahun 2031", "uji", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	seq := res.Run.Seq
	for _, p := range []string{"/start", "/logout", "/run/" + res.Run.ID + "/meeting", "/run/" + res.Run.ID + "/paper", "/outbox/1/retry", "/outbox/1/cancel"} {
		form := url.Values{"sop": {"lakip"}, "judul": {"x"}, "langkah": {"2"}, "tindakan": {"done"}, "alasan": {"uji"}, "batal": {"1"}}
		if st, _, _ := post(t, hc, c.URL+p, form); st != http.StatusForbidden {
			t.Errorf("POST %s without CSRF: %d, want 403", p, st)
		}
	}
	c.App.Store.View(context.Background(), func(tx *store.Tx) error {
		runs, _ := tx.Runs("")
		r, _ := tx.LoadRun(res.Run.ID)
		o, _ := tx.MailByID(1)
		if len(runs) != 1 || r.Seq != seq || o.Status == store.OutCancelled {
			t.Errorf("a refused POST changed something: %d runs, seq %d→%d, mail %s", len(runs), seq, r.Seq, o.Status)
		}
		return nil
	})
	// The session still works: logout was refused too.
	if st, _ := get(t, hc, c.URL+"/"); st != http.StatusOK {
		t.Fatalf("session gone after a refused logout: %d", st)
	}
}

// TestPaperDone: marking a step done on paper needs a reason, goes
// through the engine (the next step starts, its mail is queued) and is
// recorded with the account.
func TestPaperDone(t *testing.T) {
	c := startConsole(t, false)
	hc := client(t)
	_, csrf := login(t, hc, c.URL, testAccount, testPassword)
	res, err := c.App.Engine.Start(context.Background(), "lakip", "LAKIP Tahun 2032", "uji", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cur := func() (int, int64) {
		var step int
		var seq int64
		c.App.Store.View(context.Background(), func(tx *store.Tx) error {
			r, err := tx.LoadRun(res.Run.ID)
			step, seq = r.Steps[r.Cur].Number, r.Seq
			return err
		})
		return step, seq
	}
	step, seq := cur()
	base := c.URL + "/run/" + res.Run.ID + "/paper"
	st, loc, _ := post(t, hc, base, url.Values{"csrf": {csrf}, "langkah": {fmt.Sprint(step)}, "alasan": {"  "}})
	if st != http.StatusSeeOther || !strings.Contains(loc, "Alasan+wajib") {
		t.Fatalf("without a reason: %d %s", st, loc)
	}
	if s2, q2 := cur(); s2 != step || q2 != seq {
		t.Fatal("a mark without a reason changed the run")
	}
	st, loc, _ = post(t, hc, base, url.Values{"csrf": {csrf}, "langkah": {fmt.Sprint(step + 5)}, "alasan": {"disposisi kertas"}})
	if st != http.StatusSeeOther || !strings.Contains(loc, "Tidak+dapat") {
		t.Fatalf("a step that is not current: %d %s", st, loc)
	}
	st, _, _ = post(t, hc, base, url.Values{"csrf": {csrf}, "langkah": {fmt.Sprint(step)}, "alasan": {"disposisi kertas No. 005/12"}})
	if s2, _ := cur(); st != http.StatusSeeOther || s2 == step {
		t.Fatalf("the step did not move on (%d)", st)
	}
	var last store.EventRow
	c.App.Store.View(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.Events(res.Run.ID)
		last = evs[len(evs)-1]
		return err
	})
	if last.Type != "manual" || last.Actor != "web:"+testAccount || last.Event.Notes != "disposisi kertas No. 005/12" {
		t.Fatalf("recorded as %+v", last)
	}
	_, body := get(t, hc, c.URL+"/run/"+res.Run.ID)
	if !strings.Contains(body, "selesai di atas kertas") || !strings.Contains(body, "disposisi kertas No. 005/12") {
		t.Fatal("the run page does not show the paper mark and its reason")
	}
}

// TestMeetingChange: a past time is refused with the next possible one;
// a working hour reschedules (a higher SEQUENCE, mail queued to every
// attendee), recorded with the account; then a cancel.
func TestMeetingChange(t *testing.T) {
	c := startConsole(t, true)
	hc := client(t)
	_, csrf := login(t, hc, c.URL, testAccount, testPassword)
	base := c.URL + "/run/" + c.Run + "/meeting"
	seq := func() (int, bool) {
		var n int
		var cancelled bool
		c.App.Store.View(context.Background(), func(tx *store.Tx) error {
			r, err := tx.LoadRun(c.Run)
			n, cancelled = r.Meeting.Sequence, r.Meeting.Cancelled
			return err
		})
		return n, cancelled
	}
	s0, _ := seq()
	_, loc, _ := post(t, hc, base, url.Values{"csrf": {csrf}, "waktu": {"2024-05-01T09:00"}})
	if !strings.Contains(loc, "sudah+lewat") {
		t.Fatalf("a past time: %s", loc)
	}
	if s1, _ := seq(); s1 != s0 {
		t.Fatal("a refused time changed the meeting")
	}
	cal := &c.App.Cfg.Calendar
	d := time.Now().In(cal.Loc).AddDate(0, 0, 3)
	for !cal.IsWorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, cal.Loc)
	st, loc, _ := post(t, hc, base, url.Values{"csrf": {csrf}, "waktu": {at.Format("2006-01-02T15:04")}, "tempat": {"Aula Dinas Lt. 2"}})
	if s1, _ := seq(); st != http.StatusSeeOther || s1 <= s0 {
		t.Fatalf("reschedule: %d %s, sequence %d→%d", st, loc, s0, s1)
	}
	_, _, _ = post(t, hc, base, url.Values{"csrf": {csrf}, "batal": {"1"}})
	if _, cancelled := seq(); !cancelled {
		t.Fatal("cancel did not cancel")
	}
	var actors []string
	c.App.Store.View(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.Events(c.Run)
		for _, e := range evs {
			if e.Type == "meeting_change" {
				actors = append(actors, e.Actor)
			}
		}
		return err
	})
	if len(actors) != 2 || actors[0] != "web:"+testAccount || actors[1] != "web:"+testAccount {
		t.Fatalf("meeting changes recorded as %v", actors)
	}
}

// TestReloadFollowed: after a config reload (the supervisor's Use), the
// console serves the new daemon: a new account can log in.
func TestReloadFollowed(t *testing.T) {
	c := startConsole(t, false)
	cfg := *c.App.Cfg
	cfg.Web.Accounts = append(append([]config.WebAccount(nil), cfg.Web.Accounts...), config.WebAccount{Name: "sari", Hash: config.Secret(testHash)})
	next, err := app.Build(&cfg, slog.New(slog.DiscardHandler), app.Options{DataDir: t.TempDir(), Server: c.App.Server})
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if st, _ := login(t, client(t), c.URL, "sari", testPassword); st != http.StatusUnauthorized {
		t.Fatalf("before the reload: %d", st)
	}
	c.Web.Use(next)
	if st, _ := login(t, client(t), c.URL, "sari", testPassword); st != http.StatusSeeOther {
		t.Fatalf("after the reload: %d", st)
	}
	_, body := get(t, client(t), c.URL+"/metrics")
	if !strings.Contains(body, "mailflow_runs") {
		t.Fatal("metrics after the reload")
	}
}

// TestOutboxCancel: "batalkan" takes a failed mail out of the outbox for
// good.
func TestOutboxCancel(t *testing.T) {
	c := startConsole(t, false)
	hc := client(t)
	_, csrf := login(t, hc, c.URL, testAccount, testPassword)
	c.App.Server.Faults().FailSMTP(550, 1)
	if _, err := c.App.Engine.Start(context.Background(), "lakip", "LAKIP Tahun 2033", "uji", "", nil, nil); err != nil {
		t.Fatal(err)
	}
	var id int64
	waitFor(t, "a failed mail", func() bool {
		c.App.Store.View(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.OutboxOpen(10)
			for _, r := range rows {
				if r.Status == store.OutFailed {
					id = r.ID
				}
			}
			return err
		})
		return id != 0
	})
	st, loc, _ := post(t, hc, fmt.Sprintf("%s/outbox/%d/cancel", c.URL, id), url.Values{"csrf": {csrf}})
	if st != http.StatusSeeOther || !strings.Contains(loc, "dibatalkan") {
		t.Fatalf("cancel: %d %s", st, loc)
	}
	var row store.OutboxRow
	c.App.Store.View(context.Background(), func(tx *store.Tx) (err error) {
		row, err = tx.MailByID(id)
		return err
	})
	if row.Status != store.OutCancelled || !strings.Contains(row.LastError, testAccount) {
		t.Fatalf("after cancel: %s %q", row.Status, row.LastError)
	}
	// The run's history records who cancelled which mail.
	var evs []store.EventRow
	c.App.Store.View(context.Background(), func(tx *store.Tx) (err error) {
		evs, err = tx.Events(row.RunID)
		return err
	})
	found := false
	for _, e := range evs {
		found = found || e.Event.Type == flow.EvOutboxAction && e.Event.From == "web:"+testAccount && e.Event.FailedID == row.MessageID && e.Event.Reason == "cancel"
	}
	if !found {
		t.Fatal("the cancel is not in the run's history")
	}
	if _, body := get(t, hc, c.URL+"/outbox"); strings.Contains(body, fmt.Sprintf(`data-id="%d"`, id)) {
		t.Fatal("the cancelled mail is still listed")
	}
}

package e2e

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/simofficial"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// realServers are Dovecot + Postfix (.ci/mailservers.sh), which accept
// every address at domain with one password.
type realServers struct {
	imap, smtp, domain, password, suffix string
}

// minKills is the least number of SIGKILLs a crash test makes.
const minKills = 30

// handoff is one reply accepted by SMTP until the next assignment or
// invitation arrived in an official's INBOX.
type handoff struct {
	d         time.Duration
	restarted bool          // the daemon was killed and restarted in between
	after     time.Duration // then: from the last restart to the arrival
}

// TestCrashWholeDaemon runs the whole SOP through a child "mailflow run"
// (the binary, built here) on the embedded servers, killed with SIGKILL at
// least 30 times at random points, among them right after "step entered"
// and "mail sent" log lines. Simulated officials read their mailboxes over
// IMAP and answer over SMTP, retrying while the daemon is down. At the
// end: the run finished; no event applied twice (and every answer applied
// once); every assignment and invitation delivered; any mail delivered
// twice carries the same Message-ID as its original (every mailflow mail
// delivered is an outbox row, one Message-ID per recipient, step, round
// and kind); no hand-off took longer than 5 s after a restart.
//
//	go test ./mailflow/e2e -run CrashWholeDaemon -v
func TestCrashWholeDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("long test (about a minute): skipped with -short")
	}
	crashTest(t, nil, true)
}

// TestWholeDaemonCalm is the same run without kills: the hand-offs of an
// undisturbed daemon, the collect step's fan-out among them, to compare.
func TestWholeDaemonCalm(t *testing.T) {
	if testing.Short() {
		t.Skip("long test: skipped with -short")
	}
	var x *realServers
	if os.Getenv("MAILFLOW_TEST_REAL") == "1" {
		x = realFromEnv("-calm")
	}
	crashTest(t, x, false)
}

func realFromEnv(prefix string) *realServers {
	var b [4]byte
	crand.Read(b[:])
	return &realServers{imap: os.Getenv("MAILFLOW_TEST_IMAP"), smtp: os.Getenv("MAILFLOW_TEST_SMTP"),
		domain: os.Getenv("MAILFLOW_TEST_DOMAIN"), password: os.Getenv("MAILFLOW_TEST_PASSWORD"), suffix: prefix + hex.EncodeToString(b[:])}
}

// TestCrashWholeDaemonRealServers is the same against Dovecot + Postfix:
// only the daemon is killed; the mail servers stay up.
func TestCrashWholeDaemonRealServers(t *testing.T) {
	if os.Getenv("MAILFLOW_TEST_REAL") != "1" {
		t.Skip("set MAILFLOW_TEST_REAL=1 with Dovecot and Postfix running (.ci/mailservers.sh start)")
	}
	if testing.Short() {
		t.Skip("long test: skipped with -short")
	}
	crashTest(t, realFromEnv("-crash"), true)
}

// crashTest drives the SOP through the daemon; with kills it is killed
// with SIGKILL at random points, at least minKills times.
func crashTest(t *testing.T, x *realServers, kills bool) {
	if raceEnabled {
		// The daemon under test is its own binary, built without -race;
		// what -race sees here is the simulated officials' go-imap client
		// (v2.0.0-beta.8) racing inside imapclient when FETCH data arrives
		// while Collect discards a literal. The test runs in the non-race
		// pass of .ci/run (embedded and Dovecot + Postfix).
		t.Skip("skipped under -race: see the comment; runs in the non-race pass")
	}
	dir := t.TempDir()
	bin := buildMailflow(t, dir)
	cfgPath := crashConfig(t, dir, x)
	cfg, err := config.Load(cfgPath, config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "daemon.log")
	if p := os.Getenv("MAILFLOW_E2E_LOG"); p != "" {
		logPath = p // kept after the test
	}
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	d := &daemon{bin: bin, cfg: cfgPath, log: logf, reasons: map[string]int{}, trig: make(chan string, 16),
		running: make(chan struct{})}
	if x != nil {
		d.env = []string{"MAILFLOW_IMAP_PASSWORD=" + x.password, "MAILFLOW_SMTP_PASSWORD=" + x.password}
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d; daemon log %s", seed, logf.Name())
	rnd := rand.New(rand.NewPCG(seed, 1))
	stop, killNow, chaosDone := make(chan struct{}), make(chan struct{}, 1), make(chan error, 1)
	go func() {
		if !kills {
			// Calm: one daemon; a request on killNow restarts it politely
			// (the clock jump below).
			for {
				if err := d.start(); err != nil {
					chaosDone <- err
					return
				}
				select {
				case <-stop:
					chaosDone <- nil
					return
				case <-killNow:
					d.stop()
				}
			}
		}
		chaosDone <- d.chaos(stop, killNow, rand.New(rand.NewPCG(seed, 2)))
	}()
	stopChaos := func() {
		select {
		case <-stop:
			return
		default:
		}
		close(stop)
		if err := <-chaosDone; err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		stopChaos()
		d.stop()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			lines := strings.Split(string(b), "\n")
			t.Logf("last daemon log lines:\n%s", strings.Join(lines[max(0, len(lines)-60):], "\n"))
		}
	}()

	offs, office := officials(t, cfg, dir, x)
	var kepala *official
	for _, p := range cfg.Office.People {
		if slices.Contains(p.Roles, "kepala_dinas") {
			kepala = offs[p.Email]
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()

	var (
		delivered []*inMail
		sentIDs   []string // Message-IDs of the officials' answers
		handoffs  []handoff
		pending   time.Time
		pendStart int
		queue     []*inMail
		lastSent  time.Time // the last answer accepted
		// The collect step's fan-out: from the answer that opened it to
		// the last unit's assignment in its INBOX.
		fanFrom, fanTo time.Time
		fanN           int
		fanStarts      [2]int // daemon starts at the answer and at the last assignment
		fanSeen        = map[string]bool{}
		firstQueued    time.Time
	)
	sendReply := func(send func() (time.Time, string, error)) {
		// Keep the kills ahead of the answers: about two kills per answer,
		// whatever the random timers and triggers did.
		for end := time.Now().Add(30 * time.Second); kills && time.Now().Before(end); {
			_, n := d.counts()
			if n >= min(minKills+10, 2*(len(sentIDs)+1)) {
				break
			}
			select {
			case killNow <- struct{}{}:
			default:
			}
			for until := time.Now().Add(5 * time.Second); time.Now().Before(until); time.Sleep(10 * time.Millisecond) {
				if _, k := d.counts(); k > n {
					break
				}
			}
		}
		time.Sleep(time.Duration(rnd.IntN(100)) * time.Millisecond)
		at, id, err := send()
		if err != nil {
			t.Fatal(err)
		}
		sentIDs = append(sentIDs, id)
		pending, lastSent = at, at
		pendStart, _ = d.counts()
	}
	sendReply(func() (time.Time, string, error) {
		return kepala.compose(ctx, "Disposisi: Penyusunan LAKIP Tahun 2023",
			"Yth. Sekretaris Dinas,\r\n\r\nMohon segera diagendakan penyusunan LAKIP Tahun 2023.\r\nDisposisi: untuk ditindaklanjuti.\r\n\r\nKepala Dinas",
			"disposisi_lakip_2023.pdf")
	})
	// Open the store only once the daemon has migrated it: two processes
	// migrating a new store at once collide.
	select {
	case <-d.running:
	case <-ctx.Done():
		t.Fatal("the daemon never started")
	}
	st := openStoreWhenReady(t, ctx, filepath.Join(dir, "data", "mailflow.db"))
	defer st.Close()
	var runID string
	lastCheck := time.Time{}
	finished := false
	rsvps, invited := 0, -1
	lastNew := time.Now()
	var waitUntil time.Time // a step waits for this time (the notulen: the meeting's end)
	jumps := 0
	// Go on after the run finished until every invitation is answered.
	for !finished || len(queue) > 0 || rsvps < invited {
		if ctx.Err() != nil {
			t.Fatalf("the run did not finish within the time limit; %d answers sent, %d mails seen", len(sentIDs), len(delivered))
		}
		foundNew := false
		for _, o := range offs {
			msgs, err := o.fetchNew()
			if err != nil {
				if strings.Contains(err.Error(), "UIDVALIDITY changed") {
					t.Fatal(err)
				}
				continue // the daemon (with the embedded server) is down
			}
			for _, m := range msgs {
				delivered = append(delivered, m)
				foundNew = true
				if m.Kind == "assign_collect" && m.Round <= 1 && !fanSeen[m.To] {
					fanSeen[m.To] = true
					if fanN == 0 {
						fanFrom, fanStarts[0] = lastSent, pendStart
					}
					fanN++
					fanTo = m.Seen
					fanStarts[1], _ = d.counts()
				}
				if (strings.HasPrefix(m.Kind, "assign_") || m.Kind == "invitation") && !pending.IsZero() {
					starts, _ := d.counts()
					d.mu.Lock()
					up := d.lastUp
					d.mu.Unlock()
					handoffs = append(handoffs, handoff{d: m.Seen.Sub(pending), restarted: starts != pendStart, after: m.Seen.Sub(up)})
					pending = time.Time{}
				}
				if _, _, _, ok := answer(m); ok && !o.answered[m.MessageID] {
					o.answered[m.MessageID] = true
					queue = append(queue, m)
				}
			}
		}
		if foundNew || len(queue) > 0 {
			lastNew = time.Now()
		}
		// Everything answered, a step waits for a time to come (the
		// notulen for the meeting's end, days ahead): restart the daemon
		// with its clock moved past it (MAILFLOW_TEST_CLOCK_OFFSET).
		if !finished && len(queue) == 0 && !waitUntil.IsZero() && time.Since(lastNew) > 2*time.Second && jumps < 3 {
			jumps++
			offset := time.Until(waitUntil) + time.Minute
			d.mu.Lock()
			d.env = append(d.env, "MAILFLOW_TEST_CLOCK_OFFSET="+offset.Round(time.Second).String())
			d.mu.Unlock()
			starts, _ := d.counts()
			killNow <- struct{}{}
			for s, _ := d.counts(); s == starts && ctx.Err() == nil; s, _ = d.counts() {
				time.Sleep(10 * time.Millisecond)
			}
			t.Logf("run waits until %s: daemon restarted with the clock %s ahead", waitUntil.Format(time.DateTime), offset.Round(time.Second))
			pending, lastNew = time.Time{}, time.Now()
		}
		if len(queue) > 0 && firstQueued.IsZero() {
			firstQueued = time.Now()
		}
		// Answer once the mailboxes are still (a fan-out has landed), so
		// that answering does not delay the measurement of what arrives.
		for len(queue) > 0 && (!foundNew || time.Since(firstQueued) > time.Second) {
			firstQueued = time.Time{}
			m := queue[0]
			queue = queue[1:]
			o := offs[m.To]
			body, attach, rsvp, _ := answer(m)
			sendReply(func() (time.Time, string, error) {
				if rsvp {
					rsvps++
					return o.rsvp(ctx, m)
				}
				return o.reply(ctx, m, body, attach)
			})
		}
		if time.Since(lastCheck) > 300*time.Millisecond {
			lastCheck = time.Now()
			st.View(ctx, func(tx *store.Tx) error {
				runs, _ := tx.Runs("")
				if len(runs) == 0 {
					return nil
				}
				runID = runs[0].ID
				r, err := tx.LoadRun(runID)
				if err != nil {
					return nil
				}
				finished = r.Status == flow.RunFinished
				waitUntil = time.Time{}
				for _, st := range r.Steps {
					if st.Status == flow.StepPending && st.WaitUntil.After(waitUntil) {
						waitUntil = st.WaitUntil
					}
				}
				if r.Cur < len(r.Steps) && r.Steps[r.Cur].WaitUntil.After(waitUntil) {
					waitUntil = r.Steps[r.Cur].WaitUntil
				}
				rows, _ := tx.Outbox(runID)
				invited = 0
				for _, r := range rows {
					if r.Template == flow.TplInvitation {
						invited += len(r.Mail.To)
					}
				}
				return nil
			})
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The run is finished: no more kills; let the daemon send what is left.
	stopChaos()
	starts, nKills := d.counts()
	waitApplied(t, ctx, st, runID, sentIDs)
	waitOutboxSent(t, ctx, st)
	for _, o := range offs {
		if msgs, err := o.fetchNew(); err == nil {
			delivered = append(delivered, msgs...)
		}
	}
	checkCrashRun(t, st, runID, office, delivered, sentIDs)

	d.mu.Lock()
	reasons := fmt.Sprint(d.reasons)
	d.mu.Unlock()
	var worst, worstWith, worstAny time.Duration
	nRestart := 0
	var all []time.Duration
	for _, h := range handoffs {
		all = append(all, h.d)
		worstAny = max(worstAny, h.d)
		if h.restarted {
			nRestart++
			worst, worstWith = max(worst, h.after), max(worstWith, h.d)
			if h.after > 5*time.Second {
				t.Errorf("a hand-off took %s after a restart (limit 5 s; %s since the answer)", h.after.Round(time.Millisecond), h.d.Round(time.Millisecond))
			}
		}
	}
	if fanN > 0 {
		t.Logf("fan-out: the answer that opened the collect step → the last of its %d assignments in an INBOX: %s (restarts in between: %d)",
			fanN, fanTo.Sub(fanFrom).Round(time.Millisecond), fanStarts[1]-fanStarts[0])
	}
	dups, dupIDs := duplicates(delivered)
	t.Logf("kills: %d (%s), starts: %d", nKills, reasons, starts)
	t.Logf("duplicate deliveries: %d, all with their original's Message-ID (%s)", dups, strings.Join(dupIDs, ", "))
	slices.Sort(all)
	p50 := time.Duration(0)
	if len(all) > 0 {
		p50 = all[len(all)/2]
	}
	t.Logf("hand-offs: %d (p50 %s), %d with a restart in between; worst after a restart (last restart → mail in the INBOX) %s; "+
		"worst answer → mail with restarts in between %s; worst overall %s", len(handoffs), p50.Round(time.Millisecond),
		nRestart, worst.Round(time.Millisecond), worstWith.Round(time.Millisecond), worstAny.Round(time.Millisecond))
	if !kills {
		return
	}
	if nKills < minKills {
		t.Errorf("only %d kills, want at least %d", nKills, minKills)
	}
	if d.reasons["right after step entered"] == 0 || d.reasons["right after mail sent"] == 0 {
		t.Errorf("kills did not strike right after both log lines: %s", reasons)
	}
}

// officials makes one simulated official per person, with their password.
func officials(t *testing.T, cfg *config.Config, dir string, x *realServers) (map[string]*official, string) {
	t.Helper()
	imapAddr, smtpAddr := cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP
	pw := func(string) string { return x.password }
	if x != nil {
		imapAddr, smtpAddr = x.imap, x.smtp
	} else {
		// The daemon writes the embedded accounts' passwords at its start.
		path := filepath.Join(dir, "data", "embedded-accounts.txt")
		var b []byte
		for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			if b, _ = os.ReadFile(path); len(b) > 0 && strings.HasSuffix(string(b), "\n") {
				break
			}
		}
		pws := map[string]string{}
		for _, l := range strings.Split(string(b), "\n") {
			if a, p, ok := strings.Cut(l, " "); ok {
				pws[a] = p
			}
		}
		pw = func(a string) string { return pws[a] }
	}
	offs := map[string]*official{}
	for _, p := range cfg.Office.People {
		offs[p.Email] = &official{Official: &simofficial.Official{Name: p.Name, Addr: p.Email, Password: pw(p.Email), IMAPAddr: imapAddr,
			SMTPAddr: smtpAddr, Office: cfg.Office.Mailbox}, answered: map[string]bool{}}
		if offs[p.Email].Password == "" {
			t.Fatalf("no password for %s", p.Email)
		}
	}
	return offs, cfg.Office.Mailbox
}

func openStoreWhenReady(t *testing.T, ctx context.Context, path string) *store.Store {
	t.Helper()
	for ctx.Err() == nil {
		if _, err := os.Stat(path); err == nil {
			st, err := store.Open(path, store.Options{})
			if err == nil {
				return st
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no store at %s", path)
	return nil
}

package failover

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// imapTakeover waits until every office in held (office → the killed or
// stopped holder's generation) has a live holder other than old at a newer
// generation, and returns how long each took from since.
func (c *imapCluster) imapTakeover(old *instance, held map[string]int64, since time.Time) map[string]time.Duration {
	c.t.Helper()
	took := map[string]time.Duration{}
	c.waitFor("takeover of the mailboxes of "+old.id, takeoverLimit+10*time.Second, func() bool {
		for o, g := range held {
			if _, ok := took[o]; ok {
				continue
			}
			if h, gen := c.holder(o); h != nil && h != old && gen > g {
				took[o] = time.Since(since)
			}
		}
		return len(took) == len(held)
	})
	c.mu.Lock()
	c.outages = append(c.outages, window{since, time.Now()})
	c.mu.Unlock()
	return took
}

// afterAnswer returns a random time under within after the next answer
// to office was accepted by the mail server.
func (d *driver) afterAnswer(t *testing.T, office string, within time.Duration) {
	t.Helper()
	for len(d.sentTo) > 0 {
		<-d.sentTo
	}
	for o := ""; o != office; {
		select {
		case o = <-d.sentTo:
		case <-time.After(30 * time.Second):
			t.Fatalf("no answer to office %s", office)
		}
	}
	time.Sleep(rand.N(within))
}

var recoveredRe = regexp.MustCompile(`msg="mail another instance was sending when it stopped is due now.*count=(\d+)`)

// recovered counts the sends of killed instances that others made due
// again, from the instances' logs.
func (c *imapCluster) recovered() int {
	n := 0
	c.mu.Lock()
	all := c.all
	c.mu.Unlock()
	for _, p := range all {
		for _, m := range recoveredRe.FindAllStringSubmatch(p.logText(), -1) {
			k, _ := strconv.Atoi(m[1])
			n += k
		}
	}
	return n
}

// heldBy lists the offices whose mailbox p holds, with the generations.
func (c *imapCluster) heldBy(p *instance) map[string]int64 {
	held := map[string]int64{}
	for _, o := range offices {
		if h, g := c.holder(o); h == p {
			held[o] = g
		}
	}
	return held
}

// TestPostgresFailoverIMAP is the failover test on real mailboxes: three
// `mailflow run -config-dir` processes serve two offices (two schemas of
// the test PostgreSQL) whose mailboxes are on one mail server in this
// process; simulated officials read their INBOXes over IMAP and answer
// over SMTP, two leave requests open per office at any time, each with a
// rejection round. The instance holding a mailbox (office a, b, a) is
// killed with SIGKILL three times while the runs go on, and a new instance
// replaces it once the mailbox is taken over. Both offices' runs finish;
// every mail to an office is applied exactly once and no event twice; a
// repeated mail has its original's Message-ID; every mailbox is taken over
// within 15 s of each kill.
//
//	eval "$(bash .ci/pg.sh)"; go test ./mailflow/failover -run PostgresFailoverIMAP -v
func TestPostgresFailoverIMAP(t *testing.T) {
	c := newIMAPCluster(t)
	wall := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for range 3 {
		c.start()
	}
	d := c.drive(ctx)
	c.waitFor("first holders", 30*time.Second, func() bool {
		a, _ := c.holder("a")
		b, _ := c.holder("b")
		return a != nil && b != nil
	})
	var took []string
	var worst time.Duration
	for k := 1; k <= 3; k++ {
		// A calm stretch first: both offices move on (hand-offs without
		// an outage to measure), then the kill.
		office := offices[(k-1)%len(offices)]
		calm := time.Now().Add(3 * time.Second)
		from := map[string]int64{}
		for _, o := range offices {
			from[o] = c.events(o)
		}
		c.waitFor(fmt.Sprintf("both offices under way before kill %d", k), time.Minute, func() bool {
			return time.Now().After(calm) && c.events("a") >= from["a"]+3 && c.events("b") >= from["b"]+3
		})
		// Strike soon after an answer reached the mailbox: while the
		// holder reads it, applies it, or sends what it caused.
		d.afterAnswer(t, office, 60*time.Millisecond)
		p, _ := c.holder(office)
		if p == nil {
			t.Fatalf("kill %d: the holder of mailbox %s is no instance of ours", k, office)
		}
		held := c.heldBy(p)
		at := time.Now()
		c.signal(p, syscall.SIGKILL)
		for o, d := range c.imapTakeover(p, held, at) {
			nh, gen := c.holder(o)
			t.Logf("kill %d: %s (holding mailbox %s at generation %d) killed; %s took it over at generation %d after %v",
				k, p.id, o, held[o], nh.id, gen, d.Round(time.Millisecond))
			took = append(took, fmt.Sprintf("%s %.1f s", o, d.Seconds()))
			worst = max(worst, d)
			if d > takeoverLimit {
				t.Errorf("kill %d: mailbox %s taken over after %v, over %v", k, o, d, takeoverLimit)
			}
		}
		c.start()
	}
	time.Sleep(3 * time.Second) // calm again, with three instances
	if err := d.wait(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	c.check(d)
	n, p50, p99, nk, wk := d.handoffStats()
	t.Logf("takeovers after SIGKILL: %s (worst %.1f s)", strings.Join(took, ", "), worst.Seconds())
	t.Logf("hand-offs (answer accepted by SMTP → the run's next assignment in an INBOX): %d outside a takeover, p50 %v, p99 %v; %d during a takeover, worst %v",
		n, p50.Round(time.Millisecond), p99.Round(time.Millisecond), nk, wk.Round(time.Millisecond))
	t.Logf("runs: a %d, b %d; sends cut off by a kill and made again by another instance: %d; wall time %v",
		d.requests["a"], d.requests["b"], c.recovered(), time.Since(wall).Round(time.Second))
}

// noteRe matches an engine note, logged after the commit of an event that
// came from an office's mailbox (a leave request or a reply).
var noteRe = regexp.MustCompile(`msg=("(?:[^"\\]|\\.)*"|\S+) office=(\w+) run=(\w+) event=(?:start|reply)\b`)

// note is one engine note of a run.
type note struct{ office, run, msg string }

// notes counts the notes of every event of the offices' runs.
func (c *imapCluster) notes() map[note]int {
	out := map[note]int{}
	for _, o := range offices {
		c.st[o].View(context.Background(), func(tx *store.Tx) error {
			runs, err := tx.Runs("")
			for _, r := range runs {
				evs, _ := tx.Events(r.ID)
				for _, e := range evs {
					for _, n := range e.Notes {
						out[note{o, r.ID, n}]++
					}
				}
			}
			return err
		})
	}
	return out
}

// TestPostgresPartitionIMAP: the holder of office a's mailbox is stopped
// (SIGSTOP) past its lease while the officials go on; another instance
// takes the mailbox over; then the stopped one resumes. With its stale
// lease it must not act on the mailbox: it commits no event from office a's
// mail between its resumption and a new lease of its own, and says that
// it lost the lease; no message is applied twice and the runs finish as
// if it had never resumed.
//
//	eval "$(bash .ci/pg.sh)"; go test ./mailflow/failover -run PostgresPartitionIMAP -v
func TestPostgresPartitionIMAP(t *testing.T) {
	c := newIMAPCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for range 3 {
		c.start()
	}
	d := c.drive(ctx)
	c.waitFor("first holder", 30*time.Second, func() bool { a, _ := c.holder("a"); return a != nil })
	c.waitFor("office a under way", time.Minute, func() bool { return c.events("a") >= 3 })
	// Stop the holder a few milliseconds after an answer reached office
	// a's mailbox: likely while it reads or applies it, so that what it
	// does on resuming is a write with the stale lease.
	d.afterAnswer(t, "a", 15*time.Millisecond)
	p, _ := c.holder("a")
	if p == nil {
		t.Fatal("the holder of mailbox a is no instance of ours")
	}
	held := c.heldBy(p)
	at := time.Now()
	c.signal(p, syscall.SIGSTOP)
	for o, took := range c.imapTakeover(p, held, at) {
		t.Logf("%s stopped; mailbox %s taken over after %v", p.id, o, took.Round(time.Millisecond))
	}
	from := c.events("a")
	c.waitFor("progress under the new holder", time.Minute, func() bool { return c.events("a") >= from+3 })
	before := c.notes() // what was committed while it was stopped
	c.signal(p, syscall.SIGCONT)
	c.waitFor("the resumed instance to notice", 20*time.Second, func() bool {
		for _, l := range resumedLines(p) {
			if strings.Contains(l, "office=a") && (strings.Contains(l, "lease not renewed") || strings.Contains(l, "lease lost during a write")) {
				return true
			}
		}
		return false
	})
	if err := d.wait(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	c.check(d)
	// Between its resumption and a lease of its own, nothing from its
	// mailboxes was committed by it. A note it logs after resuming may be
	// of a commit made before it was stopped (stopped between the commit
	// and the log line): that one was committed already at SIGCONT. A note
	// of an event committed only after SIGCONT would be a stale commit.
	after := c.notes()
	late := 0
	for _, l := range resumedLines(p) {
		if strings.Contains(l, "lease") && strings.Contains(l, "level=WARN") {
			t.Logf("resumed %s: %s", p.id, l[strings.Index(l, "msg="):min(len(l), strings.Index(l, "msg=")+90)])
		}
	}
	reacquired := map[string]bool{}
	for _, l := range resumedLines(p) {
		for o := range held {
			if strings.Contains(l, "office="+o) && strings.Contains(l, "holding the lease") {
				reacquired[o] = true
			}
		}
		m := noteRe.FindStringSubmatch(l)
		if m == nil || reacquired[m[2]] {
			continue
		}
		msg := m[1]
		if u, err := strconv.Unquote(msg); err == nil {
			msg = u
		}
		n := note{m[2], m[3], msg}
		switch {
		case before[n] > 0:
			late++
		case after[n] > 0:
			t.Errorf("the resumed instance committed office %s's mail with its stale lease: %s", m[2], l)
		default:
			t.Errorf("a note of the resumed instance is in no event: %s", l)
		}
	}
	if late > 0 {
		t.Logf("it had been stopped between a commit and its log: %d notes of commits made before SIGSTOP logged after SIGCONT", late)
	}
}

// resumedLines is p's log after the test resumed it.
func resumedLines(p *instance) []string {
	_, after, _ := strings.Cut(p.logText(), "=== continued\n")
	return strings.Split(after, "\n")
}

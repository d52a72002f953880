package failover

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// What the IMAP failover tests check once the runs are over.

// waitOutboxSent waits until no mail of office is pending in its outbox.
func (c *imapCluster) waitOutboxSent(office string) {
	c.waitFor("office "+office+"'s outbox to empty", 30*time.Second, func() bool {
		n := -1
		c.st[office].View(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.Outbox("")
			if err != nil {
				return err
			}
			n = 0
			for _, r := range rows {
				if r.Status == store.OutPending {
					n++
				}
			}
			return nil
		})
		return n == 0
	})
}

// check asserts the end state against what the officials sent and got:
// every office's runs finished, each with a rejection round; every mail
// sent to an office applied exactly once and no event twice; every mail of
// ours delivered is an outbox row of its office and each assignment reached
// its recipient, a repeat only under its original's Message-ID; and every
// message in the office mailboxes carries the processed keyword.
func (c *imapCluster) check(d *driver) {
	t := c.t
	for _, o := range offices {
		c.waitOutboxSent(o)
	}
	time.Sleep(500 * time.Millisecond) // the last deliveries reach the INBOXes
	d.fetchLast()
	rows := map[string]store.OutboxRow{}
	var outbox []store.OutboxRow
	for _, o := range offices {
		applied := map[string]int{}
		nRuns, rejects := 0, 0
		err := c.st[o].View(context.Background(), func(tx *store.Tx) error {
			runs, err := tx.Runs("")
			if err != nil {
				return err
			}
			nRuns = len(runs)
			for _, r := range runs {
				if r.Status != string(flow.RunFinished) {
					t.Errorf("office %s: run %s (%s) is %s", o, r.ID, r.Title, r.Status)
				}
				evs, err := tx.Events(r.ID)
				if err != nil {
					return err
				}
				rejected := false
				for i, e := range evs {
					if e.Seq != int64(i+1) {
						t.Errorf("office %s run %s: event %d has seq %d", o, r.ID, i+1, e.Seq)
					}
					if e.Evidence != "" {
						applied[strings.Trim(e.Evidence, "<>")]++
					}
					rejected = rejected || e.Event.Command == flow.CmdReject
				}
				if rejected {
					rejects++
				}
			}
			ob, err := tx.Outbox("")
			outbox = append(outbox, ob...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if nRuns != d.requests[o] {
			t.Errorf("office %s has %d runs for %d requests", o, nRuns, d.requests[o])
		}
		if rejects != nRuns {
			t.Errorf("office %s: %d of %d runs went through a rejection round", o, rejects, nRuns)
		}
		for id, n := range applied {
			if n > 1 {
				t.Errorf("office %s: message %s applied %d times", o, id, n)
			}
		}
		for _, id := range d.sent[o] {
			if n := applied[strings.Trim(id, "<>")]; n != 1 {
				t.Errorf("office %s: mail %s applied %d times, want once", o, id, n)
			}
		}
		t.Logf("office %s: %d runs finished (each with a rejection round), %d mails to the office each applied once", o, nRuns, len(d.sent[o]))
		c.checkMailboxDone(o)
	}
	for _, r := range outbox {
		rows[r.MessageID] = r
		if r.Status != store.OutSent {
			t.Errorf("outbox %s (%s to %v) is %s: %s", r.MessageID, r.Template, r.Mail.To, r.Status, r.LastError)
		}
	}
	got := map[string]int{}
	one := map[string]string{} // recipient, run, step, round, kind → Message-ID
	for _, m := range d.delivered {
		if m.Kind == "" {
			continue
		}
		if _, ok := rows[m.MessageID]; !ok {
			t.Errorf("%s got mail %s (%s, step %d) that is in no outbox row", m.To, m.MessageID, m.Kind, m.Step)
		}
		got[m.To+" "+m.MessageID]++
		if strings.HasPrefix(m.Kind, "assign_") {
			k := fmt.Sprintf("%s %s %d %d %s", m.To, m.Token, m.Step, m.Round, m.Kind)
			if prev, ok := one[k]; ok && prev != m.MessageID {
				t.Errorf("%s got the same mail (step %d, %s) as %s and as %s", m.To, m.Step, m.Kind, prev, m.MessageID)
			}
			one[k] = m.MessageID
		}
	}
	assignments := 0
	for _, r := range outbox {
		if !strings.HasPrefix(r.Template, "assign_") {
			continue
		}
		for _, to := range r.Mail.To {
			assignments++
			if got[to.Email+" "+r.MessageID] == 0 {
				t.Errorf("%s never received %s (%s, step %d)", to.Email, r.MessageID, r.Template, r.Step)
			}
		}
	}
	var dups []string
	for k, n := range got {
		if n > 1 {
			dups = append(dups, fmt.Sprintf("%s ×%d", k, n))
		}
	}
	sort.Strings(dups)
	t.Logf("%d outbox rows, %d assignments delivered; repeated deliveries (each under its original's Message-ID): %d %v",
		len(outbox), assignments, len(dups), dups)
}

// checkMailboxDone: every message in office's mailbox carries the keyword
// the watcher sets once a message is applied (and none is quarantined).
func (c *imapCluster) checkMailboxDone(office string) {
	t := c.t
	cl, err := imapclient.DialInsecure(c.imapAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Login(c.mailbox[office], c.pw(c.mailbox[office])).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := cl.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		t.Errorf("office %s: the mailbox is empty", office)
		return
	}
	msgs, err := cl.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	undone := 0
	for _, m := range msgs {
		done := false
		for _, f := range m.Flags {
			done = done || strings.EqualFold(string(f), "$MailflowDone")
		}
		if !done {
			undone++
			t.Errorf("office %s: message uid %d not marked $MailflowDone (flags %v)", office, m.UID, m.Flags)
		}
	}
	// One inbound marker per message of the mailbox, none twice.
	var marks []store.Inbound
	if err := c.st[office].View(context.Background(), func(tx *store.Tx) (err error) { marks, err = tx.InboundResults(1 << 20); return }); err != nil {
		t.Fatal(err)
	}
	byUID, byID := map[uint32]int{}, map[string]int{}
	for _, m := range marks {
		if m.UIDValidity == sel.UIDValidity {
			byUID[m.UID]++
			byID[m.MessageID]++
		}
	}
	for _, m := range msgs {
		if byUID[uint32(m.UID)] != 1 {
			t.Errorf("office %s: message uid %d has %d inbound markers, want 1", office, m.UID, byUID[uint32(m.UID)])
		}
	}
	for id, n := range byID {
		if n > 1 {
			t.Errorf("office %s: Message-ID %s has %d inbound markers", office, id, n)
		}
	}
	if len(byUID) != len(msgs) {
		t.Errorf("office %s: %d inbound markers for %d messages", office, len(byUID), len(msgs))
	}
	t.Logf("office %s: %d messages in the mailbox, %d marked done, %d inbound markers", office, len(msgs), len(msgs)-undone, len(byUID))
}

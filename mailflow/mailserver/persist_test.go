package mailserver

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// snapshot is what a client sees of one mailbox: UIDVALIDITY, UIDNEXT and
// each message's UID, flags and body.
func snapshot(t *testing.T, s *Server, user, mailbox string) string {
	t.Helper()
	c := login(t, s, user, nil)
	defer c.Logout()
	st, err := c.Status(mailbox, &imap.StatusOptions{UIDValidity: true, UIDNext: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s uidvalidity=%d uidnext=%d\n", mailbox, st.UIDValidity, st.UIDNext)
	for _, m := range fetchAll(t, c, mailbox) {
		var fl []string
		for _, f := range m.Flags {
			fl = append(fl, strings.ToLower(string(f)))
		}
		sort.Strings(fl)
		fmt.Fprintf(&b, "  uid %d %v %q\n", m.UID, fl, body(m))
	}
	return b.String()
}

// TestMailSurvivesRestart: mail delivered by SMTP, appended, flagged,
// expunged, copied and moved by an IMAP client is there after the server
// is closed and started again on the same directory, with the same
// UIDVALIDITY, UIDs, flags and bytes; new mail continues the UIDs.
func TestMailSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Accounts: []Account{{alice, pw}, {bob, pw}}, Logger: testLogger(), Dir: dir}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, subj := range []string{"one", "two", "three", "four"} {
		if err := send(t, s.SMTPAddr(), alice, []string{bob}, message(subj)); err != nil {
			t.Fatal(err)
		}
	}
	c := login(t, s, bob, nil)
	if err := c.Create("Arsip/2024", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	store := func(uid imap.UID, op imap.StoreFlagsOp, flags ...imap.Flag) {
		if err := c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: op, Silent: true, Flags: flags}, nil).Close(); err != nil {
			t.Fatal(err)
		}
	}
	store(1, imap.StoreFlagsAdd, imap.FlagDeleted)
	store(2, imap.StoreFlagsAdd, imap.FlagSeen, "$MailflowDone")
	store(3, imap.StoreFlagsAdd, imap.FlagFlagged)
	store(3, imap.StoreFlagsDel, imap.FlagFlagged)
	if err := c.Expunge().Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Copy(imap.UIDSetNum(2), "Arsip/2024").Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Move(imap.UIDSetNum(3), "Arsip/2024").Wait(); err != nil {
		t.Fatal(err)
	}
	app := c.Append("Sent", int64(len(message("sent"))), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}})
	app.Write([]byte(message("sent")))
	app.Close()
	if _, err := app.Wait(); err != nil {
		t.Fatal(err)
	}
	c.Logout()
	var before []string
	for _, mb := range []string{"INBOX", "Sent", "Arsip/2024"} {
		before = append(before, snapshot(t, s, bob, mb))
	}
	t.Logf("before:\n%s", strings.Join(before, ""))
	if !strings.Contains(before[0], `uid 2 [$mailflowdone \seen]`) || strings.Contains(before[0], "uid 1 ") || strings.Contains(before[0], "uid 3 ") {
		t.Fatalf("setup went wrong:\n%s", before[0])
	}
	s.Close()

	opts.UIDValidityAbove = 1000 // applies only to new mailboxes
	s, err = Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, mb := range []string{"INBOX", "Sent", "Arsip/2024"} {
		if after := snapshot(t, s, bob, mb); after != before[i] {
			t.Errorf("after the restart:\n%s\nbefore:\n%s", after, before[i])
		}
	}
	if err := send(t, s.SMTPAddr(), alice, []string{bob}, message("five")); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, s, bob, "INBOX"); !strings.Contains(got, "uid 5 [] \"Return-Path") {
		t.Errorf("new mail after the restart did not continue the UIDs:\n%s", got)
	}
	// A third start (a crash leaves the same files as a close).
	s.Close()
	s, err = Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := snapshot(t, s, bob, "INBOX"); !strings.Contains(got, "uid 5 ") || !strings.Contains(got, "uid 2 ") {
		t.Errorf("third start:\n%s", got)
	}
}

// TestMemoryOnlyWithoutDir: without Dir nothing is written and a new
// server starts empty, as before.
func TestMemoryOnlyWithoutDir(t *testing.T) {
	s := start(t)
	if err := send(t, s.SMTPAddr(), alice, []string{bob}, message("one")); err != nil {
		t.Fatal(err)
	}
	if s.disk != nil {
		t.Fatal("disk without Dir")
	}
}

// TestRestartPropertyRandomOps: after any sequence of deliveries, APPENDs,
// flag changes, EXPUNGEs, COPYs, MOVEs and new mailboxes, a restart on the
// same directory shows every mailbox exactly as before (UIDVALIDITY,
// UIDNEXT, UIDs, flags, bytes). Seeds are fixed so a failure reproduces.
func TestRestartPropertyRandomOps(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 7))
			dir := t.TempDir()
			opts := Options{Accounts: []Account{{alice, pw}, {bob, pw}}, Dir: dir, Logger: testLogger()}
			s, err := Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			boxes := []string{"INBOX", "Sent"}
			c := login(t, s, bob, nil)
			selected := ""
			sel := func(mb string) {
				if selected != mb {
					if _, err := c.Select(mb, nil).Wait(); err != nil {
						t.Fatal(err)
					}
					selected = mb
				}
			}
			flags := []imap.Flag{imap.FlagSeen, imap.FlagFlagged, imap.FlagDeleted, "$MailflowDone", "$Label1"}
			for i := range 40 {
				mb := boxes[rnd.IntN(len(boxes))]
				uid := imap.UID(1 + rnd.IntN(8))
				switch rnd.IntN(8) {
				case 0, 1:
					if err := s.Deliver(alice, []string{bob}, strings.NewReader(message(fmt.Sprintf("m%d", i)))); err != nil {
						t.Fatal(err)
					}
				case 2:
					msg := message(fmt.Sprintf("a%d", i))
					app := c.Append(mb, int64(len(msg)), &imap.AppendOptions{Flags: []imap.Flag{flags[rnd.IntN(len(flags))]}})
					app.Write([]byte(msg))
					app.Close()
					if _, err := app.Wait(); err != nil {
						t.Fatal(err)
					}
				case 3, 4:
					sel(mb)
					op := []imap.StoreFlagsOp{imap.StoreFlagsAdd, imap.StoreFlagsDel, imap.StoreFlagsSet}[rnd.IntN(3)]
					c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: op, Silent: true, Flags: []imap.Flag{flags[rnd.IntN(len(flags))]}}, nil).Close()
				case 5:
					sel(mb)
					c.Expunge().Close()
				case 6:
					sel(mb)
					dest := boxes[rnd.IntN(len(boxes))]
					if dest != mb {
						if rnd.IntN(2) == 0 {
							c.Copy(imap.UIDSetNum(uid, uid+1), dest).Wait()
						} else {
							c.Move(imap.UIDSetNum(uid), dest).Wait()
						}
					}
				case 7:
					if len(boxes) < 4 {
						name := fmt.Sprintf("Arsip/%d", i)
						if err := c.Create(name, nil).Wait(); err != nil {
							t.Fatal(err)
						}
						boxes = append(boxes, name)
					}
				}
			}
			c.Logout()
			var before []string
			for _, mb := range boxes {
				before = append(before, snapshot(t, s, bob, mb))
			}
			s.Close()
			s, err = Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i, mb := range boxes {
				if after := snapshot(t, s, bob, mb); after != before[i] {
					t.Errorf("after the restart:\n%s\nbefore:\n%s", after, before[i])
				}
			}
		})
	}
}

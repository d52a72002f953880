package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/demo"
	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// checkRealMailboxes reads every attendee's INBOX on Dovecot, asks Dovecot
// for the invitation's BODYSTRUCTURE, and checks it with Python too.
func checkRealMailboxes(t *testing.T, x *demo.External, r *flow.Run) {
	py := python(t)
	dir := t.TempDir()
	for _, a := range r.Meeting.Attendees {
		c, err := imapclient.DialInsecure(x.IMAPAddr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(a.Email, x.Password).Wait(); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Select("INBOX", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		bs := &imap.FetchItemBodySection{Peek: true}
		msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, BodyStructure: &imap.FetchItemBodyStructure{Extended: true}, BodySection: []*imap.FetchItemBodySection{bs}}).Collect()
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, m := range msgs {
			raw := m.FindBodySection(bs)
			if !strings.Contains(string(raw), "kind=invitation") {
				continue
			}
			got = true
			// Dovecot's own parse of the MIME tree.
			mp, ok := m.BodyStructure.(*imap.BodyStructureMultiPart)
			if !ok || !strings.EqualFold(mp.Subtype, "mixed") || len(mp.Children) < 2 {
				t.Fatalf("Dovecot BODYSTRUCTURE of the invitation: %#v", m.BodyStructure)
			}
			alt, ok := mp.Children[0].(*imap.BodyStructureMultiPart)
			if !ok || !strings.EqualFold(alt.Subtype, "alternative") {
				t.Fatalf("first part is not multipart/alternative: %#v", mp.Children[0])
			}
			hasCal := false
			for _, ch := range alt.Children {
				if sp, ok := ch.(*imap.BodyStructureSinglePart); ok && strings.EqualFold(sp.Type, "text") && strings.EqualFold(sp.Subtype, "calendar") {
					hasCal = strings.EqualFold(sp.Params["method"], "REQUEST")
				}
			}
			if !hasCal {
				t.Errorf("Dovecot sees no text/calendar; method=REQUEST part")
			}
			f := filepath.Join(dir, a.Email+".eml")
			os.WriteFile(f, raw, 0o644)
			checkInviteFile(t, py, f, r)
		}
		if !got {
			t.Errorf("%s has no invitation in INBOX", a.Email)
		}
	}
}

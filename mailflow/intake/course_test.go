package intake_test

import (
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// The disposition's text reaches step 2; a second disposition for the same
// run is answered with a notice naming it, and starts nothing.
func TestDispositionAckAndRepeat(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		f.deliver(msg("kepala@"+dom, "Disposisi LAKIP 2023", "d1@"+dom, "", dispo))
		rid := f.runs()[0].ID
		out := f.outbox(rid)
		if out[0].Step != 2 || !notesContain(out[0].Mail.Data.Notes, "Mohon segera diagendakan") {
			t.Fatalf("step 2 lacks the disposition's text: %+v", out[0].Mail.Data.Notes)
		}
		ack := out[1]
		if ack.Template != flow.TplAck || ack.Mail.To[0].Email != "kepala@"+dom || ack.Mail.Data.Due.IsZero() || !ack.Mail.AnyHour {
			t.Fatalf("acknowledgement: %+v", ack.Mail)
		}
		f.deliver(msg("kepala@"+dom, "Disposisi LAKIP 2023 (ulang)", "d2@"+dom, "", dispo))
		if n := len(f.runs()); n != 1 {
			t.Fatalf("a repeated disposition started %d runs", n)
		}
		out = f.outbox(rid)
		last := out[len(out)-1]
		if last.Template != flow.TplNotice || last.Mail.Data.Reason != flow.WhyRedisposition || last.Mail.To[0].Email != "kepala@"+dom {
			t.Fatalf("a repeated disposition was not answered: %+v", last.Mail)
		}
	})
}

func notesContain(ns []flow.Note, s string) bool {
	for _, n := range ns {
		if strings.Contains(n.Text, s) {
			return true
		}
	}
	return false
}

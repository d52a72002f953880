package mailout_test

import (
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// TestAdminMailOfNoRun: a mail of no run goes out on a Saturday night
// (an alert to IT must not wait for Monday) with the same Message-ID on
// every try, Auto-Submitted, the X-Mailflow mark without a token and no
// thread; when it fails for good it is marked failed and nothing else is
// queued: no run to tell, no alert about the alert.
func TestAdminMailOfNoRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		admin, err := samples.AdminMails(configPath)
		if err != nil {
			t.Fatal(err)
		}
		m := admin[0].Mail
		for _, permanent := range []bool{false, true} {
			e := newEnv(t)
			e.clk.Set(time.Date(2024, 6, 8, 22, 0, 0, 0, e.fenv.Cal.Loc)) // Saturday night
			e.enqueueRun("", m)
			w := e.worker(e.options())
			if permanent {
				e.smtp.fail("RCPT", 550, 1)
				e.drain(w)
				rows := e.outbox()
				if len(rows) != 1 || rows[0].Status != store.OutFailed || rows[0].RunID != "" || !strings.Contains(rows[0].LastError, "550") {
					t.Fatalf("after a permanent failure: %d rows, %+v", len(rows), rows[0])
				}
				continue
			}
			e.smtp.fail("DATA", 451, 1)
			e.drain(w)
			row := e.outbox()[0]
			if row.Status != store.OutPending || row.Attempts != 1 {
				t.Fatalf("after a transient failure: %+v", row)
			}
			wait, _ := mailout.Backoff(1, 0.5)
			if !row.NextAttempt.Equal(e.clk.Now().Add(wait)) {
				t.Errorf("retry due %s, want %s (no quiet hours)", row.NextAttempt, e.clk.Now().Add(wait))
			}
			e.clk.Add(wait)
			e.drain(w)
			got := e.smtp.messages()
			if len(got) != 1 || e.outbox()[0].Status != store.OutSent {
				t.Fatalf("%d messages, row %+v", len(got), e.outbox()[0])
			}
			hdr, _ := parseMsg(t, got[0].Data)
			h := hdr.Header
			subj, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
			if strings.Trim(h.Get("Message-Id"), "<>") != m.MessageID || h.Get("Auto-Submitted") != "auto-generated" ||
				h.Get(token.Header) != "kind=alert_quarantine" || h.Get("References") != "" || h.Get("In-Reply-To") != "" ||
				!strings.HasPrefix(subj, "[mailflow] Peringatan: 1 surel") || got[0].To[0] != e.fenv.Office.Admin {
				t.Errorf("headers %v, subject %q, to %v", h, subj, got[0].To)
			}
		}
	})
}

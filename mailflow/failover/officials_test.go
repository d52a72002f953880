package failover

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/internal/simofficial"
)

// official is a simulated person (internal/simofficial) of the leave
// request SOP (flow/testdata/cuti.toml): the Kasubag hands the file in
// (SELESAI with a PDF); the Kepala rejects each run's first round (TOLAK)
// and approves the second (SETUJU).
type official struct {
	*simofficial.Official
	answered map[string]bool // Message-IDs answered
}

// inMail is one message in an official's INBOX.
type inMail = simofficial.Mail

func (o *official) fetchNew() ([]*inMail, error) { return o.FetchNew() }
func (o *official) close()                       { o.Close() }

// answer decides the reply to m; ok is false for mail that needs none
// (receipts, notices, the summary).
func answer(m *inMail) (body string, attach bool, ok bool) {
	switch {
	case m.Kind == "assign_approval" && m.Round <= 1:
		return "TOLAK berkas belum lengkap, mohon dilengkapi surat keterangan.", false, true
	case m.Kind == "assign_approval":
		return "SETUJU", false, true
	case strings.HasPrefix(m.Kind, "assign_"):
		return "SELESAI, terlampir.", true, true
	}
	return "", false, false
}

// reply answers m over SMTP and returns when the server accepted it.
func (o *official) reply(ctx context.Context, m *inMail, body string, attach bool) (time.Time, string, error) {
	file := ""
	if attach {
		file = fmt.Sprintf("berkas_cuti_%s.pdf", strings.SplitN(o.Addr, "@", 2)[0])
	}
	return o.Reply(ctx, m, body, file)
}

// compose sends a new mail (a leave request) to the office.
func (o *official) compose(ctx context.Context, subject, body string) (time.Time, string, error) {
	return o.Compose(ctx, subject, body, "")
}

package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/internal/simofficial"
)

// official is a simulated person (internal/simofficial) who answers
// generically, whatever arrives: approval steps SETUJU, anything asking
// for KIRIM KIRIM, other tasks SELESAI with a PDF, an invitation with an
// iTIP REPLY ACCEPTED. So the test keeps working when the SOP's course
// changes.
type official struct {
	*simofficial.Official
	answered map[string]bool // Message-IDs answered
}

// inMail is one message in an official's INBOX.
type inMail = simofficial.Mail

func (o *official) fetchNew() ([]*inMail, error) { return o.FetchNew() }

// asksKirim: the mail asks for the word KIRIM as the answer.
var asksKirim = regexp.MustCompile(`\bKIRIM\b`)

// answer decides the reply to m: body, attachment, or an RSVP; ok is
// false for mail that needs no answer (receipts, notices, summaries).
func answer(m *inMail) (body string, attach bool, rsvp bool, ok bool) {
	switch {
	case m.Kind == "invitation":
		return "", false, true, true
	case !strings.HasPrefix(m.Kind, "assign_"):
		return "", false, false, false
	case asksKirim.MatchString(m.Text):
		return "KIRIM", false, false, true
	case m.Kind == "assign_approval":
		return "SETUJU", false, false, true
	default:
		return "SELESAI, terlampir.", true, false, true
	}
}

// reply answers m over SMTP and returns when the server accepted it.
func (o *official) reply(ctx context.Context, m *inMail, body string, attach bool) (time.Time, string, error) {
	file := ""
	if attach {
		file = fmt.Sprintf("langkah_%d_%s.pdf", m.Step, strings.SplitN(o.Addr, "@", 2)[0])
	}
	return o.Reply(ctx, m, body, file)
}

// rsvp accepts an invitation.
func (o *official) rsvp(ctx context.Context, inv *inMail) (time.Time, string, error) {
	return o.Accept(ctx, inv)
}

// compose sends a new mail (the Kepala's disposition) with a PDF.
func (o *official) compose(ctx context.Context, subject, body, file string) (time.Time, string, error) {
	return o.Compose(ctx, subject, body, file)
}

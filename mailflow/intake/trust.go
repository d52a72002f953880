package intake

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/reply"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// The trust model (README "Trust model"): a message acts for a person only
// when (1) its one From address is that person's configured address, (2)
// the authentication policy passes for that From (require_auth: a DKIM
// signature or DMARC pass aligned with the From domain, stamped by the
// office's own server), and (3) for a command, it carries the token of a
// mail that was sent to that very address (In-Reply-To/References, the Ref
// line, the plus-address). A forger must have seen the mail to answer it.

// correlation is what intake learnt about a message's place in a run.
type correlation struct {
	run *flow.Run
	ref token.Ref // the ref that matched the run (Step 0 = the run)
	// sentTo: one of the refs names a step whose mail went to the sender.
	sentTo bool
}

// correlate finds the run a message belongs to, trying its refs best
// first, and whether it answers a mail that was sent to its sender. The
// run's outbox is read once, whatever the number of refs.
func (in *Intake) correlate(ctx context.Context, p *reply.Parsed) (correlation, error) {
	var c correlation
	err := in.Engine.Store.View(ctx, func(tx *store.Tx) error {
		var rows []store.OutboxRow
		for _, r := range p.Refs {
			if c.run != nil && r.Token != c.run.Token {
				continue
			}
			if c.run == nil {
				got, err := tx.RunByToken(r.Token)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				c.run, c.ref = got, r
				if rows, err = tx.Outbox(got.ID); err != nil {
					return err
				}
			}
			if anyMail(rows, p.From, func(o *store.OutboxRow) bool { return r.Step == 0 || o.Step == r.Step }) {
				c.ref, c.sentTo = r, true
				return nil
			}
		}
		return nil
	})
	return c, err
}

// anyMail reports whether one of rows that match went to addr.
func anyMail(rows []store.OutboxRow, addr string, match func(*store.OutboxRow) bool) bool {
	if addr == "" {
		return false
	}
	for i := range rows {
		if match(&rows[i]) && addressed(&rows[i].Mail, addr) {
			return true
		}
	}
	return false
}

func addressed(m *flow.Mail, addr string) bool {
	for _, l := range [][]flow.Recipient{m.To, m.Cc} {
		for _, r := range l {
			if strings.EqualFold(r.Email, addr) {
				return true
			}
		}
	}
	return false
}

// authFails says why p's sender is not proven, or "" when the policy is
// met: exactly one From address, and the configured check aligned with it.
func (in *Intake) authFails(p *reply.Parsed) string {
	if p.FromCount != 1 {
		return fmt.Sprintf("the message has %d From addresses; exactly one is trusted", p.FromCount)
	}
	switch in.Config.Replies.RequireAuth {
	case "dkim":
		if !p.Auth.DKIMAligned {
			return "no passing DKIM signature for the From domain in Authentication-Results of " + in.Config.Replies.AuthServID
		}
	case "dmarc":
		if !p.Auth.DMARCAligned {
			return "DMARC did not pass for the From domain at " + in.Config.Replies.AuthServID
		}
	}
	return ""
}

// authenticated: the policy proves the sender (not merely "none").
func (in *Intake) authenticated(p *reply.Parsed) bool {
	return in.Config.Replies.RequireAuth != "none" && in.authFails(p) == ""
}

// acceptUntokened: a command without a token counts only when the office
// chose so and the sender is authenticated.
func (in *Intake) acceptUntokened(p *reply.Parsed) bool {
	return in.Config.Replies.AcceptUntokened && in.authenticated(p)
}

// clip bounds the read text quoted back in a notice.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + " …"
	}
	return s
}

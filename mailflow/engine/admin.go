package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// AdminMail queues a mail that belongs to no run (an alert to the admin
// about the mailbox itself) in one transaction, to be sent by the outbox
// worker like any other mail: persisted first, retried, the same
// Message-ID on every try. A mail without a Message-ID gets one. It
// returns the Message-ID.
func (e *Engine) AdminMail(ctx context.Context, m flow.Mail) (string, error) {
	if m.Template == "" || len(m.To) == 0 {
		return "", errors.New("admin mail: a template and a recipient are required")
	}
	now := e.Now()
	if m.MessageID == "" {
		m.MessageID = adminMessageID(now, e.domain())
	}
	err := e.Store.Update(ctx, func(tx *store.Tx) error {
		return tx.Enqueue("", 0, &m, now, e.sendAt(&m, now, now))
	})
	if err != nil {
		return "", fmt.Errorf("queue %s to %s: %w", m.Template, m.To[0].Email, err)
	}
	if e.Notify != nil {
		e.Notify()
	}
	return m.MessageID, nil
}

// adminMessageID is "mf-admin.<time>.<random>@<domain>": unique, and
// unlike a run's Message-IDs it carries no token, so that a reply to it is
// never taken for a reply to a run.
func adminMessageID(now time.Time, domain string) string {
	var b [6]byte
	rand.Read(b[:])
	return fmt.Sprintf("mf-admin.%s.%s@%s", now.UTC().Format("20060102T150405"), hex.EncodeToString(b[:]), domain)
}

func (e *Engine) domain() string {
	if o := e.Env.Office; o != nil {
		if o.Domain != "" {
			return o.Domain
		}
		if i := strings.LastIndexByte(o.Mailbox, '@'); i >= 0 {
			return o.Mailbox[i+1:]
		}
	}
	return "mailflow.localhost"
}

// adminMailFailed records a bounce of a mail of no run: no flow is there
// to tell, and telling the admin about their own alert would loop. The
// mail is marked failed (mailflow status shows it), the bounce processed,
// and an ERROR line is the last word.
// The caller checked that in was not processed before.
func (e *Engine) adminMailFailed(tx *store.Tx, ev flow.Event, in *store.Inbound, now time.Time) (*Result, error) {
	found, err := tx.MailFailedByID(ev.FailedID, ev.Reason)
	if err != nil {
		return nil, err
	}
	e.Log.Error("ALERT: a mail to the admin could not be delivered; nobody else is told", "message_id", ev.FailedID,
		"to", ev.Recipient, "reason", ev.Reason, "known", found, "hint", "check office.admin in the config")
	if in != nil {
		if in.Result == "" {
			in.Result = "applied"
		}
		in.RunID, in.At = "", now
		if err := tx.MarkInbound(*in); err != nil {
			return nil, err
		}
	}
	return &Result{Event: ev.Type}, nil
}

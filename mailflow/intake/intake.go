// Package intake decides what a message in the office mailbox means for the
// runs: it is the mailin.Handler that joins the IMAP side (mailin), the
// understanding of a message (reply) and the engine. It correlates a
// message to a run, checks that its sender may act, recognises the
// disposition that starts a run, and applies the result in one transaction
// together with the "message processed" marker.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/reply"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// Intake is the handler of the office mailbox.
type Intake struct {
	Engine *engine.Engine
	Config *config.Config
	Blobs  *blob.Store
	Log    *slog.Logger
}

// Results recorded for processed messages (store.Inbound.Result).
const (
	ResApplied      = "applied"
	ResStarted      = "started run"
	ResOurs         = "ignored: our own mail"
	ResAutoReply    = "ignored: auto-reply"
	ResBounce       = "bounce recorded"
	ResUnknown      = "refused: sender is not in the config"
	ResAuth         = "refused: authentication policy not met"
	ResNoRun        = "ignored: run not found"
	ResAttached     = "disposition for a run already started"
	ResNotTrigger   = "ignored: not a trigger"
	ResCalendarNoop = "calendar reply for no run"
	ResNoToken      = "not applied: no token of a mail sent to the sender"
	ResSpoofed      = "refused: authentication policy not met for a disposition"
)

var _ mailin.Handler = (*Intake)(nil)

func (in *Intake) office() *sop.Office { return &in.Config.Office }

// Wanted decides from the header fields alone whether the whole message is
// fetched: it points at one of our runs, or it may be a disposition.
func (in *Intake) Wanted(ctx context.Context, h mailin.Header) (bool, error) {
	if h.Get(token.Header) != "" || strings.EqualFold(h.From, in.office().Mailbox) {
		return false, nil // our own mail: never loop
	}
	ct := strings.ToLower(h.ContentType)
	if strings.HasPrefix(ct, "multipart/report") {
		return true, nil // a bounce names our Message-ID inside
	}
	refs := headerRefs(h)
	for _, r := range refs {
		var found bool
		err := in.Engine.Store.View(ctx, func(tx *store.Tx) error {
			_, err := tx.RunByToken(r.Token)
			found = err == nil
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		})
		if err != nil {
			return false, err
		}
		if found {
			return true, nil
		}
	}
	_, known := in.office().Person(h.From)
	for _, d := range in.office().SOPs {
		if known && containsFold(h.Subject, d.Tag) {
			return true, nil // a reply whose headers were lost; the body's ref line may tell
		}
		if in.triggerSender(&d, h.From, in.Engine.Now()) && subjectMatches(&d, h.Subject, "") != matchNo {
			return true, nil
		}
	}
	return false, nil
}

func headerRefs(h mailin.Header) []token.Ref {
	var out []token.Ref
	for _, id := range append([]string{h.InReplyTo}, h.References...) {
		if r, ok := token.FromMessageID(id); ok {
			out = append(out, r)
		}
	}
	if r, ok := token.FromText(h.Subject); ok {
		out = append(out, r)
	}
	for _, a := range h.To {
		if r, ok := token.FromAddress(a); ok {
			out = append(out, r)
		}
	}
	return out
}

func containsFold(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// Process applies one message. Whatever it decides, the decision and the
// message's marker commit together.
func (in *Intake) Process(ctx context.Context, m *mailin.Message) error {
	now := in.Engine.Now()
	opts := ParseOptions(in.Config, now)
	opts.Blobs = in.Blobs
	arch, err := in.archive(m)
	if err != nil {
		return err
	}
	p, err := reply.Parse(arch.body(), opts)
	if err != nil {
		if p == nil {
			arch.abort()
			err = fmt.Errorf("parse uid %d: %w", m.UID, err)
			if errors.Is(err, reply.ErrMalformed) {
				// No retry will read it better: set it aside, go on.
				return mailin.Permanent(err)
			}
			return err // the store or the disk: worth another try
		}
		in.Log.Warn("message parsed with errors; using what was read", "uid", m.UID, "err", err)
	}
	mark := m.Inbound()
	if mark.MessageID == "" {
		mark.MessageID = p.MessageID
	}
	if mark.Archive, err = arch.finish(p); err != nil {
		return err
	}
	return in.apply(ctx, p, mark, now)
}

// apply is Process after parsing; tests call it with a parsed message.
func (in *Intake) apply(ctx context.Context, p *reply.Parsed, mark store.Inbound, now time.Time) error {
	record := func(result, runID string) error {
		in.Log.Info("message handled", "uid", mark.UID, "message_id", mark.MessageID, "from", p.From, "result", result, "run", runID)
		return in.markOnly(ctx, mark, result, runID, now)
	}
	switch {
	case p.Ours:
		return record(ResOurs, "")
	case p.Kind == reply.KindAutoReply:
		return record(ResAutoReply+" ("+p.AutoReason+")", "")
	case p.Kind == reply.KindBounce:
		return in.bounce(ctx, p, mark, now, record)
	case p.Kind == reply.KindCalendarReply:
		return in.calendar(ctx, p, mark, now, record)
	}
	c, err := in.correlate(ctx, p)
	if err != nil {
		return err
	}
	if c.run == nil {
		if p.Command == reply.CmdNone || !in.known(p.From) {
			return in.trigger(ctx, p, mark, now, record)
		}
		// A command in a new mail (no token of ours): the only open run
		// of the SOP its subject names, if any, hears of it.
		run, err := in.onlyRun(ctx, p)
		if err != nil {
			return err
		}
		if run == nil {
			return in.trigger(ctx, p, mark, now, record)
		}
		c.run = run
	}
	run, step := c.run, c.ref.Step
	person, ok := in.office().Person(p.From)
	if !ok {
		// Never answer an unverified From: no backscatter. The evidence stays.
		in.Log.Warn("reply from an address not in the config; not applied", "from", p.From, "run", run.ID, "message_id", p.MessageID)
		return in.refuse(ctx, p, mark, run.ID, step, now, ResUnknown+" ("+p.From+")", "address not in the config", record)
	}
	if why := in.authFails(p); why != "" {
		in.Log.Warn("reply refused by the authentication policy", "from", p.From, "why", why, "message_id", p.MessageID)
		return in.refuse(ctx, p, mark, run.ID, step, now, ResAuth+" ("+why+")", why, record)
	}
	if p.Command == reply.CmdNone && p.Send != reply.CmdNone && in.atMeetingStep(run, step) {
		// KIRIM, read by the parser with an approval's checks.
		p.Command, p.Notes = p.Send, p.SendNotes
	}
	ev := flow.Event{Type: flow.EvReply, At: now, RunID: run.ID, From: person.Email, Step: step, Round: c.ref.Round,
		Command: flow.Command(p.Command), Notes: p.Notes, MessageID: p.MessageID, Attachments: attachments(p), SentAt: p.Date}
	if !c.sentTo && p.Command == reply.CmdNone && p.PartStat == "" {
		// Neither a command nor an answer, in a thread not addressed to
		// this person (a Cc, a forward): nothing to apply, nobody to tell.
		return record(ResNoToken+" (no command)", run.ID)
	}
	if !c.sentTo && !query(p.Command) && !in.acceptUntokened(p) {
		// No token of a mail sent to this person: ask for a reply to the
		// assignment itself. Nothing is applied.
		in.Log.Info("command without a token of a mail sent to its sender; not applied", "from", p.From, "run", run.ID, "message_id", p.MessageID)
		ev = flow.Event{Type: flow.EvNoToken, At: now, RunID: run.ID, From: person.Email, MessageID: p.MessageID}
		mark.Result = ResNoToken
		return in.handle(ctx, ev, mark)
	}
	if p.Command == reply.CmdNone && p.PartStat != "" {
		// "Hadir", "Diwakilkan oleh …": a plain-text answer to the invitation.
		ev = flow.Event{Type: flow.EvCalendarReply, At: now, RunID: run.ID, From: person.Email, PartStat: p.PartStat,
			Delegate: p.Delegate, TextRSVP: true, Step: step, Round: c.ref.Round, MessageID: p.MessageID, SentAt: p.Date}
		mark.Result = ResApplied
		return in.handle(ctx, ev, mark)
	}
	if truncated(p) && p.Command != reply.CmdNone && !query(p.Command) {
		// Not all of it was read: never act on part of a message.
		ev.Command, ev.Attachments = flow.CmdUnclear, nil
	}
	if ev.Command == flow.CmdUnclear {
		// What was read goes back to the official in the notice.
		ev.Notes = clip(p.Text, 300)
	}
	if p.Meeting != nil {
		ev.Meeting = &flow.MeetingInput{Start: p.Meeting.Start, HasTime: p.Meeting.HasTime, Place: p.Meeting.Place}
	}
	for _, r := range p.Rejected {
		ev.Rejected = append(ev.Rejected, in.rejectedText(r))
	}
	mark.Result = ResApplied
	return in.handle(ctx, ev, mark)
}

// query: a command that changes nothing and answers the person's own
// configured address (STATUS, BANTUAN) needs no token.
func query(c reply.Command) bool { return c == reply.CmdStatus || c == reply.CmdHelp }

// ParseOptions are the reply.Options the daemon reads a message with
// under cfg (without a blob store); mailflow parse -config uses them too.
func ParseOptions(cfg *config.Config, now time.Time) reply.Options {
	opts := reply.Options{MaxAttachment: cfg.Replies.MaxAttachment, AllowedTypes: cfg.Replies.AllowedTypes,
		Now: now, Loc: cfg.Calendar.Loc, TrustedAuthServID: cfg.Replies.AuthServID}
	for _, d := range cfg.Office.SOPs {
		if d.Tag != "" {
			opts.Tags = append(opts.Tags, d.Tag)
		}
	}
	return opts
}

// handle applies ev and records its attachments in one transaction.
func (in *Intake) handle(ctx context.Context, ev flow.Event, mark store.Inbound) error {
	var res *engine.Result
	err := in.Engine.Store.Update(ctx, func(tx *store.Tx) error {
		var err error
		if res, err = in.Engine.HandleTx(tx, ev, &mark); err != nil {
			return err
		}
		for _, a := range ev.Attachments {
			if err := tx.AttachmentMeta(res.Run.ID, ev.MessageID, a, ev.At); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	in.Engine.Committed(res)
	return nil
}

func attachments(p *reply.Parsed) []flow.Attachment {
	var out []flow.Attachment
	for _, a := range p.Attachments {
		out = append(out, flow.Attachment{Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256})
	}
	return out
}

// refuse records an untrusted reply with its evidence and has the flow tell
// the real assignee; the unverified sender gets nothing.
func (in *Intake) refuse(ctx context.Context, p *reply.Parsed, mark store.Inbound, runID string, step int, now time.Time, result, reason string, record recorder) error {
	if p.Kind == reply.KindForward || p.Kind == reply.KindOther && p.Command == "" {
		return record(result, runID) // nothing an assignee needs to hear about
	}
	ev := flow.Event{Type: flow.EvRefused, At: now, RunID: runID, From: p.From, Step: step, Reason: reason, MessageID: p.MessageID}
	mark.Result = result
	return in.handle(ctx, ev, mark)
}

// markOnly records a message as processed with no event: what was decided
// (result) is its evidence. A message seen before is store.ErrDuplicate.
func (in *Intake) markOnly(ctx context.Context, mark store.Inbound, result, runID string, now time.Time) error {
	mark.Result, mark.RunID, mark.At = result, runID, now
	return in.Engine.Store.Update(ctx, func(tx *store.Tx) error {
		if seen, err := tx.SeenInbound(mark); err != nil {
			return err
		} else if seen {
			return store.ErrDuplicate
		}
		return tx.MarkInbound(mark)
	})
}

// rejectedText says in Bahasa Indonesia why an attachment was refused; the
// official reads it in the notice. reply gives its reasons in English for
// the log; each kind has its sentence here.
func (in *Intake) rejectedText(r reply.RejectedAttachment) string {
	name := r.Filename
	if name == "" {
		name = "(tanpa nama)"
	}
	limit := in.Config.Replies.MaxAttachment
	switch why := r.Reason; {
	case r.Filename == "" && strings.Contains(why, "parts"):
		return "sebagian isi surel tidak dibaca: " + partsText(why)
	case limit > 0 && r.Size > limit || strings.HasPrefix(why, "larger than"):
		return fmt.Sprintf("%s (lebih dari batas %d MB)", name, limit>>20)
	case strings.Contains(why, "does not decode"):
		return name + " (berkas rusak: isinya tidak dapat dibaca; mohon kirim ulang)"
	case strings.HasPrefix(why, "refused: "):
		return name + " (berkas program atau skrip tidak diterima demi keamanan)"
	case strings.Contains(why, "but the content is"):
		return name + " (isi berkas tidak sesuai dengan jenisnya dan tidak diterima)"
	}
	return fmt.Sprintf("%s (jenis berkas %s tidak diterima)", name, r.ContentType)
}

// partsText renders reply's "N parts over the limit of M were not read".
func partsText(why string) string {
	var n, m int
	if _, err := fmt.Sscanf(why, "%d parts over the limit of %d", &n, &m); err == nil {
		return fmt.Sprintf("%d bagian melebihi batas %d bagian", n, m)
	}
	if _, err := fmt.Sscanf(why, "%d parts nested deeper than %d", &n, &m); err == nil {
		return fmt.Sprintf("%d bagian bersarang lebih dari %d tingkat", n, m)
	}
	return "terlalu banyak bagian"
}

// truncated: parts of the message were not read (over the limits). What
// it asks is then not known for sure, and nothing is applied.
func truncated(p *reply.Parsed) bool {
	for _, r := range p.Rejected {
		if r.Filename == "" && strings.Contains(r.Reason, "parts") {
			return true
		}
	}
	return false
}

// onlyRun correlates a new mail (not a reply: no ref survived) from a known
// official that carries a command and names an SOP's tag in its subject, to
// the one active run of that SOP. With several active runs it stays
// uncorrelated rather than guess.
func (in *Intake) onlyRun(ctx context.Context, p *reply.Parsed) (*flow.Run, error) {
	if p.Command == reply.CmdNone || !in.known(p.From) {
		return nil, nil
	}
	var run *flow.Run
	err := in.Engine.Store.View(ctx, func(tx *store.Tx) error {
		runs, err := tx.Runs(flow.RunActive)
		if err != nil {
			return err
		}
		var match []store.RunInfo
		for _, r := range runs {
			if d, ok := in.office().SOP(r.SOP); ok && containsFold(p.Subject, d.Tag) {
				match = append(match, r)
			}
		}
		if len(match) == 1 {
			run, err = tx.LoadRun(match[0].ID)
		}
		return err
	})
	return run, err
}

package mailin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// session is one connection's view of the mailbox.
type session struct {
	w    *Watcher
	c    *imapclient.Client
	conn *liveConn
	poke chan struct{} // EXISTS seen

	uidValidity uint32
	last        uint32 // the cursor, as stored
	canKeyword  bool
	// canQuarantine: the server stores QuarantineKeyword.
	canQuarantine bool
	canMove       bool
	moveReady     bool // MoveTo exists
	moveRefused   bool // the server would not create MoveTo
	idle          bool
	broken        bool // the connection is being given up
	// selected is what SELECT said, until the first sync has used it.
	selected *imap.SelectData
}

// session connects, catches up and then waits for mail until an error or
// the end of ctx.
func (w *Watcher) session(ctx context.Context, onConnected func()) error {
	s := &session{w: w, poke: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(ctx) // ends the guard with the session
	defer cancel()
	c, conn, err := w.connect(ctx, s.poke)
	if err != nil {
		return err
	}
	s.c, s.conn = c, conn
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	if err := s.selectMailbox(ctx); err != nil {
		return err
	}
	onConnected()
	w.state(State{Up: true, Idle: s.idle})
	for {
		if err := s.sync(ctx); err != nil {
			return err
		}
		if err := s.wait(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

func (s *session) selectMailbox(ctx context.Context) error {
	w := s.w
	// SELECT, not EXAMINE: marking needs a read-write mailbox. Nothing is
	// written before a message was processed.
	sel, err := s.c.Select(w.mailbox, nil).Wait()
	if err != nil {
		return fmt.Errorf("select %s: %w", w.mailbox, err)
	}
	var validity, last uint32
	err = w.opt.Store.View(ctx, func(tx *store.Tx) error {
		validity, last, err = tx.Cursor(w.mailbox)
		return err
	})
	if err != nil {
		return err
	}
	if validity != 0 && validity != sel.UIDValidity {
		// RFC 3501 §2.3.1.1: every UID is void. Read the mailbox again;
		// the store recognises processed mail by Message-ID.
		w.log.Warn("uidvalidity changed, resyncing the whole mailbox", "old", validity, "new", sel.UIDValidity)
		last = 0
	}
	if validity == sel.UIDValidity && sel.UIDNext > 0 && last >= uint32(sel.UIDNext) {
		// The cursor is past every UID the server ever gave: it numbered
		// its messages afresh without changing UIDVALIDITY (an in-memory
		// server restarted), breaking RFC 3501 §2.3.1.1. Scan from the
		// start; the places recorded under this UIDVALIDITY now name
		// other messages, so the store forgets them and recognises
		// processed mail by Message-ID alone.
		w.log.Warn("cursor is ahead of the server's UIDNEXT: the server renumbered its messages; resyncing the whole mailbox",
			"uidvalidity", validity, "cursor", last, "uidnext", sel.UIDNext)
		err := w.opt.Store.Update(ctx, func(tx *store.Tx) error {
			if err := tx.ForgetPlaces(w.mailbox, validity, w.opt.Now()); err != nil {
				return err
			}
			return tx.SetCursor(w.mailbox, validity, 0)
		})
		if err != nil {
			return err
		}
		last = 0
	}
	s.uidValidity, s.last = sel.UIDValidity, last
	s.selected = sel
	caps := s.c.Caps()
	s.idle = caps.Has(imap.CapIdle)
	s.canMove = caps.Has(imap.CapMove) || caps.Has(imap.CapUIDPlus)
	kw := w.opt.IMAP.Keyword
	s.canKeyword = kw != "" && (hasFlag(sel.PermanentFlags, imap.FlagWildcard) || hasFlag(sel.PermanentFlags, imap.Flag(kw)))
	if kw != "" && !s.canKeyword {
		w.log.Info("server does not allow the keyword; processed mail stays unmarked", "keyword", kw, "permanentflags", fmt.Sprint(sel.PermanentFlags))
	}
	s.canQuarantine = hasFlag(sel.PermanentFlags, imap.FlagWildcard) || hasFlag(sel.PermanentFlags, QuarantineKeyword)
	if !s.canQuarantine {
		w.log.Info("server does not allow the quarantine keyword; quarantined mail is recorded in the store only", "keyword", QuarantineKeyword)
	}
	if w.opt.IMAP.MoveTo != "" && !s.canMove {
		// COPY + EXPUNGE without UIDPLUS would expunge every message a
		// human marked \Deleted.
		w.log.Warn("server offers neither MOVE nor UIDPLUS; processed mail is not moved", "move_to", w.opt.IMAP.MoveTo)
	}
	w.log.Debug("selected", "uidvalidity", sel.UIDValidity, "messages", sel.NumMessages, "cursor", last, "idle", s.idle)
	return nil
}

// wait returns when there may be new mail: an EXISTS during IDLE, the
// watchdog, or the poll interval.
func (s *session) wait(ctx context.Context) error {
	select {
	case <-s.poke: // mail arrived while we synced
		return nil
	default:
	}
	w := s.w
	if !s.idle {
		t := time.NewTimer(w.opt.IMAP.PollInterval)
		defer t.Stop()
		s.conn.busy(false)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.c.Closed():
			return errors.New("connection closed")
		case <-t.C:
		}
		s.conn.busy(true)
		// A NOOP lets an IMAP4rev1 server announce new mail (RFC 3501
		// §6.1.2) before we search; it is also the watchdog.
		if err := s.c.Noop().Wait(); err != nil {
			return fmt.Errorf("noop: %w", err)
		}
		return nil
	}
	idle, err := s.c.Idle()
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	s.conn.busy(false)
	t := time.NewTimer(w.opt.Watchdog)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-s.c.Closed():
	case <-s.poke:
	case <-t.C:
		w.log.Debug("watchdog: restarting idle")
		w.state(State{Up: true, Idle: true, IdleRestart: true})
	}
	// Ending IDLE is the watchdog's round trip: a connection that died
	// silently does not answer DONE (the guard then closes it), and the
	// search that follows finds any mail whose EXISTS was lost.
	s.conn.busy(true)
	if err := idle.Close(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return nil
}

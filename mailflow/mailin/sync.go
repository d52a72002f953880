package mailin

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// sync handles every message above the cursor: pass 1 (headers) for all,
// pass 2 (the body, streamed to the Handler) for the wanted ones. The
// cursor moves past a chunk only after every wanted message in it was
// committed and marked, so a crash or a broken connection makes us look at
// the rest again; the store keeps that second look from applying anything
// twice.
func (s *session) sync(ctx context.Context) error {
	w := s.w
	start := w.opt.Now()
	rep := SyncReport{UIDValidity: s.uidValidity}
	chunks, err := s.chunks()
	if err != nil {
		return err
	}
	if len(chunks) > 0 {
		if err := s.prepareMove(); err != nil {
			return err
		}
	}
	if err := s.pipeline(ctx, chunks, &rep); err != nil {
		return err
	}
	w.unrecorded = 0
	if err := s.saveCursor(ctx, s.last); err != nil { // a new UIDVALIDITY, even for an empty mailbox
		return err
	}
	rep.LastUID, rep.Took = s.last, w.opt.Now().Sub(start)
	if rep.Headers > 0 {
		w.log.Debug("synced", "headers", rep.Headers, "wanted", rep.Wanted, "bodies", rep.Bodies, "quarantined", rep.Quarantined, "last_uid", rep.LastUID, "took", rep.Took)
	}
	if w.opt.OnSynced != nil {
		w.opt.OnSynced(rep)
	}
	return nil
}

// span is a chunk of the UIDs above the cursor: set holds no UID below lo
// or above hi.
type span struct {
	set    imap.UIDSet
	lo, hi imap.UID
}

// chunks splits the UIDs above the cursor into spans of at most ChunkSize
// messages.
func (s *session) chunks() ([]span, error) {
	n := imap.UID(s.w.opt.ChunkSize)
	var out []span
	if sel := s.selected; sel != nil {
		s.selected = nil
		// Right after SELECT, every message above the cursor has a UID
		// below UIDNEXT, and any message delivered later a higher one: when
		// UIDs are dense enough, ranges need no SEARCH (which costs some
		// servers a look at every message).
		next, last := sel.UIDNext, imap.UID(s.last)
		if next > last+1 && uint64(next-1-last) <= 2*uint64(sel.NumMessages) {
			for lo := last + 1; lo < next; lo += n {
				hi := min(lo+n-1, next-1)
				out = append(out, span{set: imap.UIDSet{{Start: lo, Stop: hi}}, lo: lo, hi: hi})
			}
			return out, nil
		}
	}
	uids, err := s.newUIDs()
	for len(uids) > 0 {
		k := min(len(uids), int(n))
		out = append(out, span{set: imap.UIDSetNum(uids[:k]...), lo: uids[0], hi: uids[k-1]})
		uids = uids[k:]
	}
	return out, err
}

// newUIDs lists the UIDs above the cursor, ascending.
func (s *session) newUIDs() ([]imap.UID, error) {
	// RFC 3501 §6.4.8: "n:*" always includes the highest UID, even when it
	// is below n, so the result is filtered below.
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{{{Start: imap.UID(s.last + 1), Stop: 0}}}}
	var opt *imap.SearchOptions
	if caps := s.c.Caps(); caps.Has(imap.CapESearch) || caps.Has(imap.CapIMAP4rev2) {
		// RFC 4731: the answer comes as ranges ("1:20000"), not one
		// number per message.
		opt = &imap.SearchOptions{ReturnAll: true}
	}
	data, err := s.c.UIDSearch(crit, opt).Wait()
	if err != nil {
		return nil, fmt.Errorf("search new mail: %w", err)
	}
	uids := slices.DeleteFunc(data.AllUIDs(), func(u imap.UID) bool { return uint32(u) <= s.last })
	slices.Sort(uids)
	return slices.Compact(uids), nil
}

// batch is one chunk of UIDs on its way through both passes.
type batch struct {
	span
	wanted []Header // ascending UID
	// fetch holds the wanted messages not processed before, by UID; order
	// lists them ascending, as pass 2 asks for them.
	fetch map[uint32]Header
	order []imap.UID
	// left are wanted messages pass 2 did not settle: their body did not
	// come, or an earlier message in the batch has the same Message-ID.
	left     []Header
	deferred map[uint32]bool // in left for its Message-ID
	// done are the committed (or known) messages, to be marked.
	done    []mark
	marking chan markResult // the pipelined STORE and MOVE, once sent
	// quarantined are given up (now or before): settled, marked with
	// QuarantineKeyword. attempts counts earlier failures, by UID.
	quarantined []Header
	attempts    map[uint32]int
}

type mark struct {
	h Header
	p Processed
}

// pipeline runs the chunks through both passes on one connection, keeping
// the server busy while the Handler works. Hn is chunk n's pass 1, Bn its
// wanted bodies (one UID FETCH, each literal read off the socket and then
// handed to the Handler, or streamed to it if large: see bodies), Sn the
// STORE (and MOVE) of what Bn committed:
//
//	H1 | B1 H2 | S1 B2 H3 | S2 B3 H4 | ...
//
// Bn and Hn+1 are sent together once Hn was read, so the server prepares
// and imapclient reads the next headers while the Handler commits; Sn is
// sent once Bn's commits are done, and the cursor moves past chunk n once
// Sn is answered.
//
// imapclient's reader waits for each literal to be consumed, and servers
// may interleave the answers of pipelined commands (Dovecot sends Hn+1's
// FETCH responses before Bn's tagged OK). So this goroutine consumes one
// command at a time, and every other command in flight is drained by a
// goroutine of its own that never blocks: a header feed buffers up to a
// chunk, marking only waits. UID sets of different chunks never overlap,
// so imapclient hands each FETCH response to the right command.
func (s *session) pipeline(ctx context.Context, chunks []span, rep *SyncReport) (err error) {
	if len(chunks) == 0 {
		return nil
	}
	var prev *batch
	var bodies *imapclient.FetchCommand
	defer func() {
		if err != nil {
			s.abandon(bodies)
		}
	}()
	next := s.feed(chunks[0].set, s.w.opt.ChunkSize)
	for i, sp := range chunks {
		b := &batch{span: sp}
		if err := s.headers(ctx, next, b, rep); err != nil {
			return err
		}
		if err := s.classify(ctx, b); err != nil {
			return err
		}
		bodies = nil
		if len(b.order) > 0 {
			bodies = s.c.Fetch(imap.UIDSetNum(b.order...), pass2Options())
		}
		if next = nil; i+1 < len(chunks) {
			next = s.feed(chunks[i+1].set, s.w.opt.ChunkSize)
		}
		if err := s.bodies(ctx, bodies, b, rep); err != nil {
			return err
		}
		if prev != nil {
			if err := s.finish(ctx, prev, rep); err != nil {
				return err
			}
		}
		s.mark(b)
		prev = b
	}
	return s.finish(ctx, prev, rep)
}

// feed is a pass-1 FETCH drained on its own goroutine: each message is
// read and parsed as it arrives and queued for the Handler, in batches of
// up to feedBatch (one hand-over per message would cost as much as the
// parsing).
type feed struct {
	headers    chan []Header // closed when the command is done
	err        error         // the command's, once headers is closed
	incomplete []imap.UID    // answers without the header fields
}

const feedBatch = 64

// feed sends a pass-1 FETCH for set, which names at most n messages.
func (s *session) feed(set imap.UIDSet, n int) *feed {
	cmd := s.c.Fetch(set, pass1Options(s.w.fields))
	f := &feed{headers: make(chan []Header, n/feedBatch+1)} // never full: no blocking
	go func() {
		defer close(f.headers)
		var scratch []byte
		var batch []Header
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			h, section, err := readPass1(msg, &scratch)
			if err != nil {
				continue // the error ends the command too: see Close
			}
			if !section {
				// An unsolicited FETCH (a flag change made elsewhere)
				// taken for the answer: imapclient drops the real one.
				f.incomplete = append(f.incomplete, imap.UID(h.UID))
				continue
			}
			parseHeader(&h)
			if batch == nil {
				batch = make([]Header, 0, feedBatch)
			}
			if batch = append(batch, h); len(batch) == feedBatch {
				f.headers <- batch
				batch = nil
			}
		}
		if len(batch) > 0 {
			f.headers <- batch
		}
		f.err = cmd.Close()
	}()
	return f
}

// headers asks the Handler about each message of f as it streams in,
// keeping only the wanted headers.
func (s *session) headers(ctx context.Context, f *feed, b *batch, rep *SyncReport) error {
	w := s.w
	for attempt := 0; ; attempt++ {
		for batch := range f.headers {
			for _, h := range batch {
				if h.UID <= s.last {
					continue
				}
				rep.Headers++
				s.conn.busy(false) // the Handler's time is not the server's
				ok, err := s.callWanted(ctx, h)
				s.conn.busy(true)
				if errors.Is(err, ErrSkip) {
					w.log.Warn("handler skips message", "uid", h.UID, "message_id", h.MessageID, "err", err)
					ok, err = false, nil
				}
				if err != nil {
					if err := s.failed(ctx, b, h, fmt.Errorf("decide: %w", err)); err != nil {
						return err
					}
					continue
				}
				if ok {
					b.wanted = append(b.wanted, h)
				}
			}
		}
		if f.err != nil {
			return fmt.Errorf("fetch headers of uid %d-%d: %w", b.lo, b.hi, f.err)
		}
		if len(f.incomplete) == 0 {
			break
		}
		if attempt == 2 {
			return fmt.Errorf("fetch headers: no complete answer for uid %v", f.incomplete)
		}
		f = s.feed(imap.UIDSetNum(f.incomplete...), len(f.incomplete))
	}
	slices.SortFunc(b.wanted, func(x, y Header) int { return cmpUID(x.UID, y.UID) })
	return nil
}

func cmpUID(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// classify asks the store, in one read, which wanted messages of b were
// processed before (a restart after the commit, a new UIDVALIDITY, the same
// Message-ID delivered twice): those are never fetched again, only marked.
// A later copy of a Message-ID that b fetches anyway waits in b.left.
func (s *session) classify(ctx context.Context, b *batch) error {
	w := s.w
	if len(b.wanted) == 0 {
		return nil
	}
	seen := make([]bool, len(b.wanted))
	quarantined := make([]bool, len(b.wanted))
	b.attempts = map[uint32]int{}
	err := w.opt.Store.View(ctx, func(tx *store.Tx) error {
		failures, err := tx.AnyFailures()
		if err != nil {
			return err
		}
		for i, h := range b.wanted {
			var err error
			in := store.Inbound{Mailbox: w.mailbox, UIDValidity: s.uidValidity, UID: h.UID, MessageID: h.MessageID}
			if seen[i], err = tx.SeenInbound(in); err != nil || seen[i] {
				if err != nil {
					return err
				}
				continue
			}
			if !failures {
				continue
			}
			var n int
			if quarantined[i], n, err = tx.FailureOf(in); err != nil {
				return err
			}
			if n > 0 {
				b.attempts[h.UID] = n
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.fetch = map[uint32]Header{}
	ids := map[string]bool{}
	for i, h := range b.wanted {
		switch {
		case seen[i]:
			w.log.Debug("already processed", "uid", h.UID, "message_id", h.MessageID)
			p := Processed{UIDValidity: s.uidValidity, UID: h.UID, MessageID: h.MessageID, Duplicate: true, Committed: w.opt.Now()}
			b.done = append(b.done, mark{h, p})
		case quarantined[i]:
			// Given up before (here, or a copy with its Message-ID):
			// never fetched again.
			w.log.Debug("quarantined before", "uid", h.UID, "message_id", h.MessageID)
			b.quarantined = append(b.quarantined, h)
		case h.MessageID != "" && ids[h.MessageID]:
			if b.deferred == nil {
				b.deferred = map[uint32]bool{}
			}
			b.deferred[h.UID] = true
			b.left = append(b.left, h)
		default:
			ids[h.MessageID] = true
			b.fetch[h.UID] = h
			b.order = append(b.order, imap.UID(h.UID))
		}
	}
	return nil
}

func (s *session) saveCursor(ctx context.Context, uid uint32) error {
	w := s.w
	if uid < s.last {
		uid = s.last
	}
	err := w.opt.Store.Update(ctx, func(tx *store.Tx) error {
		storedV, storedUID, err := tx.Cursor(w.mailbox)
		if err != nil {
			return err
		}
		if storedV == s.uidValidity && storedUID == uid {
			return nil
		}
		return tx.SetCursor(w.mailbox, s.uidValidity, uid)
	})
	if err != nil {
		return fmt.Errorf("save cursor: %w", err)
	}
	s.last = uid
	return nil
}

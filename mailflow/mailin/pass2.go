package mailin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// pass2Options fetches whole messages without setting \Seen (RFC 3501
// §6.4.5: BODY.PEEK).
func pass2Options() *imap.FetchOptions {
	return &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}}
}

// Bodies up to spoolMax bytes are read off the connection before the
// Handler sees them, up to spoolTotal bytes at a time, so that imapclient's
// reader goes on to the next chunk's headers (sent right behind the
// bodies) while the Handler commits: only small messages are held in
// memory, larger ones stream as before.
const spoolMax, spoolTotal = 256 << 10, 2 << 20

// bodies hands the bodies of b.order to the Handler, in the order the
// server sends them. A small body is read whole first (see spoolMax) and
// processed once the last body came (or the command ended, or the spool
// is full); a large one goes from the socket to Process without being
// buffered here, with the next one read only after Process returned. A
// body cut off by a broken connection never reaches the Handler whole:
// spooled, it is dropped; streamed, Process sees the error. A wanted
// message whose body did not come is left in b.left.
func (s *session) bodies(ctx context.Context, cmd *imapclient.FetchCommand, b *batch, rep *SyncReport) error {
	if cmd == nil {
		return nil
	}
	got := map[uint32]bool{}
	var spool []spooled
	spooledBytes := 0
	flush := func() error {
		for i, m := range spool {
			spool[i].body = nil
			if err := s.process(ctx, b, m.h, memLiteral{bytes.NewReader(m.body)}); err != nil {
				return err
			}
		}
		spool, spooledBytes = spool[:0], 0
		return nil
	}
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		var uid uint32 // imapclient needs the UID before the literal, too
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = uint32(it.UID)
			case imapclient.FetchItemDataBodySection:
				h, ok := b.fetch[uid]
				if !ok || it.Literal == nil || got[uid] {
					continue
				}
				got[uid] = true
				rep.Bodies++
				n := it.Literal.Size()
				if n < 0 || n > spoolMax || spooledBytes+int(n) > spoolTotal {
					if err := flush(); err != nil {
						return err
					}
				}
				if n < 0 || n > spoolMax {
					if err := s.process(ctx, b, h, it.Literal); err != nil {
						return err
					}
					continue
				}
				body := make([]byte, n)
				if _, err := io.ReadFull(it.Literal, body); err != nil {
					// As in process: imapclient's reader owns the stream.
					s.broken = true
					s.c.Close()
					return fmt.Errorf("uid %d: read body: %w", h.UID, err)
				}
				spool = append(spool, spooled{h, body})
				spooledBytes += int(n)
				if len(got) == len(b.fetch) {
					// The last one: the reader may go on (Dovecot sends
					// the next chunk's headers before this tagged OK).
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
	}
	err := cmd.Close()
	if ferr := flush(); ferr != nil { // whole bodies, whatever came after
		return ferr
	}
	if err != nil {
		// What was committed stays committed; the next session marks it.
		return fmt.Errorf("fetch bodies: %w", err)
	}
	for _, u := range b.order {
		if !got[uint32(u)] {
			b.left = append(b.left, b.fetch[uint32(u)])
		}
	}
	return nil
}

// spooled is a small body read whole, waiting for the Handler.
type spooled struct {
	h    Header
	body []byte
}

// memLiteral is a spooled body as a literal.
type memLiteral struct{ *bytes.Reader }

func (l memLiteral) Size() int64 { return l.Reader.Size() }

// process hands one body to the Handler and records the outcome in b.
func (s *session) process(ctx context.Context, b *batch, h Header, lit imap.LiteralReader) error {
	w := s.w
	size := lit.Size()
	body := &bodyReader{r: lit, left: size}
	m := &Message{Mailbox: w.mailbox, UIDValidity: s.uidValidity, UID: h.UID, Header: h, Body: body, Size: size}
	// imapclient bounds literal reads (5 min) itself.
	s.conn.busy(false)
	perr := s.callProcess(ctx, m)
	s.conn.busy(true)
	p := Processed{UIDValidity: s.uidValidity, UID: h.UID, MessageID: h.MessageID, Committed: w.opt.Now()}
	if body.err != nil {
		// The connection broke mid-literal. imapclient's reader goroutine
		// owns the stream again: touching the command (Next, Close) would
		// read it concurrently. Abandon it.
		s.broken = true
		s.c.Close()
		if perr != nil && !errors.Is(perr, store.ErrDuplicate) {
			return fmt.Errorf("uid %d: process: %w", h.UID, errors.Join(perr, body.err))
		}
		return fmt.Errorf("uid %d: read body: %w", h.UID, body.err)
	}
	switch {
	case errors.Is(perr, store.ErrDuplicate):
		p.Duplicate = true
	case errors.Is(perr, ErrSkip):
		w.log.Warn("handler skips message", "uid", h.UID, "message_id", h.MessageID, "err", perr)
		return nil
	case perr != nil:
		// Quarantined (nil: go on with the next message), or a retry:
		// the session ends (the caller abandons the commands in flight)
		// and the cursor stays before this chunk, so the next session
		// looks again; the store recognises what was committed.
		return s.failed(ctx, b, h, fmt.Errorf("process: %w", perr))
	case b.attempts[h.UID] > 0:
		err := w.opt.Store.Update(ctx, func(tx *store.Tx) error { return tx.ClearFailure(w.mailbox, s.uidValidity, h.UID) })
		if err != nil {
			w.log.Warn("cannot clear the failed attempts of a processed message", "uid", h.UID, "err", err)
		}
	}
	b.done = append(b.done, mark{h, p})
	return nil
}

type markResult struct{ store, move, quarantine error }

// mark sends the STORE of the keyword and the MOVE for everything b
// committed, without waiting: finish collects the answers. The STORE
// precedes the MOVE so that the keyword travels with the message.
func (s *session) mark(b *batch) {
	w := s.w
	kw := imap.Flag(w.opt.IMAP.Keyword)
	var unmarked, all []imap.UID
	for _, m := range b.done {
		all = append(all, imap.UID(m.h.UID))
		if s.canKeyword && !hasFlag(m.h.Flags, kw) {
			unmarked = append(unmarked, imap.UID(m.h.UID))
		}
	}
	var qs []imap.UID
	for _, h := range b.quarantined {
		if s.canQuarantine && !hasFlag(h.Flags, QuarantineKeyword) {
			qs = append(qs, imap.UID(h.UID))
		}
	}
	var st, qst *imapclient.FetchCommand
	var mv *imapclient.MoveCommand
	if len(unmarked) > 0 {
		st = s.c.Store(imap.UIDSetNum(unmarked...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{kw}}, nil)
	}
	if len(qs) > 0 {
		qst = s.c.Store(imap.UIDSetNum(qs...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{QuarantineKeyword}}, nil)
	}
	if len(all) > 0 && s.moveReady {
		mv = s.c.Move(imap.UIDSetNum(all...), w.opt.IMAP.MoveTo)
	}
	if st == nil && mv == nil && qst == nil {
		return
	}
	ch := make(chan markResult, 1)
	b.marking = ch
	// Drained on a goroutine: a FETCH answer routed to the STORE must not
	// stall imapclient's reader while we read the next chunk's headers.
	go func() {
		var r markResult
		if st != nil {
			r.store = st.Close()
		}
		if qst != nil {
			r.quarantine = qst.Close()
		}
		if mv != nil {
			_, r.move = mv.Wait()
		}
		ch <- r
	}()
}

// finish waits for b's marking, settles what b left, reports every wanted
// message and moves the cursor past b.
func (s *session) finish(ctx context.Context, b *batch, rep *SyncReport) error {
	if err := s.marked(b); err != nil {
		return err
	}
	if len(b.left) > 0 {
		if err := s.retry(ctx, b, rep); err != nil {
			return err
		}
	}
	rep.Wanted += len(b.wanted)
	rep.Quarantined += len(b.quarantined)
	if f := s.w.opt.OnProcessed; f != nil {
		slices.SortFunc(b.done, func(x, y mark) int { return cmpUID(x.h.UID, y.h.UID) })
		for _, m := range b.done {
			f(m.p)
		}
	}
	return s.saveCursor(ctx, uint32(b.hi))
}

// marked waits for b's STORE and MOVE and fills in b.done.
func (s *session) marked(b *batch) error {
	w := s.w
	var r markResult
	if b.marking != nil {
		r = <-b.marking
		b.marking = nil
	}
	// The server's NO or BAD would not change by retrying: log it.
	if err := refused(r.store); err != nil {
		return fmt.Errorf("mark with %s: %w", w.opt.IMAP.Keyword, err)
	}
	if err := refused(r.move); err != nil {
		return fmt.Errorf("move to %s: %w", w.opt.IMAP.MoveTo, err)
	}
	if err := refused(r.quarantine); err != nil {
		return fmt.Errorf("mark with %s: %w", QuarantineKeyword, err)
	}
	if r.quarantine != nil {
		w.log.Warn("server refused the quarantine keyword", "uids", len(b.quarantined), "err", r.quarantine)
	}
	if r.store != nil {
		w.log.Warn("server refused the keyword", "uids", len(b.done), "err", r.store)
	}
	if r.move != nil {
		w.log.Warn("cannot move processed messages", "uids", len(b.done), "to", w.opt.IMAP.MoveTo, "err", r.move)
	}
	kw := imap.Flag(w.opt.IMAP.Keyword)
	for i := range b.done {
		m := &b.done[i]
		m.p.Marked = s.canKeyword && (r.store == nil || hasFlag(m.h.Flags, kw))
		m.p.Moved = s.moveReady && r.move == nil
	}
	return nil
}

// retry settles the wanted messages b's pass 2 left, with nothing else in
// flight: a later copy of a Message-ID (the store knows it by now, or it
// is fetched), or a body that did not come. A message whose body does not
// come twice is gone (a human moved it away): nothing more to do.
func (s *session) retry(ctx context.Context, b *batch, rep *SyncReport) error {
	missed := map[uint32]bool{}
	for _, h := range b.left {
		missed[h.UID] = !b.deferred[h.UID]
	}
	for left := b.left; len(left) > 0; {
		r := &batch{wanted: left}
		if err := s.classify(ctx, r); err != nil {
			return err
		}
		if len(r.order) > 0 {
			cmd := s.c.Fetch(imap.UIDSetNum(r.order...), pass2Options())
			if err := s.bodies(ctx, cmd, r, rep); err != nil {
				s.abandon(cmd)
				return err
			}
		}
		s.mark(r)
		if err := s.marked(r); err != nil {
			return err
		}
		b.done = append(b.done, r.done...)
		left = nil
		for _, h := range r.left {
			switch {
			case r.deferred[h.UID]:
			case missed[h.UID]:
				s.w.log.Info("message gone before its body was fetched", "uid", h.UID, "message_id", h.MessageID)
				continue
			default:
				missed[h.UID] = true
			}
			left = append(left, h)
		}
	}
	b.left = nil
	return nil
}

// abandon gives up the connection after an error while FETCH answers may
// still stream in. imapclient's reader waits for each literal to be read
// before it goes on, even to close, so the commands are drained, oldest
// first; the socket is closed before, so that draining ends at once. After
// a broken literal the reader owns the stream and nothing is drained.
func (s *session) abandon(cmds ...*imapclient.FetchCommand) {
	if s.broken {
		return
	}
	s.broken = true
	s.conn.Conn.Close()
	for _, c := range cmds {
		if c != nil {
			c.Close()
		}
	}
}

// refused returns err unless it is the server's NO or BAD, which retrying
// the connection would not change.
func refused(err error) error {
	var ie *imap.Error
	if err == nil || errors.As(err, &ie) {
		return nil
	}
	return err
}

// prepareMove makes sure the folder for processed mail exists before the
// pipeline starts (its answer would otherwise queue behind the FETCHes).
// A refusal leaves processed mail where it is.
func (s *session) prepareMove() error {
	to := s.w.opt.IMAP.MoveTo
	if to == "" || !s.canMove || s.moveReady || s.moveRefused {
		return nil
	}
	err := s.ensureFolder(to)
	if err := refused(err); err != nil {
		return fmt.Errorf("move to %s: %w", to, err)
	}
	if err != nil {
		s.moveRefused = true
		s.w.log.Warn("cannot create the folder for processed mail; not moving", "to", to, "err", err)
	}
	return nil
}

func (s *session) ensureFolder(name string) error {
	l, err := s.c.List("", name, nil).Collect()
	if err != nil {
		return err
	}
	if len(l) == 0 {
		err := s.c.Create(name, nil).Wait()
		var ie *imap.Error
		if err != nil && !(errors.As(err, &ie) && ie.Code == imap.ResponseCodeAlreadyExists) {
			return err
		}
		s.w.log.Info("created folder for processed mail", "folder", name)
	}
	s.moveReady = true
	return nil
}

// bodyReader ends at the literal's size and turns a short literal (a
// broken connection) into io.ErrUnexpectedEOF, so that a Handler never
// commits a truncated message.
type bodyReader struct {
	r    io.Reader
	left int64
	err  error // the first failure; the literal is not read after it
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	switch {
	case err == io.EOF && b.left > 0:
		err = io.ErrUnexpectedEOF
	case err == nil && b.left == 0:
		return n, io.EOF
	}
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

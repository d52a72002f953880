package mailin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// sync handles every message above the cursor: pass 1 (headers) for all,
// pass 2 (the body, streamed to the Handler) for the wanted ones. The
// cursor moves past a chunk only after every wanted message in it was
// committed, so a crash or a broken connection makes us look at the rest
// again; the store keeps that second look from applying anything twice.
func (s *session) sync(ctx context.Context) error {
	w := s.w
	start := w.opt.Now()
	rep := SyncReport{UIDValidity: s.uidValidity}
	// RFC 3501 §6.4.8: "n:*" always includes the highest UID, even when it
	// is below n, so the result is filtered below.
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{{{Start: imap.UID(s.last + 1), Stop: 0}}}}
	data, err := s.c.UIDSearch(crit, nil).Wait()
	if err != nil {
		return fmt.Errorf("search new mail: %w", err)
	}
	var uids []imap.UID
	for _, u := range data.AllUIDs() {
		if uint32(u) > s.last {
			uids = append(uids, u)
		}
	}
	slices.Sort(uids)
	for len(uids) > 0 {
		n := min(len(uids), w.opt.ChunkSize)
		if err := s.chunk(ctx, uids[:n], &rep); err != nil {
			return err
		}
		uids = uids[n:]
	}
	if err := s.saveCursor(ctx, s.last); err != nil { // a new UIDVALIDITY, even for an empty mailbox
		return err
	}
	rep.LastUID, rep.Took = s.last, w.opt.Now().Sub(start)
	if rep.Headers > 0 {
		w.log.Debug("synced", "headers", rep.Headers, "wanted", rep.Wanted, "bodies", rep.Bodies, "last_uid", rep.LastUID, "took", rep.Took)
	}
	if w.opt.OnSynced != nil {
		w.opt.OnSynced(rep)
	}
	return nil
}

// chunk runs both passes over uids (ascending). Pass 1 is consumed as it
// streams in, so our parsing overlaps the server's work and only the
// wanted headers are kept; pass 2 follows for those, in UID order.
func (s *session) chunk(ctx context.Context, uids []imap.UID, rep *SyncReport) error {
	w := s.w
	var wanted []Header
	cmd := s.c.Fetch(imap.UIDSetNum(uids...), pass1Options(w.fields))
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		buf, err := msg.Collect()
		if err != nil || uint32(buf.UID) <= s.last {
			continue // the error ends the command too: see Close
		}
		rep.Headers++
		h := parseHeader(buf)
		s.conn.busy(false) // the Handler's time is not the server's
		ok, err := w.opt.Handler.Wanted(ctx, h)
		s.conn.busy(true)
		if errors.Is(err, ErrSkip) {
			w.log.Warn("handler skips message", "uid", h.UID, "message_id", h.MessageID, "err", err)
			ok, err = false, nil
		}
		if err != nil {
			cmd.Close()
			return fmt.Errorf("decide on uid %d: %w", h.UID, err)
		}
		if ok {
			wanted = append(wanted, h)
		}
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("fetch headers of uid %d-%d: %w", uids[0], uids[len(uids)-1], err)
	}
	slices.SortFunc(wanted, func(a, b Header) int { return int(a.UID) - int(b.UID) })
	for _, h := range wanted {
		rep.Wanted++
		if err := s.handle(ctx, h, rep); err != nil {
			// Keep what was done before this message.
			if cerr := s.saveCursor(ctx, h.UID-1); cerr != nil {
				w.log.Warn("save cursor", "err", cerr)
			}
			return fmt.Errorf("uid %d: %w", h.UID, err)
		}
	}
	return s.saveCursor(ctx, uint32(uids[len(uids)-1]))
}

func (s *session) saveCursor(ctx context.Context, uid uint32) error {
	w := s.w
	if uid < s.last {
		uid = s.last
	}
	var storedV, storedUID uint32
	err := w.opt.Store.Update(ctx, func(tx *store.Tx) error {
		var err error
		if storedV, storedUID, err = tx.Cursor(w.mailbox); err != nil {
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

// handle fetches and applies one wanted message, then marks it.
func (s *session) handle(ctx context.Context, h Header, rep *SyncReport) error {
	w := s.w
	in := store.Inbound{Mailbox: w.mailbox, UIDValidity: s.uidValidity, UID: h.UID, MessageID: h.MessageID}
	var seen bool
	err := w.opt.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		seen, err = tx.SeenInbound(in)
		return err
	})
	if err != nil {
		return err
	}
	p := Processed{UIDValidity: s.uidValidity, UID: h.UID, MessageID: h.MessageID}
	if seen {
		// Processed before (a restart after the commit, a new UIDVALIDITY,
		// the same Message-ID delivered twice): never fetch it again, but
		// finish marking it.
		w.log.Debug("already processed", "uid", h.UID, "message_id", h.MessageID)
		p.Duplicate, p.Committed = true, w.opt.Now()
		return s.after(ctx, h, p)
	}
	rep.Bodies++
	found, perr, ferr := s.process(ctx, h)
	p.Committed = w.opt.Now()
	switch {
	case errors.Is(perr, store.ErrDuplicate):
		p.Duplicate = true
	case errors.Is(perr, ErrSkip):
		w.log.Warn("handler skips message", "uid", h.UID, "message_id", h.MessageID, "err", perr)
		return ferr
	case perr != nil:
		return fmt.Errorf("process: %w", errors.Join(perr, ferr))
	case ferr != nil:
		// Committed, but the connection broke: marking happens when the
		// next session finds it in the store.
		return fmt.Errorf("fetch body: %w", ferr)
	case !found:
		w.log.Info("message gone before its body was fetched", "uid", h.UID, "message_id", h.MessageID)
		return nil
	}
	return s.after(ctx, h, p)
}

// process streams the body of h to the Handler: the literal goes from the
// socket to Process without being buffered here.
func (s *session) process(ctx context.Context, h Header) (found bool, perr, ferr error) {
	w := s.w
	cmd := s.c.Fetch(imap.UIDSetNum(imap.UID(h.UID)), &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}}, // RFC 3501 §6.4.5: no \Seen
	})
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			bs, ok := item.(imapclient.FetchItemDataBodySection)
			if !ok || bs.Literal == nil || found {
				continue
			}
			found = true
			size := bs.Literal.Size()
			body := &bodyReader{r: bs.Literal, left: size}
			m := &Message{
				Mailbox: w.mailbox, UIDValidity: s.uidValidity, UID: h.UID,
				Header: h, Body: body, Size: size,
			}
			// imapclient bounds literal reads (5 min) itself.
			s.conn.busy(false)
			perr = w.opt.Handler.Process(ctx, m)
			s.conn.busy(true)
			if body.err != nil {
				// The connection broke mid-literal. imapclient's reader
				// goroutine owns the stream again: touching the command
				// (Next, Close) would read it concurrently. Abandon it.
				s.c.Close()
				return found, perr, fmt.Errorf("read body: %w", body.err)
			}
		}
	}
	ferr = cmd.Close()
	return found, perr, ferr
}

// after marks a committed message with the keyword and moves it, both
// optional and both only for the humans' benefit.
func (s *session) after(ctx context.Context, h Header, p Processed) error {
	w := s.w
	uid := imap.UIDSetNum(imap.UID(h.UID))
	kw := imap.Flag(w.opt.IMAP.Keyword)
	switch {
	case !s.canKeyword:
	case hasFlag(h.Flags, kw):
		p.Marked = true
	default:
		err := s.c.Store(uid, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{kw}}, nil).Close()
		if err := refused(err); err != nil {
			return fmt.Errorf("mark with %s: %w", kw, err)
		}
		p.Marked = err == nil
		if err != nil {
			w.log.Warn("server refused the keyword", "uid", h.UID, "err", err)
		}
	}
	if to := w.opt.IMAP.MoveTo; to != "" && s.canMove {
		err := s.ensureFolder(to)
		if err == nil {
			_, err = s.c.Move(uid, to).Wait()
		}
		if err := refused(err); err != nil {
			return fmt.Errorf("move to %s: %w", to, err)
		}
		p.Moved = err == nil
		if err != nil {
			w.log.Warn("cannot move processed message", "uid", h.UID, "to", to, "err", err)
		}
	}
	if w.opt.OnProcessed != nil {
		w.opt.OnProcessed(p)
	}
	return nil
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

func (s *session) ensureFolder(name string) error {
	if s.moveReady {
		return nil
	}
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

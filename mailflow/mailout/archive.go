package mailout

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// blobPutter is the part of *blob.Store the archive needs; a Blobs that
// cannot store (a read-only test fake) means no archive.
type blobPutter interface {
	Put(r io.Reader, limit int64) (sum string, size int64, err error)
}

// archiver runs the archive of sent mail beside the worker: a durable blob
// write costs two fsyncs (~7 ms), which must not delay the next mail of a
// burst (the next assignment after a receipt). At most maxArchiving run at
// once, which also bounds the composed messages held in memory.
type archiver struct {
	once sync.Once
	sem  chan struct{}
	wg   sync.WaitGroup
}

const maxArchiving = 4

// wait returns when every archive started has finished; Run calls it
// before it returns, so that nothing is archiving once the store closes.
func (a *archiver) wait() { a.wg.Wait() }

// Wait is archiver.wait for callers that drive Drain themselves (tests,
// benchmarks) and read the archive afterwards.
func (w *Worker) Wait() { w.arc.wait() }

// archive keeps the raw bytes of a mail the server accepted, with a row in
// the messages table: the evidence of what the office sent. It runs after
// the send, so a failure here cannot unsend anything: it is logged as an
// error and the mail stays sent. The caller must not use msg afterwards.
func (w *Worker) archive(ctx context.Context, row store.OutboxRow, msg *mail.Msg, at time.Time, log *slog.Logger) {
	if _, ok := w.opt.Blobs.(blobPutter); !ok {
		return
	}
	a := &w.arc
	a.once.Do(func() { a.sem = make(chan struct{}, maxArchiving) })
	a.sem <- struct{}{} // back-pressure: a slow disk slows the worker, never grows memory
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer func() { <-a.sem }()
		w.archiveNow(context.WithoutCancel(ctx), row, msg, at, log)
	}()
}

func (w *Worker) archiveNow(ctx context.Context, row store.OutboxRow, msg *mail.Msg, at time.Time, log *slog.Logger) {
	// Stream the message into the store: a mail with a 25 MB draft is
	// never held twice in memory.
	pr, pw := io.Pipe()
	go func() {
		_, err := msg.WriteTo(pw)
		pw.CloseWithError(err)
	}()
	sum, size, err := w.opt.Blobs.(blobPutter).Put(pr, 0)
	pr.CloseWithError(io.ErrClosedPipe) // unblock the writer if Put stopped early
	if err != nil {
		log.Error("archive of a sent mail failed; it was sent but is missing from the evidence", "err", err)
		return
	}
	subject := ""
	if s := msg.GetGenHeader(mail.HeaderSubject); len(s) > 0 {
		subject = strings.Join(strings.Fields(s[0]), " ")
	}
	m := store.Message{Direction: store.MsgOut, RunID: row.RunID, MessageID: row.MessageID, At: at,
		From: w.opt.Office.Mailbox, To: recipients(&row.Mail), Subject: subject, SHA256: sum, Size: size}
	if err := w.update(ctx, func(tx *store.Tx) error { return tx.AddMessage(m) }); err != nil {
		log.Error("archive of a sent mail failed; it was sent but is missing from the evidence", "err", err)
	}
}

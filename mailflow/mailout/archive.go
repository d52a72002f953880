package mailout

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// blobPutter is the part of *blob.Store the archive needs; a Blobs that
// cannot store (a read-only test fake) means no archive.
type blobPutter interface {
	Put(r io.Reader, limit int64) (sum string, size int64, err error)
}

// archive keeps the raw bytes of a mail the server accepted, with a row in
// the messages table: the evidence of what the office sent. It runs after
// the send, so a failure here cannot unsend anything: it is logged as an
// error and the mail stays sent.
func (w *Worker) archive(ctx context.Context, row store.OutboxRow, msg *mail.Msg, at time.Time, log *slog.Logger) {
	bp, ok := w.opt.Blobs.(blobPutter)
	if !ok {
		return
	}
	// Stream the message into the store: a mail with a 25 MB draft is
	// never held twice in memory.
	pr, pw := io.Pipe()
	go func() {
		_, err := msg.WriteTo(pw)
		pw.CloseWithError(err)
	}()
	sum, size, err := bp.Put(pr, 0)
	pr.CloseWithError(io.ErrClosedPipe) // unblock the writer if Put stopped early
	if err != nil {
		log.Error("archive of a sent mail failed; it was sent but is missing from the evidence", "err", err)
		return
	}
	subject := ""
	if s := msg.GetGenHeader(mail.HeaderSubject); len(s) > 0 {
		subject = s[0]
	}
	m := store.Message{Direction: store.MsgOut, RunID: row.RunID, MessageID: row.MessageID, At: at,
		From: w.opt.Office.Mailbox, To: recipients(&row.Mail), Subject: archivedSubject(subject), SHA256: sum, Size: size}
	if err := w.update(ctx, func(tx *store.Tx) error { return tx.AddMessage(m) }); err != nil {
		log.Error("archive of a sent mail failed; it was sent but is missing from the evidence", "err", err)
	}
}

// archivedSubject trims a folded header for the listing.
func archivedSubject(s string) string { return strings.Join(strings.Fields(s), " ") }

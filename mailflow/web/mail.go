package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

func durasi(min, dayMin int) string { return workcal.Durasi(min, dayMin) }

func longTime(t time.Time) string { return workcal.Format(t) }

var outStatusIndo = map[string]string{store.OutPending: "menunggu", store.OutSent: "terkirim", store.OutFailed: "gagal", store.OutCancelled: "dibatalkan"}

var evIndo = map[flow.EventType]string{flow.EvStart: "disposisi (mulai)", flow.EvReply: "balasan", flow.EvCalendarReply: "jawaban undangan",
	flow.EvDeliveryFailed: "laporan gagal kirim", flow.EvRefused: "balasan ditolak", flow.EvNoToken: "surat baru tanpa rujukan"}

// fillMail lists every mail of the run: the archive (every message in
// and out as it was sent or received, with the Authentication-Results
// verdict), then what the archive does not hold yet: our mail not sent
// (pending, failed, cancelled) and, for runs older than the archive, the
// mail events carry as evidence.
func (s *req) fillMail(tx *store.Tx, d *runData, run *flow.Run, events []store.EventRow) error {
	msgs, err := tx.Messages(run.ID)
	if err != nil {
		return err
	}
	archived := map[string]bool{}
	for _, m := range msgs {
		archived[m.Direction+" "+m.MessageID] = true
		auth := m.Auth
		if m.Direction == store.MsgOut {
			auth = "—"
		}
		d.Mail = append(d.Mail, mailRow{In: m.Direction == store.MsgIn, At: s.local(m.At), From: m.From, To: strings.Join(m.To, ", "),
			MessageID: m.MessageID, What: m.Subject, Status: map[bool]string{true: "diterima", false: "terkirim"}[m.Direction == store.MsgIn],
			Auth: auth, EML: s.base + fmt.Sprintf("/run/%s/eml/msg/%d", run.ID, m.ID)})
	}
	out, err := tx.Outbox(run.ID)
	if err != nil {
		return err
	}
	for _, o := range out {
		if archived[store.MsgOut+" "+o.MessageID] {
			continue
		}
		var to []string
		for _, rc := range o.Mail.To {
			to = append(to, rc.Email)
		}
		at := o.SentAt
		if at.IsZero() {
			at = o.Created
		}
		d.Mail = append(d.Mail, mailRow{At: s.local(at), From: s.conf().Office.Mailbox, To: strings.Join(to, ", "), MessageID: o.MessageID,
			What: o.Template, Status: outStatusIndo[o.Status], Auth: "—", EML: s.base + fmt.Sprintf("/run/%s/eml/out/%d", run.ID, o.ID)})
	}
	for _, e := range events {
		if e.Evidence == "" || archived[store.MsgIn+" "+strings.Trim(e.Evidence, "<> ")] {
			continue
		}
		what := evIndo[e.Event.Type]
		if what == "" {
			what = string(e.Event.Type)
		}
		if c := e.Event.Command; c != "" {
			what += ": " + string(c)
		}
		if e.Event.PartStat != "" {
			what += ": " + partstatIndo[e.Event.PartStat]
		}
		d.Mail = append(d.Mail, mailRow{In: true, At: s.local(e.At), From: e.Actor, To: s.conf().Office.Mailbox, MessageID: e.Evidence,
			What: what, Status: "diterapkan (tidak diarsip)", Auth: "—"})
	}
	sortMail(d.Mail)
	return nil
}

// emlView shows one message as it went out (ours, composed again from
// the outbox row exactly as the worker composes it).
func (s *req) emlView(w http.ResponseWriter, r *http.Request, se *session) {
	runID, kind, ref := r.PathValue("id"), r.PathValue("kind"), r.PathValue("ref")
	raw, name, err := s.eml(r, runID, kind, ref)
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, http.StatusNotFound, "error", page{Title: "Tidak ditemukan", Account: se.Account, CSRF: se.CSRF, Error: "Surat tidak ditemukan."})
		return
	}
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	if r.URL.Query().Has("unduh") {
		w.Header().Set("Content-Type", "message/rfc822")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		w.Write(raw)
		return
	}
	// Shown as text: a message is never rendered as HTML in the console.
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(raw)
}

func (s *req) eml(r *http.Request, runID, kind, ref string) ([]byte, string, error) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || (kind != "out" && kind != "msg") {
		return nil, "", store.ErrNotFound
	}
	if kind == "msg" {
		return s.archivedEML(r, runID, id)
	}
	var row store.OutboxRow
	err = s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		row, err = tx.MailByID(id)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if row.RunID != runID {
		return nil, "", store.ErrNotFound
	}
	msg, err := s.app().Outbox.Composer().Compose(&row.Mail, row.Created)
	if err != nil {
		return nil, "", fmt.Errorf("compose %s: %w", row.MessageID, err)
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, "", err
	}
	return b.Bytes(), fmt.Sprintf("%s-%d-%s.eml", runID, row.ID, row.Template), nil
}

// fileDownload sends an attachment of the run, always as a download: a
// file from a stranger's mail is never shown inline.
func (s *req) fileDownload(w http.ResponseWriter, r *http.Request, se *session) {
	runID, sha := r.PathValue("id"), r.PathValue("sha")
	var name string
	err := s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		rows, err := tx.Attachments(runID)
		if err != nil {
			return err
		}
		for _, a := range rows {
			if a.SHA256 == sha {
				name = a.Filename
				return nil
			}
		}
		run, err := tx.LoadRun(runID)
		if err != nil {
			return err
		}
		for _, a := range runFiles(run) {
			if a.SHA256 == sha {
				name = a.Filename
				return nil
			}
		}
		return store.ErrNotFound
	})
	if err == nil && !s.app().Blobs.Has(sha) {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, http.StatusNotFound, "error", page{Title: "Tidak ditemukan", Account: se.Account, CSRF: se.CSRF, Error: "Berkas tidak ditemukan."})
		return
	}
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	f, err := s.app().Blobs.Open(sha)
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Checksum-SHA256", sha)
	io.Copy(w, f)
}

// archivedEML is a message exactly as it was received or sent.
func (s *req) archivedEML(r *http.Request, runID string, id int64) ([]byte, string, error) {
	var m store.Message
	err := s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		var err error
		m, err = tx.MessageByID(id)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if m.RunID != runID || !s.app().Blobs.Has(m.SHA256) {
		return nil, "", store.ErrNotFound
	}
	f, err := s.app().Blobs.Open(m.SHA256)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<20))
	return b, fmt.Sprintf("%s-%s-%d.eml", runID, m.Direction, m.ID), err
}

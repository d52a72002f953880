package web

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// trimField cleans a form value: no control characters, one line, at most
// n runes.
func trimField(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return ' '
		}
		return r
	}, s)
	return clipRunes(strings.TrimSpace(s), n)
}

func sortMail(m []mailRow) {
	sort.SliceStable(m, func(i, j int) bool { return m[i].At.Before(m[j].At) })
}

// meetingChange reschedules or cancels the Rapat Tim, as "mailflow
// meeting" does: an updated invitation or a CANCEL to every attendee.
func (s *req) meetingChange(w http.ResponseWriter, r *http.Request, se *session) {
	runID := r.PathValue("id")
	to := s.base + "/run/" + runID
	ev := flow.Event{Type: flow.EvMeetingChange, RunID: runID, From: actor(se), Cancel: r.PostFormValue("batal") == "1"}
	if !ev.Cancel {
		in := &flow.MeetingInput{Place: trimField(r.PostFormValue("tempat"), 200)}
		if at := r.PostFormValue("waktu"); at != "" {
			t, err := time.ParseInLocation("2006-01-02T15:04", at, s.conf().Calendar.Loc)
			if err != nil {
				back(w, r, to, "Waktu rapat tidak terbaca; gunakan tanggal dan jam, mis. 2024-05-28 09.00.")
				return
			}
			in.Start, in.HasTime = t, true
		}
		if !in.HasTime && in.Place == "" {
			back(w, r, to, "Isi waktu atau tempat rapat yang baru.")
			return
		}
		ev.Meeting = in
	}
	now := s.now()
	var refusal string
	if err := s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		run, err := tx.LoadRun(runID)
		if err != nil {
			return err
		}
		refusal = s.meetingRefusal(run, ev, now)
		return nil
	}); err != nil {
		s.fail(w, r, se, err)
		return
	}
	if refusal != "" {
		back(w, r, to, refusal)
		return
	}
	ev.At = now
	if _, err := s.app().Engine.Handle(context.WithoutCancel(r.Context()), ev, nil); err != nil {
		s.fail(w, r, se, err)
		return
	}
	s.log.Info("console: meeting changed", "account", se.Account, "run", runID, "cancel", ev.Cancel)
	msg := "Undangan rapat yang diperbarui masuk antrean kirim ke semua peserta."
	if ev.Cancel {
		msg = "Pembatalan rapat masuk antrean kirim ke semua peserta."
	}
	back(w, r, to, msg)
}

// meetingRefusal says, in the office's words, why a change cannot be
// made ("" when it can), as "mailflow meeting" does before applying it.
func (s *req) meetingRefusal(run *flow.Run, ev flow.Event, now time.Time) string {
	mt := run.Meeting
	if mt == nil || mt.Issued.IsZero() {
		return "Undangan rapat belum dikirim (dikirim pada langkah rapat)."
	}
	if ev.Cancel {
		if mt.Cancelled {
			return "Rapat ini sudah dibatalkan."
		}
		return ""
	}
	if mt.Cancelled && (ev.Meeting == nil || ev.Meeting.Start.IsZero()) {
		return "Rapat ini sudah dibatalkan; isi waktu baru untuk menjadwalkannya lagi."
	}
	if ev.Meeting == nil || ev.Meeting.Start.IsZero() {
		return ""
	}
	prob, det, next := flow.CheckMeeting(s.app().Engine.Env, run, ev.Meeting.Start, mt.Minutes, now)
	if prob == "" {
		return ""
	}
	why := map[string]string{flow.SlotPast: "sudah lewat", flow.SlotHoliday: "hari libur", flow.SlotWeekend: "bukan hari kerja",
		flow.SlotHours: "di luar jam kerja", flow.SlotUnsigned: "sebelum draft dapat ditandatangani"}[prob]
	if det != "" {
		why += " (" + det + ")"
	}
	return "Waktu " + workcal.Format(ev.Meeting.Start) + " " + why + ". Waktu terdekat yang dapat dipakai: " + workcal.Format(next.In(s.conf().Calendar.Loc)) + "."
}

// outboxRetry makes a pending or failed mail due now and wakes the worker.
func (s *req) outboxRetry(w http.ResponseWriter, r *http.Request, se *session) {
	s.outboxAction(w, r, se, "retry", func(tx *store.Tx, id int64) (store.OutboxRow, error) {
		return tx.RetryMailNow(id, s.now())
	}, "Surat dijadwalkan untuk dikirim ulang sekarang.")
}

// outboxCancel marks a mail no longer wanted; it is never sent.
func (s *req) outboxCancel(w http.ResponseWriter, r *http.Request, se *session) {
	s.outboxAction(w, r, se, "cancel", func(tx *store.Tx, id int64) (store.OutboxRow, error) {
		return tx.CancelMail(id, "dibatalkan di konsol oleh "+se.Account)
	}, "Surat dibatalkan dan tidak akan dikirim.")
}

func (s *req) outboxAction(w http.ResponseWriter, r *http.Request, se *session, action string,
	fn func(*store.Tx, int64) (store.OutboxRow, error), done string) {
	id, err := strconv.ParseInt(r.PathValue("oid"), 10, 64)
	if err != nil {
		back(w, r, s.base+"/outbox", "Surat tidak dikenal.")
		return
	}
	var row store.OutboxRow
	var res *engine.Result
	err = s.app().Store.Update(context.WithoutCancel(r.Context()), func(tx *store.Tx) error {
		var err error
		if row, err = fn(tx, id); err != nil || row.RunID == "" {
			return err
		}
		// The run's history says who did it, in the same transaction.
		res, err = s.app().Engine.HandleTx(tx, flow.Event{Type: flow.EvOutboxAction, At: s.now(), RunID: row.RunID,
			From: actor(se), FailedID: row.MessageID, Reason: action, Step: row.Step}, nil)
		return err
	})
	if err == nil && res != nil {
		s.app().Engine.Committed(res)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		back(w, r, s.base+"/outbox", "Surat tidak ditemukan.")
		return
	case errors.Is(err, store.ErrNotActionable):
		back(w, r, s.base+"/outbox", "Surat itu sudah terkirim atau dibatalkan.")
		return
	case err != nil:
		s.fail(w, r, se, err)
		return
	}
	s.log.Info("console: outbox "+action, "account", se.Account, "actor", actor(se), "outbox", id, "message_id", row.MessageID, "run", row.RunID)
	s.app().Outbox.Kick()
	back(w, r, s.base+"/outbox", done)
}

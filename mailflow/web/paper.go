package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// paperDone marks the current step done on paper (flow.EvManual): the
// official did it outside mail, and the required reason is kept in the
// run's record with the account's name.
func (s *req) paperDone(w http.ResponseWriter, r *http.Request, se *session) {
	runID := r.PathValue("id")
	to := s.base + "/run/" + runID
	reason := trimField(r.PostFormValue("alasan"), 500)
	if reason == "" {
		back(w, r, to, "Alasan wajib diisi untuk menandai langkah selesai di atas kertas.")
		return
	}
	step, err := strconv.Atoi(r.PostFormValue("langkah"))
	if err != nil {
		back(w, r, to, "Langkah tidak dikenal.")
		return
	}
	ev := flow.Event{Type: flow.EvManual, RunID: runID, Step: step, From: actor(se), Notes: reason, Command: flow.CmdDone, At: s.now()}
	err = s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		run, err := tx.LoadRun(runID)
		if err != nil {
			return err
		}
		if d, _, ok := s.app().Engine.Env.Current(run); ok && d.Number == step && d.Kind == sop.KindApproval {
			ev.Command = flow.CmdApprove
		}
		return nil
	})
	if err == nil {
		_, err = s.app().Engine.Handle(context.WithoutCancel(r.Context()), ev, nil)
	}
	switch {
	case errors.Is(err, flow.ErrBadEvent):
		msg := err.Error()
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		back(w, r, to, "Tidak dapat ditandai: "+msg)
		return
	case errors.Is(err, store.ErrNotFound):
		back(w, r, s.base+"/", "Proses tidak ditemukan.")
		return
	case err != nil:
		s.fail(w, r, se, err)
		return
	}
	s.log.Info("console: step marked done on paper", "account", se.Account, "run", runID, "step", step)
	back(w, r, to, "Langkah "+strconv.Itoa(step)+" ditandai selesai di atas kertas; langkah berikutnya dimulai.")
}

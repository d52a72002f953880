package web

import (
	"context"
	"net/http"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// runRow is one line of the runs list.
type runRow struct {
	ID, Title, SOP, Status string
	Step                   int
	Kegiatan, Who          string
	Since, Due             time.Time
	Overdue                bool
	Started, Finished      time.Time
}

type runsData struct {
	Open, Done []runRow
	SOPs       []sopChoice
}

type sopChoice struct{ ID, Label string }

var (
	runStatusIndo  = map[string]string{flow.RunActive: "berjalan", flow.RunFinished: "selesai", flow.RunCancelled: "dibatalkan"}
	stepStatusIndo = map[string]string{flow.StepPending: "belum", flow.StepActive: "sedang dikerjakan", flow.StepDone: "selesai"}
)

func (s *req) runsPage(w http.ResponseWriter, r *http.Request, se *session) {
	now := s.now()
	var d runsData
	err := s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		infos, err := tx.Runs("")
		if err != nil {
			return err
		}
		for _, ri := range infos {
			run, err := tx.LoadRun(ri.ID)
			if err != nil {
				return err
			}
			row := s.runRow(run, now)
			if run.Status == flow.RunActive {
				d.Open = append(d.Open, row)
			} else {
				d.Done = append(d.Done, row)
			}
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	for _, sp := range s.conf().Office.SOPs {
		d.SOPs = append(d.SOPs, sopChoice{ID: sp.ID, Label: sp.Number + " " + sp.Name})
	}
	s.render(w, http.StatusOK, "runs", page{Title: "Proses", Nav: "runs", Account: se.Account, CSRF: se.CSRF, Flash: r.URL.Query().Get("pesan"), Data: d})
}

func (s *req) runRow(run *flow.Run, now time.Time) runRow {
	row := runRow{ID: run.ID, Title: run.Title, SOP: run.SOP, Status: runStatusIndo[run.Status],
		Started: s.local(run.StartedAt), Finished: s.local(run.FinishedAt)}
	if d, ok := s.conf().Office.SOP(run.SOP); ok {
		row.SOP = d.Number
	}
	if run.Status != flow.RunActive {
		return row
	}
	rows := flow.StatusRows(s.app().Engine.Env, run, now)
	if run.Cur >= 0 && run.Cur < len(rows) {
		c := rows[run.Cur]
		row.Step, row.Kegiatan, row.Who, row.Overdue = c.Number, c.Kegiatan, c.Who, c.Overdue
		row.Since, row.Due = s.local(c.Since), s.local(c.Due)
	}
	return row
}

// startRun is "mailflow start" from the console: the same engine call,
// with the account as the starter.
func (s *req) startRun(w http.ResponseWriter, r *http.Request, se *session) {
	title := trimField(r.PostFormValue("judul"), 200)
	sopID := r.PostFormValue("sop")
	if title == "" {
		back(w, r, s.base+"/", "Judul proses wajib diisi.")
		return
	}
	if _, ok := s.conf().Office.SOP(sopID); !ok {
		back(w, r, s.base+"/", "SOP tidak dikenal.")
		return
	}
	res, err := s.app().Engine.Start(context.WithoutCancel(r.Context()), sopID, title, actor(se), "", nil, nil)
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	s.log.Info("console: run started", "account", se.Account, "run", res.Run.ID, "title", title)
	back(w, r, s.base+"/run/"+res.Run.ID, "Proses dimulai; surat tugas pertama masuk antrean kirim.")
}

// Package report writes a run's SOP compliance record as PDF: the
// Formulir Monitoring Pelaksanaan SOP of one run (Permenpan RB 35/2012,
// with mailflow's measured facts: who, how long per round against the Mutu
// Baku, the evidence Message-ID) and the period report of every run of an
// SOP in a year with each step's compliance rate. It sits beside render:
// it reads the store and the office model and writes bytes.
package report

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// Source is what a report reads.
type Source struct {
	Store *store.Store
	Env   flow.Env // the office (SOPs, people, acting officials) and its working calendar
	// Place is the place of the signature line ("Koba"); "" leaves it out.
	Place string
	// Monitor is the role whose holder signs the form (default
	// "kasubag_perencanaan", the Kasubag Perencanaan).
	Monitor string
	// Now is when the form is printed (default time.Now); a finished run's
	// form is dated by the run's end instead, so that it is reproducible.
	Now func() time.Time
}

func (s Source) loc() *time.Location {
	if s.Env.Cal != nil && s.Env.Cal.Loc != nil {
		return s.Env.Cal.Loc
	}
	return time.UTC
}

func (s Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s Source) monitor() string {
	if s.Monitor != "" {
		return s.Monitor
	}
	return "kasubag_perencanaan"
}

// Form writes the Formulir Monitoring Pelaksanaan SOP of one run (its ID or
// token) as a PDF.
func Form(ctx context.Context, w io.Writer, src Source, runID string) error {
	f, err := Load(ctx, src, runID)
	if err != nil {
		return err
	}
	return f.WritePDF(w)
}

// Load reads everything the form of a run shows.
func Load(ctx context.Context, src Source, runID string) (*RunForm, error) {
	var run *flow.Run
	var events []store.EventRow
	var out []store.OutboxRow
	err := src.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		if run, err = FindRun(tx, runID); err != nil {
			return err
		}
		if events, err = tx.Events(run.ID); err != nil {
			return err
		}
		out, err = tx.Outbox(run.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return build(src, run, events, out)
}

// FindRun accepts a run's ID or its token.
func FindRun(tx *store.Tx, id string) (*flow.Run, error) {
	r, err := tx.LoadRun(id)
	if err == nil {
		return r, nil
	}
	if r, err2 := tx.RunByToken(id); err2 == nil {
		return r, nil
	}
	return nil, err
}

// RunForm is the content of one run's form, before layout.
type RunForm struct {
	src     Source
	Run     *flow.Run
	SOP     *sop.SOP
	Steps   []StepRow
	Printed time.Time // the date of the signature line
}

// StepRow is one line of the form: one SOP step of the run.
type StepRow struct {
	Number    int
	Kegiatan  string
	Pelaksana []Pelaksana
	MutuBaku  string
	Limit     int // working minutes the Mutu Baku allows
	Rounds    []Round
	Within    bool // every round within the Mutu Baku
	Done      bool
	Measured  bool // false: done before mailflow saw it, its time unknown
	Evidence  []Evidence
	Catatan   []string
}

// Pelaksana is who carried out a step.
type Pelaksana struct {
	Name, Jabatan, NIP string
	Acting             string // "Plh." or "Plt." when acting for someone
	For                string // the jabatan acted for
}

// Round is one pass through a step with its working time.
type Round struct {
	N           int
	StartedAt   time.Time
	DoneAt      time.Time // zero: still open
	WorkMinutes int
	Within      bool
	By          string // address
	Outcome     string // flow.Outcome*
	MessageID   string // the mail that ended the round
}

// Evidence is a message that moved the step: its Message-ID and time.
type Evidence struct {
	MessageID string
	At        time.Time
	What      string // "SELESAI", "SETUJU", "TOLAK", "disposisi", ...
	By        string
}

func build(src Source, run *flow.Run, events []store.EventRow, outbox []store.OutboxRow) (*RunForm, error) {
	env := src.Env
	d, ok := env.SOPDef(run)
	if !ok {
		return nil, fmt.Errorf("run %s: SOP %q is not in the config", run.ID, run.SOP)
	}
	now := src.now()
	f := &RunForm{src: src, Run: run, SOP: d, Printed: now}
	if !run.FinishedAt.IsZero() {
		f.Printed = run.FinishedAt
	}
	status := flow.StatusRows(env, run, now)
	for i, s := range d.Steps {
		if i >= len(run.Steps) || i >= len(status) {
			break
		}
		st := run.Steps[i]
		limit := status[i].Limit
		row := StepRow{Number: s.Number, Kegiatan: s.Kegiatan, MutuBaku: s.Waktu.String(), Limit: limit, Done: st.Status == flow.StepDone, Measured: !st.Outside}
		row.Rounds = rounds(env, st, limit, now)
		row.Within = true
		for _, r := range row.Rounds {
			if !r.Within {
				row.Within = false
			}
		}
		row.Pelaksana = pelaksana(env.Office, &s, st, run, now)
		row.Evidence = evidence(env.Office, events, s.Number, i == 0)
		if s.Kind == sop.KindMeeting {
			row.Evidence = append(row.Evidence, invitations(outbox, s.Number)...)
		}
		row.Catatan = catatan(env, run, &s, st)
		f.Steps = append(f.Steps, row)
	}
	return f, nil
}

// pelaksana names who did the step: the unit heads who handed in for a
// collect step, else who finished it (or who has it now), with the acting
// title they held at that moment.
func pelaksana(o *sop.Office, s *sop.Step, st flow.StepState, run *flow.Run, now time.Time) []Pelaksana {
	var out []Pelaksana
	seen := map[string]bool{}
	add := func(email string, at time.Time) {
		email = strings.ToLower(email)
		if email == "" || seen[email] {
			return
		}
		seen[email] = true
		p, ok := o.Person(email)
		if !ok {
			out = append(out, Pelaksana{Name: email})
			return
		}
		pl := Pelaksana{Name: p.Name, Jabatan: p.Jabatan, NIP: p.NIP}
		if at.IsZero() {
			at = now
		}
		for _, h := range o.Holders(s.Role, at) {
			if h.Person.Email == p.Email && h.Acting != "" {
				pl.Acting = h.Acting
				if h.For != nil {
					pl.For = h.For.Jabatan
				} else if r, ok := o.Role(s.Role); ok {
					pl.For = r.Name
				}
			}
		}
		if s.Kind == sop.KindCollect && pl.Acting == "" {
			for _, u := range o.Units {
				if h, ok := o.UnitHead(u.ID, at); ok && h.Person.Email == p.Email && h.Acting != "" {
					pl.Acting = h.Acting
					if h.For != nil {
						pl.For = h.For.Jabatan
					}
				}
			}
		}
		out = append(out, pl)
	}
	if s.Kind == sop.KindCollect {
		for _, u := range run.Units {
			for _, h := range u.History {
				add(h.By, h.At)
			}
			if len(u.History) == 0 && u.Submitted {
				add(u.By, u.At)
			}
		}
	}
	if _, person := o.Person(st.DoneBy); person {
		add(st.DoneBy, st.DoneAt)
	}
	if len(out) == 0 {
		for _, a := range st.Assignees {
			add(a, st.StartedAt)
		}
	}
	if len(out) == 0 && st.Status != flow.StepPending {
		// A step mailflow carried out itself (the invitation): its Pelaksana
		// is the role it acted for.
		at := st.DoneAt
		if at.IsZero() {
			at = st.StartedAt
		}
		for _, h := range o.Holders(s.Role, at) {
			add(h.Person.Email, at)
		}
	}
	return out
}

// evidence lists the messages that moved step n: the replies that finished,
// approved or rejected it; for the first step, the disposition that
// started the run.
func evidence(o *sop.Office, events []store.EventRow, n int, first bool) []Evidence {
	var out []Evidence
	for _, e := range events {
		ev := e.Event
		if ev.MessageID == "" {
			continue
		}
		what := ""
		switch {
		case ev.Type == flow.EvStart && first:
			what = "disposisi"
		case ev.Type == flow.EvReply && ev.Step == n:
			switch ev.Command {
			case flow.CmdDone:
				what = "SELESAI"
			case flow.CmdApprove:
				what = "SETUJU"
			case flow.CmdReject:
				what = "TOLAK"
			}
		}
		if what == "" {
			continue
		}
		by := ev.From
		if p, ok := o.Person(ev.From); ok {
			by = p.Name
		}
		out = append(out, Evidence{MessageID: ev.MessageID, At: e.At, What: what, By: by})
	}
	return out
}

// invitations are the evidence of a step mailflow carries out itself: the
// invitations (and cancellations) it sent.
func invitations(out []store.OutboxRow, n int) []Evidence {
	var ev []Evidence
	for _, o := range out {
		if o.Step != n || o.Status != store.OutSent || (o.Template != flow.TplInvitation && o.Template != flow.TplCancel) {
			continue
		}
		what := "Undangan dikirim"
		if o.Template == flow.TplCancel {
			what = "Pembatalan undangan dikirim"
		}
		ev = append(ev, Evidence{MessageID: o.MessageID, At: o.SentAt, What: fmt.Sprintf("%s (%d penerima)", what, len(o.Mail.To)+len(o.Mail.Cc)), By: "mailflow"})
	}
	return ev
}

// catatan gathers what the form's notes column shows: notes and rejection
// reasons written at the step, reminders and escalations, failed mail.
func catatan(env flow.Env, run *flow.Run, s *sop.Step, st flow.StepState) []string {
	var out []string
	loc := env.Cal.Loc
	for _, n := range run.Notes {
		if n.Step != s.Number {
			continue
		}
		by := n.By
		if p, ok := env.Office.Person(n.By); ok {
			by = p.Name
		}
		kind := "Catatan"
		if n.Kind == "reject" {
			kind = "Ditolak"
		}
		if n.Unit != "" {
			if u, ok := env.Office.Unit(n.Unit); ok {
				by += " (" + u.Name + ")"
			}
		}
		out = append(out, fmt.Sprintf("%s oleh %s, %s: %s", kind, by, short(n.At, loc), n.Text))
	}
	if st.Status == flow.StepDone && st.DoneBy != "" {
		if _, person := env.Office.Person(st.DoneBy); !person {
			out = append(out, "Dilaksanakan otomatis oleh "+st.DoneBy)
		}
	}
	if st.Reminders > 0 {
		out = append(out, fmt.Sprintf("%d kali diingatkan", st.Reminders))
	}
	if st.Escalations > 0 {
		out = append(out, fmt.Sprintf("%d kali dieskalasi ke atasan", st.Escalations))
	}
	if s.Kind == sop.KindCollect {
		missing := 0
		for _, u := range run.Units {
			if !u.Submitted {
				missing++
			}
		}
		if missing > 0 && st.Status == flow.StepDone {
			out = append(out, fmt.Sprintf("%d unit belum menyerahkan bahan saat langkah ditutup", missing))
		}
	}
	for _, fl := range run.Failures {
		if strings.Contains(fl.MessageID, fmt.Sprintf(".s%dr", s.Number)) {
			out = append(out, fmt.Sprintf("Surel ke %s gagal terkirim (%s)", fl.Recipient, fl.Reason))
		}
	}
	return out
}

// short is a table time: "06/05/2024 09.00 WIB".
func short(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(loc)
	return workcal.Short(t) + " " + workcal.ZoneName(t)
}

// FromConfig is the Source of an office's config: its SOPs and people, its
// working calendar and its [report] settings.
func FromConfig(cfg *config.Config, st *store.Store) Source {
	return Source{Store: st, Env: flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar},
		Place: cfg.ReportForm.Place, Monitor: cfg.ReportForm.MonitorRole}
}

package web

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

type runData struct {
	Run      runRow
	SOPName  string
	By       string
	Revs     int
	Steps    []stepRow
	Timeline any
	Units    []unitRow
	Mail     []mailRow
	Files    []fileRow
	Notes    []noteRow
	Meeting  *meetingView
	History  []histRow
	Open     []stepChoice // steps that can be marked done on paper
}

type stepRow struct {
	Number           int
	Kegiatan, Who    string
	Status           string
	Since, Due, Done time.Time
	Took, Waktu      string
	Overdue, Over    bool
	Round            int
}

type unitRow struct {
	Name, Head, At string
	Submitted      bool
	Files          []string
	Versions       int
}

type mailRow struct {
	In        bool
	At        time.Time
	From, To  string
	MessageID string
	What      string
	Status    string
	Auth      string
	EML       string // the link to view it; "" when not kept
}

type fileRow struct {
	Name, SHA, Type, Message string
	Size                     int64
	At                       time.Time
}

type noteRow struct {
	Step           int
	By, Kind, Text string
	At             time.Time
}

type meetingView struct {
	Title, Place, Start, StartInput string
	Cancelled                       bool
	Sequence                        int
	Attendees                       []attendeeRow
	CanChange                       bool
}

type attendeeRow struct{ Name, Email, Answer, Delegate string }

type histRow struct {
	Seq                   int64
	At                    time.Time
	Type, Actor, Evidence string
	Notes                 []string
}

type stepChoice struct {
	Number   int
	Kegiatan string
	Approval bool
}

var partstatIndo = map[string]string{"ACCEPTED": "hadir", "DECLINED": "tidak hadir", "TENTATIVE": "belum pasti",
	"DELEGATED": "diwakilkan", "NEEDS-ACTION": "belum menjawab"}

func (s *req) runPage(w http.ResponseWriter, r *http.Request, se *session) {
	now := s.now()
	var d runData
	err := s.app().Store.View(r.Context(), func(tx *store.Tx) error {
		run, err := tx.LoadRun(r.PathValue("id"))
		if err != nil {
			return err
		}
		return s.fillRun(tx, &d, run, now)
	})
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, http.StatusNotFound, "error", page{Title: "Tidak ditemukan", Account: se.Account, CSRF: se.CSRF, Error: "Proses tidak ditemukan."})
		return
	}
	if err != nil {
		s.fail(w, r, se, err)
		return
	}
	s.render(w, http.StatusOK, "run", page{Title: d.Run.Title, Nav: "runs", Account: se.Account, CSRF: se.CSRF, Flash: r.URL.Query().Get("pesan"), Data: d})
}

func (s *req) fillRun(tx *store.Tx, d *runData, run *flow.Run, now time.Time) error {
	env := s.app().Engine.Env
	def, _ := env.SOPDef(run)
	dayMin := s.conf().Calendar.MinutesPerDay()
	d.Run = s.runRow(run, now)
	d.By, d.Revs = s.who(run.StartedBy), run.Revisions
	if def != nil {
		d.SOPName = def.Number + " " + def.Name
	}
	rows := flow.StatusRows(env, run, now)
	var tl []tlStep
	for i, row := range rows {
		st := run.Steps[i]
		sr := stepRow{Number: row.Number, Kegiatan: row.Kegiatan, Who: row.Who, Status: stepStatusIndo[row.Status],
			Since: s.local(row.Since), Due: s.local(row.Due), Done: s.local(row.Done), Waktu: row.Waktu,
			Overdue: row.Overdue, Over: row.Limit > 0 && row.Actual > row.Limit, Round: st.Round}
		if row.Status != flow.StepPending {
			sr.Took = durasi(row.Actual, dayMin)
		}
		d.Steps = append(d.Steps, sr)
		tl = append(tl, tlStep{Number: row.Number, Kegiatan: row.Kegiatan, Waktu: row.Waktu, Limit: row.Limit, Rounds: s.rounds(run, i, row, now)})
		if row.Status == flow.StepActive && def != nil && i < len(def.Steps) {
			d.Open = append(d.Open, stepChoice{Number: row.Number, Kegiatan: row.Kegiatan, Approval: def.Steps[i].Kind == sop.KindApproval})
		}
	}
	d.Timeline = timelineSVG(tl, dayMin)
	for _, u := range run.Units {
		ur := unitRow{Name: u.Unit, Submitted: u.Submitted, Versions: len(u.History)}
		if ud, ok := s.conf().Office.Unit(u.Unit); ok {
			ur.Name = ud.Name
		}
		if h, ok := s.conf().Office.UnitHead(u.Unit, now); ok {
			ur.Head = strings.TrimSpace(h.Acting + " " + h.Person.Name)
		}
		if u.Submitted {
			ur.At = shortTime(s.local(u.At))
		}
		for _, a := range u.Attachments {
			ur.Files = append(ur.Files, a.Filename)
		}
		d.Units = append(d.Units, ur)
	}
	for _, n := range run.Notes {
		by := s.who(n.By)
		if n.Unit != "" {
			by += " (" + n.Unit + ")"
		}
		kind := map[string]string{"reject": "penolakan", "manual": "selesai di atas kertas"}[n.Kind]
		if kind == "" {
			kind = "catatan"
		}
		d.Notes = append(d.Notes, noteRow{Step: n.Step, By: by, Kind: kind, Text: n.Text, At: s.local(n.At)})
	}
	if m := run.Meeting; m != nil && !m.Start.IsZero() {
		mv := &meetingView{Title: m.Title, Place: m.Place, Start: longTime(s.local(m.Start)), Cancelled: m.Cancelled, Sequence: m.Sequence,
			StartInput: s.local(m.Start).Format("2006-01-02T15:04"), CanChange: !m.Issued.IsZero()}
		for _, a := range m.Attendees {
			mv.Attendees = append(mv.Attendees, attendeeRow{Name: a.Name, Email: a.Email, Answer: partstatIndo[a.PartStat], Delegate: a.Delegate})
		}
		d.Meeting = mv
	}
	events, err := tx.Events(run.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		d.History = append(d.History, histRow{Seq: e.Seq, At: s.local(e.At), Type: string(e.Event.Type), Actor: s.who(e.Actor), Evidence: e.Evidence, Notes: e.Notes})
	}
	if err := s.fillMail(tx, d, run, events); err != nil {
		return err
	}
	return s.fillFiles(tx, d, run)
}

// rounds is the timeline's bars of step i: one per round; a step done
// before mailflow saw it, or a run stored before rounds were kept, gets
// one bar for its total.
func (s *req) rounds(run *flow.Run, i int, row flow.StatusRow, now time.Time) []tlRound {
	out := stepRounds(row)
	if len(out) == 0 && row.Status != flow.StepPending {
		out = []tlRound{{Round: max(run.Steps[i].Round, 1), Minutes: row.Actual, Active: row.Status == flow.StepActive}}
	}
	return out
}

// who names an actor as the office knows them.
func (s *req) who(addr string) string {
	if p, ok := s.conf().Office.Person(addr); ok {
		return p.Name
	}
	if strings.HasPrefix(addr, "web:") {
		return "konsol: " + strings.TrimPrefix(addr, "web:")
	}
	return addr
}

func (s *req) fillFiles(tx *store.Tx, d *runData, run *flow.Run) error {
	rows, err := tx.Attachments(run.ID)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, a := range rows {
		seen[a.SHA256+a.Filename] = true
		d.Files = append(d.Files, fileRow{Name: a.Filename, SHA: a.SHA256, Type: a.ContentType, Size: a.Size, At: s.local(a.At), Message: a.MessageID})
	}
	// Files that came with the start (the disposition) or were recorded
	// only in the run's state.
	for _, a := range runFiles(run) {
		if !seen[a.SHA256+a.Filename] {
			seen[a.SHA256+a.Filename] = true
			d.Files = append(d.Files, fileRow{Name: a.Filename, SHA: a.SHA256, Type: a.ContentType, Size: a.Size})
		}
	}
	sort.SliceStable(d.Files, func(i, j int) bool { return d.Files[i].At.Before(d.Files[j].At) })
	return nil
}

// runFiles is every attachment the run's state names.
func runFiles(run *flow.Run) []flow.Attachment {
	var out []flow.Attachment
	for _, doc := range run.Docs {
		out = append(out, doc.Attachments...)
	}
	for _, u := range run.Units {
		for _, h := range u.History {
			out = append(out, h.Attachments...)
		}
		out = append(out, u.Attachments...)
	}
	return out
}

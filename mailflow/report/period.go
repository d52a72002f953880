package report

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// PeriodReport is every run of one SOP started in a year, with each step's
// compliance rate: what an evaluation of SOP implementation (SAKIP) asks.
type PeriodReport struct {
	src   Source
	SOPID string
	Year  int
	Runs  []*RunForm
	Steps []StepRate
}

// StepRate is how often a step stayed within its Mutu Baku over the runs
// that completed it.
type StepRate struct {
	Number   int
	Kegiatan string
	MutuBaku string
	Done     int // runs in which the step was completed
	Within   int // of those, every round within the Mutu Baku
	Rounds   int // rounds over all those runs
}

// Rate is Within/Done as a percentage; -1 when no run completed the step.
func (s StepRate) Rate() float64 {
	if s.Done == 0 {
		return -1
	}
	return 100 * float64(s.Within) / float64(s.Done)
}

// Period writes the period report of SOP sopID (its ID, e.g. "lakip", or its
// number; "" when the office has one SOP) for the runs started in year (in
// the office's time zone).
func Period(ctx context.Context, w io.Writer, src Source, sopID string, year int) error {
	p, err := LoadPeriod(ctx, src, sopID, year)
	if err != nil {
		return err
	}
	return p.WritePDF(w)
}

// LoadPeriod reads what the period report shows.
func LoadPeriod(ctx context.Context, src Source, sopID string, year int) (*PeriodReport, error) {
	o := src.Env.Office
	if sopID == "" {
		if len(o.SOPs) != 1 {
			return nil, fmt.Errorf("the config has %d SOPs: name one (-sop)", len(o.SOPs))
		}
		sopID = o.SOPs[0].ID
	}
	d, ok := o.SOP(sopID)
	if !ok {
		for i := range o.SOPs {
			if o.SOPs[i].Number == sopID {
				d, ok = &o.SOPs[i], true
			}
		}
	}
	if !ok {
		return nil, fmt.Errorf("no SOP %q in the config", sopID)
	}
	if year < 2000 || year > 9999 {
		return nil, fmt.Errorf("year %d is out of range", year)
	}
	loc := src.loc()
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, loc), time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	p := &PeriodReport{src: src, SOPID: d.ID, Year: year}
	err := src.Store.View(ctx, func(tx *store.Tx) error {
		infos, err := tx.Runs("")
		if err != nil {
			return err
		}
		for i := len(infos) - 1; i >= 0; i-- { // oldest first
			info := infos[i]
			if info.SOP != d.ID {
				continue
			}
			run, err := tx.LoadRun(info.ID)
			if err != nil {
				return err
			}
			if run.StartedAt.Before(from) || !run.StartedAt.Before(to) {
				continue
			}
			events, err := tx.Events(run.ID)
			if err != nil {
				return err
			}
			out, err := tx.Outbox(run.ID)
			if err != nil {
				return err
			}
			f, err := build(src, run, events, out)
			if err != nil {
				return err
			}
			p.Runs = append(p.Runs, f)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range d.Steps {
		sr := StepRate{Number: s.Number, Kegiatan: s.Kegiatan, MutuBaku: s.Waktu.String()}
		for _, f := range p.Runs {
			for _, row := range f.Steps {
				if row.Number != s.Number || !row.Done || !row.Measured {
					continue
				}
				sr.Done++
				sr.Rounds += len(row.Rounds)
				if row.Within {
					sr.Within++
				}
			}
		}
		p.Steps = append(p.Steps, sr)
	}
	return p, nil
}

// WritePDF lays the period report out as a PDF.
func (p *PeriodReport) WritePDF(w io.Writer) error {
	loc := p.src.loc()
	o := p.src.Env.Office
	d0, _ := o.SOP(p.SOPID)
	printed := p.src.now()
	title := fmt.Sprintf("Rekapitulasi Monitoring %s Tahun %d", d0.Number, p.Year)
	d := newDoc("L", printed, title)
	d.AddPage()
	d.SetFont("Helvetica", "B", 13)
	d.CellFormat(0, 7, d.tr(fmt.Sprintf("REKAPITULASI MONITORING PELAKSANAAN SOP TAHUN %d", p.Year)), "", 1, "C", false, 0, "")
	d.SetFont("Helvetica", "", 10)
	d.CellFormat(0, 5, d.tr(clean(o.Name)), "", 1, "C", false, 0, "")
	d.Ln(3)
	const kw = 52
	d.label("Nomor SOP", d0.Number, kw)
	d.label("Nama SOP", d0.Name, kw)
	d.label("Disahkan oleh", orDash(d0.Meta.DisahkanOleh), kw)
	d.label("Periode", fmt.Sprintf("1 Januari %d s.d. 31 Desember %d", p.Year, p.Year), kw)
	d.label("Jumlah pelaksanaan", fmt.Sprintf("%d", len(p.Runs)), kw)
	d.Ln(3)

	d.SetFont("Helvetica", "B", 10)
	d.CellFormat(0, 6, "A. Daftar pelaksanaan", "", 1, "L", false, 0, "")
	t := &table{d: d, widths: []float64{10, 22, 75, 50, 50, 26, 40},
		head: []string{"No", "Run", "Kegiatan", "Mulai", "Selesai", "Status", "Langkah sesuai Mutu Baku"}}
	t.header()
	for i, f := range p.Runs {
		within, done := 0, 0
		for _, s := range f.Steps {
			if s.Done && s.Measured {
				done++
				if s.Within {
					within++
				}
			}
		}
		end := "-"
		if !f.Run.FinishedAt.IsZero() {
			end = workcal.Format(f.Run.FinishedAt.In(loc))
		}
		t.row([]string{fmt.Sprint(i + 1), f.Run.ID, f.Run.Title, workcal.Format(f.Run.StartedAt.In(loc)), end, runStatus(f.Run),
			fmt.Sprintf("%d dari %d", within, done)})
	}
	if len(p.Runs) == 0 {
		t.row([]string{"-", "-", fmt.Sprintf("Tidak ada pelaksanaan SOP ini yang dimulai pada tahun %d", p.Year), "", "", "", ""})
	}
	d.Ln(4)
	d.SetFont("Helvetica", "B", 10)
	d.CellFormat(0, 6, "B. Tingkat kepatuhan per langkah", "", 1, "L", false, 0, "")
	t = &table{d: d, widths: []float64{10, 95, 22, 34, 34, 24, 54},
		head: []string{"No", "Prosedur", "Mutu Baku", "Pelaksanaan selesai", "Sesuai Mutu Baku", "Putaran", "Tingkat kepatuhan"}}
	t.header()
	for _, s := range p.Steps {
		rate := "-"
		if r := s.Rate(); r >= 0 {
			rate = fmt.Sprintf("%.0f%%", r)
		}
		t.row([]string{fmt.Sprint(s.Number), s.Kegiatan, s.MutuBaku, fmt.Sprint(s.Done), fmt.Sprint(s.Within), fmt.Sprint(s.Rounds), rate})
	}
	f := &RunForm{src: p.src, Printed: printed}
	f.signature(d, loc)
	return output(d, w)
}

package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// formWidths are the columns of the form on A4 landscape (273 mm inside
// the margins): the Permenpan RB 35/2012 monitoring form's No, Prosedur,
// Penilaian, Catatan and Tindakan, with mailflow's measured facts between
// (Pelaksana, Mutu Baku against the working time per round, the evidence).
var formWidths = []float64{8, 38, 44, 16, 36, 24, 47, 40, 20}

var formHead = []string{"No", "Prosedur", "Pelaksana", "Mutu Baku", "Waktu kerja per putaran",
	"Penilaian", "Bukti (Message-ID, waktu)", "Catatan", "Tindakan yang harus diambil"}

// WritePDF lays the form out as a PDF.
func (f *RunForm) WritePDF(w io.Writer) error {
	loc := f.src.loc()
	title := fmt.Sprintf("Formulir Monitoring Pelaksanaan %s - %s", f.SOP.Number, f.Run.ID)
	d := newDoc("L", f.Printed, title)
	d.AddPage()
	f.identity(d, loc)
	d.Ln(3)
	t := &table{d: d, widths: formWidths, head: formHead}
	t.header()
	md := f.src.Env.Cal.MinutesPerDay()
	for _, s := range f.Steps {
		t.row([]string{fmt.Sprint(s.Number), s.Kegiatan, pelaksanaText(s.Pelaksana), s.MutuBaku,
			roundsText(s.Rounds, md, loc), penilaian(s, md), evidenceText(s.Evidence, loc), strings.Join(s.Catatan, "\n"),
			""}) // Tindakan: the monitor's own judgement, written by hand
	}
	f.signature(d, loc)
	return output(d, w)
}

func (f *RunForm) identity(d *doc, loc *time.Location) {
	d.SetFont("Helvetica", "B", 13)
	d.CellFormat(0, 7, "FORMULIR MONITORING PELAKSANAAN SOP", "", 1, "C", false, 0, "")
	d.SetFont("Helvetica", "", 10)
	d.CellFormat(0, 5, d.tr(clean(f.src.Env.Office.Name)), "", 1, "C", false, 0, "")
	d.Ln(3)
	m := f.SOP.Meta
	const kw = 52
	d.label("Nomor SOP", f.SOP.Number, kw)
	d.label("Nama SOP", f.SOP.Name, kw)
	d.label("Tanggal pembuatan / revisi / efektif", orDash(m.TanggalPembuatan)+" / "+orDash(m.TanggalRevisi)+" / "+orDash(m.TanggalEfektif), kw)
	d.label("Disahkan oleh", orDash(m.DisahkanOleh), kw)
	d.label("Pelaksanaan yang dimonitor", fmt.Sprintf("%s (run %s)", f.Run.Title, f.Run.ID), kw)
	period := workcal.Format(f.Run.StartedAt.In(loc)) + " s.d. "
	if f.Run.FinishedAt.IsZero() {
		period += "sekarang (masih berjalan)"
	} else {
		period += workcal.Format(f.Run.FinishedAt.In(loc))
	}
	d.label("Periode monitoring", period, kw)
	d.label("Status", runStatus(f.Run), kw)
	within, done := 0, 0
	for _, s := range f.Steps {
		if s.Done && s.Measured {
			done++
			if s.Within {
				within++
			}
		}
	}
	d.label("Ringkasan", fmt.Sprintf("%d dari %d langkah yang selesai sesuai Mutu Baku; %d langkah dalam SOP", within, done, len(f.Steps)), kw)
}

func runStatus(r *flow.Run) string {
	s := map[string]string{flow.RunActive: "Berjalan", flow.RunFinished: "Selesai", flow.RunCancelled: "Dibatalkan"}[r.Status]
	if s == "" {
		s = r.Status
	}
	if r.Revisions > 0 {
		s += fmt.Sprintf("; draf direvisi %d kali", r.Revisions)
	}
	return s
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func pelaksanaText(ps []Pelaksana) string {
	var parts []string
	for _, p := range ps {
		lines := []string{p.Name}
		switch {
		case p.Acting != "" && p.For != "":
			lines = append(lines, p.Acting+" "+p.For)
		case p.Acting != "":
			lines = append(lines, p.Acting)
		}
		if p.Jabatan != "" {
			lines = append(lines, p.Jabatan)
		}
		if p.NIP != "" {
			lines = append(lines, "NIP. "+p.NIP)
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "\n\n")
}

func roundsText(rs []Round, md int, loc *time.Location) string {
	if len(rs) == 0 {
		return "belum dimulai"
	}
	var out []string
	for _, r := range rs {
		end := "berjalan"
		if !r.DoneAt.IsZero() {
			end = short(r.DoneAt, loc)
		}
		line := fmt.Sprintf("Putaran %d: %s\n%s s.d. %s", r.N, workcal.Durasi(r.WorkMinutes, md), short(r.StartedAt, loc), end)
		if r.Outcome != "" {
			line += "\n(" + outcomeText(r.Outcome) + ")"
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// penilaian is the form's "berjalan dengan baik / tidak" per step.
func penilaian(s StepRow, md int) string {
	if !s.Measured {
		return "Tidak diukur: dilaksanakan sebelum surel disposisi diterima"
	}
	if len(s.Rounds) == 0 {
		return "Belum dilaksanakan"
	}
	var over []string
	for _, r := range s.Rounds {
		if !r.Within {
			over = append(over, fmt.Sprintf("putaran %d: lebih %s", r.N, workcal.Durasi(r.WorkMinutes-s.Limit, md)))
		}
	}
	switch {
	case len(over) > 0:
		return "Tidak: melebihi Mutu Baku (" + strings.Join(over, "; ") + ")"
	case !s.Done:
		return "Sedang berjalan, masih dalam Mutu Baku"
	}
	return "Berjalan dengan baik: sesuai Mutu Baku"
}

func evidenceText(es []Evidence, loc *time.Location) string {
	if len(es) == 0 {
		return "-"
	}
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s, %s\n%s\n<%s>", e.What, short(e.At, loc), e.By, e.MessageID))
	}
	return strings.Join(out, "\n")
}

// signature is the block of the monitor (the Kasubag Perencanaan), right
// aligned as in a naskah dinas: place and date, title, room to sign, name,
// NIP.
func (f *RunForm) signature(d *doc, loc *time.Location) {
	o := f.src.Env.Office
	role := f.src.monitor()
	title := role
	if r, ok := o.Role(role); ok {
		title = r.Name
	}
	var who *sop.Holder
	if hs := o.Holders(role, f.Printed); len(hs) > 0 {
		who = &hs[0]
	}
	_, ph := d.GetPageSize()
	if d.GetY()+48 > ph-12 {
		d.AddPage()
	}
	d.Ln(8)
	const x, w = 185.0, 100.0
	line := func(s, style string) {
		d.SetX(x)
		d.SetFont("Helvetica", style, 9)
		d.CellFormat(w, 5, d.tr(clean(s)), "", 1, "L", false, 0, "")
	}
	date := workcal.Tanggal(f.Printed.In(loc))
	if i := strings.Index(date, ", "); i >= 0 {
		date = date[i+2:] // "6 Mei 2024": the signature line has no weekday
	}
	if f.src.Place != "" {
		date = f.src.Place + ", " + date
	}
	line(date, "")
	line("Yang melakukan monitoring,", "")
	if who != nil && who.Acting != "" {
		line(who.Acting+" "+title+",", "")
	} else {
		line(title+",", "")
	}
	d.Ln(18)
	if who != nil {
		line(who.Person.Name, "BU")
		if who.Person.NIP != "" {
			line("NIP. "+who.Person.NIP, "")
		}
	} else {
		line("(....................................)", "")
		line("NIP.", "")
	}
}

func output(d *doc, w io.Writer) error {
	if err := d.Error(); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

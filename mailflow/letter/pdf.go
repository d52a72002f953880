// Package letter issues the Undangan Rapat Tim as a naskah dinas PDF
// (Permendagri No. 1 Tahun 2023): kop, Nomor from the office's pattern and
// a running number kept in the store, Sifat, Lampiran, Hal, the Yth. list,
// the meeting, and the signature block ("a.n. Kepala Dinas, Sekretaris").
// A rescheduling issues a new letter ("semula ... menjadi ..."), a
// cancellation one that says a new date will follow. It sits beside
// render: render writes the mail, letter the document the mail carries.
package letter

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// What a letter says.
const (
	KindUndangan   = "undangan"
	KindPerubahan  = "perubahan"
	KindPembatalan = "pembatalan"
)

// ErrRender marks a letter that cannot be drawn (a bad logo image): trying
// again does not help. Other errors of Issue come from the number store.
var ErrRender = errors.New("cannot draw letter")

// Doc is everything printed on the letter, resolved.
type Doc struct {
	Kind     string
	Kop      sop.Kop
	Nomor    string
	Date     time.Time // the letter's date, in the office zone
	Sifat    string
	Lampiran string // "1 (satu) berkas" or "-"
	Hal      string
	Yth      []string // the addressees, by jabatan
	MaxYth   int      // more than this: "Yth. (daftar terlampir)" and a lampiran page
	Opening  string   // the sentence before the meeting's label column
	Start    time.Time
	End      time.Time // zero: "s.d. selesai"
	Place    string
	Acara    string
	// Previous is the schedule the last letter announced (perubahan).
	PrevStart time.Time
	PrevPlace string
	Signer    sop.Signer
	Tembusan  []string
}

// Layout constants (mm, A4). Tests read the nomor's place from them.
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 25.0
	marginR      = 20.0
	kopBottom    = 44.0 // the rule under the kop
	labelW       = 24.0 // Nomor/Sifat/Lampiran/Hal column
	// NomorTop is where the Nomor line starts: below the kop and the date line.
	NomorTop = kopBottom + 14.0
)

// PDF renders d. The output depends only on d (dates inside the file are
// d.Date), so a letter rendered again is byte-identical.
func PDF(d Doc) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(marginL, 15, marginR)
	p.SetAutoPageBreak(true, 12)
	p.SetCreationDate(d.Date)
	p.SetModificationDate(d.Date)
	p.SetCatalogSort(true)
	p.SetTitle(d.Hal, true)
	p.SetProducer("", false)
	tr := p.UnicodeTranslatorFromDescriptor("") // cp1252: the core fonts' encoding
	w := &writer{p: p, tr: tr}
	p.AddPage()
	if err := w.kop(d.Kop); err != nil {
		return nil, err
	}
	w.header(d)
	w.body(d)
	w.signature(d.Signer)
	w.tembusan(d.Tembusan)
	if len(d.Yth) > d.maxYth() {
		w.daftar(d)
	}
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrRender, d.Nomor, err)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrRender, d.Nomor, err)
	}
	return b.Bytes(), nil
}

func (d Doc) maxYth() int {
	if d.MaxYth <= 0 {
		return 10
	}
	return d.MaxYth
}

type writer struct {
	p  *fpdf.Fpdf
	tr func(string) string
}

func (w *writer) font(style string, size float64) { w.p.SetFont("Arial", style, size) }

func (w *writer) cell(width, h float64, s, align string) {
	w.p.CellFormat(width, h, w.tr(s), "", 0, align, false, 0, "")
}

func (w *writer) line(h float64, s, align string) {
	w.p.CellFormat(0, h, w.tr(s), "", 1, align, false, 0, "")
}

func (w *writer) para(h float64, s string) { w.p.MultiCell(0, h, w.tr(s), "", "J", false) }

// kop: the emblem on the left, the lines centred, a thick and a thin rule.
func (w *writer) kop(k sop.Kop) error {
	p := w.p
	// The logo is checked when the config loads; if the file has gone since,
	// the letter goes without it rather than not at all.
	if b, err := os.ReadFile(k.Logo); k.Logo != "" && err == nil {
		tp := "PNG"
		if l := strings.ToLower(k.Logo); strings.HasSuffix(l, ".jpg") || strings.HasSuffix(l, ".jpeg") {
			tp = "JPG"
		}
		opt := fpdf.ImageOptions{ImageType: tp}
		p.RegisterImageOptionsReader("kop", opt, bytes.NewReader(b))
		p.ImageOptions("kop", marginL-5, 13, 0, 26, false, opt, 0, "")
	}
	p.SetY(13)
	for i, l := range k.Lines {
		size := 14.0
		if i == len(k.Lines)-1 {
			size = 15
		}
		w.font("B", size)
		w.line(6.5, l, "C")
	}
	w.font("", 9.5)
	if k.Address != "" {
		w.line(4.5, k.Address, "C")
	}
	if k.Contact != "" {
		w.line(4.5, k.Contact, "C")
	}
	y := max(p.GetY()+1.5, kopBottom-1.2)
	p.SetLineWidth(0.9)
	p.Line(marginL-5, y, pageW-marginR+5, y)
	p.SetLineWidth(0.25)
	p.Line(marginL-5, y+1.2, pageW-marginR+5, y+1.2)
	p.SetY(y + 4)
	return nil
}

func (w *writer) header(d Doc) {
	p := w.p
	w.font("", 11)
	_, date, _ := strings.Cut(tanggal(d.Date), ", ") // the date line has no weekday
	if d.Kop.City != "" {
		date = d.Kop.City + ", " + date
	}
	w.line(5.5, date, "R")
	p.SetY(max(p.GetY()+2, NomorTop))
	for _, r := range [][2]string{{"Nomor", d.Nomor}, {"Sifat", d.Sifat}, {"Lampiran", d.Lampiran}, {"Hal", d.Hal}} {
		w.cell(labelW, 5.5, r[0], "L")
		w.cell(4, 5.5, ":", "L")
		if r[0] == "Hal" {
			w.font("B", 11)
		}
		p.MultiCell(0, 5.5, w.tr(r[1]), "", "L", false)
		w.font("", 11)
	}
	p.Ln(4)
	if len(d.Yth) > d.maxYth() || len(d.Yth) == 0 {
		w.line(5.5, "Yth. (daftar terlampir)", "L")
	} else {
		w.line(5.5, "Yth.", "L")
		for i, y := range d.Yth {
			p.SetX(marginL + 8)
			p.MultiCell(0, 5.5, w.tr(fmt.Sprintf("%d. %s", i+1, y)), "", "L", false)
		}
	}
	w.line(5.5, "di \u2013", "L")
	p.SetX(marginL + 8)
	w.line(5.5, "Tempat", "L")
	p.Ln(4)
}

func (w *writer) body(d Doc) {
	p := w.p
	ind := marginL + 8.0
	p.SetX(marginL)
	w.para(5.5, d.Opening)
	p.Ln(2)
	rows := [][2]string{}
	if d.Kind == KindPerubahan && !d.PrevStart.IsZero() {
		rows = append(rows, [2]string{"semula", ""},
			[2]string{"  Hari/tanggal", tanggal(d.PrevStart)},
			[2]string{"  Pukul", pukul(d.PrevStart) + " s.d. selesai"})
		if d.PrevPlace != "" && d.PrevPlace != d.Place {
			rows = append(rows, [2]string{"  Tempat", d.PrevPlace})
		}
		rows = append(rows, [2]string{"menjadi", ""})
	}
	rows = append(rows, [2]string{"Hari/tanggal", tanggal(d.Start)}, [2]string{"Pukul", pukul(d.Start) + " s.d. selesai"},
		[2]string{"Tempat", d.Place}, [2]string{"Acara", d.Acara})
	for _, r := range rows {
		p.SetX(ind)
		if r[1] == "" {
			w.font("I", 11)
			w.line(5.5, r[0]+":", "L")
			w.font("", 11)
			continue
		}
		w.cell(30, 5.5, strings.TrimSpace(r[0]), "L")
		w.cell(4, 5.5, ":", "L")
		p.MultiCell(0, 5.5, w.tr(r[1]), "", "L", false)
	}
	p.Ln(1)
	p.SetX(marginL)
	switch d.Kind {
	case KindPembatalan:
		w.para(5.5, "DIBATALKAN. Jadwal pengganti akan kami sampaikan kemudian. Demikian disampaikan, atas perhatian Bapak/Ibu diucapkan terima kasih.")
	default:
		w.para(5.5, "Mengingat pentingnya acara tersebut, kehadiran Bapak/Ibu sangat diharapkan. Demikian disampaikan, atas perhatiannya diucapkan terima kasih.")
	}
	p.Ln(4)
}

// signature: right-aligned from the middle of the page.
func (w *writer) signature(s sop.Signer) {
	p := w.p
	x := pageW/2 + 10
	put := func(style, s string) {
		w.font(style, 11)
		p.SetX(x)
		w.line(5.5, s, "L")
	}
	if s.OnBehalf != "" {
		put("", "a.n. "+strings.ToUpper(s.OnBehalf))
	}
	jab := s.Jabatan
	if s.Acting != "" {
		jab = s.Acting + " " + jab
	}
	put("", strings.ToUpper(jab)+",")
	w.font("I", 8.5)
	p.SetX(x)
	w.line(4, "Ditandatangani secara elektronik", "L")
	p.Ln(10)
	put("BU", s.Name)
	if s.NIP != "" {
		put("", "NIP. "+s.NIP)
	}
}

func (w *writer) tembusan(t []string) {
	if len(t) == 0 {
		return
	}
	p := w.p
	p.Ln(4)
	w.font("", 10)
	w.line(5, "Tembusan:", "L")
	for i, s := range t {
		w.line(5, fmt.Sprintf("%d. %s", i+1, s), "L")
	}
}

// daftar is the lampiran page with the long Yth. list.
func (w *writer) daftar(d Doc) {
	p := w.p
	p.AddPage()
	w.font("", 10)
	for _, r := range [][2]string{{"Lampiran", "Surat " + d.Hal}, {"Nomor", d.Nomor}, {"Tanggal", tanggal(d.Date)}} {
		p.SetX(pageW / 2)
		w.cell(22, 5, r[0], "L")
		w.cell(4, 5, ":", "L")
		p.MultiCell(0, 5, w.tr(r[1]), "", "L", false)
	}
	p.Ln(8)
	w.font("B", 11)
	w.line(6, "DAFTAR UNDANGAN", "C")
	p.Ln(3)
	w.font("", 11)
	for i, y := range d.Yth {
		p.MultiCell(0, 5.5, w.tr(fmt.Sprintf("%d. %s", i+1, y)), "", "L", false)
	}
}

// tanggal: "Senin, 27 Mei 2024".
func tanggal(t time.Time) string { return workcal.Tanggal(t) }

func pukul(t time.Time) string { return workcal.Pukul(t) }

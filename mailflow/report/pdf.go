package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// doc wraps fpdf for the forms: core Helvetica (cp1252 covers Bahasa
// Indonesia), A4, text made inert before it is drawn.
type doc struct {
	*fpdf.Fpdf
	tr func(string) string
}

const lineH = 4.2 // mm per line of the 8 pt table text

func newDoc(orientation string, created time.Time, title string) *doc {
	p := fpdf.New(orientation, "mm", "A4", "")
	p.SetMargins(12, 12, 12)
	p.SetAutoPageBreak(false, 12) // rows break pages themselves (table.row)
	// A fixed creation date and sorted catalog: the same run gives the same
	// bytes, so a bundle's hash of its form means something.
	p.SetCreationDate(created)
	p.SetModificationDate(created)
	p.SetCatalogSort(true)
	p.SetTitle(title, true)
	p.SetCreator("mailflow", true)
	p.AliasNbPages("{nb}")
	d := &doc{Fpdf: p, tr: p.UnicodeTranslatorFromDescriptor("")}
	p.SetFooterFunc(func() {
		p.SetY(-9)
		p.SetFont("Helvetica", "I", 7)
		p.CellFormat(0, 4, d.tr(title+"  -  halaman ")+strconv.Itoa(p.PageNo())+" dari {nb}", "", 0, "R", false, 0, "")
	})
	return d
}

// clean keeps text to one safe shape: no control characters (an official's
// notes are untrusted), runs of spaces folded; newlines kept.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune('\n')
		case r == '\t' || r == '\r':
			b.WriteRune(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
			// zero-width and bidi controls: they could reorder what is printed
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// lines splits text for a column of width w at the current font.
func (d *doc) lines(s string, w float64) []string {
	var out []string
	for _, l := range d.SplitLines([]byte(d.tr(clean(s))), w) {
		out = append(out, string(l))
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// label writes "key : value" lines of an identity block.
func (d *doc) label(key, value string, keyW float64) {
	d.SetFont("Helvetica", "", 9)
	x := d.GetX()
	d.CellFormat(keyW, 5, d.tr(key), "", 0, "L", false, 0, "")
	d.CellFormat(4, 5, ":", "", 0, "L", false, 0, "")
	w, _ := d.GetPageSize()
	l, _, r, _ := d.GetMargins()
	d.MultiCell(w-r-l-keyW-4, 5, d.tr(clean(value)), "", "L", false)
	d.SetX(x)
}

// table draws rows of wrapped cells with a header row repeated on each page.
type table struct {
	d      *doc
	widths []float64
	head   []string
}

func (t *table) header() {
	t.d.SetFont("Helvetica", "B", 8)
	t.d.SetFillColor(225, 225, 225)
	t.rowAt(t.head, true)
	t.d.SetFont("Helvetica", "", 8)
}

// row draws one row; a row that does not fit goes to a new page, under the
// repeated header.
func (t *table) row(cells []string) {
	t.d.SetFont("Helvetica", "", 8)
	_, ph := t.d.GetPageSize()
	_, _, _, bottom := t.d.GetMargins()
	if t.d.GetY()+t.height(cells) > ph-bottom-4 {
		t.d.AddPage()
		t.header()
	}
	t.rowAt(cells, false)
}

// maxCellLines keeps every row within one page; what is cut is in the
// evidence bundle (events.json) in full.
const maxCellLines = 36

func (t *table) cell(c string, w float64) []string {
	ls := t.d.lines(c, w)
	if len(ls) > maxCellLines {
		ls = append(ls[:maxCellLines-1], t.d.tr("... (selengkapnya di bundel bukti)"))
	}
	return ls
}

func (t *table) height(cells []string) float64 {
	n := 1
	for i, c := range cells {
		if k := len(t.cell(c, t.widths[i])); k > n {
			n = k
		}
	}
	return float64(n)*lineH + 1.5
}

func (t *table) rowAt(cells []string, fill bool) {
	h := t.height(cells)
	x0, y0 := t.d.GetX(), t.d.GetY()
	x := x0
	for i, c := range cells {
		t.d.Rect(x, y0, t.widths[i], h, map[bool]string{true: "FD", false: "D"}[fill])
		for j, l := range t.cell(c, t.widths[i]) {
			t.d.SetXY(x, y0+0.75+float64(j)*lineH)
			t.d.CellFormat(t.widths[i], lineH, l, "", 0, "L", false, 0, "")
		}
		x += t.widths[i]
	}
	t.d.SetXY(x0, y0+h)
}

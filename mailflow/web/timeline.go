package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// tlStep is one SOP step on the timeline: its Mutu Baku and the working
// time of each round (a step entered again after a rejection has several).
type tlStep struct {
	Number   int
	Kegiatan string
	Waktu    string // the Mutu Baku as the SOP writes it
	Limit    int    // the Mutu Baku in working minutes
	Rounds   []tlRound
}

type tlRound struct {
	Round   int
	Minutes int
	Active  bool   // still being worked on: the time so far
	Outcome string // flow.Outcome*: rejected, manual, ...
}

const (
	tlWidth  = 760
	tlLabel  = 230 // the step labels' column
	tlChart  = tlWidth - tlLabel - 20
	tlBar    = 14
	tlGap    = 6
	tlHeader = 26
)

// timelineSVG draws each step's working time per round against its Mutu
// Baku. Times are scaled to the Mutu Baku (the dashed line): "10 menit"
// and "1 minggu" cannot share one linear axis, but "twice the Mutu Baku"
// reads the same for both. Bars past the right edge are clipped and
// labelled with their time.
func timelineSVG(steps []tlStep, dayMinutes int) template.HTML {
	maxRatio := 1.5
	for _, s := range steps {
		for _, r := range s.Rounds {
			if s.Limit > 0 {
				maxRatio = max(maxRatio, float64(r.Minutes)/float64(s.Limit)*1.1)
			}
		}
	}
	maxRatio = min(maxRatio, 4)
	limitX := tlLabel + int(float64(tlChart)/maxRatio)
	y := tlHeader
	var b strings.Builder
	for _, s := range steps {
		n := max(len(s.Rounds), 1)
		h := max(n*(tlBar+tlGap)+tlGap, 38)
		fmt.Fprintf(&b, `<g class="step" data-step="%d"><text x="4" y="%d">%d. %s</text><text class="small" x="4" y="%d">Mutu Baku %s</text>`,
			s.Number, y+15, s.Number, esc(clipRunes(s.Kegiatan, 30)), y+30, esc(s.Waktu))
		for i, r := range s.Rounds {
			by := y + tlGap + i*(tlBar+tlGap)
			ratio := 0.0
			if s.Limit > 0 {
				ratio = float64(r.Minutes) / float64(s.Limit)
			}
			wpx := int(ratio / maxRatio * float64(tlChart))
			wpx = max(min(wpx, tlChart), 2)
			class := "ok"
			switch {
			case r.Active:
				class = "active"
			case r.Minutes > s.Limit:
				class = "late"
			}
			label := workcal.Durasi(r.Minutes, dayMinutes)
			switch {
			case r.Active:
				label += " (berjalan)"
			case r.Outcome == flow.OutcomeRejected:
				label += " (ditolak)"
			case r.Outcome == flow.OutcomeManual:
				label += " (di atas kertas)"
			}
			title := fmt.Sprintf("Langkah %d putaran %d: %s dari Mutu Baku %s", s.Number, r.Round, label, s.Waktu)
			fmt.Fprintf(&b, `<rect class="bar %s" data-step="%d" data-round="%d" x="%d" y="%d" width="%d" height="%d"><title>%s</title></rect>`,
				class, s.Number, r.Round, tlLabel, by, wpx, tlBar, esc(title))
			tx, tclass := tlLabel+wpx+4, "small"
			if tx > tlWidth-110 { // no room right of the bar: write on it
				tx, tclass = tlLabel+wpx-110, "small inbar"
			}
			round := ""
			if len(s.Rounds) > 1 {
				round = fmt.Sprintf("P%d · ", r.Round)
			}
			fmt.Fprintf(&b, `<text class="%s" x="%d" y="%d">%s%s</text>`, tclass, tx, by+tlBar-3, esc(round), esc(label))
		}
		fmt.Fprintf(&b, `</g><line x1="0" x2="%d" y1="%d" y2="%d" stroke="#e3e8ee"/>`, tlWidth, y+h, y+h)
		y += h
	}
	height := y + 10
	head := fmt.Sprintf(`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="Waktu kerja tiap langkah terhadap Mutu Baku">`, tlWidth, height)
	head += fmt.Sprintf(`<text x="4" y="16">Langkah</text><text x="%d" y="16">waktu kerja (garis putus-putus = Mutu Baku)</text>`, tlLabel)
	head += fmt.Sprintf(`<line class="limit" x1="%d" x2="%d" y1="%d" y2="%d"/>`, limitX, limitX, tlHeader-4, height-6)
	return template.HTML(head + b.String() + `</svg>`)
}

func esc(s string) string { return html.EscapeString(s) }

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

package reply

import (
	"io"
	"strings"

	"github.com/emersion/go-ical"
)

// maxCalendar bounds how much of a calendar part is read.
const maxCalendar = 1 << 20

// calendar reads a text/calendar part; a METHOD:REPLY (RFC 5546 §3.2.3)
// gives the attendee's answer in its PARTSTAT.
func (w *walker) calendar(r io.Reader) {
	defer io.Copy(io.Discard, r)
	cal, err := ical.NewDecoder(io.LimitReader(r, maxCalendar)).Decode()
	if err != nil || cal == nil {
		return
	}
	if m := cal.Props.Get(ical.PropMethod); m == nil || !strings.EqualFold(m.Value, "REPLY") {
		return
	}
	for _, c := range cal.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		if uid := c.Props.Get(ical.PropUID); uid != nil {
			w.p.CalendarUID = uid.Value
		}
		for _, att := range c.Props.Values(ical.PropAttendee) {
			ps := strings.ToUpper(att.Params.Get(ical.ParamParticipationStatus))
			if ps == "" {
				continue
			}
			w.p.PartStat = ps
			v := att.Value
			if len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
				v = v[7:]
			}
			w.p.Attendee = strings.ToLower(strings.TrimSpace(v))
			return
		}
	}
}

package reply

import (
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-ical"
)

// maxCalendar bounds how much of a calendar part is read.
const maxCalendar = 1 << 20

// calendar reads a text/calendar part. Its event UID is kept whatever the
// method (it correlates the message with our invitation); a METHOD:REPLY
// (RFC 5546 §3.2.3) gives the attendee's answer in its PARTSTAT. A later
// calendar part (Google's invite.ics repeats the first) changes nothing.
func (w *walker) calendar(r io.Reader) {
	defer io.Copy(io.Discard, r)
	if w.calReply {
		return
	}
	cal, err := decodeCalendar(io.LimitReader(r, maxCalendar))
	if err != nil || cal == nil {
		return
	}
	m := cal.Props.Get(ical.PropMethod)
	isReply := m != nil && strings.EqualFold(m.Value, "REPLY")
	for _, c := range cal.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		if uid := c.Props.Get(ical.PropUID); uid != nil && (w.p.CalendarUID == "" || isReply) {
			w.p.CalendarUID = uid.Value
		}
		if !isReply {
			return
		}
		for _, att := range c.Props.Values(ical.PropAttendee) {
			ps := strings.ToUpper(att.Params.Get(ical.ParamParticipationStatus))
			if ps == "" {
				continue
			}
			w.p.PartStat = ps
			w.p.Attendee = mailto(att.Value)
			if ps == "DELEGATED" {
				w.p.Delegate = delegate(c, att.Params.Get("DELEGATED-TO"))
			}
			w.calReply = true
			return
		}
		return
	}
}

// delegate names who comes instead of a DELEGATED attendee: the name
// (CN) the event gives the DELEGATED-TO address, else the address.
func delegate(ev *ical.Component, to string) string {
	addr := mailto(to)
	if addr == "" {
		return ""
	}
	for _, att := range ev.Props.Values(ical.PropAttendee) {
		if mailto(att.Value) == addr {
			if cn := strings.TrimSpace(att.Params.Get(ical.ParamCommonName)); cn != "" {
				return cn
			}
		}
	}
	return addr
}

// mailto strips the "mailto:" of a calendar address.
func mailto(v string) string {
	if len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// CalendarReply reads an iCalendar object the way Parse reads a calendar
// part: the event UID, and for a METHOD:REPLY the first attendee's
// PARTSTAT and address. It exists for the fuzz target and for tools.
func CalendarReply(r io.Reader) (uid, partstat, attendee string) {
	w := &walker{p: &Parsed{}}
	w.calendar(r)
	return w.p.CalendarUID, w.p.PartStat, w.p.Attendee
}

// decodeCalendar is go-ical's decoder, made safe: it panics on some
// malformed content lines ("0;0=", found by FuzzCalendarReply), and a
// hostile calendar part must not take the daemon down.
func decodeCalendar(r io.Reader) (cal *ical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			cal, err = nil, fmt.Errorf("malformed calendar: %v", p)
		}
	}()
	return ical.NewDecoder(r).Decode()
}

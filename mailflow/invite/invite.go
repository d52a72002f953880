// Package invite builds the iCalendar object of the Rapat Tim invitation
// (RFC 5545) as an iTIP REQUEST or CANCEL (RFC 5546) to be carried in mail
// (iMIP, RFC 6047): the office is the ORGANIZER, every team member an
// ATTENDEE asked to answer, times in Asia/Jakarta with its VTIMEZONE.
package invite

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// iTIP methods this package produces (RFC 5546 §1.4).
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// ProdID names the producer (RFC 5545 §3.7.3).
const ProdID = "-//mailflow//Rapat Tim//ID"

// Options complete what flow.Invite does not carry.
type Options struct {
	// Loc is the zone the meeting is held in (the office's, Asia/Jakarta).
	Loc *time.Location
	// Stamp is DTSTAMP: when this iTIP message was created. Pass the
	// outbox row's creation time so that retries produce the same bytes.
	Stamp time.Time
	// Description is the event's DESCRIPTION (optional, plain text).
	Description string
	// Alarm is when a VALARM reminds the attendee (zero: none); mail-out
	// sets it one working day before a REQUEST.
	Alarm time.Time
}

// Method returns the iTIP method of inv, upper-cased, REQUEST by default.
func Method(inv *flow.Invite) string {
	if m := strings.ToUpper(strings.TrimSpace(inv.Method)); m != "" {
		return m
	}
	return MethodRequest
}

// Build returns the folded .ics text (CRLF line ends) for inv.
func Build(inv *flow.Invite, opt Options) ([]byte, error) {
	if inv == nil {
		return nil, errors.New("build invitation: no invite")
	}
	if inv.UID == "" || inv.Start.IsZero() || !inv.End.After(inv.Start) {
		return nil, fmt.Errorf("build invitation %q: needs a UID and a start before the end", inv.UID)
	}
	method := Method(inv)
	if method != MethodRequest && method != MethodCancel {
		return nil, fmt.Errorf("build invitation %s: method %s is not REQUEST or CANCEL", inv.UID, method)
	}
	loc := opt.Loc
	if loc == nil {
		loc = inv.Start.Location()
	}
	start, end := inv.Start.In(loc), inv.End.In(loc)
	stamp := opt.Stamp
	if stamp.IsZero() {
		return nil, fmt.Errorf("build invitation %s: no DTSTAMP given", inv.UID)
	}

	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropProductID, ProdID)
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, method)
	cal.Children = append(cal.Children, timezone(loc, start))

	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, inv.UID)
	ev.Props.SetDateTime(ical.PropDateTimeStamp, stamp.UTC())
	ev.Props.SetDateTime(ical.PropDateTimeStart, start)
	ev.Props.SetDateTime(ical.PropDateTimeEnd, end)
	ev.Props.Set(raw(ical.PropSequence, fmt.Sprint(inv.Sequence)))
	ev.Props.SetText(ical.PropSummary, inv.Summary)
	if inv.Place != "" {
		ev.Props.SetText(ical.PropLocation, inv.Place)
	}
	if opt.Description != "" {
		ev.Props.SetText(ical.PropDescription, opt.Description)
	}
	ev.Props.SetText(ical.PropTransparency, "OPAQUE")
	ev.Props.SetText(ical.PropClass, "PUBLIC")
	// RFC 5546 §3.2.2 (REQUEST) and §3.2.5 (CANCEL): the STATUS of the event.
	if method == MethodCancel {
		ev.Props.SetText(ical.PropStatus, "CANCELLED")
	} else {
		ev.Props.SetText(ical.PropStatus, "CONFIRMED")
	}
	org := ical.NewProp(ical.PropOrganizer)
	org.Value = "mailto:" + inv.Organizer.Email
	if cn := paramText(inv.Organizer.Name); cn != "" {
		org.Params.Set(ical.ParamCommonName, cn)
	}
	ev.Props.Set(org)
	for _, a := range inv.Attendees {
		p := ical.NewProp(ical.PropAttendee)
		p.Value = "mailto:" + a.Email
		if cn := paramText(a.Name); cn != "" {
			p.Params.Set(ical.ParamCommonName, cn)
		}
		p.Params.Set(ical.ParamRole, "REQ-PARTICIPANT")
		if method == MethodRequest {
			// RFC 5546 §3.2.5: a CANCEL asks nothing of the attendee.
			p.Params.Set(ical.ParamParticipationStatus, "NEEDS-ACTION")
			p.Params.Set(ical.ParamRSVP, "TRUE")
		}
		p.Params.Set(ical.ParamCalendarUserType, "INDIVIDUAL")
		ev.Props.Add(p)
	}
	if !opt.Alarm.IsZero() && method == MethodRequest {
		// RFC 5545 §3.6.6: an absolute trigger, since "one working day
		// before" skips weekends and holidays that a duration cannot.
		al := ical.NewComponent(ical.CompAlarm)
		al.Props.SetText(ical.PropAction, "DISPLAY")
		al.Props.SetText(ical.PropDescription, "Pengingat: "+inv.Summary+", "+workcal.Format(start))
		tr := raw(ical.PropTrigger, opt.Alarm.UTC().Format("20060102T150405Z"))
		tr.Params.Set(ical.ParamValue, "DATE-TIME")
		al.Props.Set(tr)
		ev.Children = append(ev.Children, al)
	}
	cal.Children = append(cal.Children, ev.Component)

	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return nil, fmt.Errorf("encode invitation %s: %w", inv.UID, err)
	}
	return Fold(buf.Bytes()), nil
}

// timezone is the VTIMEZONE for loc (RFC 5545 §3.6.5). Indonesia has kept
// one offset without daylight saving since 1964, so one STANDARD
// observance is the whole story; a zone with DST would need its rules.
func timezone(loc *time.Location, at time.Time) *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())
	std := ical.NewComponent(ical.CompTimezoneStandard)
	_, off := at.Zone()
	std.Props.Set(raw(ical.PropDateTimeStart, "19700101T000000"))
	std.Props.Set(raw(ical.PropTimezoneOffsetFrom, offset(off)))
	std.Props.Set(raw(ical.PropTimezoneOffsetTo, offset(off)))
	std.Props.SetText(ical.PropTimezoneName, workcal.ZoneName(at))
	tz.Children = append(tz.Children, std)
	return tz
}

// raw is a property in its default value type, written as given.
func raw(name, value string) *ical.Prop {
	p := ical.NewProp(name)
	p.Value = value
	return p
}

func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec%3600/60)
}

// paramText makes a name safe as a parameter value: no DQUOTE, no
// control characters (RFC 5545 §3.1, param-value).
func paramText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' {
			return '\''
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Fold folds every content line longer than 75 octets (RFC 5545 §3.1):
// CRLF followed by one space, never inside a UTF-8 sequence. Input lines
// end with CRLF (or LF); the output uses CRLF.
func Fold(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/70*3)
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			continue
		}
		limit := 75 // the first line; continuation lines lose one to the space
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out.Write(line[:cut])
			out.WriteString("\r\n ")
			line = line[cut:]
			limit = 74
		}
		out.Write(line)
		out.WriteString("\r\n")
	}
	return out.Bytes()
}

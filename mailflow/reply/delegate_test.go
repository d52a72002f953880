package reply

import (
	"strings"
	"testing"
)

// TestCalendarDelegate: a calendar DELEGATED reply names who comes
// instead (the CN the event gives the DELEGATED-TO address, else that
// address); other answers name nobody.
func TestCalendarDelegate(t *testing.T) {
	msg := func(attendees string) string {
		return "From: Bambang <bambang@x.id>\r\nSubject: Delegated: Rapat Tim\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n" +
			"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//iCal//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:abc@dinsospmd.id\r\nDTSTAMP:20250310T020000Z\r\n" +
			attendees + "END:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	for _, c := range []struct {
		name, attendees, partstat, delegate string
	}{
		{"named", "ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO=\"mailto:meli@x.id\";CN=Bambang:mailto:bambang@x.id\r\n" +
			"ATTENDEE;PARTSTAT=NEEDS-ACTION;DELEGATED-FROM=\"mailto:bambang@x.id\";CN=Meli Susanti:mailto:MELI@x.id\r\n", "DELEGATED", "Meli Susanti"},
		{"address only", "ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO=\"mailto:meli@x.id\":mailto:bambang@x.id\r\n", "DELEGATED", "meli@x.id"},
		{"accepted", "ATTENDEE;PARTSTAT=ACCEPTED;CN=Bambang:mailto:bambang@x.id\r\n", "ACCEPTED", ""},
	} {
		p, err := Parse(strings.NewReader(msg(c.attendees)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind != KindCalendarReply || p.PartStat != c.partstat || p.Delegate != c.delegate {
			t.Errorf("%s: kind %s partstat %q delegate %q, want %q %q", c.name, p.Kind, p.PartStat, p.Delegate, c.partstat, c.delegate)
		}
	}
}

package invite_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/testmail"
	"github.com/bangkatengah/mailflow/mailflow/invite"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
)

var update = flag.Bool("update", false, "rewrite testdata/*.ics")

// invites returns the REQUEST, the rescheduled REQUEST and the CANCEL the
// sample run emits.
func invites(t *testing.T) map[string]*flow.Invite {
	t.Helper()
	mails, err := samples.Mails("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*flow.Invite{}
	for _, s := range mails {
		if s.Mail.Invite != nil {
			out[s.Name] = s.Mail.Invite
		}
	}
	if len(out) != 3 {
		t.Fatalf("want 3 invitations in the samples, got %d", len(out))
	}
	return out
}

func jakarta(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var stamp = time.Date(2024, 6, 14, 3, 5, 0, 0, time.UTC)

func TestBuild(t *testing.T) {
	loc := jakarta(t)
	for name, inv := range invites(t) {
		t.Run(name, func(t *testing.T) {
			alarm := inv.Start.AddDate(0, 0, -1)
			b, err := invite.Build(inv, invite.Options{Loc: loc, Stamp: stamp, Alarm: alarm,
				Description: "Acara: Pembahasan draf awal LAKIP Tahun 2023\nSurat Nomor 005/1/DINSOSPMD/2024 tanggal Jumat, 14 Juni 2024"})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name, b)
			checkLines(t, b)
			cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
			if err != nil {
				t.Fatalf("go-ical cannot decode our output: %v\n%s", err, b)
			}
			if m, _ := cal.Props.Text(ical.PropMethod); m != inv.Method {
				t.Errorf("METHOD = %q, want %q", m, inv.Method)
			}
			evs := cal.Events()
			if len(evs) != 1 {
				t.Fatalf("%d events", len(evs))
			}
			ev := evs[0]
			if uid, _ := ev.Props.Text(ical.PropUID); uid != inv.UID {
				t.Errorf("UID %q", uid)
			}
			start, err := ev.DateTimeStart(nil)
			if err != nil || !start.Equal(inv.Start) {
				t.Errorf("DTSTART %v (%v), want %v", start, err, inv.Start)
			}
			if tz := ev.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID); tz != "Asia/Jakarta" {
				t.Errorf("DTSTART TZID %q", tz)
			}
			if seq := ev.Props.Get(ical.PropSequence).Value; seq != itoa(inv.Sequence) {
				t.Errorf("SEQUENCE %s, want %d", seq, inv.Sequence)
			}
			atts := ev.Props.Values(ical.PropAttendee)
			if len(atts) != len(inv.Attendees) {
				t.Fatalf("%d attendees, want %d", len(atts), len(inv.Attendees))
			}
			cancel := inv.Method == invite.MethodCancel
			for i, a := range atts {
				p := a.Params
				// RFC 5546 §3.2.5: a CANCEL asks no answer.
				if cancel != (p.Get(ical.ParamRSVP) == "") || cancel != (p.Get(ical.ParamParticipationStatus) == "") ||
					!cancel && (p.Get(ical.ParamRSVP) != "TRUE" || p.Get(ical.ParamParticipationStatus) != "NEEDS-ACTION") ||
					p.Get(ical.ParamRole) != "REQ-PARTICIPANT" || p.Get(ical.ParamCommonName) != inv.Attendees[i].Name ||
					!strings.EqualFold(a.Value, "mailto:"+inv.Attendees[i].Email) {
					t.Errorf("attendee %d: %v %v", i, a.Value, p)
				}
			}
			if org := ev.Props.Get(ical.PropOrganizer); org == nil || org.Value != "mailto:"+inv.Organizer.Email {
				t.Errorf("organizer %+v", org)
			}
			var alarms []*ical.Component
			for _, c := range ev.Children {
				if c.Name == ical.CompAlarm {
					alarms = append(alarms, c)
				}
			}
			if cancel != (len(alarms) == 0) || !cancel && len(alarms) != 1 {
				t.Errorf("%d VALARMs in a %s", len(alarms), inv.Method)
			}
			for _, a := range alarms {
				if tr := a.Props.Get(ical.PropTrigger); tr == nil || tr.Value != alarm.UTC().Format("20060102T150405Z") || tr.Params.Get(ical.ParamValue) != "DATE-TIME" {
					t.Errorf("VALARM TRIGGER %+v, want %s", tr, alarm.UTC())
				}
			}
			python(t, b, inv)
			vobject(t, b, inv, alarm)
		})
	}
}

// vobject parses the .ics with Python's vobject, a second independent
// parser (Debian python3-vobject), and validates it with its own rules.
func vobject(t *testing.T, b []byte, inv *flow.Invite, alarm time.Time) {
	t.Helper()
	t.Run("python-vobject", func(t *testing.T) {
		py := ""
		for _, p := range []string{os.Getenv(testmail.EnvPython), "/usr/bin/python3", "python3"} {
			if p != "" && exec.Command(p, "-c", "import vobject").Run() == nil {
				py = p
				break
			}
		}
		if py == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("python3-vobject missing in CI (.ci/letter.sh installs it)")
			}
			t.Skip("python3 with vobject not installed (apt-get install python3-vobject)")
		}
		script := `
import sys, vobject
cal = vobject.readOne(open(sys.argv[1]).read(), validate=True)
cal.validate(raiseException=True)
ev = cal.vevent
print(cal.method.value)
print(ev.uid.value, ev.sequence.value)
print(ev.dtstart.value.isoformat())
print(ev.description.value.replace('\n', '|'))
for a in ev.attendee_list:
    print(a.value, a.params.get('RSVP', ['-'])[0], a.params.get('PARTSTAT', ['-'])[0])
for al in ev.contents.get('valarm', []):
    print('ALARM', al.action.value, al.trigger.value.isoformat())
`
		path := filepath.Join(t.TempDir(), "invite.ics")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "-c", script, path).CombinedOutput()
		if err != nil {
			t.Fatalf("python vobject: %v\n%s", err, out)
		}
		want := []string{inv.Method, inv.UID + " " + itoa(inv.Sequence), inv.Start.In(jakarta(t)).Format("2006-01-02T15:04:05-07:00"),
			"Acara: Pembahasan draf awal LAKIP Tahun 2023|Surat Nomor 005/1/DINSOSPMD/2024 tanggal Jumat, 14 Juni 2024"}
		for _, a := range inv.Attendees {
			if inv.Method == invite.MethodCancel {
				want = append(want, "mailto:"+a.Email+" - -")
			} else {
				want = append(want, "mailto:"+a.Email+" TRUE NEEDS-ACTION")
			}
		}
		if inv.Method != invite.MethodCancel {
			want = append(want, "ALARM DISPLAY "+alarm.UTC().Format("2006-01-02T15:04:05+00:00"))
		}
		if got := strings.TrimSpace(string(out)); got != strings.Join(want, "\n") {
			t.Errorf("python vobject read:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
		}
	})
}

// checkLines: CRLF everywhere, no line over 75 octets, no split UTF-8.
func checkLines(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("lines must end with CRLF")
	}
	for _, l := range bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n")) {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line splits a UTF-8 sequence: %q", l)
		}
	}
}

func TestFold(t *testing.T) {
	long := "DESCRIPTION:" + strings.Repeat("é", 60) + strings.Repeat("a", 50) + "\r\n"
	got := invite.Fold([]byte("BEGIN:X\r\n" + long + "END:X\r\n"))
	checkLines(t, got)
	unfolded := strings.ReplaceAll(string(got), "\r\n ", "")
	if unfolded != "BEGIN:X\r\n"+long+"END:X\r\n" {
		t.Errorf("unfolding does not give the input back:\n%q", unfolded)
	}
	for _, n := range []int{74, 75, 76, 149, 150, 151} {
		in := "X:" + strings.Repeat("b", n-2) + "\r\n"
		out := invite.Fold([]byte(in))
		checkLines(t, out)
		if strings.ReplaceAll(string(out), "\r\n ", "") != in {
			t.Errorf("length %d: round trip failed", n)
		}
		if n <= 75 && string(out) != in {
			t.Errorf("length %d folded needlessly", n)
		}
	}
}

func TestBadInput(t *testing.T) {
	inv := &flow.Invite{Method: "PUBLISH", UID: "u", Start: stamp, End: stamp.Add(time.Hour)}
	if _, err := invite.Build(inv, invite.Options{Stamp: stamp}); err == nil {
		t.Error("PUBLISH accepted")
	}
	inv.Method, inv.End = "REQUEST", stamp
	if _, err := invite.Build(inv, invite.Options{Stamp: stamp}); err == nil {
		t.Error("empty meeting accepted")
	}
}

// python parses the .ics with Python's icalendar, an independent parser.
func python(t *testing.T, b []byte, inv *flow.Invite) {
	t.Helper()
	t.Run("python-icalendar", func(t *testing.T) {
		py := testmail.PythonICalendar(t)
		path := filepath.Join(t.TempDir(), "invite.ics")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		script := `
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
ev = [c for c in cal.walk('VEVENT')][0]
tz = [c for c in cal.walk('VTIMEZONE')][0]
print(cal['METHOD'])
print(ev['UID'])
print(int(ev['SEQUENCE']))
print(ev['DTSTART'].params['TZID'], ev.decoded('DTSTART').isoformat())
print(tz['TZID'])
atts = ev.get('ATTENDEE')
atts = atts if isinstance(atts, list) else [atts]
for a in atts:
    print(str(a), a.params['CN'], a.params.get('RSVP', '-'), a.params.get('PARTSTAT', '-'))
`
		out, err := exec.Command(py, "-c", script, path).CombinedOutput()
		if err != nil {
			t.Fatalf("python icalendar: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		want := []string{inv.Method, inv.UID, itoa(inv.Sequence),
			"Asia/Jakarta " + inv.Start.In(jakarta(t)).Format("2006-01-02T15:04:05-07:00"), "Asia/Jakarta"}
		for _, a := range inv.Attendees {
			if inv.Method == invite.MethodCancel {
				want = append(want, "mailto:"+a.Email+" "+a.Name+" - -")
			} else {
				want = append(want, "mailto:"+a.Email+" "+a.Name+" TRUE NEEDS-ACTION")
			}
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("python icalendar read:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
		}
	})
}

func golden(t *testing.T, name string, b []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".ics")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./mailflow/invite -update)", err)
	}
	if !bytes.Equal(want, b) {
		t.Errorf("%s differs (run go test ./mailflow/invite -update and review):\n%s", path, b)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

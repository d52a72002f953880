package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// pyCheckInvite checks an invitation with parsers we did not write:
// Python's email package for the MIME tree and python3-icalendar for the
// iCalendar part. It prints one line of facts or fails.
const pyCheckInvite = `
import sys, email, email.policy, icalendar
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
assert msg.get_content_type() == 'multipart/mixed', msg.get_content_type()
parts = msg.get_payload()
alt = parts[0]
assert alt.get_content_type() == 'multipart/alternative', alt.get_content_type()
kinds = [p.get_content_type() for p in alt.get_payload()]
assert kinds[:2] == ['text/plain', 'text/html'] and 'text/calendar' in kinds, kinds
cal_part = [p for p in alt.get_payload() if p.get_content_type() == 'text/calendar'][0]
assert cal_part.get_param('method').upper() == 'REQUEST', cal_part.get_param('method')
atts = [p for p in parts[1:] if p.get_content_disposition() == 'attachment']
assert any(a.get_filename().endswith('.pdf') for a in atts), [a.get_filename() for a in atts]
cal = icalendar.Calendar.from_ical(cal_part.get_content())
assert str(cal['METHOD']).upper() == 'REQUEST'
ev = [c for c in cal.walk('VEVENT')][0]
att = ev.get('ATTENDEE')
att = att if isinstance(att, list) else [att]
rsvp = all(str(a.params.get('RSVP')).upper() == 'TRUE' for a in att)
assert rsvp, 'every attendee needs RSVP=TRUE'
assert ev.decoded('DTSTART').tzinfo is not None
print(len(att), str(ev['ORGANIZER']).lower(), ev.decoded('DTSTART').isoformat(), ev['UID'], [a.get_filename() for a in atts][0])
`

func python(t *testing.T) string {
	py := os.Getenv("MAILFLOW_TEST_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	if err := exec.Command(py, "-c", "import icalendar").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3-icalendar is missing in CI (%s): .ci/mailservers.sh install should provide it", py)
		}
		t.Skip("python3 with icalendar not available; CI installs python3-icalendar")
	}
	return py
}

func checkInviteFile(t *testing.T, py, path string, r *flow.Run) {
	t.Helper()
	out, err := exec.Command(py, "-c", pyCheckInvite, path).CombinedOutput()
	if err != nil {
		t.Fatalf("independent check of %s failed: %v\n%s", path, err, out)
	}
	t.Logf("independent parsers on %s: %s", filepath.Base(filepath.Dir(filepath.Dir(path)))+"/"+filepath.Base(path), strings.TrimSpace(string(out)))
	f := strings.Fields(string(out))
	if len(f) < 5 || f[0] != "8" || !strings.HasPrefix(f[3], r.Token) || !strings.HasPrefix(f[2], "2024-05-27T09:00:00+07:00") {
		t.Errorf("invitation %s: %s", path, out)
	}
}

// checkMailboxes checks the invitation each attendee finds in their
// mailbox (written by demo -out).
func checkMailboxes(t *testing.T, dir string, r *flow.Run) {
	py := python(t)
	found := 0
	for _, a := range r.Meeting.Attendees {
		files, _ := filepath.Glob(filepath.Join(dir, a.Email, "inbox", "*.eml"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if strings.Contains(string(b), "kind=invitation") {
				checkInviteFile(t, py, f, r)
				found++
			}
		}
	}
	if found != len(r.Meeting.Attendees) {
		t.Errorf("%d attendees found the invitation, want %d", found, len(r.Meeting.Attendees))
	}
}

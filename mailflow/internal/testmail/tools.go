package testmail

import (
	"os"
	"os/exec"
	"testing"
)

// EnvPython names a Python 3 that has the icalendar module; .ci/mailservers.sh
// sets it to Debian's /usr/bin/python3 (python3-icalendar is installed
// there, while `python3` on PATH may be another interpreter, e.g. pyenv's).
const EnvPython = "MAILFLOW_TEST_PYTHON"

// PythonICalendar returns a Python 3 interpreter that can `import
// icalendar` (an independent parser for our invitations), or skips the test
// when there is none. In CI (CI=true) a missing one fails instead.
func PythonICalendar(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv(EnvPython), "/usr/bin/python3", "python3"} {
		if p == "" {
			continue
		}
		if err := exec.Command(p, "-c", "import icalendar, email").Run(); err == nil {
			return p
		}
	}
	missing(t, "python3 with the icalendar module (apt-get install python3-icalendar)")
	return ""
}

// Tool returns the path of a command-line tool such as "swaks" or "curl",
// or skips the test when it is not installed (fails in CI).
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" (installed by .ci/mailservers.sh start)")
	}
	return p
}

func missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("testmail: %s is missing in CI", what)
	}
	t.Skipf("testmail: %s is not installed", what)
}

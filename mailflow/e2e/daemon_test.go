package e2e

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildMailflow builds cmd/mailflow into dir and returns the binary.
func buildMailflow(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "mailflow")
	cmd := exec.Command("go", "build", "-o", bin, "../../cmd/mailflow")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// crashConfig writes the sample config for a crash test in dir: every day
// and hour is working time (so automatic mail never waits, whatever the
// hour the test runs at), the data under dir, and either the embedded
// servers on free ports or, with x, the real servers with every address
// moved to x's domain.
func crashConfig(t *testing.T, dir string, x *realServers) string {
	t.Helper()
	b, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	set := func(re, repl string) {
		t.Helper()
		r := regexp.MustCompile(re)
		if !r.MatchString(s) {
			t.Fatalf("config.toml has no line matching %s", re)
		}
		s = r.ReplaceAllString(s, repl)
	}
	set(`(?m)^data_dir = .*$`, fmt.Sprintf("data_dir = %q", filepath.Join(dir, "data")))
	set(`(?m)^workdays = .*$`, `workdays = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]`)
	set(`(?m)^hours = .*$`, `hours = "00.00-23.59"`)
	set(`(?m)^national_holidays = .*$`, `national_holidays = false`)
	if x == nil {
		set(`(?m)^mode = "embedded"`, fmt.Sprintf("mode = \"embedded\"\nembedded_imap = %q\nembedded_smtp = %q", freePort(t), freePort(t)))
	} else {
		set(`(?m)^mode = "embedded"`, `mode = "external"`)
		set(`([A-Za-z0-9._+-]+)@dinsospmd\.bangkatengahkab\.go\.id`, "${1}"+x.suffix+"@"+x.domain)
		set(`(?m)^domain = .*$`, fmt.Sprintf("domain = %q", x.domain))
		ih, ip, _ := net.SplitHostPort(x.imap)
		sh, sp, _ := net.SplitHostPort(x.smtp)
		set(`(?m)^\[mail\.imap\]\nhost = .*\nport = .*\ntls = .*$`, fmt.Sprintf("[mail.imap]\nhost = %q\nport = %s\ntls = \"none\"", ih, ip))
		set(`(?m)^\[mail\.smtp\]\nhost = .*\nport = .*\ntls = .*$`, fmt.Sprintf("[mail.smtp]\nhost = %q\nport = %s\ntls = \"none\"", sh, sp))
		set(`(?m)^require_auth = .*$`, `require_auth = "none"`) // the test Postfix stamps no Authentication-Results
	}
	if n := os.Getenv("MAILFLOW_E2E_SMTP_CONNECTIONS"); n != "" {
		set(`(?m)^\[mail\.smtp\]$`, "[mail.smtp]\nconnections = "+n) // to compare the fan-out
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// daemon is the child "mailflow run", killed with SIGKILL and restarted.
type daemon struct {
	bin, cfg string
	env      []string
	log      *os.File

	mu      sync.Mutex
	cmd     *exec.Cmd
	starts  int
	kills   int
	reasons map[string]int // why each kill happened
	lastUp  time.Time
	trig    chan string   // "step entered" / "mail sent" lines
	running chan struct{} // closed at the first "mailflow running": the store is migrated
	once    sync.Once
}

var trigRe = regexp.MustCompile(`msg="(step \d+ entered|mail sent)`)

func (d *daemon) start() error {
	cmd := exec.Command(d.bin, "run", "-config", d.cfg)
	d.mu.Lock()
	cmd.Env = append(os.Environ(), d.env...) // the last of a repeated key counts
	d.mu.Unlock()
	cmd.Stdout = d.log
	errp, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	d.mu.Lock()
	d.cmd, d.lastUp = cmd, time.Now()
	d.starts++
	fmt.Fprintf(d.log, "=== start %d\n", d.starts)
	d.mu.Unlock()
	go func() {
		sc := bufio.NewScanner(errp)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			d.mu.Lock()
			fmt.Fprintln(d.log, line)
			d.mu.Unlock()
			if strings.Contains(line, `msg="mailflow running"`) {
				d.once.Do(func() { close(d.running) })
			}
			if m := trigRe.FindStringSubmatch(line); m != nil {
				what := "mail sent"
				if strings.HasSuffix(m[1], "entered") {
					what = "step entered"
				}
				select {
				case d.trig <- what:
				default:
				}
			}
		}
	}()
	return nil
}

// kill sends SIGKILL and waits for the process to be gone.
func (d *daemon) kill(why string) {
	d.mu.Lock()
	cmd := d.cmd
	d.mu.Unlock()
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	d.mu.Lock()
	d.kills++
	d.reasons[why]++
	fmt.Fprintf(d.log, "=== SIGKILL %d (%s)\n", d.kills, why)
	d.mu.Unlock()
}

// stop ends the daemon politely.
func (d *daemon) stop() {
	d.mu.Lock()
	cmd := d.cmd
	d.mu.Unlock()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

func (d *daemon) counts() (starts, kills int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.starts, d.kills
}

// chaos keeps the daemon running and kills it at random points: a random
// time into each life, right after a "step entered" or "mail sent" line
// (each with a chance), or when asked on now. It returns when stop closes,
// leaving the daemon running.
func (d *daemon) chaos(stop <-chan struct{}, now <-chan struct{}, rnd *rand.Rand) error {
	for {
		if err := d.start(); err != nil {
			return err
		}
		life := time.NewTimer(time.Duration(300+rnd.IntN(1700)) * time.Millisecond)
		why := ""
		for why == "" {
			select {
			case <-stop:
				life.Stop()
				return nil
			case <-life.C:
				why = "random time"
			case <-now:
				why = "random time"
			case what := <-d.trig:
				// Steps are entered a dozen times in a run, mail is sent
				// three dozen times: about as many kills each.
				if p := map[string]float64{"step entered": 0.6, "mail sent": 0.25}[what]; rnd.Float64() < p {
					why = "right after " + what
				}
			}
		}
		life.Stop()
		d.kill(why)
		// Triggers of the dead process are stale.
		for len(d.trig) > 0 {
			<-d.trig
		}
	}
}

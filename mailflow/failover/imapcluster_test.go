package failover

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/simofficial"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// The IMAP failover tests run the real daemon: `mailflow run -config-dir`
// (the binary built by the test) three times, each serving two offices
// whose stores are two schemas of the test PostgreSQL, and whose mail is on
// ONE mail server in this test process (mailflow/mailserver on 127.0.0.1),
// or on Dovecot + Postfix with MAILFLOW_TEST_REAL=1. So a killed instance
// takes nothing with it but itself, as when a host dies.

// imapCluster is the mail server, the offices' stores as this process sees
// them, the officials and the instance processes.
type imapCluster struct {
	t                  *testing.T
	dir, bin           string
	imapAddr, smtpAddr string
	urls               map[string]string       // office → its schema
	st                 map[string]*store.Store // the parent's own connection per office
	mailbox            map[string]string       // office → its mailbox address
	offs               map[string][]*official  // office → andi, bella, candra
	pw                 func(addr string) string
	addr               func(office, local string) string
	domain             string

	mu      sync.Mutex
	procs   map[int]*instance // by pid
	all     []*instance
	outages []window // a holder killed or stopped → its mailboxes taken over
}

type window struct{ from, to time.Time }

// instance is one `mailflow run -config-dir` process.
type instance struct {
	id  string
	cmd *exec.Cmd
	mu  sync.Mutex
	log bytes.Buffer
}

func (p *instance) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

func (p *instance) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.Write(b)
}

// mark writes a line of the test's own into the instance's log.
func (p *instance) mark(s string) { fmt.Fprintf(p, "=== %s\n", s) }

func newIMAPCluster(t *testing.T) *imapCluster {
	base := os.Getenv(storetest.Env)
	if base == "" {
		t.Skip("set " + storetest.Env + " (.ci/pg.sh) to run instances on PostgreSQL")
	}
	if raceEnabled {
		// The daemons are their own binary, built without -race; what -race
		// sees here is the simulated officials' go-imap client (v2.0.0-beta.8)
		// racing inside imapclient's Collect, as in mailflow/e2e. .ci/run runs
		// this test in its non-race pass.
		t.Skip("skipped under -race (go-imap beta.8 imapclient race in the officials); runs in the non-race pass")
	}
	if testing.Short() {
		t.Skip("long test: skipped with -short")
	}
	c := &imapCluster{t: t, dir: t.TempDir(), urls: map[string]string{}, st: map[string]*store.Store{}, mailbox: map[string]string{},
		offs: map[string][]*official{}, procs: map[int]*instance{}}
	c.bin = filepath.Join(c.dir, "mailflow")
	if out, err := exec.Command("go", "build", "-o", c.bin, "../../cmd/mailflow").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	people := []string{"tu", "admin", "andi", "bella", "candra"}
	if os.Getenv("MAILFLOW_TEST_REAL") == "1" {
		// Dovecot + Postfix (.ci/mailservers.sh): every address at the
		// domain, one password; fresh addresses per run.
		var b [4]byte
		crand.Read(b[:])
		suffix := hex.EncodeToString(b[:])
		c.imapAddr, c.smtpAddr, c.domain = os.Getenv("MAILFLOW_TEST_IMAP"), os.Getenv("MAILFLOW_TEST_SMTP"), os.Getenv("MAILFLOW_TEST_DOMAIN")
		pw := os.Getenv("MAILFLOW_TEST_PASSWORD")
		c.pw = func(string) string { return pw }
		c.addr = func(office, local string) string {
			return fmt.Sprintf("fo-%s-%s-%s@%s", office, local, suffix, c.domain)
		}
		t.Logf("mail on Dovecot %s and Postfix %s", c.imapAddr, c.smtpAddr)
	} else {
		c.domain = "contoh.go.id"
		c.addr = func(office, local string) string { return fmt.Sprintf("%s@%s.%s", local, office, c.domain) }
		pws := map[string]string{}
		var accs []mailserver.Account
		for _, o := range offices {
			for _, p := range people {
				var b [8]byte
				crand.Read(b[:])
				a := c.addr(o, p)
				pws[a] = hex.EncodeToString(b[:])
				accs = append(accs, mailserver.Account{Address: a, Password: pws[a]})
			}
		}
		c.pw = func(a string) string { return pws[a] }
		srv, err := mailserver.Start(mailserver.Options{Accounts: accs, Hostname: "mail.contoh.go.id",
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		c.imapAddr, c.smtpAddr = srv.IMAPAddr(), srv.SMTPAddr()
	}
	names := map[string]string{"andi": "Andi", "bella": "Bella", "candra": "Candra"}
	for _, o := range offices {
		c.mailbox[o] = c.addr(o, "tu")
		for _, p := range []string{"andi", "bella", "candra"} {
			a := c.addr(o, p)
			c.offs[o] = append(c.offs[o], &official{Official: &simofficial.Official{Name: names[p], Addr: a, Password: c.pw(a),
				IMAPAddr: c.imapAddr, SMTPAddr: c.smtpAddr, Office: c.mailbox[o], OfficeName: "Tata Usaha"}, answered: map[string]bool{}})
		}
		c.urls[o] = storetest.FreshPostgres(t, base)
		// Migrated here, before the instances start.
		st, err := store.Open(c.urls[o], store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c.st[o] = st
	}
	t.Cleanup(func() {
		c.mu.Lock()
		for _, p := range c.procs {
			p.cmd.Process.Signal(syscall.SIGCONT)
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
		c.mu.Unlock()
		for _, st := range c.st {
			st.Close()
		}
		for _, os := range c.offs {
			for _, o := range os {
				o.close()
			}
		}
		if t.Failed() || os.Getenv("MAILFLOW_FAILOVER_LOGS") != "" {
			for _, p := range c.all {
				l := strings.Split(p.logText(), "\n")
				t.Logf("--- %s (last lines)\n%s", p.id, strings.Join(l[max(0, len(l)-80):], "\n"))
			}
		}
	})
	return c
}

// config writes office o's config for one instance: the leave request SOP
// with the office's addresses, every hour working time (automatic mail
// never waits for the office to open), the mail server of this test, and
// its schema with attachments in the database (the instances share no
// disk).
func (c *imapCluster) config(dir, o string) {
	t := c.t
	b, err := os.ReadFile(configPath)
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`([a-z]+)@contoh\.go\.id`).ReplaceAllStringFunc(string(b), func(m string) string {
		return c.addr(o, strings.SplitN(m, "@", 2)[0])
	})
	s = strings.Replace(s, `domain = "contoh.go.id"`, fmt.Sprintf("domain = %q\ndata_dir = %q", c.domain, "data-"+o), 1)
	s = strings.Replace(s, `name = "Kantor Contoh"`, fmt.Sprintf("name = \"Kantor Contoh %s\"", strings.ToUpper(o)), 1)
	ih, ip, _ := net.SplitHostPort(c.imapAddr)
	sh, sp, _ := net.SplitHostPort(c.smtpAddr)
	mb := c.mailbox[o]
	mailSec := fmt.Sprintf(`[mail]
mode = "external"
[mail.imap]
host = %q
port = %s
tls = "none"
username = %q
password_env = "MF_FAILOVER_PW_%s"
mailbox = "INBOX"
keyword = "$MailflowDone"
[mail.smtp]
host = %q
port = %s
tls = "none"
username = %q
password_env = "MF_FAILOVER_PW_%s"
max_automatic_per_hour = 10000  # receipts to the same three officials, many runs an hour`, ih, ip, mb, strings.ToUpper(o), sh, sp, mb, strings.ToUpper(o))
	if !strings.Contains(s, "[mail]\nmode = \"embedded\"") {
		t.Fatalf("%s: no [mail] section to replace", configPath)
	}
	s = strings.Replace(s, "[mail]\nmode = \"embedded\"", mailSec, 1)
	s += fmt.Sprintf(`
[calendar]
workdays = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
hours = "00.00-23.59"
national_holidays = false

[store]
url = %q
attachments = "database"
`, c.urls[o])
	if err := os.WriteFile(filepath.Join(dir, o+".toml"), []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// start starts one more instance with its own config directory and data.
func (c *imapCluster) start() *instance {
	c.mu.Lock()
	p := &instance{id: fmt.Sprintf("i%d", len(c.all)+1)}
	c.all = append(c.all, p)
	c.mu.Unlock()
	dir := filepath.Join(c.dir, p.id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		c.t.Fatal(err)
	}
	for _, o := range offices {
		c.config(dir, o)
	}
	// The deployment's console: off (three instances on one host).
	if err := os.WriteFile(filepath.Join(dir, "_console.toml"), []byte("[web]\nlisten = \"off\"\n"), 0o600); err != nil {
		c.t.Fatal(err)
	}
	p.cmd = exec.Command(c.bin, "run", "-config-dir", dir)
	p.cmd.Stdout, p.cmd.Stderr = p, p
	p.cmd.Env = os.Environ()
	for _, o := range offices {
		p.cmd.Env = append(p.cmd.Env, "MF_FAILOVER_PW_"+strings.ToUpper(o)+"="+c.pw(c.mailbox[o]))
	}
	if err := p.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	c.procs[p.cmd.Process.Pid] = p
	c.mu.Unlock()
	return p
}

// holder returns the instance holding office's mailbox now (nil: none or
// not ours) and the lease's generation, from the parent's own connection.
func (c *imapCluster) holder(office string) (*instance, int64) {
	ls, err := c.st[office].Leases(context.Background())
	if err != nil {
		return nil, 0
	}
	for _, l := range ls {
		if !strings.HasPrefix(l.Name, "mailbox:") || !l.Live {
			continue
		}
		pid, _ := strconv.Atoi(l.Holder[strings.LastIndexByte(l.Holder, '/')+1:])
		c.mu.Lock()
		p := c.procs[pid]
		c.mu.Unlock()
		return p, l.Gen
	}
	return nil, 0
}

// signal sends sig to p; SIGKILL also waits for it and forgets it.
func (c *imapCluster) signal(p *instance, sig syscall.Signal) {
	p.mark(sig.String())
	p.cmd.Process.Signal(sig)
	if sig == syscall.SIGKILL {
		p.cmd.Wait()
		c.mu.Lock()
		delete(c.procs, p.cmd.Process.Pid)
		c.mu.Unlock()
	}
}

// waitFor polls cond every 50 ms for at most d; it returns how long it took.
func (c *imapCluster) waitFor(what string, d time.Duration, cond func() bool) time.Duration {
	c.t.Helper()
	t0 := time.Now()
	for !cond() {
		if time.Since(t0) > d {
			c.t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(t0)
}

// events is how many events office's runs have applied.
func (c *imapCluster) events(office string) int64 {
	var n int64
	c.st[office].View(context.Background(), func(tx *store.Tx) error {
		runs, err := tx.Runs("")
		for _, r := range runs {
			n += r.Seq
		}
		return err
	})
	return n
}

// runs counts office's runs, and the finished ones.
func (c *imapCluster) runs(office string) (all, finished int) {
	c.st[office].View(context.Background(), func(tx *store.Tx) error {
		runs, err := tx.Runs("")
		for _, r := range runs {
			all++
			if r.Status == string(flow.RunFinished) {
				finished++
			}
		}
		return err
	})
	return all, finished
}

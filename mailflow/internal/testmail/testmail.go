// Package testmail gives every test that needs mail servers the same thing:
// the embedded server (mailflow/mailserver) by default, or the real Dovecot
// and Postfix that .ci/mailservers.sh starts when MAILFLOW_TEST_REAL=1.
//
// Tests isolate themselves with fresh accounts from NewAccount, so neither
// kind of server is reset between tests. Mail submitted over SMTP reaches the
// mailbox asynchronously on real servers (Postfix queues, then LMTP): wait
// for it with WaitMessages, never with sleeps.
//
// Environment (real mode), as printed by `.ci/mailservers.sh env`:
//
//	MAILFLOW_TEST_REAL=1
//	MAILFLOW_TEST_IMAP=127.0.0.1:10143   plain IMAP, LOGIN/AUTH=PLAIN
//	MAILFLOW_TEST_SMTP=127.0.0.1:10587   plain SMTP submission, AUTH PLAIN
//	MAILFLOW_TEST_DOMAIN=mailflow.test   every address there exists
//	MAILFLOW_TEST_PASSWORD=test          the password of every address
package testmail

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/mailserver"
)

// Account is a mailbox on the test servers; Address is the login name.
type Account = mailserver.Account

// Env is a pair of IMAP and SMTP servers for one test.
type Env struct {
	IMAPAddr string
	SMTPAddr string
	Domain   string
	// Real is true against Dovecot and Postfix.
	Real bool
	// Timeout bounds every wait on the servers: delivery, IDLE
	// notifications (Dovecot sends them after ~0.5 s), reconnects.
	Timeout time.Duration

	server   *mailserver.Server // nil when Real
	password string             // the shared password when Real
}

// Environment variables that select and describe real servers.
const (
	EnvReal     = "MAILFLOW_TEST_REAL"
	EnvIMAP     = "MAILFLOW_TEST_IMAP"
	EnvSMTP     = "MAILFLOW_TEST_SMTP"
	EnvDomain   = "MAILFLOW_TEST_DOMAIN"
	EnvPassword = "MAILFLOW_TEST_PASSWORD"
)

// DefaultDomain is the embedded servers' domain.
const DefaultDomain = "mailflow.test"

// IsReal says whether tests run against real servers.
func IsReal() bool { return os.Getenv(EnvReal) == "1" }

// Start returns the servers for t: a fresh embedded server, closed at the
// end of the test, or the real ones named by the environment.
func Start(t testing.TB) *Env {
	t.Helper()
	if IsReal() {
		return startReal(t)
	}
	var logger *slog.Logger
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := mailserver.Start(mailserver.Options{Logger: logger})
	if err != nil {
		t.Fatalf("testmail: start embedded server: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return &Env{
		IMAPAddr: s.IMAPAddr(),
		SMTPAddr: s.SMTPAddr(),
		Domain:   DefaultDomain,
		Timeout:  10 * time.Second,
		server:   s,
	}
}

func startReal(t testing.TB) *Env {
	t.Helper()
	e := &Env{
		IMAPAddr: os.Getenv(EnvIMAP),
		SMTPAddr: os.Getenv(EnvSMTP),
		Domain:   os.Getenv(EnvDomain),
		Real:     true,
		Timeout:  30 * time.Second,
		password: os.Getenv(EnvPassword),
	}
	var missing []string
	for name, v := range map[string]string{EnvIMAP: e.IMAPAddr, EnvSMTP: e.SMTPAddr, EnvDomain: e.Domain, EnvPassword: e.password} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("testmail: %s=1 but %s unset; run: eval \"$(.ci/mailservers.sh env)\"", EnvReal, strings.Join(missing, ", "))
	}
	for _, addr := range []string{e.IMAPAddr, e.SMTPAddr} {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("testmail: real mail server at %s: %v; start it with: .ci/mailservers.sh start", addr, err)
		}
		c.Close()
	}
	return e
}

// NewAccount returns a fresh, empty account whose address starts with local
// and ends with a random suffix, so no two tests (or runs) share a mailbox.
func (e *Env) NewAccount(t testing.TB, local string) Account {
	t.Helper()
	a := Account{Address: fmt.Sprintf("%s-%s@%s", strings.ToLower(local), randomHex(5), e.Domain)}
	if e.Real {
		a.Password = e.password
		return a
	}
	a.Password = randomHex(8)
	if err := e.server.AddAccount(a); err != nil {
		t.Fatalf("testmail: %v", err)
	}
	return a
}

// Faults is the embedded server's fault injector. On real servers it skips
// the test: faults cannot be injected there.
func (e *Env) Faults(t testing.TB) *mailserver.Faults {
	t.Helper()
	return e.Embedded(t).Faults()
}

// Embedded is the embedded server itself, for faults such as
// DropIMAPConnections, Restart and ChangeUIDValidity. On real servers it
// skips the test.
func (e *Env) Embedded(t testing.TB) *mailserver.Server {
	t.Helper()
	if e.server == nil {
		t.Skip("testmail: needs the embedded server's fault injection; not available on real servers")
	}
	return e.server
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

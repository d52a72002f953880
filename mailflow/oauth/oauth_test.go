package oauth_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
	"github.com/bangkatengah/mailflow/mailflow/oauth/oauthtest"
)

const user = "sekretariat@dinsos.test"

// clock is a settable clock shared by the fake provider and the Source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock               { return &clock{t: time.Date(2024, 5, 6, 8, 0, 0, 0, time.UTC)} }
func settings(p *oauthtest.Provider) *config.OAuth {
	return &config.OAuth{Provider: "microsoft", ClientID: p.ClientID, Tenant: "organizations", DeviceAuthURL: p.DeviceURL(), TokenURL: p.TokenURL()}
}

// authorize runs the device flow against p, approving after the first
// poll as a person on another device would.
func authorize(t *testing.T, p *oauthtest.Provider, dir string) string {
	t.Helper()
	go func() {
		for {
			if _, polls := p.Counts(); polls > 0 {
				p.Approve()
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := oauth.Authorize(ctx, settings(p), dir, nil, &out); err != nil {
		t.Fatalf("authorize: %v\n%s", err, out.String())
	}
	return out.String()
}

func TestDeviceFlowStoresRefreshTokenPrivately(t *testing.T) {
	p := oauthtest.New("client-1", user)
	defer p.Close()
	dir := filepath.Join(t.TempDir(), "data")
	out := authorize(t, p, dir)
	if !strings.Contains(out, p.URL+"/verify") || !strings.Contains(out, "ABCD-EFGH") {
		t.Errorf("the admin is not told where to sign in:\n%s", out)
	}
	path := filepath.Join(dir, oauth.TokenFile)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v", err, fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"refresh_token"`) {
		t.Fatalf("token file has no refresh token: %s", b)
	}
	rt := strings.Split(strings.Split(string(b), `"refresh_token": "`)[1], `"`)[0]
	if strings.Contains(out, rt) {
		t.Errorf("the refresh token was printed")
	}
	if _, polls := p.Counts(); polls < 2 {
		t.Errorf("polls = %d: authorization_pending was not waited out", polls)
	}
	// The token was obtained for client-1: another client ID must not use it.
	other := settings(p)
	other.ClientID = "client-2"
	if _, err := oauth.Open(other, dir, oauth.SourceOptions{}); !errors.Is(err, oauth.ErrNoToken) || !strings.Contains(err.Error(), "mailflow auth microsoft") {
		t.Errorf("open with another client: %v", err)
	}
	if _, err := oauth.Open(settings(p), t.TempDir(), oauth.SourceOptions{}); !errors.Is(err, oauth.ErrNoToken) || !strings.Contains(err.Error(), "run \"mailflow auth microsoft\"") {
		t.Errorf("open without a token: %v", err)
	}
}

func TestDeviceFlowDeclined(t *testing.T) {
	p := oauthtest.New("client-1", user)
	defer p.Close()
	o := settings(p)
	o.ClientID = "wrong"
	err := oauth.Authorize(context.Background(), o, t.TempDir(), nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "client_id") {
		t.Errorf("wrong client: %v", err)
	}
}

func TestSourceRefreshesRotatesAndReportsRevocation(t *testing.T) {
	p := oauthtest.New("client-1", user)
	defer p.Close()
	clk := newClock()
	p.Now, p.TTL, p.Rotate = clk.Now, time.Hour, true
	dir := t.TempDir()
	authorize(t, p, dir)
	var alerts []error
	src, err := oauth.Open(settings(p), dir, oauth.SourceOptions{Now: clk.Now, OnRevoked: func(err error) { alerts = append(alerts, err) }})
	if err != nil {
		t.Fatal(err)
	}
	a1, err := src.Token()
	if err != nil || p.Check(user, a1) != nil {
		t.Fatalf("first token: %v", err)
	}
	if a, _ := src.Token(); a != a1 {
		t.Errorf("a valid token was refreshed again")
	}
	clk.Add(59*time.Minute + 30*time.Second) // within a minute of expiry
	a2, err := src.Token()
	if err != nil || a2 == a1 || p.Check(user, a2) != nil {
		t.Fatalf("refresh before expiry: %v (same token: %v)", err, a2 == a1)
	}
	// The rotated refresh token was stored: a new Source (a restart) works.
	src2, err := oauth.Open(settings(p), dir, oauth.SourceOptions{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src2.Token(); err != nil {
		t.Fatalf("after a restart with the rotated refresh token: %v", err)
	}
	// A server refusing the token early makes the next Token refresh.
	a3, _ := src.Token()
	src.Invalidate(a3)
	p.Revoke()
	for i := 0; i < 2; i++ {
		_, err := src.Token()
		if !errors.Is(err, oauth.ErrRevoked) || !strings.Contains(err.Error(), "mailflow auth microsoft") {
			t.Fatalf("revoked: %v", err)
		}
	}
	if len(alerts) != 1 {
		t.Errorf("alerts = %d, want exactly one per revocation", len(alerts))
	}
	// The admin signs in again; the running Source picks it up.
	authorize(t, p, dir)
	if a, err := src.Token(); err != nil || p.Check(user, a) != nil {
		t.Errorf("after mailflow auth again: %v", err)
	}
}

func TestSASLMechanisms(t *testing.T) {
	if m := oauth.Mechanism([]string{"LOGIN", "XOAUTH2"}); m != "XOAUTH2" {
		t.Errorf("microsoft: %q", m)
	}
	if m := oauth.Mechanism([]string{"PLAIN", "oauthbearer"}); m != "OAUTHBEARER" {
		t.Errorf("bearer only: %q", m)
	}
	if m := oauth.Mechanism([]string{"PLAIN", "LOGIN"}); m != "" {
		t.Errorf("none: %q", m)
	}
	for _, mech := range []string{"XOAUTH2", "OAUTHBEARER"} {
		for _, good := range []bool{true, false} {
			var got string
			check := func(u, tok string) error {
				if u == user && tok == "tok" && good {
					return nil
				}
				return errors.New("no")
			}
			srv := oauth.Server(mech, check, func(u string) { got = u })
			cl := oauth.Client(mech, user, "tok")
			_, ir, _ := cl.Start()
			ch, done, err := srv.Next(ir)
			if good {
				if err != nil || !done || got != user {
					t.Errorf("%s good: done=%v err=%v user=%q", mech, done, err, got)
				}
				continue
			}
			if done && err == nil {
				t.Fatalf("%s: a bad token was accepted", mech)
			}
			if !done { // the error challenge, then the failure
				resp, cerr := cl.Next(ch)
				if mech == "XOAUTH2" && cerr != nil {
					t.Errorf("%s client on the error challenge: %v", mech, cerr)
				}
				if _, done, err = srv.Next(resp); !done || err == nil {
					t.Errorf("%s bad: done=%v err=%v", mech, done, err)
				}
			}
			if got != "" {
				t.Errorf("%s bad: onSuccess called", mech)
			}
		}
	}
}

// FuzzBearerServers: whatever a client sends, the server never accepts a
// token check did not accept, and never panics.
func FuzzBearerServers(f *testing.F) {
	f.Add(false, []byte("user=a@b\x01auth=Bearer tok\x01\x01"), []byte{})
	f.Add(false, []byte("user=\x01auth=Basic x\x01"), []byte{1})
	f.Add(true, []byte("n,a=a@b,\x01auth=Bearer good\x01\x01"), []byte{})
	f.Add(true, []byte("n,,\x01auth=Bearer bad\x01\x01"), []byte{})
	f.Fuzz(func(t *testing.T, bearer bool, b, second []byte) {
		accepted := false
		mech := map[bool]string{false: "XOAUTH2", true: "OAUTHBEARER"}[bearer]
		srv := oauth.Server(mech, func(u, tok string) error {
			if tok == "good" {
				return nil
			}
			return errors.New("no")
		}, func(string) { accepted = true })
		_, done, err := srv.Next(b)
		if accepted && !(done && err == nil) {
			t.Fatalf("accepted but failed")
		}
		if !done {
			if _, done2, err2 := srv.Next(second); !accepted && done2 && err2 == nil {
				t.Fatalf("a second message was accepted after a refusal")
			}
		}
		if accepted && !bytes.Contains(b, []byte("Bearer good")) && !bytes.Contains(b, []byte("bearer good")) {
			t.Fatalf("accepted %q", b)
		}
	})
}

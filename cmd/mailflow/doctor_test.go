package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/doctor"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
	"github.com/bangkatengah/mailflow/mailflow/oauth/oauthtest"
)

const (
	officeAddr = "sekretariat@dinsospmd.bangkatengahkab.go.id"
	adminAddr  = "admin.mailflow@dinsospmd.bangkatengahkab.go.id"
)

// externalConfig is the sample config pointed at srv in external mode
// (plain text: loopback), with extra appended to [mail].
func externalConfig(t *testing.T, srv *mailserver.Server, extra string) string {
	t.Helper()
	b, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	ih, ip, _ := net.SplitHostPort(srv.IMAPAddr())
	sh, sp, _ := net.SplitHostPort(srv.SMTPAddr())
	s = strings.Replace(s, `mode = "embedded"`, `mode = "external"`, 1)
	s = strings.Replace(s, "host = \"mail.bangkatengahkab.go.id\"\nport = 993\ntls = \"implicit\"", "host = \""+ih+"\"\nport = "+ip+"\ntls = \"none\"", 1)
	s = strings.Replace(s, "host = \"mail.bangkatengahkab.go.id\"\nport = 587\ntls = \"starttls\"", "host = \""+sh+"\"\nport = "+sp+"\ntls = \"none\"", 1)
	s = strings.Replace(s, "\n[mail.imap]\n", "\n"+extra+"\n[mail.imap]\n", 1)
	p := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(p, []byte(s), 0o600)
	return p
}

func mailServer(t *testing.T) *mailserver.Server {
	srv, err := mailserver.Start(mailserver.Options{Accounts: []mailserver.Account{{Address: officeAddr, Password: "benar"}, {Address: adminAddr, Password: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestDoctorCommand(t *testing.T) {
	srv := mailServer(t)
	cfg := externalConfig(t, srv, "")
	t.Setenv("MAILFLOW_SMTP_PASSWORD", "benar")
	for _, tc := range []struct {
		pw   string
		code int
		out  []string
	}{
		{"benar", 0, []string{"send test mail     ok", "All checks passed"}},
		{"salah", 1, []string{"imap login         FAIL", "fix: check [mail.imap] username", "FAILED"}},
	} {
		t.Setenv("MAILFLOW_IMAP_PASSWORD", tc.pw)
		var out, errb bytes.Buffer
		code := runDoctor(context.Background(), []string{"-config", cfg, "-send", "-wait", "10s"}, &out, &errb, doctor.Options{})
		if code != tc.code {
			t.Errorf("password %s: exit %d, want %d\n%s%s", tc.pw, code, tc.code, out.String(), errb.String())
		}
		for _, w := range tc.out {
			if !strings.Contains(out.String(), w) {
				t.Errorf("password %s: output lacks %q:\n%s", tc.pw, w, out.String())
			}
		}
		if strings.Contains(out.String(), "benar") {
			t.Errorf("the password was printed")
		}
	}
}

// TestAuthAndDoctorWithOAuth: "mailflow auth microsoft" against a fake
// provider stores the refresh token; doctor then signs in to IMAP and
// SMTP with bearer tokens; after the provider revokes the sign-in, doctor
// says to run mailflow auth again.
func TestAuthAndDoctorWithOAuth(t *testing.T) {
	srv := mailServer(t)
	p := oauthtest.New("mailflow-app", officeAddr)
	defer p.Close()
	srv.AcceptBearer(p.Check)
	cfg := externalConfig(t, srv, "[mail.oauth]\nprovider = \"microsoft\"\nclient_id = \"mailflow-app\"\ntenant = \"dinsos.example\"\ndevice_auth_url = \""+p.DeviceURL()+"\"\ntoken_url = \""+p.TokenURL()+"\"\n")
	os.Unsetenv("MAILFLOW_IMAP_PASSWORD") // no password needed with OAuth
	var out, errb bytes.Buffer
	if code := runCheck([]string{"-config", cfg}, &out, &errb); code != 0 || !strings.Contains(out.String(), "no OAuth2 refresh token yet") {
		t.Fatalf("check: %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	code := runDoctor(context.Background(), []string{"-config", cfg}, &out, &errb, doctor.Options{})
	if code != 1 || !strings.Contains(out.String(), "oauth2 token       FAIL") || !strings.Contains(out.String(), `fix: run "mailflow auth microsoft -config`) {
		t.Errorf("doctor before auth: exit %d\n%s", code, out.String())
	}
	go func() {
		for {
			if _, polls := p.Counts(); polls > 0 {
				p.Approve()
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	out.Reset()
	if code := runAuth(context.Background(), []string{"microsoft", "-config", cfg}, &out, &errb); code != 0 {
		t.Fatalf("auth: %d\n%s%s", code, out.String(), errb.String())
	}
	tokFile := filepath.Join(filepath.Dir(cfg), "data", oauth.TokenFile)
	if fi, err := os.Stat(tokFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v", err)
	}
	if !strings.Contains(out.String(), "ABCD-EFGH") || strings.Contains(out.String(), "refresh_token") {
		t.Errorf("auth output:\n%s", out.String())
	}
	out.Reset()
	if code := runDoctor(context.Background(), []string{"-config", cfg, "-send", "-wait", "10s"}, &out, &errb, doctor.Options{}); code != 0 ||
		!strings.Contains(out.String(), "with the OAuth2 token") || !strings.Contains(out.String(), "AUTH XOAUTH2") {
		t.Errorf("doctor after auth: exit %d\n%s", code, out.String())
	}
	p.Revoke()
	out.Reset()
	if code := runDoctor(context.Background(), []string{"-config", cfg}, &out, &errb, doctor.Options{}); code != 1 ||
		!strings.Contains(out.String(), "OAuth2 sign-in revoked") || !strings.Contains(out.String(), "mailflow auth microsoft") {
		t.Errorf("doctor after revocation: exit %d\n%s", code, out.String())
	}
	if code := runAuth(context.Background(), []string{"google", "-config", cfg}, &out, &errb); code != 1 {
		t.Errorf("auth with the wrong provider: %d", code)
	}
}

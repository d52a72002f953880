package config

import (
	"os"
	"strings"
	"testing"
)

// external is the sample config in external mode with the given
// [mail.oauth] section (empty: none).
func external(t *testing.T, oauth string) string {
	b, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `mode = "embedded"`, `mode = "external"`, 1)
	if oauth != "" {
		s = strings.Replace(s, "\n[mail.imap]\n", "\n[mail.oauth]\n"+oauth+"\n[mail.imap]\n", 1)
	}
	return s
}

func TestOAuthConfig(t *testing.T) {
	noEnv := Options{Env: func(k string) (string, bool) { return map[string]string{"G_SECRET": "s3"}[k], k == "G_SECRET" }}
	c, err := Parse(external(t, "provider = \"microsoft\"\nclient_id = \"abc\"\n"), noEnv)
	if err != nil {
		t.Fatalf("microsoft without passwords: %v", err)
	}
	o := c.Mail.OAuth
	if o == nil || o.Tenant != "organizations" || o.ClientID != "abc" {
		t.Fatalf("oauth = %+v", o)
	}
	warned := 0
	for _, w := range c.Warnings {
		if strings.Contains(w.Msg, "ignored: [mail.oauth]") {
			warned++
		}
	}
	if warned != 2 {
		t.Errorf("password_env beside [mail.oauth]: %d warnings, want 2 (imap, smtp)", warned)
	}
	c, err = Parse(external(t, "provider = \"google\"\nclient_id = \"abc\"\nclient_secret_env = \"G_SECRET\"\n"), noEnv)
	if err != nil || c.Mail.OAuth.ClientSecret.Reveal() != "s3" {
		t.Fatalf("google: %v", err)
	}
	for _, tc := range []struct{ oauth, key, msg string }{
		{"provider = \"yahoo\"\nclient_id = \"a\"", "mail.oauth.provider", "unknown provider"},
		{"client_id = \"a\"", "mail.oauth.provider", "missing"},
		{"provider = \"microsoft\"", "mail.oauth.client_id", "missing"},
		{"provider = \"google\"\nclient_id = \"a\"", "mail.oauth.client_secret_env", "Google needs the client secret"},
		{"provider = \"microsoft\"\nclient_id = \"a\"\ntoken_url = \"http://login.example.com/token\"", "mail.oauth.token_url", "not an https URL"},
		{"provider = \"microsoft\"\nclient_id = \"a\"\nscopes = \"x\"", "mail.oauth.scopes", "unknown key"},
	} {
		_, err := Parse(external(t, tc.oauth), noEnv)
		if err == nil || !strings.Contains(err.Error(), tc.key) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: %v, want %s: %s", tc.oauth, err, tc.key, tc.msg)
		}
	}
	// Embedded mode has no use for OAuth.
	s := strings.Replace(external(t, "provider = \"microsoft\"\nclient_id = \"a\""), `mode = "external"`, `mode = "embedded"`, 1)
	if _, err := Parse(s, noEnv); err == nil || !strings.Contains(err.Error(), "OAuth2 is for external servers only") {
		t.Errorf("embedded: %v", err)
	}
	// Without [mail.oauth] the password is still required.
	if _, err := Parse(external(t, ""), noEnv); err == nil || !strings.Contains(err.Error(), "MAILFLOW_IMAP_PASSWORD") {
		t.Errorf("no oauth, no password: %v", err)
	}
}

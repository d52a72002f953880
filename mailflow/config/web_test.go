package config

import (
	"os"
	"strings"
	"testing"
)

func TestWebConfig(t *testing.T) {
	const hash = "$2a$12$jsymNWdihCr/YiPaqTGq0e4AuEy936m7E2Mz3ftgNLR4ZgbkXu6Ru"
	stat := func(p string) (os.FileInfo, error) {
		if strings.HasSuffix(p, ".pem") {
			return os.Stat("web.go") // any readable file
		}
		return os.Stat(p)
	}
	for _, tc := range []struct {
		name string
		web  string
		errs []string // substrings of the problems, in any order; none: valid
	}{
		{"default", ``, nil},
		{"off", `listen = "off"`, nil},
		{"loopback without accounts", `listen = "127.0.0.1:9000"`, nil},
		{"all interfaces without TLS or login", `listen = "0.0.0.0:8025"`, []string{"needs TLS", "needs logins"}},
		{"empty host is every interface", `listen = ":8025"`, []string{"needs TLS", "needs logins"}},
		{"public with TLS but no login", "listen = \"10.0.0.5:443\"\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"", []string{"needs logins"}},
		{"public with TLS and login", "listen = \"10.0.0.5:443\"\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n[[web.account]]\nname = \"rina\"\npassword_hash = '" + hash + "'", nil},
		{"cert without key", "tls_cert = \"c.pem\"", []string{"go together"}},
		{"plain password", "[[web.account]]\nname = \"rina\"\npassword_hash = \"rahasia123\"", []string{"not a password hash"}},
		{"bad bcrypt", "[[web.account]]\nname = \"rina\"\npassword_hash = \"$2a$12$short\"", []string{"not a valid bcrypt"}},
		{"bad name", "[[web.account]]\nname = \"Rina Marlina\"\npassword_hash = '" + hash + "'", []string{"not a valid account name"}},
		{"twice", "[[web.account]]\nname = \"rina\"\npassword_hash = '" + hash + "'\n[[web.account]]\nname = \"rina\"\npassword_hash = '" + hash + "'", []string{"listed twice"}},
		{"not host:port", `listen = "8025"`, []string{"not host:port"}},
		{"misspelt key", `listn = "127.0.0.1:1"`, []string{"unknown key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := os.ReadFile("../../config.toml")
			if err != nil {
				t.Fatal(err)
			}
			text := string(src) + "\n[web]\n" + tc.web + "\n"
			c, err := Parse(text, Options{Env: func(string) (string, bool) { return "x", true }, Stat: stat})
			var probs []string
			if errs, ok := err.(Errors); ok {
				for _, p := range errs {
					if strings.HasPrefix(p.Key, "web") {
						probs = append(probs, p.String())
					}
				}
			} else if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(probs, "\n")
			if len(tc.errs) == 0 && len(probs) > 0 {
				t.Fatalf("want valid, got:\n%s", all)
			}
			for _, want := range tc.errs {
				if !strings.Contains(all, want) {
					t.Errorf("want a problem with %q, got:\n%s", want, all)
				}
			}
			if len(tc.errs) == 0 && tc.web == "" && c.Web.Listen != DefaultWebListen {
				t.Errorf("default listen %q", c.Web.Listen)
			}
		})
	}
}

package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

const bcryptHash = "$2a$12$jsymNWdihCr/YiPaqTGq0e4AuEy936m7E2Mz3ftgNLR4ZgbkXu6Ru"

// twoOffices writes a config directory with the offices "dinsos" and
// "bappeda" (the sample leave-request office twice).
func twoOffices(t *testing.T) string {
	dir := t.TempDir()
	officeFile(t, dir, "bappeda.toml")
	officeFile(t, dir, "dinsos.toml", `mailbox = "tu@contoh.go.id"`, `mailbox = "dinsos@contoh.go.id"`+"\ndata_dir = \"data-dinsos\"",
		`mode = "embedded"`, `mode = "embedded"`+"\nembedded_imap = \"127.0.0.1:2143\"\nembedded_smtp = \"127.0.0.1:2587\"")
	return dir
}

func writeConsole(t *testing.T, dir, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, config.ConsoleFile), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestConsoleGrants(t *testing.T) {
	dir := twoOffices(t)
	// Without _console.toml: the loopback console, everyone is "lokal"
	// and sees all; _console.toml is not an office.
	offs, con, err := config.LoadDeployment(dir, config.Options{Env: env})
	if err != nil || len(offs) != 2 || con.Path != "" || con.Web.Listen != config.DefaultWebListen || !con.Granted("lokal", "dinsos") {
		t.Fatalf("no console file: %v %+v %+v", err, offs, con)
	}
	writeConsole(t, dir, `[web]
listen = "127.0.0.1:9025"

[[web.account]]
name = "rina"
password_hash = '`+bcryptHash+`'
offices = ["dinsos"]

[[web.account]]
name = "kominfo"
password_hash = '`+bcryptHash+`'
offices = ["*"]
`)
	offs, con, err = config.LoadDeployment(dir, config.Options{Env: env})
	if err != nil || len(offs) != 2 {
		t.Fatalf("console: %v (%d offices)", err, len(offs))
	}
	for _, c := range []struct {
		acc, off string
		want     bool
	}{{"rina", "dinsos", true}, {"rina", "bappeda", false}, {"kominfo", "bappeda", true}, {"kominfo", "dinsos", true},
		{"lokal", "dinsos", false}, {"", "dinsos", false}, {"rina", "*", false}, {"rina", "", false}} {
		if got := con.Granted(c.acc, c.off); got != c.want {
			t.Errorf("Granted(%q, %q) = %v, want %v", c.acc, c.off, got, c.want)
		}
	}
	if con.Web.Listen != "127.0.0.1:9025" || len(con.Web.Accounts) != 2 {
		t.Fatalf("web: %+v", con.Web)
	}
}

func TestConsoleErrors(t *testing.T) {
	offices := []string{"bappeda", "dinsos", "kec-koba"}
	acc := func(name, offs string) string {
		s := "\n[[web.account]]\nname = \"" + name + "\"\npassword_hash = '" + bcryptHash + "'\n"
		if offs != "" {
			s += "offices = " + offs + "\n"
		}
		return s
	}
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"typo", acc("rina", `["dinos"]`), []string{`line 5: error: web.account "rina".offices = "dinos": no such office`, `did you mean "dinsos"?`}},
		{"unknown", acc("rina", `["dinsos", "pupr"]`), []string{`"pupr": no such office`, "bappeda, dinsos, kec-koba", `"*" grants all`}},
		{"missing", acc("rina", ""), []string{`web.account "rina".offices: missing`, `add offices = ["bappeda"]`, `offices = ["*"] for all`}},
		{"empty", acc("rina", "[]"), []string{`web.account "rina".offices: missing`}},
		{"public without TLS", "[web]\nlisten = \"0.0.0.0:8443\"\n" + acc("rina", `["*"]`), []string{"needs TLS"}},
		{"public without accounts", "[web]\nlisten = \"0.0.0.0:8443\"\ntls_cert = \"/nonexistent.pem\"\ntls_key = \"/nonexistent.key\"\n", []string{"needs logins", "cannot be read"}},
		{"plain password", "[[web.account]]\nname = \"rina\"\npassword_hash = \"rahasia123\"\noffices = [\"*\"]\n", []string{"not a password hash"}},
		{"misplaced key", "[web]\nready_imap_minutes = 5\n", []string{"unknown key", "each office's [web]"}},
		{"misspelt key", "[web]\nlisten = \"127.0.0.1:9000\"\n" + acc("rina", `["*"]`) + "ofices = [\"dinsos\"]\n", []string{"web.account.ofices", "unknown key"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.ParseConsole(c.src, offices, config.Options{})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
	if _, err := config.ParseConsole(acc("rina", `["dinsos", "kec-koba"]`)+acc("sari", `["*"]`), offices, config.Options{}); err != nil {
		t.Fatalf("a valid console: %v", err)
	}
}

// TestOfficeWebInDir: an office file of a config directory cannot open a
// console of its own; the error names the file and says where it goes.
func TestOfficeWebInDir(t *testing.T) {
	dir := twoOffices(t)
	b, _ := os.ReadFile(filepath.Join(dir, "dinsos.toml"))
	os.WriteFile(filepath.Join(dir, "dinsos.toml"), append(b, "\n[web]\nlisten = \"127.0.0.1:8026\"\nready_imap_minutes = 5\n"...), 0o600)
	_, _, err := config.LoadDeployment(dir, config.Options{Env: env})
	if err == nil || !strings.Contains(err.Error(), "dinsos.toml: ") || !strings.Contains(err.Error(), "web.listen") ||
		!strings.Contains(err.Error(), "move [web] listen") || !strings.Contains(err.Error(), "_console.toml") {
		t.Fatalf("an office's own [web] listen: %v", err)
	}
	// ready_imap_minutes stays the office's.
	os.WriteFile(filepath.Join(dir, "dinsos.toml"), append(b, "\n[web]\nready_imap_minutes = 5\n"...), 0o600)
	if _, _, err := config.LoadDeployment(dir, config.Options{Env: env}); err != nil {
		t.Fatalf("ready_imap_minutes in an office: %v", err)
	}
	// A console file's problems are listed under its name.
	writeConsole(t, dir, "[[web.account]]\nname = \"rina\"\npassword_hash = '"+bcryptHash+"'\noffices = [\"bapeda\"]\n")
	if _, _, err := config.LoadDeployment(dir, config.Options{Env: env}); err == nil || !strings.Contains(err.Error(), "_console.toml: ") ||
		!strings.Contains(err.Error(), `did you mean "bappeda"?`) {
		t.Fatalf("a console file's error: %v", err)
	}
}

// FuzzParseConsole: whatever the console file says, a grant that loads
// without error names only offices of the deployment (or "*"), and no
// account outside the file is granted anything.
func FuzzParseConsole(f *testing.F) {
	f.Add("[[web.account]]\nname = \"rina\"\npassword_hash = '" + bcryptHash + "'\noffices = [\"dinsos\"]\n")
	f.Add("[web]\nlisten = \"off\"\n")
	f.Add("[[web.account]]\nname = \"a\"\npassword_hash = '" + bcryptHash + "'\noffices = [\"*\", \"bappeda\"]\n")
	offices := []string{"bappeda", "dinsos"}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := config.ParseConsole(src, offices, config.Options{})
		if err != nil {
			return
		}
		for acc, g := range c.Grants {
			if len(g) == 0 {
				t.Fatalf("account %q loaded without offices", acc)
			}
			for _, id := range g {
				if id != config.AllOffices && id != "bappeda" && id != "dinsos" {
					t.Fatalf("account %q granted unknown office %q", acc, id)
				}
			}
		}
		if _, in := c.Grants["nobody-in-the-file"]; !in && len(c.Web.Accounts) > 0 && c.Granted("nobody-in-the-file", "dinsos") {
			t.Fatal("an account not in the file is granted an office")
		}
	})
}

package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// officeFile writes the sample leave-request office under name with the
// replacements given (old, new, old, new...).
func officeFile(t *testing.T, dir, name string, repl ...string) {
	t.Helper()
	b, err := os.ReadFile("../flow/testdata/cuti.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(repl...).Replace(string(b))
	if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	officeFile(t, dir, "tu.toml")
	officeFile(t, dir, "dinsos.toml", `mailbox = "tu@contoh.go.id"`, `mailbox = "dinsos@contoh.go.id"`+"\ndata_dir = \"data-dinsos\"",
		`mode = "embedded"`, `mode = "embedded"`+"\nembedded_imap = \"127.0.0.1:2143\"\nembedded_smtp = \"127.0.0.1:2587\"")
	os.WriteFile(filepath.Join(dir, "README.txt"), []byte("not an office"), 0o600)
	offs, err := config.LoadDir(dir, config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if len(offs) != 2 || offs[0].ID != "dinsos" || offs[1].ID != "tu" || offs[0].Config.Office.Mailbox != "dinsos@contoh.go.id" {
		t.Fatalf("offices: %+v", offs)
	}

	// A copy of an office shares everything that must be its own.
	officeFile(t, dir, "tu2.toml")
	_, err = config.LoadDir(dir, config.Options{Env: env})
	var de *config.DirError
	if !errors.As(err, &de) || len(de.Conflicts) != 4 {
		t.Fatalf("a copied office: %v", err)
	}
	for _, want := range []string{"mailbox tu@contoh.go.id", "data_dir", "embedded IMAP", "embedded SMTP"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("conflicts do not name %s: %v", want, err)
		}
	}
	os.Remove(filepath.Join(dir, "tu2.toml"))

	// Two offices on one PostgreSQL database need their own schemas.
	pg := "\n[store]\nurl = \"postgres://mf@db1/mailflow%s\"\n"
	officeFile(t, dir, "tu.toml", `mode = "embedded"`, `mode = "embedded"`+strings.Replace(pg, "%s", "", 1))
	officeFile(t, dir, "dinsos.toml", `mailbox = "tu@contoh.go.id"`, `mailbox = "dinsos@contoh.go.id"`,
		`mode = "embedded"`, "mode = \"embedded\"\nembedded_imap = \"127.0.0.1:2143\"\nembedded_smtp = \"127.0.0.1:2587\""+strings.Replace(pg, "%s", "?search_path=public", 1))
	if _, err = config.LoadDir(dir, config.Options{Env: env}); err == nil || !strings.Contains(err.Error(), "PostgreSQL database and schema") {
		t.Errorf("two offices in one schema: %v", err)
	}
	officeFile(t, dir, "dinsos.toml", `mailbox = "tu@contoh.go.id"`, `mailbox = "dinsos@contoh.go.id"`,
		`mode = "embedded"`, "mode = \"embedded\"\nembedded_imap = \"127.0.0.1:2143\"\nembedded_smtp = \"127.0.0.1:2587\""+strings.Replace(pg, "%s", "?search_path=dinsos", 1))
	if _, err = config.LoadDir(dir, config.Options{Env: env}); err != nil {
		t.Errorf("two schemas of one database: %v", err)
	}

	// A bad file is reported under its name; an empty directory is an error.
	os.WriteFile(filepath.Join(dir, "rusak.toml"), []byte("[office\n"), 0o600)
	if _, err = config.LoadDir(dir, config.Options{Env: env}); err == nil || !strings.Contains(err.Error(), "rusak.toml: ") {
		t.Errorf("a broken file: %v", err)
	}
	if _, err = config.LoadDir(t.TempDir(), config.Options{Env: env}); !errors.Is(err, config.ErrNotFound) {
		t.Errorf("an empty directory: %v", err)
	}
}

package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// The sample config with a [store] section appended.
func withStore(t *testing.T, section string) (*config.Config, error) {
	t.Helper()
	src, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	return config.Parse(string(src)+"\n"+section+"\n", config.Options{Env: func(k string) (string, bool) {
		if k == "MF_DB" {
			return "postgres://mf:pw@db1:5432/mailflow", true
		}
		return env(k)
	}})
}

func TestStoreSection(t *testing.T) {
	c, err := withStore(t, "")
	if err != nil || c.Store.Postgres() || c.Store.Attachments != "files" {
		t.Fatalf("no [store]: SQLite and files; got %+v %v", c.Store, err)
	}
	c, err = withStore(t, "[store]\nurl_env = \"MF_DB\"\nattachments = \"database\"")
	if err != nil || c.Store.URL.Reveal() != "postgres://mf:pw@db1:5432/mailflow" || c.Store.Attachments != "database" {
		t.Fatalf("url_env: %+v %v", c.Store, err)
	}
	if s := c.Store.URL.String(); strings.Contains(s, "pw") {
		t.Errorf("the URL prints as %s", s)
	}
	c, err = withStore(t, "[store]\nurl = \"postgresql://mf:pw@db1/mailflow\"")
	if err != nil || !c.Store.Postgres() {
		t.Fatalf("url: %+v %v", c.Store, err)
	}
	if w := c.Warnings[len(c.Warnings)-1]; w.Key != "store.url" || !strings.Contains(w.Msg, "password") || strings.Contains(w.String(), "pw@") {
		t.Errorf("a password in the file: warning %v", w)
	}
	for _, bad := range []struct{ section, key, msg string }{
		{"[store]\nurl = \"mysql://db/mf\"", "store.url", "only PostgreSQL"},
		{"[store]\nurl = \"postgres://db1\"", "store.url", "no database"},
		{"[store]\nurl = \"postgres://db 1/%zz\"", "store.url", "not a URL"},
		{"[store]\nurl_env = \"UJI_TIDAK_ADA\"", "store.url_env", "not set"},
		{"[store]\nattachments = \"database\"", "store.attachments", "needs a PostgreSQL"},
		{"[store]\nattachments = \"s3\"", "store.attachments", "unknown"},
		{"[store]\nurl = \"postgres://db/mf\"\nurl_env = \"MF_DB\"", "store.url", "together"},
		{"[store]\nuri = \"postgres://db/mf\"", "store.uri", "unknown key"},
	} {
		_, err := withStore(t, bad.section)
		if err == nil || !strings.Contains(err.Error(), bad.key) || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%q: err = %v, want %s: %s", bad.section, err, bad.key, bad.msg)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("%q: the error shows the password: %v", bad.section, err)
		}
	}
}

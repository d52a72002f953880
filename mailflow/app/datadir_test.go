package app

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestBuildOnPostgresMakesDataDir: on PostgreSQL no database file creates
// data_dir, so Build makes it (0700) instead of failing on its absence, as
// a fresh instance of a failover deployment would.
func TestBuildOnPostgresMakesDataDir(t *testing.T) {
	base := os.Getenv(storetest.Env)
	if base == "" {
		t.Skip("set " + storetest.Env + " (.ci/pg.sh)")
	}
	cfg, err := config.Load("../flow/testdata/cuti.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Store = config.Store{URL: config.Secret(storetest.FreshPostgres(t, base)), Attachments: "database"}
	dir := filepath.Join(t.TempDir(), "new", "data")
	a, err := Build(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{DataDir: dir})
	if err != nil {
		t.Fatalf("Build with a data_dir that does not exist yet: %v", err)
	}
	a.Close()
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("data_dir: %v %v", fi, err)
	}
}

package app

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// TestBuildOnPostgresMakesDataDir: on PostgreSQL no database file creates
// data_dir, so Build makes it (0700) instead of failing on its absence, as
// a fresh instance of a failover deployment would.
func TestBuildOnPostgresMakesDataDir(t *testing.T) {
	cfg := postgresConfig(t)
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

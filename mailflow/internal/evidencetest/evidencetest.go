// Package evidencetest plays the demo once into a kept data directory, so
// that the report, bundle and archive tests read a real run: mail that
// went over SMTP and IMAP, replies parsed, the whole SOP.
package evidencetest

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/demo"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Run is a finished demo run and its stores, open for reading.
type Run struct {
	Config *config.Config
	Store  *store.Store
	Blobs  *blob.Store
	RunID  string
	Dir    string
}

// Env is the flow environment of the run's config.
func (r *Run) Env() flow.Env { return flow.Env{Office: &r.Config.Office, Cal: &r.Config.Calendar} }

// ConfigPath is the shipped config.toml.
func ConfigPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "config.toml")
}

// Demo plays the demo (about a second) and opens what it left.
func Demo(t testing.TB) *Run {
	t.Helper()
	dir := t.TempDir()
	res, err := demo.Run(context.Background(), demo.Options{ConfigPath: ConfigPath(), DataDir: dir})
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	cfg, err := config.Load(ConfigPath(), config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "mailflow.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bl, err := blob.Open(filepath.Join(dir, "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	return &Run{Config: cfg, Store: st, Blobs: bl, RunID: res.Run.ID, Dir: dir}
}

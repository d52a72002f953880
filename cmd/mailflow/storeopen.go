package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// storePath is where the config keeps its store.
func storePath(cfg *config.Config) string {
	return filepath.Join(app.DataDir(cfg), "mailflow.db")
}

// errNoStore: the commands that only read (status, report, export) never
// create a store: an empty one would hide a wrong -config or data_dir.
var errNoStore = errors.New("no store")

func checkStoreExists(cfg *config.Config) error {
	p := storePath(cfg)
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w at %s: data_dir %q of %s holds no mailflow data yet (is this the right -config? \"mailflow run\" or \"mailflow start\" creates it)",
			errNoStore, p, cfg.DataDir, cfg.Path)
	} else if err != nil {
		return fmt.Errorf("open store %s: %w", p, err)
	}
	return nil
}

// openExisting loads the config and opens its store, which must exist.
func (c *common) openExisting(name string, stderr io.Writer) (*config.Config, *store.Store, bool) {
	cfg, ok := c.load(stderr)
	if !ok {
		return nil, nil, false
	}
	if err := checkStoreExists(cfg); err != nil {
		fmt.Fprintf(stderr, "mailflow %s: %v\n", name, err)
		return nil, nil, false
	}
	st, err := store.Open(storePath(cfg), store.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "mailflow %s: %v\n", name, err)
		return nil, nil, false
	}
	return cfg, st, true
}

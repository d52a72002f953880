package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// common flags of the commands that read the config.
type common struct {
	config string
	json   bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", defaultConfig(), "the config file (env MAILFLOW_CONFIG)")
	fs.BoolVar(&c.json, "log-json", false, "log as JSON instead of text")
}

func defaultConfig() string {
	if p := os.Getenv("MAILFLOW_CONFIG"); p != "" {
		return p
	}
	return "config.toml"
}

func (c *common) logger(w io.Writer) *slog.Logger {
	if c.json {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// load reads and validates the config; problems are printed for the admin.
func (c *common) load(stderr io.Writer) (*config.Config, bool) {
	cfg, err := config.Load(c.config, config.Options{})
	if errors.Is(err, config.ErrNotFound) {
		fmt.Fprintf(stderr, "mailflow: %v\n", err)
		return nil, false
	}
	var probs config.Errors
	if errors.As(err, &probs) {
		fmt.Fprintf(stderr, "mailflow: %s has %d problem(s); run \"mailflow check -config %s\" for details:\n", c.config, len(probs), c.config)
		for _, p := range probs {
			fmt.Fprintf(stderr, "%s: %s\n", c.config, p)
		}
		return nil, false
	}
	if err != nil {
		fmt.Fprintf(stderr, "mailflow: %v\n", err)
		return nil, false
	}
	return cfg, true
}

func openEngine(cfg *config.Config, log *slog.Logger) (*engine.Engine, error) {
	st, err := store.Open(app.StoreAt(cfg, app.DataDir(cfg)), store.Options{})
	if err != nil {
		return nil, fmt.Errorf("%w (check that data_dir %q is writable)", err, cfg.DataDir)
	}
	return engine.New(st, envOf(cfg), log), nil
}

func envOf(cfg *config.Config) flow.Env {
	return flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}
}

// openStore loads the config and opens its store, for the commands that
// read or change runs outside the daemon. Problems are printed for the
// admin; ok is false then.
func (c *common) openStore(name string, stderr io.Writer) (*config.Config, *engine.Engine, bool) {
	cfg, ok := c.load(stderr)
	if !ok {
		return nil, nil, false
	}
	eng, err := openEngine(cfg, c.logger(io.Discard))
	if err != nil {
		fmt.Fprintf(stderr, "mailflow %s: %v\n", name, err)
		return nil, nil, false
	}
	return cfg, eng, true
}

// parseArgs parses flags that may come before or after the positional
// arguments ("mailflow meeting RUN -cancel"); the standard flag package
// stops at the first positional one.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

func cmdCheck(args []string) int { return runCheck(args, os.Stdout, os.Stderr) }

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	dir := fs.String("config-dir", "", "check every office of this directory and its _console.toml, as run -config-dir loads them")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir != "" {
		return checkDir(*dir, stdout, stderr)
	}
	cfg, err := config.Load(c.config, config.Options{})
	if errors.Is(err, config.ErrNotFound) {
		fmt.Fprintf(stderr, "mailflow check: %v\n", err)
		return 1
	}
	var probs config.Errors
	if err != nil && !errors.As(err, &probs) {
		fmt.Fprintf(stderr, "mailflow check: %v\n", err)
		return 1
	}
	var warnings []config.Problem
	if cfg != nil {
		warnings = cfg.Warnings
	}
	fmt.Fprint(stdout, config.Report(c.config, probs, warnings))
	if len(probs) > 0 {
		return 1
	}
	checkDataDir(stdout, app.DataDir(cfg))
	checkOAuthToken(stdout, cfg)
	fmt.Fprint(stdout, config.Summary(cfg))
	return 0
}

// checkDataDir warns about a data directory or store others can read:
// replies, attachments and the embedded accounts' passwords live there.
// "mailflow run" tightens them (0700, 0600) when it starts.
func checkDataDir(w io.Writer, dir string) {
	for _, p := range []string{dir, filepath.Join(dir, "mailflow.db"), filepath.Join(dir, "embedded-accounts.txt"), filepath.Join(dir, oauth.TokenFile)} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		fmt.Fprintf(w, "%s: warning: readable by group or others (mode %04o)\n    hint: mailflow run makes it %s; or chmod it now\n",
			p, fi.Mode().Perm(), map[bool]string{true: "0700", false: "0600"}[fi.IsDir()])
	}
}

// checkOAuthToken warns when [mail.oauth] is set but "mailflow auth" has
// not stored a refresh token yet ("mailflow doctor" also tries it).
func checkOAuthToken(w io.Writer, cfg *config.Config) {
	o := cfg.Mail.OAuth
	if o == nil {
		return
	}
	p := filepath.Join(app.DataDir(cfg), oauth.TokenFile)
	if _, err := os.Stat(p); err != nil {
		fmt.Fprintf(w, "%s: warning: no OAuth2 refresh token yet\n    hint: run \"mailflow auth %s -config %s\" as the user mailflow runs as\n", p, o.Provider, cfg.Path)
	}
}

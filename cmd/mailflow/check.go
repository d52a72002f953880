package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

func cmdCheck(args []string) int { return runCheck(args, os.Stdout, os.Stderr) }

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
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
	fmt.Fprint(stdout, config.Summary(cfg))
	return 0
}

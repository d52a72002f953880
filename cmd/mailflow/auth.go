package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

func cmdAuth(args []string) int { return runAuth(context.Background(), args, os.Stdout, os.Stderr) }

// runAuth signs the office mailbox in with OAuth2 (device-code flow) and
// stores the refresh token in the data directory.
func runAuth(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("auth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: mailflow auth google|microsoft [-config FILE]\n\nSigns the office mailbox in with OAuth2 ([mail.oauth] in the config): open the printed URL on any device and enter the code. The refresh token is kept in the data directory (mode 0600) and never printed.")
		fs.PrintDefaults()
	}
	var c common
	c.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 || (pos[0] != "google" && pos[0] != "microsoft") {
		fs.Usage()
		return 2
	}
	cfg, ok := c.load(stderr)
	if !ok {
		return 1
	}
	o := cfg.Mail.OAuth
	if o == nil {
		fmt.Fprintf(stderr, "mailflow auth: %s has no [mail.oauth] section; add provider = %q and client_id (see the README, \"OAuth2\")\n", c.config, pos[0])
		return 1
	}
	if o.Provider != pos[0] {
		fmt.Fprintf(stderr, "mailflow auth: [mail.oauth] provider is %q, not %q\n", o.Provider, pos[0])
		return 1
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(stdout, "Signing in %s to %s for mailflow.\n", cfg.Mail.IMAP.Username, map[string]string{"google": "Google Workspace", "microsoft": "Microsoft 365"}[o.Provider])
	dir := app.DataDir(cfg)
	if err := oauth.Authorize(ctx, o, dir, nil, stdout); err != nil {
		fmt.Fprintf(stderr, "mailflow auth: %v\n", err)
		return 1
	}
	if os.Geteuid() == 0 {
		// The daemon runs as its own user and could not read a root-owned token.
		fmt.Fprintf(stdout, "Note: run as root. If mailflow runs as another user, give it the file: chown mailflow: %s\n", filepath.Join(dir, oauth.TokenFile))
	}
	return 0
}

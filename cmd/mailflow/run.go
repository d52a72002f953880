package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/bangkatengah/mailflow/mailflow/app"
)

func cmdRun(args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var c common
	c.register(fs)
	dir := fs.String("config-dir", "", "run every office of this directory (one *.toml per office) in one process")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := c.logger(os.Stderr)
	if *dir != "" {
		return runOffices(*dir, log)
	}
	cfg, ok := c.load(os.Stderr)
	if !ok {
		return 1
	}
	for _, w := range cfg.Warnings {
		log.Warn("config: " + w.String())
	}
	a, err := app.Build(cfg, log, app.Options{})
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer a.Close()
	if a.Server != nil {
		printAccounts(os.Stdout, a)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Info("mailflow running", "office", cfg.Office.Name, "config", c.config, "store", a.Store.Path, "mode", cfg.Mail.Mode)
	if err := a.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "mailflow run: %v\n", err)
		return 1
	}
	log.Info("mailflow stopped")
	return 0
}

// printAccounts tells a person how to play an official with their own
// mail client against the embedded servers.
func printAccounts(w io.Writer, a *app.App) {
	fmt.Fprintf(w, "Embedded mail servers (loopback only, mail kept in memory):\n")
	fmt.Fprintf(w, "  IMAP %s  (no TLS, plain login)\n  SMTP %s  (no TLS, AUTH PLAIN)\n", a.Server.IMAPAddr(), a.Server.SMTPAddr())
	fmt.Fprintf(w, "Accounts (login = address):\n")
	for _, acc := range a.Accounts {
		role := ""
		if p, ok := a.Cfg.Office.Person(acc.Address); ok {
			role = p.Jabatan
		} else if acc.Address == a.Cfg.Office.Mailbox {
			role = "office mailbox (mailflow reads it)"
		} else if acc.Address == a.Cfg.Office.Admin {
			role = "admin"
		}
		fmt.Fprintf(w, "  %-48s %-14s %s\n", acc.Address, acc.Password, role)
	}
	fmt.Fprintln(w)
}

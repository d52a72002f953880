package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/web"
)

// notifyHUP turns SIGHUP into reload requests until ctx ends.
func notifyHUP(ctx context.Context) <-chan struct{} {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP)
	out := make(chan struct{}, 1)
	go func() {
		defer signal.Stop(sig)
		for {
			select {
			case <-ctx.Done():
				return
			case <-sig:
				select {
				case out <- struct{}{}:
				default: // one pending reload is enough
				}
			}
		}
	}()
	return out
}

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
	log = c.loggerIn(os.Stderr, cfg.Calendar.Loc)
	for _, w := range cfg.Warnings {
		log.Warn("config: " + w.String())
	}
	release, err := lockDataDir(app.DataDir(cfg))
	if err != nil {
		fmt.Fprintf(os.Stderr, "mailflow run: %v\n", err)
		return 1
	}
	defer release()
	now, err := testClock()
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	if now != nil {
		log.Warn("MAILFLOW_TEST_CLOCK_OFFSET is set: the clock is moved, for tests only", "now", now())
	}
	a, err := app.Build(cfg, log, app.Options{Now: now})
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer func() { a.Close() }()
	if a.Server != nil {
		printAccounts(os.Stdout, a)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var con *web.Server
	if cfg.Web.Listen != "" {
		con, err = web.New(a, web.Options{Log: log})
		if err == nil {
			err = con.Listen()
		}
		if err != nil {
			log.Error("cannot start", "err", err)
			return 1
		}
		fmt.Fprintf(os.Stdout, "Console: %s\n", con.URL())
		go func() {
			if err := con.Serve(ctx); err != nil {
				log.Error("console stopped", "err", err)
			}
		}()
	}
	hup := notifyHUP(ctx)
	log.Info("mailflow running", "office", cfg.Office.Name, "config", c.config, "store", a.Store.Path, "mode", cfg.Mail.Mode)
	sup := &supervisor{path: c.config, log: log, cur: a, build: func(cfg *config.Config, opt app.Options) (*app.App, error) {
		opt.Now = now // a reload keeps the test clock
		return app.Build(cfg, log, opt)
	}}
	if con != nil {
		sup.swapped = con.Use // the console follows a reload
	}
	err = sup.run(ctx, hup)
	a = sup.cur // closed by the deferred Close
	if err != nil {
		fmt.Fprintf(os.Stderr, "mailflow run: %v\n", err)
		return 1
	}
	log.Info("mailflow stopped")
	return 0
}

// printAccounts tells a person how to play an official with their own
// mail client against the embedded servers.
func printAccounts(w io.Writer, a *app.App) {
	fmt.Fprintf(w, "Embedded mail servers (loopback only, mail kept under data_dir/mail):\n")
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

// testClock reads MAILFLOW_TEST_CLOCK_OFFSET (a Go duration): the
// end-to-end crash test restarts the daemon with the clock moved past a
// meeting, so that the step after it comes without waiting for the hour.
// Unset, it returns nil: the real clock.
func testClock() (func() time.Time, error) {
	v := os.Getenv("MAILFLOW_TEST_CLOCK_OFFSET")
	if v == "" {
		return nil, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return nil, fmt.Errorf("MAILFLOW_TEST_CLOCK_OFFSET=%q: %w", v, err)
	}
	return func() time.Time { return time.Now().Add(d) }, nil
}

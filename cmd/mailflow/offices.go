package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/web"
)

// runOffices is `mailflow run -config-dir DIR`: every office of the
// directory in this process, each with its own store and mailbox, and one
// console for them all (DIR/_console.toml).
func runOffices(dir string, log *slog.Logger) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveOffices(ctx, dir, log, os.Stdout, os.Stderr, notifyHUP(ctx), nil)
}

// serveOffices runs the offices of dir and their console until ctx ends.
// hup asks for a reload; tune, when set, adjusts the deployment's runner
// (tests).
func serveOffices(ctx context.Context, dir string, log *slog.Logger, stdout, stderr io.Writer, hup <-chan struct{}, tune func(*deployment)) int {
	offs, con, err := config.LoadDeployment(dir, config.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "mailflow: %v\n", err)
		return 1
	}
	for _, o := range offs {
		for _, w := range o.Config.Warnings {
			log.Warn("config: "+w.String(), "office", o.ID)
		}
	}
	now, err := testClock()
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	if now != nil {
		log.Warn("MAILFLOW_TEST_CLOCK_OFFSET is set: the clock is moved, for tests only", "now", now())
	}
	d, err := app.BuildOffices(offs, log, app.Options{Now: now})
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer d.Close()
	var srv *web.Server
	if con.Web.Listen != "" {
		srv, err = web.NewDeployment(d, con, web.Options{Log: log})
		if err == nil {
			err = srv.Listen()
		}
		if err != nil {
			log.Error("cannot start", "err", err)
			return 1
		}
		fmt.Fprintf(stdout, "Console: %s\n", srv.URL())
		go func() {
			if err := srv.Serve(ctx); err != nil {
				log.Error("console stopped", "err", err)
			}
		}()
	}
	for _, o := range d.List() {
		log.Info("office running", "office", o.ID, "name", o.Name, "mailbox", o.Mailbox, "store", o.Store)
	}
	dp := newDeployment(dir, d, srv, log, now)
	if tune != nil {
		tune(dp)
	}
	if err := dp.run(ctx, hup); err != nil {
		fmt.Fprintf(stderr, "mailflow run: %v\n", err)
		return 1
	}
	log.Info("mailflow stopped")
	return 0
}

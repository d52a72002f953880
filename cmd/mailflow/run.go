package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/bangkatengah/mailflow/mailflow/daemon"
)

func cmdRun(args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := c.logger(os.Stderr)
	cfg, ok := c.load(os.Stderr)
	if !ok {
		return 1
	}
	for _, w := range cfg.Warnings {
		log.Warn("config: " + w.String())
	}
	eng, err := openEngine(cfg, log)
	if err != nil {
		log.Error("cannot open the store", "err", err)
		return 1
	}
	defer eng.Store.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d := daemon.New(eng, log)
	if err := wireMail(ctx, cfg, eng, d, log); err != nil {
		log.Error("cannot start mail", "err", err)
		return 1
	}
	log.Info("mailflow running", "office", cfg.Office.Name, "config", c.config, "store", eng.Store.Path)
	if err := d.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "mailflow run: %v\n", err)
		return 1
	}
	log.Info("mailflow stopped")
	return 0
}

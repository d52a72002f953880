package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/demo"
)

func cmdDemo(args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfgPath := fs.String("config", defaultConfig(), "the config whose SOP and people the demo plays")
	out := fs.String("out", "", "also write every mailbox as .eml files under this directory")
	verbose := fs.Bool("v", false, "log every component, not only the transcript")
	data := fs.String("data", "", "keep the demo's store here (default: a temporary directory, removed)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dataDir := *data
	if *out != "" && dataDir == "" {
		// The report and the bundle are made from the store after the run.
		tmp, err := os.MkdirTemp("", "mailflow-demo-")
		if err != nil {
			fmt.Fprintf(os.Stderr, "mailflow demo: %v\n", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		dataDir = tmp
	}
	res, err := demo.Run(ctx, demo.Options{ConfigPath: *cfgPath, Out: os.Stdout, OutDir: *out, Verbose: *verbose, DataDir: dataDir})
	if res != nil {
		fmt.Printf("\ndemo wall time: %s\n", res.Wall.Round(1e6))
	}
	if *out != "" && res != nil {
		fmt.Printf("every mailbox was written to %s/<address>/{inbox,sent}/*.eml\n", *out)
	}
	if err == nil && *out != "" && res != nil && res.Run != nil {
		if err = writeDemoEvidence(*cfgPath, dataDir, res.Run.ID, *out); err == nil {
			fmt.Printf("the run's Formulir Monitoring and evidence bundle: %s/laporan.pdf, %s/bundle.zip (mailflow verify %s/bundle.zip)\n", *out, *out, *out)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "mailflow demo: FAILED: %v\n", err)
		return 1
	}
	fmt.Println("demo OK: the run went from the disposition through the Rapat Tim to its notulen.")
	return 0
}

func writeDemoEvidence(cfgPath, dataDir, runID, dir string) error {
	cfg, err := config.Load(cfgPath, config.Options{})
	if err != nil {
		return err
	}
	return demo.WriteEvidence(cfg, dataDir, runID, dir)
}

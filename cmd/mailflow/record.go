package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/bundle"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/report"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func cmdReport(args []string) int { return runReport(args, os.Stdout, os.Stderr) }
func cmdExport(args []string) int { return runExport(args, os.Stdout, os.Stderr) }
func cmdVerify(args []string) int { return runVerify(args, os.Stdout, os.Stderr) }

// reportSource is what report and export read: the store (which must
// exist), the office and its calendar.
func reportSource(cfg *config.Config, st *store.Store, place string) report.Source {
	src := report.FromConfig(cfg, st)
	if place != "" {
		src.Place = place
	}
	return src
}

func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: mailflow report RUN -o laporan.pdf   (the Formulir Monitoring Pelaksanaan SOP of one run)\n       mailflow report -year 2024 -o rekap.pdf   (every run of the SOP started that year, compliance per step)")
		fs.PrintDefaults()
	}
	var c common
	c.register(fs)
	out := fs.String("o", "", "the PDF to write (required)")
	year := fs.Int("year", 0, "the period report of this year instead of one run's form")
	sopID := fs.String("sop", "", "the SOP of the period report (its id or number; default: the only one)")
	place := fs.String("place", "", "the place on the signature line (default: [report] place)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if *out == "" || (*year == 0) == (len(pos) == 0) || len(pos) > 1 {
		fs.Usage()
		return 2
	}
	cfg, st, ok := c.openExisting("report", stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	src := reportSource(cfg, st, *place)
	var buf bytes.Buffer
	if *year != 0 {
		err = report.Period(context.Background(), &buf, src, *sopID, *year)
	} else {
		err = report.Form(context.Background(), &buf, src, pos[0])
	}
	if err == nil {
		err = writeFile(*out, buf.Bytes(), 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mailflow report: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", *out, buf.Len())
	return 0
}

func runExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: mailflow export RUN -o bundle.zip   (the run's evidence bundle: form, every mail, attachments, events, manifest)")
		fs.PrintDefaults()
	}
	var c common
	c.register(fs)
	out := fs.String("o", "", "the zip to write (required)")
	place := fs.String("place", "", "the place on the form's signature line (default: [report] place)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if *out == "" || len(pos) != 1 {
		fs.Usage()
		return 2
	}
	cfg, st, ok := c.openExisting("export", stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	m, err := exportBundle(cfg, st, filepath.Join(app.DataDir(cfg), "attachments"), pos[0], *place, *out)
	if err != nil {
		fmt.Fprintf(stderr, "mailflow export: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: run %s, %d files\n", *out, m.RunID, len(m.Files))
	for _, miss := range m.Missing {
		fmt.Fprintf(stderr, "mailflow export: WARNING: %s is not in the store (%s); the manifest lists it as missing\n", miss.What, miss.Reason)
	}
	return 0
}

// exportBundle writes the bundle of runID to path (atomically, private:
// it holds officials' mail).
func exportBundle(cfg *config.Config, st *store.Store, blobDir, runID, place, path string) (*bundle.Manifest, error) {
	blobs, err := blob.Open(blobDir)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	m, err := bundle.Export(context.Background(), &buf, reportSource(cfg, st, place), blobs, runID)
	if err != nil {
		return nil, err
	}
	return m, writeFile(path, buf.Bytes(), 0o600)
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: mailflow verify bundle.zip   (checks every file against the manifest; exit 1 on any change)")
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	m, err := bundle.VerifyFile(pos[0])
	var be *bundle.Error
	if errors.As(err, &be) {
		fmt.Fprintf(stdout, "%s: FAILED, %d problem(s):\n", pos[0], len(be.Problems))
		for _, p := range be.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "mailflow verify: %s: %v\n", pos[0], err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: OK, %d files match the manifest (run %s, %s", pos[0], len(m.Files), m.RunID, m.SOP)
	if len(m.Missing) > 0 {
		fmt.Fprintf(stdout, "; %d file(s) were already missing from the store when it was made", len(m.Missing))
	}
	fmt.Fprintln(stdout, ")")
	return 0
}

// writeFile writes atomically: a report half-written by a full disk never
// stands under the name asked for.
func writeFile(path string, b []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/intake"
	"github.com/bangkatengah/mailflow/mailflow/reply"
)

// maxBareBody bounds a text or HTML body read from stdin or a file.
const maxBareBody = 32 << 20

// cmdParse shows how the daemon would understand one message:
// mailflow parse [-json | -text] [FILE.eml]. REPLY_INPUT_KIND=text|html|eml
// says what the input is (default eml), as the reply corpus scorer sets it.
func cmdParse(args []string) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the machine-readable form (the default)")
	asText := fs.Bool("text", false, "print only the new text of the reply")
	kind := fs.String("kind", os.Getenv("REPLY_INPUT_KIND"), "input kind: eml, text or html (default $REPLY_INPUT_KIND, else eml)")
	trusted := fs.String("authserv-id", "", "trust Authentication-Results from this authserv-id (overrides -config)")
	cfgPath := fs.String("config", os.Getenv("MAILFLOW_CONFIG"), "apply this config's [replies] max_attachment_mb, allowed_types, authserv_id, "+
		"the SOP subject tags and the time zone, as the daemon would (default $MAILFLOW_CONFIG)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mailflow parse [-json | -text] [-config FILE] [FILE.eml]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *asJSON && *asText || fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	in := io.Reader(os.Stdin)
	if fs.NArg() == 1 {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			fmt.Fprintf(os.Stderr, "mailflow parse: %v\n", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	opts := reply.Options{Now: time.Now(), TrustedAuthServID: *trusted}
	if *cfgPath != "" {
		c := common{config: *cfgPath}
		cfg, ok := c.load(os.Stderr)
		if !ok {
			return 1
		}
		opts = intake.ParseOptions(cfg, opts.Now)
		if *trusted != "" {
			opts.TrustedAuthServID = *trusted // the command line wins
		}
	}
	var p *reply.Parsed
	switch k := strings.ToLower(strings.TrimSpace(*kind)); k {
	case "", "eml":
		var err error
		if p, err = reply.Parse(in, opts); err != nil {
			// the daemon quarantines such a message (malformed) or tries
			// it again (anything else)
			what := "transient, the daemon retries"
			if errors.Is(err, reply.ErrMalformed) {
				what = "malformed, the daemon quarantines it"
			}
			fmt.Fprintf(os.Stderr, "mailflow parse: %v (%s)\n", err, what)
			return 1
		}
	case "text", "html":
		b, err := io.ReadAll(io.LimitReader(in, maxBareBody))
		if err != nil {
			fmt.Fprintf(os.Stderr, "mailflow parse: read input: %v\n", err)
			return 1
		}
		p = reply.ParseText(string(b), k == "html", opts)
	default:
		fmt.Fprintf(os.Stderr, "mailflow parse: unknown input kind %q (want eml, text or html)\n", k)
		return 2
	}
	if *asText {
		if p.Text != "" {
			fmt.Println(p.Text)
		}
		return 0
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p.ToJSON()); err != nil {
		fmt.Fprintf(os.Stderr, "mailflow parse: %v\n", err)
		return 1
	}
	return 0
}

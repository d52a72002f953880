package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
)

// checkDir is `mailflow check -config-dir DIR`: every office file and the
// console file (_console.toml) of a deployment, with the conflicts between
// offices, as "mailflow run -config-dir" would load them; exit 1 on any
// error. Each file's problems are printed under its name, as for one file.
func checkDir(dir string, stdout, stderr io.Writer) int {
	offs, con, err := config.LoadDeployment(dir, config.Options{})
	var de *config.DirError
	if err != nil && !errors.As(err, &de) {
		fmt.Fprintf(stderr, "mailflow check: %v\n", err)
		return 1
	}
	bad := false
	if de != nil {
		names := make([]string, 0, len(de.Files))
		for n := range de.Files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			bad = true
			var probs config.Errors
			if errors.As(de.Files[n], &probs) {
				fmt.Fprint(stdout, config.Report(n, probs, nil))
			} else {
				fmt.Fprintf(stdout, "%s: %v\n", n, de.Files[n])
			}
		}
		for _, c := range de.Conflicts {
			bad = true
			fmt.Fprintf(stdout, "conflict: %s\n", c)
		}
	}
	for _, o := range offs {
		if len(o.Config.Warnings) > 0 {
			fmt.Fprint(stdout, config.Report(o.ID+".toml", nil, o.Config.Warnings))
		}
	}
	if bad {
		fmt.Fprintf(stdout, "%s is not usable until the errors above are fixed.\n", dir)
		return 1
	}
	for _, o := range offs {
		fmt.Fprintf(stdout, "office %s (%s.toml):\n", o.ID, o.ID)
		checkDataDir(stdout, app.DataDir(o.Config))
		checkOAuthToken(stdout, o.Config)
		fmt.Fprint(stdout, indent(config.Summary(o.Config)))
	}
	fmt.Fprint(stdout, consoleSummary(con, offs))
	return 0
}

// consoleSummary says where the deployment's console listens and who may
// see which office.
func consoleSummary(con *config.Console, offs []config.Office) string {
	var b strings.Builder
	src := con.Path
	if src == "" {
		src = "no " + config.ConsoleFile + ": the default"
	}
	if con.Web.Listen == "" {
		fmt.Fprintf(&b, "console: off (%s)\n", src)
		return b.String()
	}
	scheme := "http"
	if con.Web.TLS() {
		scheme = "https"
	}
	fmt.Fprintf(&b, "console: %s://%s (%s)\n", scheme, con.Web.Listen, src)
	if len(con.Web.Accounts) == 0 {
		fmt.Fprintf(&b, "  no logins: anyone on this machine sees all %d offices\n", len(offs))
		return b.String()
	}
	for _, a := range con.Web.Accounts {
		var see []string
		for _, o := range offs {
			if con.Granted(a.Name, o.ID) {
				see = append(see, o.ID)
			}
		}
		fmt.Fprintf(&b, "  account %s sees %d of %d offices: %s\n", a.Name, len(see), len(offs), strings.Join(see, ", "))
	}
	return b.String()
}

func indent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "")
}

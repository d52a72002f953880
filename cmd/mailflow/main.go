// Command mailflow carries an SOP by email: it watches the office mailbox,
// mails each step to the right official, reads their replies and chases
// late ones. Run "mailflow help" for the subcommands.
package main

import (
	"fmt"
	"os"
)

type command struct {
	name  string
	usage string
	run   func(args []string) int
}

func commands() []command {
	return []command{
		{"demo", "run the whole SOP on embedded mail servers with simulated officials", cmdDemo},
		{"run", "run the daemon", cmdRun},
		{"check", "load and validate the config, reporting every problem", cmdCheck},
		{"start", "start a run by hand", cmdStart},
		{"status", "show the open runs, or one run in detail", cmdStatus},
		{"history", "show a run's audit trail", cmdHistory},
		{"meeting", "reschedule or cancel a run's Rapat Tim", cmdMeeting},
		{"parse", "show how a message would be understood", cmdParse},
		{"doctor", "check that this config will work: servers, TLS, login, folders, clock, data dir", cmdDoctor},
		{"auth", "sign the office mailbox in with OAuth2 (google|microsoft)", cmdAuth},
		{"report", "write a run's Formulir Monitoring SOP (or a year's) as PDF", cmdReport},
		{"export", "write a run's evidence bundle (zip)", cmdExport},
		{"verify", "check an evidence bundle against its manifest", cmdVerify},
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:]))
}

func dispatch(args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage()
		return 2
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:])
		}
	}
	fmt.Fprintf(os.Stderr, "mailflow: unknown command %q\n\n", args[0])
	usage()
	return 2
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: mailflow <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(os.Stderr, "\nRun \"mailflow <command> -h\" for a command's flags.")
}

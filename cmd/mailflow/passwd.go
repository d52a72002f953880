package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/web"
)

func cmdPasswd(args []string) int { return runPasswd(args, os.Stdin, os.Stdout, os.Stderr) }

// runPasswd prints a [[web.account]] entry with the password's bcrypt
// hash. The password is read from standard input (one line), so that it
// never appears in the shell history or the process list.
func runPasswd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("passwd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	offices := fs.String("offices", "", "for a config directory's _console.toml: the office IDs the account may see, comma-separated (\"*\": all)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: mailflow passwd [-offices dinsos,bappeda] NAME   (the password is read from standard input)")
		return 2
	}
	name := strings.ToLower(pos[0])
	if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && stdin == os.Stdin {
		fmt.Fprintf(stderr, "password for %s (at least 10 characters; it is shown as you type, clear the screen after): ", name)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(stderr, "mailflow passwd: no password on standard input")
		return 1
	}
	hash, err := web.HashPassword(strings.TrimRight(line, "\r\n"))
	if err != nil {
		fmt.Fprintf(stderr, "mailflow passwd: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "[[web.account]]\nname = %q\npassword_hash = '%s'\n", name, hash)
	if *offices != "" {
		var ids []string
		for _, id := range strings.Split(*offices, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, fmt.Sprintf("%q", id))
			}
		}
		fmt.Fprintf(stdout, "offices = [%s]\n", strings.Join(ids, ", "))
	}
	return 0
}

package main

import (
	"fmt"
	"os"
)

// cmdParse is written by the reply work (issue 4); until then it says so.
func cmdParse(args []string) int {
	fmt.Fprintln(os.Stderr, "mailflow parse: not built yet")
	return 1
}

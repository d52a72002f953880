package main

import (
	"fmt"
	"os"
)

// cmdDemo is written by the demo work (issue 6); until then it says so.
func cmdDemo(args []string) int {
	fmt.Fprintln(os.Stderr, "mailflow demo: not built yet")
	return 1
}

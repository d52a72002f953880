package bundle_test

import (
	"os"
	"testing"
)

func TestDumpBundle(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	zb, _, _ := export(t)
	os.WriteFile(os.Getenv("DUMP"), zb, 0o644)
}

package flow_test

import (
	"io/fs"
	"os"
	"testing"
)

type fsFileInfo = fs.FileInfo

func mustRead(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

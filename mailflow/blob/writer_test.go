package blob_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/blob"
)

func TestWriterCommitStoresUnderSum(t *testing.T) {
	s, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("Subject: x\r\n\r\nisi surel\r\n", 1000)
	// The tee copy sees what the reader reads, in pieces.
	if _, err := io.Copy(io.Discard, io.TeeReader(strings.NewReader(body), w)); err != nil {
		t.Fatal(err)
	}
	sum, size, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(body))
	if sum != hex.EncodeToString(want[:]) || size != int64(len(body)) {
		t.Fatalf("sum %s size %d", sum, size)
	}
	f, err := s.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, _ := io.ReadAll(f)
	if string(got) != body {
		t.Fatal("stored content differs")
	}
}

func TestWriterAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	s, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("half a message"))
	w.Abort()
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(tmp) != 0 {
		t.Fatalf("temp files left: %v", tmp)
	}
}

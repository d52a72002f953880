package blob

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestPutIsContentAddressed(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sum, n, err := s.Put(strings.NewReader("draft LAKIP"), 0)
	if err != nil || n != 11 {
		t.Fatal(err, n)
	}
	sum2, _, _ := s.Put(strings.NewReader("draft LAKIP"), 0)
	if sum != sum2 || !s.Has(sum) {
		t.Fatal("same content, different address")
	}
	f, err := s.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "draft LAKIP" {
		t.Fatalf("read back %q", b)
	}
	left, _ := os.ReadDir(filepath.Join(s.dir, "tmp"))
	if len(left) != 0 {
		t.Errorf("temp files left: %d", len(left))
	}
}

func TestPutLimitStoresNothing(t *testing.T) {
	s, _ := Open(t.TempDir())
	if _, _, err := s.Put(strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	left, _ := os.ReadDir(filepath.Join(s.dir, "tmp"))
	if len(left) != 0 {
		t.Error("a refused attachment left a file")
	}
}

func TestPathNeverEscapes(t *testing.T) {
	s, _ := Open(t.TempDir())
	for _, bad := range []string{"../../etc/passwd", "", strings.Repeat("g", 64)} {
		if p := s.Path(bad); !strings.HasPrefix(p, s.dir) || strings.Contains(p, "..") {
			t.Errorf("Path(%q) = %s", bad, p)
		}
	}
}

// TestFilesArePrivate: every directory of the store is 0700 and every
// file 0600, whatever the umask.
func TestFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "attachments")
	os.MkdirAll(dir, 0o755) // an older mailflow's
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Put(strings.NewReader("lampiran"), 0); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		info, _ := d.Info()
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if n < 4 { // root, tmp, the fan-out directory, the file
		t.Errorf("walked %d entries", n)
	}
}

package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
)

// Writer stores content written to it piece by piece, for a copy made while
// another reader consumes a stream (an io.TeeReader over an incoming
// message). Its Write never fails: the first error is kept and returned by
// Commit, so that a full disk on the copy never breaks the main reader.
type Writer struct {
	s    *Store
	f    *os.File
	h    hash.Hash
	size int64
	err  error
}

// Create starts a new blob.
func (s *Store) Create() (*Writer, error) {
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return nil, fmt.Errorf("create temp blob: %w", err)
	}
	return &Writer{s: s, f: f, h: sha256.New()}, nil
}

// Write copies p into the blob; see Writer for why it never fails.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err == nil {
		if _, err := w.f.Write(p); err != nil {
			w.err = fmt.Errorf("write blob: %w", err)
		} else {
			w.h.Write(p)
			w.size += int64(len(p))
		}
	}
	return len(p), nil
}

// Commit makes the content durable under its sha256 and returns it; after
// an error nothing is stored.
func (w *Writer) Commit() (sum string, size int64, err error) {
	tmp := w.f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if w.err != nil {
		w.f.Close()
		return "", 0, w.err
	}
	if err = w.f.Sync(); err != nil {
		w.f.Close()
		return "", 0, fmt.Errorf("fsync blob: %w", err)
	}
	if err = w.f.Close(); err != nil {
		return "", 0, fmt.Errorf("close blob: %w", err)
	}
	sum = hex.EncodeToString(w.h.Sum(nil))
	if err = w.s.place(tmp, sum); err != nil {
		return "", 0, err
	}
	return sum, w.size, nil
}

// Abort drops the content.
func (w *Writer) Abort() {
	w.f.Close()
	os.Remove(w.f.Name())
}

// place renames a finished temp file to its content address, durably.
func (s *Store) place(tmp, sum string) error {
	dst := s.Path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("create blob dir: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("rename blob into place: %w", err)
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync() // make the rename durable; best effort on filesystems without dir fsync
		d.Close()
	}
	return nil
}

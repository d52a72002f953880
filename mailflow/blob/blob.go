// Package blob keeps attachment files on disk, content-addressed by sha256
// and written atomically (temp file, fsync, rename), so that a crash never
// leaves a half-written file under a valid name.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Store is a directory of content-addressed files, or with a Remote (see
// OpenRemote) a cache of a database's.
type Store struct {
	dir    string
	remote Remote
}

// Open returns the store rooted at dir, creating it if needed.
func Open(dir string) (*Store, error) {
	// Attachments are officials' documents: mailflow's user only (0700
	// directories; CreateTemp makes the files 0600).
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("create blob dir %s: %w", dir, err)
	}
	for _, d := range []string{dir, filepath.Join(dir, "tmp")} {
		if err := os.Chmod(d, 0o700); err != nil {
			return nil, fmt.Errorf("make blob dir %s private: %w", d, err)
		}
	}
	return &Store{dir: dir}, nil
}

// ErrTooLarge is returned by Put when the content exceeds the limit.
var ErrTooLarge = errors.New("attachment larger than the configured limit")

// Put streams r into the store and returns its sha256 (hex) and size. With
// limit > 0, more than limit bytes fails with ErrTooLarge and stores nothing.
// Memory use is constant: the content is never held whole.
func (s *Store) Put(r io.Reader, limit int64) (sum string, size int64, err error) {
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("create temp blob: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	size, err = io.Copy(io.MultiWriter(f, h), src)
	if err != nil {
		return "", 0, fmt.Errorf("write blob: %w", err)
	}
	if limit > 0 && size > limit {
		return "", 0, ErrTooLarge
	}
	if err = f.Sync(); err != nil {
		return "", 0, fmt.Errorf("fsync blob: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", 0, fmt.Errorf("close blob: %w", err)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	dst := s.Path(sum)
	if err = os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, fmt.Errorf("create blob dir: %w", err)
	}
	if err = os.Rename(tmp, dst); err != nil {
		return "", 0, fmt.Errorf("rename blob into place: %w", err)
	}
	if d, derr := os.Open(filepath.Dir(dst)); derr == nil {
		d.Sync() // make the rename durable; best effort on filesystems without dir fsync
		d.Close()
	}
	if s.remote != nil {
		if err = s.putRemote(sum); err != nil {
			return "", 0, err
		}
	}
	return sum, size, nil
}

// Path is where the content with this sha256 lives. The sum is validated so
// that it can never name a path outside the store.
func (s *Store) Path(sum string) string {
	if len(sum) != 64 {
		return filepath.Join(s.dir, "invalid")
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return filepath.Join(s.dir, "invalid")
	}
	return filepath.Join(s.dir, sum[:2], sum)
}

// Open opens the content with this sha256 for reading.
func (s *Store) Open(sum string) (*os.File, error) {
	f, err := os.Open(s.Path(sum))
	if errors.Is(err, os.ErrNotExist) && s.remote != nil {
		if ferr := s.fetch(sum); ferr != nil {
			return nil, ferr
		}
		f, err = os.Open(s.Path(sum))
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", sum, err)
	}
	return f, nil
}

// Has reports whether the content is present.
func (s *Store) Has(sum string) bool {
	if _, err := os.Stat(s.Path(sum)); err == nil {
		return true
	}
	if s.remote == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
	defer cancel()
	ok, err := s.remote.HasBlob(ctx, sum)
	return err == nil && ok
}

package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Remote holds the content when instances run on hosts that share no disk
// ([store] attachments = "database"). It is the source of truth; the
// directory is then only a cache, valid forever because a name is its
// content's hash. Writes are idempotent: the same sum is the same content.
type Remote interface {
	PutBlob(ctx context.Context, sum string, r io.Reader) error
	// GetBlob writes the content to w; an unknown sum is an error that
	// wraps os.ErrNotExist.
	GetBlob(ctx context.Context, sum string, w io.Writer) error
	HasBlob(ctx context.Context, sum string) (bool, error)
}

// remoteTimeout bounds one transfer of one attachment.
const remoteTimeout = 2 * time.Minute

// OpenRemote returns a store whose content lives in r, cached in dir.
func OpenRemote(dir string, r Remote) (*Store, error) {
	s, err := Open(dir)
	if err != nil {
		return nil, err
	}
	s.remote = r
	return s, nil
}

// putRemote copies a content just stored in the cache to the remote
// before Put returns: a reply is marked processed only after its
// attachments are durable where every instance can read them.
func (s *Store) putRemote(sum string) error {
	f, err := os.Open(s.Path(sum))
	if err != nil {
		return fmt.Errorf("reopen blob %s: %w", sum, err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
	defer cancel()
	if err := s.remote.PutBlob(ctx, sum, f); err != nil {
		return fmt.Errorf("store blob %s in the database: %w", sum, err)
	}
	return nil
}

// fetch brings a content from the remote into the cache, checking that it
// hashes to its name (a damaged row is refused, not mailed).
func (s *Store) fetch(sum string) error {
	if len(s.Path(sum)) == 0 || filepath.Base(s.Path(sum)) != sum {
		return fmt.Errorf("open blob %s: invalid sum: %w", sum, os.ErrNotExist)
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "get-*")
	if err != nil {
		return fmt.Errorf("create temp blob: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename, a no-op
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
	defer cancel()
	h := sha256.New()
	if err := s.remote.GetBlob(ctx, sum, io.MultiWriter(f, h)); err != nil {
		return fmt.Errorf("fetch blob %s from the database: %w", sum, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("blob %s from the database hashes to %s: refused", sum, got)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close blob: %w", err)
	}
	dst := s.Path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("create blob dir: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("rename blob into place: %w", err)
	}
	return nil
}

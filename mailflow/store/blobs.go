package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
)

// blobChunk is one row's share of an attachment: memory stays bounded by
// it whatever the attachment's size.
const blobChunk = 1 << 20

// BlobTable keeps attachment content in the database, in chunks, for
// instances on hosts that share no disk; it is a blob.Remote.
type BlobTable struct{ s *Store }

// BlobTable returns the store's attachment table (migration 7; used only
// by deployments with [store] attachments = "database").
func (s *Store) BlobTable(ctx context.Context) (*BlobTable, error) {
	return &BlobTable{s}, nil
}

// PutBlob stores the content under sum in one transaction; content already
// there is left as it is (the same sum is the same content).
func (b *BlobTable) PutBlob(ctx context.Context, sum string, r io.Reader) error {
	return b.s.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow("SELECT COUNT(*) FROM blobs WHERE sha256 = ? AND part = 0", sum).Scan(&n); err != nil {
			return fmt.Errorf("check blob %s: %w", sum, err)
		}
		if n > 0 {
			return nil
		}
		if s, ok := r.(io.Seeker); ok { // Update may run this again
			if _, err := s.Seek(0, io.SeekStart); err != nil {
				return err
			}
		}
		buf := make([]byte, blobChunk)
		for part := 0; ; part++ {
			k, err := io.ReadFull(r, buf)
			if k > 0 || part == 0 {
				if _, err := tx.exec("INSERT INTO blobs (sha256, part, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", sum, part, buf[:k]); err != nil {
					return fmt.Errorf("store blob %s: %w", sum, err)
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read blob %s: %w", sum, err)
			}
		}
	})
}

// GetBlob writes the content stored under sum to w, chunk by chunk.
func (b *BlobTable) GetBlob(ctx context.Context, sum string, w io.Writer) error {
	for part := 0; ; part++ {
		var data []byte
		err := b.s.db.QueryRowContext(ctx, b.stmt("SELECT data FROM blobs WHERE sha256 = ? AND part = ?"), sum, part).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			if part == 0 {
				return fmt.Errorf("blob %s: %w", sum, os.ErrNotExist)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("read blob %s: %w", sum, err)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
}

// HasBlob tells whether content is stored under sum.
func (b *BlobTable) HasBlob(ctx context.Context, sum string) (bool, error) {
	var n int
	err := b.s.db.QueryRowContext(ctx, b.stmt("SELECT COUNT(*) FROM blobs WHERE sha256 = ? AND part = 0"), sum).Scan(&n)
	return n > 0, err
}

func (b *BlobTable) stmt(q string) string {
	if b.s.pg {
		return pgStmt(q)
	}
	return q
}

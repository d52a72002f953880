package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestBlobsInTheDatabase: two hosts that share only the database. What one
// stores (in several chunks), the other reads back whole; an empty file
// too; a row damaged in the database is refused, not handed on.
func TestBlobsInTheDatabase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		loc := b.Fresh(t)
		ctx := context.Background()
		host := func() *blob.Store {
			s, err := Open(loc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			tab, err := s.BlobTable(ctx)
			if err != nil {
				t.Fatal(err)
			}
			bs, err := blob.OpenRemote(t.TempDir(), tab)
			if err != nil {
				t.Fatal(err)
			}
			return bs
		}
		a, c := host(), host()
		data := make([]byte, 2*blobChunk+12345)
		rand.Read(data)
		sum, n, err := a.Put(bytes.NewReader(data), 0)
		if err != nil || n != int64(len(data)) {
			t.Fatal(n, err)
		}
		if _, _, err := a.Put(bytes.NewReader(data), 0); err != nil { // again: a no-op
			t.Fatal(err)
		}
		if !c.Has(sum) {
			t.Fatal("the other host does not see the content")
		}
		f, err := c.Open(sum)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes, differing", len(got))
		}
		empty, _, err := a.Put(strings.NewReader(""), 0)
		if err != nil {
			t.Fatal(err)
		}
		if f, err := c.Open(empty); err != nil {
			t.Fatalf("an empty attachment: %v", err)
		} else {
			f.Close()
		}
		other, _, _ := a.Put(strings.NewReader("laporan"), 0)
		s, _ := Open(loc, Options{})
		defer s.Close()
		q := "UPDATE blobs SET data = ? WHERE sha256 = ?"
		if s.pg {
			q = pgStmt(q)
		}
		if _, err := s.db.Exec(q, []byte("palsu"), other); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Open(other); err == nil || !strings.Contains(err.Error(), "refused") {
			t.Errorf("a damaged row: err = %v", err)
		}
		if c.Has(strings.Repeat("0", 64)) {
			t.Error("an unknown sum is there")
		}
	})
}

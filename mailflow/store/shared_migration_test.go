package store

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestMigrationSharedTables: the leases and blobs tables come with the
// schema (migration 7): a fresh store lists its (no) leases from a
// read-only view and keeps a blob at once. A store at version 6 whose
// tables were made on first use, as mailflow did before, migrates keeping
// their rows: the lease's generation goes on from where it was.
func TestMigrationSharedTables(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		loc := b.Fresh(t)
		ctx := context.Background()
		s, err := Open(loc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ls, err := s.Leases(ctx); err != nil || len(ls) != 0 {
			t.Fatalf("leases of a fresh store: %v %v", ls, err)
		}
		l, err := s.Acquire(ctx, "mailbox:INBOX", "host-a", time.Minute)
		if err != nil || l == nil || l.Gen != 1 {
			t.Fatalf("acquire: %+v %v", l, err)
		}
		bt, _ := s.BlobTable(ctx)
		if err := bt.PutBlob(ctx, "abc", bytes.NewReader([]byte("isi"))); err != nil {
			t.Fatal(err)
		}
		if err := l.Release(ctx); err != nil {
			t.Fatal(err)
		}
		// As an older mailflow left it: version 6, the tables made on use.
		back := "PRAGMA user_version = 6"
		if s.pg {
			back = "UPDATE schema_version SET version = 6"
		}
		if _, err := s.db.Exec(back); err != nil {
			t.Fatal(err)
		}
		s.Close()

		if s, err = Open(loc, Options{}); err != nil {
			t.Fatalf("migrate a store whose shared tables exist: %v", err)
		}
		defer s.Close()
		var v int
		q := "PRAGMA user_version"
		if s.pg {
			q = "SELECT version FROM schema_version"
		}
		if err := s.db.QueryRow(q).Scan(&v); err != nil || v != len(migrations) {
			t.Fatalf("version after migration: %d %v, want %d", v, err, len(migrations))
		}
		l, err = s.Acquire(ctx, "mailbox:INBOX", "host-b", time.Minute)
		if err != nil || l == nil || l.Gen != 2 {
			t.Fatalf("acquire after migration: %+v %v (want generation 2: the row kept)", l, err)
		}
		var got bytes.Buffer
		bt, _ = s.BlobTable(ctx)
		if err := bt.GetBlob(ctx, "abc", &got); err != nil || got.String() != "isi" {
			t.Fatalf("blob after migration: %q %v", got.String(), err)
		}
	})
}

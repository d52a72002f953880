package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentCreate: several processes (here, handles with their own
// connections: SQLite locks the file the same way) opening one new store
// at the same moment all succeed, and the schema is made once.
func TestConcurrentCreate(t *testing.T) {
	for round := range 10 {
		path := filepath.Join(t.TempDir(), "mailflow.db")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		stores := make([]*Store, 4)
		for i := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				stores[i], errs[i] = Open(path, Options{})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, opener %d: %v", round, i, err)
			}
		}
		var v int
		stores[0].db.QueryRow("PRAGMA user_version").Scan(&v)
		if v != len(migrations) {
			t.Fatalf("round %d: schema version %d, want %d", round, v, len(migrations))
		}
		// Every handle works on the one schema.
		for i, s := range stores {
			if err := s.Update(context.Background(), func(tx *Tx) error { return tx.SetCursor("INBOX", 1, uint32(i)) }); err != nil {
				t.Fatalf("round %d: write through handle %d: %v", round, i, err)
			}
			s.Close()
		}
	}
}

package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestLeaseHandsOverAndFences: one holder at a time; an expired lease goes
// to the next instance with the next generation; the old holder can then
// neither renew nor commit a fenced write, and the new one can.
func TestLeaseHandsOverAndFences(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		loc := b.Fresh(t)
		ctx := context.Background()
		open := func() *Store {
			s, err := Open(loc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		sa, sb := open(), open() // two instances
		ttl := 400 * time.Millisecond
		a, err := sa.Acquire(ctx, "mailbox:INBOX", "a", ttl)
		if err != nil || a == nil || a.Gen != 1 {
			t.Fatalf("first acquire: %+v %v", a, err)
		}
		if l, err := sb.Acquire(ctx, "mailbox:INBOX", "b", ttl); l != nil || err != nil {
			t.Fatalf("a live lease was taken: %+v %v", l, err)
		}
		if l, _ := sa.Acquire(ctx, "mailbox:INBOX", "a", ttl); l != nil {
			t.Fatal("a second Acquire by the holder returned a lease")
		}
		if err := a.Renew(ctx); err != nil {
			t.Fatal(err)
		}
		write := func(s *Store, l *Lease, uid uint32) error {
			return s.Update(WithFence(ctx, l), func(tx *Tx) error { return tx.SetCursor("INBOX", 1, uid) })
		}
		if err := write(sa, a, 1); err != nil {
			t.Fatalf("the holder's write: %v", err)
		}
		time.Sleep(ttl + 100*time.Millisecond) // a paused; its lease runs out
		bl, err := sb.Acquire(ctx, "mailbox:INBOX", "b", ttl)
		if err != nil || bl == nil || bl.Gen != 2 {
			t.Fatalf("takeover after expiry: %+v %v", bl, err)
		}
		if err := a.Renew(ctx); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("the old holder renewed: %v", err)
		}
		if err := write(sa, a, 99); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("the old holder's fenced write: %v", err)
		}
		if err := write(sb, bl, 2); err != nil {
			t.Errorf("the new holder's write: %v", err)
		}
		sa.View(ctx, func(tx *Tx) error {
			if _, uid, _ := tx.Cursor("INBOX"); uid != 2 {
				t.Errorf("cursor %d: a stale write got through", uid)
			}
			return nil
		})
		ls, err := sa.Leases(ctx)
		if err != nil || len(ls) != 1 || ls[0].Holder != "b" || ls[0].Gen != 2 || !ls[0].Live {
			t.Errorf("leases: %+v %v", ls, err)
		}
		if err := bl.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if l, err := sa.Acquire(ctx, "mailbox:INBOX", "a", ttl); err != nil || l == nil || l.Gen != 3 {
			t.Errorf("after a release: %+v %v", l, err)
		}
	})
}

// TestLeaseOneHolderUnderRace: instances racing for a new or released
// lease: exactly one wins each round, and generations never repeat.
func TestLeaseOneHolderUnderRace(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		loc := b.Fresh(t)
		ctx := context.Background()
		var stores []*Store
		for range 4 {
			s, err := Open(loc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			stores = append(stores, s)
		}
		seen := map[int64]bool{}
		for round := range 5 {
			var mu sync.Mutex
			var won []*Lease
			var wg sync.WaitGroup
			for i, s := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					l, err := s.Acquire(ctx, "mailbox:INBOX", fmt.Sprint("i", i), time.Minute)
					if err != nil {
						t.Error(err)
					}
					if l != nil {
						mu.Lock()
						won = append(won, l)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(won) != 1 {
				t.Fatalf("round %d: %d holders", round, len(won))
			}
			if seen[won[0].Gen] {
				t.Fatalf("round %d: generation %d again", round, won[0].Gen)
			}
			seen[won[0].Gen] = true
			if err := won[0].Release(ctx); err != nil {
				t.Fatal(err)
			}
		}
	})
}

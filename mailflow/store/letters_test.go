package store

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

func nomorOf(n int) string { return fmt.Sprintf("005/%d/DINSOSPMD/2024", n) }

// A letter keeps its number however often it is issued again, numbers are
// consecutive per series with no gap or repeat under concurrency, and the
// counter survives a reopen.
func TestIssueLetter(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		ctx := context.Background()
		path := storetest.For(t)
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2024, 5, 21, 2, 0, 0, 0, time.UTC)
		first, err := s.IssueLetter(ctx, Letter{UID: "m1", Sequence: 0, Series: "2024", Issued: at, Kind: "undangan", Start: at, Place: "Aula"}, nomorOf)
		if err != nil {
			t.Fatal(err)
		}
		if first.Number != 1 || first.Nomor != "005/1/DINSOSPMD/2024" {
			t.Fatalf("first letter %+v", first)
		}
		again, err := s.IssueLetter(ctx, Letter{UID: "m1", Sequence: 0, Series: "2024", Issued: at.Add(time.Hour), Place: "elsewhere"}, nomorOf)
		if err != nil {
			t.Fatal(err)
		}
		if again != first {
			t.Fatalf("re-issued letter changed: %+v, want %+v", again, first)
		}
		var wg sync.WaitGroup
		got := make([]Letter, 20)
		errs := make([]error, 20)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = s.IssueLetter(ctx, Letter{UID: fmt.Sprintf("u%d", i%10), Sequence: i / 10, Series: "2024", Issued: at}, nomorOf)
			}()
		}
		wg.Wait()
		seen := map[int]bool{1: true}
		for i, l := range got {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if seen[l.Number] {
				t.Errorf("number %d issued twice", l.Number)
			}
			seen[l.Number] = true
		}
		for n := 1; n <= 21; n++ {
			if !seen[n] {
				t.Errorf("number %d skipped", n)
			}
		}
		s.Close()
		if s, err = Open(path, Options{}); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		next, err := s.IssueLetter(ctx, Letter{UID: "m1", Sequence: 1, Series: "2024", Issued: at, Kind: "perubahan"}, nomorOf)
		if err != nil || next.Number != 22 {
			t.Fatalf("after reopen: %+v, %v; want number 22", next, err)
		}
		other, err := s.IssueLetter(ctx, Letter{UID: "m9", Series: "2025", Issued: at}, nomorOf)
		if err != nil || other.Number != 1 {
			t.Fatalf("a new year starts at 1: %+v, %v", other, err)
		}
		prev, ok, err := s.PreviousLetter(ctx, "m1", 1)
		if err != nil || !ok || prev.Nomor != first.Nomor || prev.Place != "Aula" || !prev.Start.Equal(at) {
			t.Fatalf("previous letter: %+v %v %v", prev, ok, err)
		}
		if _, ok, _ := s.PreviousLetter(ctx, "m1", 0); ok {
			t.Fatal("a first letter has no previous one")
		}
		all, err := s.Letters(ctx)
		if err != nil || len(all) != 23 {
			t.Fatalf("letters: %d, %v", len(all), err)
		}
	})
}

// Property: whatever order letters are issued and re-issued in, across
// reopens, each key keeps the number it first got and the numbers of a
// series are exactly 1..n.
func TestIssueLetterProperty(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		ctx := context.Background()
		for seed := int64(1); seed <= 20; seed++ {
			rng := rand.New(rand.NewSource(seed))
			path := storetest.For(t)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[[2]int]int{}
			perSeries := map[string]int{}
			for op := 0; op < 60; op++ {
				if rng.Intn(15) == 0 { // a restart
					s.Close()
					if s, err = Open(path, Options{}); err != nil {
						t.Fatal(err)
					}
				}
				key := [2]int{rng.Intn(6), rng.Intn(4)}
				series := fmt.Sprint(2024 + key[0]%2)
				l, err := s.IssueLetter(ctx, Letter{UID: fmt.Sprint("m", key[0]), Sequence: key[1], Series: series, Issued: time.Unix(int64(op), 0)}, nomorOf)
				if err != nil {
					t.Fatal(err)
				}
				if n, seen := got[key]; seen && n != l.Number {
					t.Fatalf("seed %d: letter %v renumbered %d -> %d", seed, key, n, l.Number)
				} else if !seen {
					perSeries[series]++
					if l.Number != perSeries[series] {
						t.Fatalf("seed %d: new letter %v got %d, want %d (no gap, no reuse)", seed, key, l.Number, perSeries[series])
					}
					got[key] = l.Number
				}
			}
			s.Close()
		}
	})
}

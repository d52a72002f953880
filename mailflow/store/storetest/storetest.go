// Package storetest runs a test against every store backend: SQLite always,
// PostgreSQL when MAILFLOW_TEST_POSTGRES holds a connection URL (each test
// gets a fresh schema, dropped afterwards). It does not import store, so
// that store's own tests can use it; a location it returns is what
// store.Open takes.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Env names the variable that turns the PostgreSQL runs on.
const Env = "MAILFLOW_TEST_POSTGRES"

// Backend is one kind of store.
type Backend struct {
	Name string // "SQLite" or "Postgres": the subtest's name
	// Fresh returns the location of a new, empty store that lives as long
	// as t; it can be opened several times (a restart).
	Fresh func(t testing.TB) string
}

// Backends lists the backends to test on.
func Backends() []Backend {
	bs := []Backend{{Name: "SQLite", Fresh: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "mailflow.db")
	}}}
	if u := os.Getenv(Env); u != "" {
		bs = append(bs, Backend{Name: "Postgres", Fresh: func(t testing.TB) string { return FreshPostgres(t, u) }})
	}
	return bs
}

// Run runs fn as a subtest per backend. A test run this way must open a
// store (through b.Fresh or For): one that does not fails, so that no
// "Postgres" test passes without having touched PostgreSQL.
func Run(t *testing.T, fn func(t *testing.T, b Backend)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			name := t.Name()
			b := b
			fresh := b.Fresh
			b.Fresh = func(tb testing.TB) string { opened.Store(tb.Name(), true); return fresh(tb) }
			fn(t, b)
			used := false
			opened.Range(func(k, _ any) bool {
				used = k.(string) == name || strings.HasPrefix(k.(string), name+"/")
				return !used
			})
			if !used && !t.Skipped() {
				t.Errorf("storetest.Run: %s opened no store; run it once, outside storetest.Run", name)
			}
		})
	}
}

// opened holds the names of the tests that asked for a store.
var opened sync.Map

// FreshPostgres creates an empty schema in the database at base and returns
// a URL whose search_path is that schema; t's cleanup drops it.
func FreshPostgres(t testing.TB, base string) string {
	t.Helper()
	var rnd [6]byte
	rand.Read(rnd[:])
	schema := "mftest_" + hex.EncodeToString(rnd[:])
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		t.Fatalf("create schema on %s: %v", Env, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// For returns a fresh store location for t, of the backend its name asks
// for: a test run under Run's "Postgres" subtest (at any depth) gets a
// PostgreSQL schema, any other a SQLite file. Fixtures call it, so that a
// test wrapped in Run needs no other change.
func For(t testing.TB) string {
	t.Helper()
	opened.Store(t.Name(), true)
	for _, part := range strings.Split(t.Name(), "/") {
		if part == "Postgres" {
			u := os.Getenv(Env)
			if u == "" {
				t.Fatalf("a Postgres test without %s", Env)
			}
			return FreshPostgres(t, u)
		}
	}
	return filepath.Join(t.TempDir(), "mailflow.db")
}

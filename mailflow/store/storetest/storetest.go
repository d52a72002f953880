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

// Run runs fn as a subtest per backend.
func Run(t *testing.T, fn func(t *testing.T, b Backend)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) { fn(t, b) })
	}
}

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

package app

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestBuildOnPostgres: [store] url opens PostgreSQL; the mailbox watcher
// runs under the mailbox lease, which names this instance while it runs;
// attachments = "database" keeps content in the database, not in data_dir.
func TestBuildOnPostgres(t *testing.T) {
	cfg := postgresConfig(t)
	dir := t.TempDir()
	a, err := Build(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{DataDir: dir, PollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.Store.Postgres() {
		t.Fatal("the store is not PostgreSQL")
	}
	if _, ok := a.Daemon.Components["mailin"].(*daemon.Leased); !ok {
		t.Fatalf("the watcher runs without a lease: %T", a.Daemon.Components["mailin"])
	}
	sum, _, err := a.Blobs.Put(strings.NewReader("berkas"), 0)
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, "attachment-cache", sum[:2])) // another host: an empty cache
	if f, err := a.Blobs.Open(sum); err != nil {
		t.Errorf("content not in the database: %v", err)
	} else {
		f.Close()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	want := "mailbox:" + cfg.Office.Mailbox + "@" // the embedded server's port is chosen at start
	deadline := time.Now().Add(10 * time.Second)
	for {
		ls, _ := a.Store.Leases(ctx)
		if len(ls) == 1 && strings.HasPrefix(ls[0].Name, want) && strings.HasSuffix(ls[0].Name, "/INBOX") && ls[0].Live && ls[0].Holder == daemon.Instance() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("leases: %+v, want %s held by %s", ls, want, daemon.Instance())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ls, _ := a.Store.Leases(context.Background()); len(ls) != 1 || ls[0].Live {
		t.Errorf("a clean stop did not release the lease: %+v", ls)
	}
}

// postgresConfig is the leave-request office on embedded mail with a fresh
// PostgreSQL schema and attachments in the database; it skips without
// MAILFLOW_TEST_POSTGRES.
func postgresConfig(t *testing.T) *config.Config {
	t.Helper()
	base := os.Getenv(storetest.Env)
	if base == "" {
		t.Skip("set " + storetest.Env + " (.ci/pg.sh)")
	}
	cfg, err := config.Load("../flow/testdata/cuti.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Store = config.Store{URL: config.Secret(storetest.FreshPostgres(t, base)), Attachments: "database"}
	return cfg
}

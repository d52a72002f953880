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
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// TestDeploymentKeepsOfficesApart: two offices from one config directory
// in one process: each has its own store and mail servers; a run started
// in one is not seen by the other; both run and stop together.
func TestDeploymentKeepsOfficesApart(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../flow/testdata/cuti.toml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "tu.toml"), src, 0o600)
	b := strings.NewReplacer(`mailbox = "tu@contoh.go.id"`, `mailbox = "dinsos@contoh.go.id"`+"\ndata_dir = \"data-dinsos\"",
		`mode = "embedded"`, "mode = \"embedded\"\nembedded_imap = \"127.0.0.1:2143\"\nembedded_smtp = \"127.0.0.1:2587\"").Replace(string(src))
	os.WriteFile(filepath.Join(dir, "dinsos.toml"), []byte(b), 0o600)
	offs, err := config.LoadDir(dir, config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range offs {
		o.Config.Mail.EmbeddedIMAP, o.Config.Mail.EmbeddedSMTP = "127.0.0.1:0", "127.0.0.1:0"
	}
	d, err := BuildOffices(offs, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	l := d.List()
	if len(l) != 2 || l[0].ID != "dinsos" || l[0].Mailbox != "dinsos@contoh.go.id" || l[1].ID != "tu" || l[0].Store == l[1].Store {
		t.Fatalf("offices: %+v", l)
	}
	tu, _ := d.Office("tu")
	dinsos, _ := d.Office("dinsos")
	if tu.Server.IMAPAddr() == dinsos.Server.IMAPAddr() {
		t.Error("the offices share a mail server")
	}
	ev := flow.Event{Type: flow.EvStart, At: time.Now(), RunID: "cutiaaaaaa", Token: "cutiaaaaaacccccccccc", SOP: "cuti", Title: "CUTI Andi",
		From: "andi@contoh.go.id"}
	if _, err := tu.Engine.Handle(context.Background(), ev, nil); err != nil {
		t.Fatal(err)
	}
	count := func(st *store.Store) (n int) {
		st.View(context.Background(), func(tx *store.Tx) error { rs, err := tx.Runs(""); n = len(rs); return err })
		return
	}
	if count(tu.Store) != 1 || count(dinsos.Store) != 0 {
		t.Errorf("runs: tu %d, dinsos %d", count(tu.Store), count(dinsos.Store))
	}
	if ls, err := d.Leases(context.Background()); err != nil || len(ls) != 0 {
		t.Errorf("SQLite offices have leases: %v %v", ls, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := d.Run(ctx); err != nil {
		t.Errorf("run: %v", err)
	}
}

package store

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// Every SQLite migration has its PostgreSQL form: version N is one schema.
func TestMigrationsMatchPerDialect(t *testing.T) {
	if len(pgMigrations) != len(migrations) {
		t.Fatalf("%d PostgreSQL migrations for %d SQLite ones: port the new ones to migrate_pg.go", len(pgMigrations), len(migrations))
	}
}

func TestPgStmt(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT a FROM t WHERE b = ? AND c = ?":       "SELECT a FROM t WHERE b = $1 AND c = $2",
		"UPDATE t SET s = 'what?' WHERE id = ?":       "UPDATE t SET s = 'what?' WHERE id = $1",
		"SELECT 1":                                    "SELECT 1",
		"INSERT INTO t VALUES (?, 'it''s', ?, ?)":     "INSERT INTO t VALUES ($1, 'it''s', $2, $3)",
		qQuarantine[:strings.Index(qQuarantine, "V")]: qQuarantine[:strings.Index(qQuarantine, "V")],
	} {
		if got := pgStmt(in); got != want {
			t.Errorf("pgStmt(%q) = %q, want %q", in, got, want)
		}
	}
	if got := pgStmt(qQuarantine); !strings.Contains(got, "GREATEST(") || !strings.Contains(got, "$9") || strings.Contains(got, "?") {
		t.Errorf("the quarantine upsert's PostgreSQL form: %s", got)
	}
}

// TestReopenAndRefuseTheFuture: on both backends a reopened store keeps
// its data and runs no migration again, and a schema newer than this
// mailflow is refused.
func TestReopenAndRefuseTheFuture(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		loc := b.Fresh(t)
		s, err := Open(loc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := s.Update(ctx, func(tx *Tx) error { return tx.SetCursor("INBOX", 4000000000, 42) }); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if s, err = Open(loc, Options{}); err != nil {
			t.Fatal(err)
		}
		s.View(ctx, func(tx *Tx) error {
			if v, u, err := tx.Cursor("INBOX"); v != 4000000000 || u != 42 {
				t.Errorf("cursor after reopen = %d %d %v", v, u, err)
			}
			return nil
		})
		future := "PRAGMA user_version = 99"
		if s.Postgres() {
			future = "UPDATE schema_version SET version = 99"
		}
		if _, err := s.db.Exec(future); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if _, err := Open(loc, Options{}); err == nil || !strings.Contains(err.Error(), "newer mailflow") {
			t.Fatalf("a store from a newer schema: err = %v", err)
		}
	})
}

// TestRunsEventsOutbox: the rows an event writes, read back the same on
// both backends; the outbox keeps run mail tied to its run and takes mail
// of no run.
func TestRunsEventsOutbox(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		s, err := Open(b.Fresh(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		r := &flow.Run{ID: "r1", Token: "tok1", SOP: "lakip", Title: "LAKIP 2026", Status: "active", Seq: 1}
		ev := flow.Event{Type: flow.EvStart, At: now, RunID: "r1", MessageID: "m0@x", From: "kadis@x"}
		m := &flow.Mail{Template: "assign_task", MessageID: "m1@x", Step: 2, To: []flow.Recipient{{Email: "a@x"}, {Email: "b@x"}}}
		err = s.Update(ctx, func(tx *Tx) error {
			if err := tx.SaveRun(r, now); err != nil {
				return err
			}
			if err := tx.AppendEvent("r1", 1, ev, []string{"one", "two"}); err != nil {
				return err
			}
			if err := tx.SetDeadline("r1", now.Add(time.Hour)); err != nil {
				return err
			}
			if err := tx.SetDeadline("r1", now.Add(2*time.Hour)); err != nil {
				return err
			}
			if err := tx.Enqueue("r1", 1, m, now, now.Add(time.Minute)); err != nil {
				return err
			}
			return tx.Enqueue("", 0, &flow.Mail{Template: flow.TplQuarantine, MessageID: "alert@x"}, now, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Update(ctx, func(tx *Tx) error {
			return tx.Enqueue("no-such-run", 1, &flow.Mail{Template: "x", MessageID: "orphan@x"}, now, now)
		})
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
			t.Errorf("a mail of a missing run: err = %v, want a foreign key error", err)
		}
		r.Seq, r.Status = 2, "done"
		if err := s.Update(ctx, func(tx *Tx) error { return tx.SaveRun(r, now.Add(time.Minute)) }); err != nil {
			t.Fatal(err)
		}
		s.View(ctx, func(tx *Tx) error {
			got, err := tx.RunByToken("tok1")
			if err != nil || got.Seq != 2 || got.Status != "done" {
				t.Errorf("run by token: %+v %v", got, err)
			}
			if seq, err := tx.RunSeq("r1"); seq != 2 || err != nil {
				t.Errorf("RunSeq = %d %v", seq, err)
			}
			if _, err := tx.LoadRun("nope"); err == nil || !strings.Contains(err.Error(), ErrNotFound.Error()) {
				t.Errorf("a missing run: %v", err)
			}
			infos, _ := tx.Runs("done")
			if len(infos) != 1 || infos[0].Seq != 2 || !infos[0].Created.Equal(now) || !infos[0].Updated.Equal(now.Add(time.Minute)) {
				t.Errorf("runs: %+v", infos)
			}
			evs, err := tx.Events("r1")
			if err != nil || len(evs) != 1 || evs[0].Evidence != "m0@x" || evs[0].Actor != "kadis@x" || len(evs[0].Notes) != 2 || !evs[0].At.Equal(now) {
				t.Errorf("events: %+v %v", evs, err)
			}
			if next, _ := tx.NextDeadline(); !next.Equal(now.Add(2 * time.Hour)) {
				t.Errorf("next deadline %v", next)
			}
			if due, _ := tx.DueRuns(now.Add(3*time.Hour), 10); len(due) != 1 || due[0] != "r1" {
				t.Errorf("due runs %v", due)
			}
			if next, _ := tx.NextMail(); !next.Equal(now) {
				t.Errorf("next mail %v", next)
			}
			due, _ := tx.DueMail(now.Add(time.Minute), 10)
			if len(due) != 2 || due[0].MessageID != "alert@x" || due[1].Mail.MessageID != "m1@x" || due[1].RunID != "r1" || due[1].Step != 2 {
				t.Errorf("due mail %+v", due)
			}
			admin, _ := tx.AdminOutbox(10)
			if len(admin) != 1 || admin[0].RunID != "" {
				t.Errorf("admin outbox %+v", admin)
			}
			return nil
		})
		var ok bool
		s.Update(ctx, func(tx *Tx) error { ok, err = tx.MailFailedByID("<m1@x>", "550"); return err })
		if !ok || err != nil {
			t.Errorf("failed by Message-ID: %v %v", ok, err)
		}
		s.Update(ctx, func(tx *Tx) error { return tx.SetDeadline("r1", time.Time{}) })
		s.View(ctx, func(tx *Tx) error {
			if next, err := tx.NextDeadline(); !next.IsZero() || err != nil {
				t.Errorf("cleared deadline: %v %v", next, err)
			}
			return nil
		})
	})
}

// The PostgreSQL URL's password never reaches a log.
func TestRedact(t *testing.T) {
	if got := Redact("postgres://mf:s3cret@db:5432/mf?sslmode=require"); strings.Contains(got, "s3cret") || !strings.Contains(got, "mf:xxxxx@db") {
		t.Errorf("Redact = %s", got)
	}
	if got := Redact("/var/lib/mailflow/mailflow.db"); got != "/var/lib/mailflow/mailflow.db" {
		t.Errorf("Redact(path) = %s", got)
	}
}

// An office's schema named in the URL is created by the first open.
func TestPostgresCreatesTheOfficeSchema(t *testing.T) {
	base := os.Getenv(storetest.Env)
	if base == "" {
		t.Skip("set " + storetest.Env)
	}
	u, _ := url.Parse(storetest.FreshPostgres(t, base)) // a fresh schema, dropped after
	q := u.Query()
	schema := q.Get("search_path") + "_office"
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := Open(u.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		s.db.Exec("DROP SCHEMA " + schema + " CASCADE")
		s.Close()
	}()
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'runs'", schema).Scan(&n); err != nil || n != 1 {
		t.Errorf("runs table in %s: %d %v", schema, n, err)
	}
}

// TestPostgresRecoverOnlyTheDeadInstancesMail: on a store several instances share,
// a starting instance takes over the mail in flight at an instance that is
// gone (its send was cut off), never the mail a live instance is sending.
func TestPostgresRecoverOnlyTheDeadInstancesMail(t *testing.T) {
	base := os.Getenv(storetest.Env)
	if base == "" {
		t.Skip("set " + storetest.Env + " (several instances need PostgreSQL)")
	}
	loc := storetest.FreshPostgres(t, base)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	open := func() *Store {
		s, err := Open(loc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := open(), open()
	defer b.Close()
	a.Update(ctx, func(tx *Tx) error {
		for _, id := range []string{"m1@x", "m2@x"} {
			if err := tx.Enqueue("", 0, &flow.Mail{Template: flow.TplQuarantine, MessageID: id}, now, now); err != nil {
				return err
			}
		}
		return nil
	})
	var rows []OutboxRow
	a.View(ctx, func(tx *Tx) (err error) { rows, err = tx.DueMail(now, 10); return })
	claim := func(s *Store, r OutboxRow) {
		s.Update(ctx, func(tx *Tx) error {
			ok, err := tx.ClaimMail(r.ID, 0, 1, now.Add(time.Hour), now)
			if !ok || err != nil {
				t.Fatalf("claim %s: %v %v", r.MessageID, ok, err)
			}
			return nil
		})
	}
	claim(a, rows[0]) // a is sending m1
	claim(b, rows[1]) // b is sending m2
	c := open()       // a third instance starts
	defer c.Close()
	recover := func() (n int) {
		c.Update(ctx, func(tx *Tx) (err error) { n, err = tx.RecoverInFlight(now); return })
		return
	}
	if n := recover(); n != 0 {
		t.Fatalf("a starting instance took %d mails live instances are sending", n)
	}
	a.Close() // a dies during its send
	// The server ends a's session (and frees its advisory lock) after
	// the connection closes, not at once: poll until it has.
	n := 0
	for deadline := time.Now().Add(10 * time.Second); n == 0 && time.Now().Before(deadline); {
		if n = recover(); n == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if n != 1 {
		t.Fatalf("recovered %d mails of the dead instance, want 1", n)
	}
	c.View(ctx, func(tx *Tx) error {
		due, _ := tx.DueMail(now, 10)
		if len(due) != 1 || due[0].MessageID != "m1@x" || due[0].Attempts != 1 {
			t.Errorf("due after recovery: %+v", due)
		}
		return nil
	})
}

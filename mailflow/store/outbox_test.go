package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// openAt creates a store at schema version v (the first v migrations), as
// an older mailflow left it.
func openAt(t *testing.T, path string, v int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(ON)")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < v; i++ {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if err := migrations[i](tx); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestMigrationRunlessOutbox upgrades a version-2 store holding runs and
// mail in every state: every row survives with its id and fields, the
// foreign key to runs still holds for run mail, and a row of no run can
// then be queued, sent and listed apart.
func TestMigrationRunlessOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	db := openAt(t, path, 2)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, st := range []string{"pending", "sent", "failed"} {
		id := fmt.Sprintf("run%d", i)
		if _, err := db.Exec(`INSERT INTO runs (id, token, sop, title, status, seq, state, created, updated) VALUES (?, ?, 'lakip', 't', 'active', 1, '{}', ?, ?)`,
			id, fmt.Sprintf("tok%d", i), ms(now), ms(now)); err != nil {
			t.Fatal(err)
		}
		payload := fmt.Sprintf(`{"template":"assign_task","message_id":"m%d@x","to":[{"email":"a@x","name":"A"}],"data":{}}`, i)
		if _, err := db.Exec(`INSERT INTO outbox (id, run_id, event_seq, message_id, template, recipients, step, payload, status, attempts, next_attempt, last_error, created, sent_at)
			VALUES (?, ?, 1, ?, 'assign_task', 'a@x', 2, ?, ?, ?, ?, ?, ?, ?)`,
			10+i, id, fmt.Sprintf("m%d@x", i), payload, st, i, ms(now)+int64(i), "err"+st, ms(now), ms(now)*int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO quarantine VALUES ('INBOX', 1, 7, 'q@x', 'evil@x', 's', 'e', 1, 0, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	s.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != len(migrations) || v < 3 {
		t.Fatalf("schema version %d after migration, want %d", v, len(migrations))
	}
	ctx := context.Background()
	var rows []OutboxRow
	s.View(ctx, func(tx *Tx) error { rows, err = tx.Outbox(""); return err })
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows after migration: %d, %v", len(rows), err)
	}
	for i, r := range rows {
		st := []string{"pending", "sent", "failed"}[i]
		if r.ID != int64(10+i) || r.RunID != fmt.Sprintf("run%d", i) || r.Status != st || r.Attempts != i || r.Step != 2 || r.EventSeq != 1 ||
			r.LastError != "err"+st || r.MessageID != fmt.Sprintf("m%d@x", i) || r.Mail.MessageID != r.MessageID || !r.NextAttempt.Equal(fromMS(ms(now)+int64(i))) {
			t.Errorf("row %d after migration: %+v", i, r)
		}
	}
	var idx []string
	qr, _ := s.db.Query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	for qr.Next() {
		var n string
		qr.Scan(&n)
		idx = append(idx, n)
	}
	qr.Close()
	if strings.Join(idx, ",") != "outbox_due,outbox_run" {
		t.Errorf("outbox indexes after migration: %v", idx)
	}
	if fk, _ := s.db.Query("PRAGMA foreign_key_check"); fk != nil {
		if fk.Next() {
			t.Error("foreign_key_check reports a violation")
		}
		fk.Close()
	}
	if n, _ := countQuarantined(s); n != 1 {
		t.Errorf("quarantine rows after migration: %d", n)
	}

	m := &flow.Mail{Template: flow.TplQuarantine, MessageID: "alert1@x", To: []flow.Recipient{{Email: "admin@x"}}}
	err = s.Update(ctx, func(tx *Tx) error { return tx.Enqueue("", 0, m, now, now) })
	if err != nil {
		t.Fatalf("a mail of no run: %v", err)
	}
	// Run mail still needs its run.
	err = s.Update(ctx, func(tx *Tx) error {
		return tx.Enqueue("no-such-run", 1, &flow.Mail{Template: "x", MessageID: "orphan@x"}, now, now)
	})
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("a mail of a missing run: err = %v, want a foreign key error", err)
	}
	var due, admin, run0 []OutboxRow
	s.View(ctx, func(tx *Tx) error {
		due, _ = tx.DueMail(now.Add(time.Second), 10)
		admin, _ = tx.AdminOutbox(10)
		run0, _ = tx.Outbox("run0")
		return nil
	})
	if len(admin) != 1 || admin[0].RunID != "" || admin[0].ID != 13 || admin[0].Mail.Template != flow.TplQuarantine {
		t.Errorf("admin outbox: %+v", admin)
	}
	if len(run0) != 1 || run0[0].ID != 10 {
		t.Errorf("a run's outbox lists %d rows", len(run0))
	}
	if len(due) != 2 || due[0].ID != 10 || due[1].ID != 13 {
		t.Errorf("due mail: %v", ids(due))
	}
	var ok bool
	s.Update(ctx, func(tx *Tx) error { ok, err = tx.MailFailedByID("<alert1@x>", "550 no such user"); return err })
	s.View(ctx, func(tx *Tx) error { admin, _ = tx.AdminOutbox(10); return nil })
	if !ok || err != nil || admin[0].Status != OutFailed || admin[0].LastError != "550 no such user" {
		t.Errorf("failed by Message-ID: %v %v %+v", ok, err, admin[0])
	}
	s.Update(ctx, func(tx *Tx) error { ok, err = tx.MailFailedByID("nobody@x", "r"); return err })
	if ok || err != nil {
		t.Errorf("an unknown Message-ID: %v %v", ok, err)
	}
}

func countQuarantined(s *Store) (n int, err error) {
	err = s.View(context.Background(), func(tx *Tx) error { n, err = tx.QuarantinedCount(); return err })
	return n, err
}

func ids(rows []OutboxRow) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// BenchmarkMigrationV3 measures the outbox rebuild on a store of 20,000
// mails (a busy office's several years): the upgrade's pause at start.
func BenchmarkMigrationV3(b *testing.B) {
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "v2.db")
		db := openAt(&testing.T{}, path, 2)
		tx, _ := db.Begin()
		tx.Exec(`INSERT INTO runs (id, token, sop, title, status, seq, state, created, updated) VALUES ('r', 't', 'lakip', 't', 'active', 1, '{}', 0, 0)`)
		payload := `{"template":"assign_task","message_id":"m@x","to":[{"email":"a@x","name":"A"}],"data":{"run_title":"` + strings.Repeat("x", 1500) + `"}}`
		for i := range 20000 {
			tx.Exec(`INSERT INTO outbox (run_id, event_seq, message_id, template, recipients, step, payload, status, next_attempt, created) VALUES ('r', 1, ?, 't', 'a@x', 1, ?, 'sent', 0, 0)`,
				fmt.Sprintf("m%d@x", i), payload)
		}
		tx.Commit()
		db.Close()
		b.StartTimer()
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
	}
}

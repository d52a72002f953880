package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// LoadRun reads a run's state.
func (t *Tx) LoadRun(id string) (*flow.Run, error) {
	return t.loadRun("id", id)
}

// RunByToken reads the run with this correlation token.
func (t *Tx) RunByToken(tok string) (*flow.Run, error) {
	return t.loadRun("token", tok)
}

func (t *Tx) loadRun(col, v string) (*flow.Run, error) {
	var state string
	err := t.queryRow("SELECT state FROM runs WHERE "+col+" = ?"+t.forUpdate(), v).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %s %q: %w", col, v, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load run %s: %w", v, err)
	}
	var r flow.Run
	if err := json.Unmarshal([]byte(state), &r); err != nil {
		return nil, fmt.Errorf("decode run %s: %w", v, err)
	}
	return &r, nil
}

// SaveRun writes a run's state.
func (t *Tx) SaveRun(r *flow.Run, now time.Time) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode run %s: %w", r.ID, err)
	}
	_, err = t.exec(`INSERT INTO runs (id, token, sop, title, status, seq, state, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET status = excluded.status, seq = excluded.seq, state = excluded.state, updated = excluded.updated`,
		r.ID, r.Token, r.SOP, r.Title, r.Status, r.Seq, string(b), ms(now), ms(now))
	if err != nil {
		return fmt.Errorf("save run %s: %w", r.ID, err)
	}
	return nil
}

// RunInfo is a run's row, without its state.
type RunInfo struct {
	ID, Token, SOP, Title, Status string
	Seq                           int64
	Created, Updated              time.Time
}

// Runs lists runs, newest first; status "" lists all.
func (t *Tx) Runs(status string) ([]RunInfo, error) {
	q := "SELECT id, token, sop, title, status, seq, created, updated FROM runs"
	var args []any
	if status != "" {
		q += " WHERE status = ?"
		args = append(args, status)
	}
	rows, err := t.query(q+" ORDER BY created DESC, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		var r RunInfo
		var c, u int64
		if err := rows.Scan(&r.ID, &r.Token, &r.SOP, &r.Title, &r.Status, &r.Seq, &c, &u); err != nil {
			return nil, err
		}
		r.Created, r.Updated = fromMS(c), fromMS(u)
		out = append(out, r)
	}
	return out, rows.Err()
}

// EventRow is one entry of a run's event log.
type EventRow struct {
	RunID    string
	Seq      int64
	Type     string
	At       time.Time
	Actor    string
	Evidence string
	Event    flow.Event
	Notes    []string
}

// AppendEvent adds the event that moved run to seq.
func (t *Tx) AppendEvent(runID string, seq int64, ev flow.Event, notes []string) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	_, err = t.exec(`INSERT INTO events (run_id, seq, type, at, actor, evidence, payload, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		runID, seq, string(ev.Type), ms(ev.At), ev.From, ev.MessageID, string(b), strings.Join(notes, "\n"))
	if err != nil {
		return fmt.Errorf("append event %s/%d: %w", runID, seq, err)
	}
	return nil
}

// Events returns a run's event log in order.
func (t *Tx) Events(runID string) ([]EventRow, error) {
	rows, err := t.query(`SELECT seq, type, at, actor, evidence, payload, notes FROM events WHERE run_id = ? ORDER BY seq`, runID)
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", runID, err)
	}
	defer rows.Close()
	var out []EventRow
	for rows.Next() {
		e := EventRow{RunID: runID}
		var at int64
		var payload, notes string
		if err := rows.Scan(&e.Seq, &e.Type, &at, &e.Actor, &e.Evidence, &payload, &notes); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		if err := json.Unmarshal([]byte(payload), &e.Event); err != nil {
			return nil, fmt.Errorf("decode event %s/%d: %w", runID, e.Seq, err)
		}
		if notes != "" {
			e.Notes = strings.Split(notes, "\n")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetDeadline sets (or with a zero time clears) a run's next wake-up.
func (t *Tx) SetDeadline(runID string, at time.Time) error {
	var err error
	if at.IsZero() {
		_, err = t.exec("DELETE FROM deadlines WHERE run_id = ?", runID)
	} else {
		_, err = t.exec("INSERT INTO deadlines (run_id, at) VALUES (?, ?) ON CONFLICT(run_id) DO UPDATE SET at = excluded.at", runID, ms(at))
	}
	if err != nil {
		return fmt.Errorf("set deadline of %s: %w", runID, err)
	}
	return nil
}

// DueRuns returns the runs whose deadline is at or before now, earliest
// first. It reads the deadlines index only, so its cost depends on how many
// are due, not on how many runs are open.
func (t *Tx) DueRuns(now time.Time, limit int) ([]string, error) {
	rows, err := t.query("SELECT run_id FROM deadlines WHERE at <= ? ORDER BY at LIMIT ?", ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due runs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// NextDeadline returns the earliest deadline of all runs (zero if none).
func (t *Tx) NextDeadline() (time.Time, error) {
	var at sql.NullInt64
	if err := t.queryRow("SELECT MIN(at) FROM deadlines").Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("next deadline: %w", err)
	}
	return fromMS(at.Int64), nil
}

// RunSeq returns how many events a run has applied, without decoding it.
func (t *Tx) RunSeq(id string) (int64, error) {
	var seq int64
	err := t.queryRow("SELECT seq FROM runs WHERE id = ?"+t.forUpdate(), id).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("run id %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("read run %s: %w", id, err)
	}
	return seq, nil
}

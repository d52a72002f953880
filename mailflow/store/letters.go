package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// schemaLetters: the numbers of the office letters mailflow issues (the
// Undangan Rapat Tim). A letter is keyed by what it announces, the meeting
// UID and its iTIP SEQUENCE, so that composing it again (a retry, a restart,
// or a request for approval before it is sent) shows the same number. The
// running number is per series (the year: the agenda book starts again
// each year), taken in the same transaction that records the letter: a
// crash either keeps both or neither, so no number is skipped or reused.
const schemaLetters = `
CREATE TABLE letter_counters (
	series TEXT PRIMARY KEY,
	last INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE letters (
	uid TEXT NOT NULL,            -- the meeting's iCalendar UID
	sequence INTEGER NOT NULL,    -- its SEQUENCE
	series TEXT NOT NULL,
	number INTEGER NOT NULL,      -- the running number in the series
	nomor TEXT NOT NULL,          -- the Nomor as printed
	issued INTEGER NOT NULL,      -- the letter's date
	kind TEXT NOT NULL,           -- what it says: undangan, perubahan, pembatalan
	start INTEGER NOT NULL,       -- the meeting as announced, for the next letter's "semula"
	place TEXT NOT NULL,
	PRIMARY KEY (uid, sequence),
	UNIQUE (series, number)
) WITHOUT ROWID;
`

// qNextLetter takes the next number of a series; PostgreSQL wants the
// conflict target named.
var qNextLetter = pgVariant(`INSERT INTO letter_counters (series, last) VALUES (?, 1)
			ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last`,
	`INSERT INTO letter_counters (series, last) VALUES (?, 1)
			ON CONFLICT (series) DO UPDATE SET last = letter_counters.last + 1 RETURNING last`)

// Letter is one issued letter.
type Letter struct {
	UID      string
	Sequence int
	Series   string
	Number   int
	Nomor    string
	Issued   time.Time
	Kind     string
	Start    time.Time
	Place    string
}

// IssueLetter returns the letter for (l.UID, l.Sequence). The first call
// takes the next running number of l.Series, formats it with nomor and
// records l with l.Issued as its date; every later call returns that
// record unchanged, whatever l says.
func (s *Store) IssueLetter(ctx context.Context, l Letter, nomor func(number int) string) (Letter, error) {
	var out Letter
	err := s.Update(ctx, func(t *Tx) error {
		got, ok, err := t.letter(l.UID, l.Sequence)
		if err != nil || ok {
			out = got
			return err
		}
		var n int
		if err := t.queryRow(qNextLetter, l.Series).Scan(&n); err != nil {
			return fmt.Errorf("next letter number in %s: %w", l.Series, err)
		}
		l.Number, l.Nomor = n, nomor(n)
		if _, err := t.exec(`INSERT INTO letters (uid, sequence, series, number, nomor, issued, kind, start, place)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.UID, l.Sequence, l.Series, l.Number, l.Nomor, ms(l.Issued), l.Kind, ms(l.Start), l.Place); err != nil {
			return fmt.Errorf("record letter %s: %w", l.Nomor, err)
		}
		out = l
		return nil
	})
	return out, err
}

// PreviousLetter returns the latest letter of uid issued before sequence.
func (s *Store) PreviousLetter(ctx context.Context, uid string, sequence int) (Letter, bool, error) {
	var out Letter
	var found bool
	err := s.View(ctx, func(t *Tx) error {
		var err error
		out, found, err = t.scanLetter(t.queryRow(`SELECT uid, sequence, series, number, nomor, issued, kind, start, place
			FROM letters WHERE uid = ? AND sequence < ? ORDER BY sequence DESC LIMIT 1`, uid, sequence))
		return err
	})
	return out, found, err
}

// Letters lists every issued letter in the order of their numbers.
func (s *Store) Letters(ctx context.Context) ([]Letter, error) {
	var out []Letter
	err := s.View(ctx, func(t *Tx) error {
		rows, err := t.query(`SELECT uid, sequence, series, number, nomor, issued, kind, start, place FROM letters ORDER BY series, number`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, _, err := t.scanLetter(rows)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

func (t *Tx) letter(uid string, sequence int) (Letter, bool, error) {
	return t.scanLetter(t.queryRow(`SELECT uid, sequence, series, number, nomor, issued, kind, start, place
		FROM letters WHERE uid = ? AND sequence = ?`, uid, sequence))
}

func (t *Tx) scanLetter(row interface{ Scan(...any) error }) (Letter, bool, error) {
	var l Letter
	var issued, start int64
	err := row.Scan(&l.UID, &l.Sequence, &l.Series, &l.Number, &l.Nomor, &issued, &l.Kind, &start, &l.Place)
	if errors.Is(err, sql.ErrNoRows) {
		return Letter{}, false, nil
	}
	if err != nil {
		return Letter{}, false, fmt.Errorf("read letter: %w", err)
	}
	l.Issued, l.Start = fromMS(issued), fromMS(start)
	return l, true, nil
}

package store

import (
	"fmt"
	"strings"
	"time"
)

// schemaMessages: the archive of every message in and out, the evidence of
// a run. The raw bytes are in the blob store under sha256; a row names
// them. The same bytes archived twice in one direction are one row.
const schemaMessages = `
CREATE TABLE messages (
	id INTEGER PRIMARY KEY,
	direction TEXT NOT NULL,      -- in, out
	run_id TEXT NOT NULL,         -- '' when the message belongs to no run
	message_id TEXT NOT NULL,
	at INTEGER NOT NULL,          -- processed (in) or accepted by SMTP (out)
	sender TEXT NOT NULL,
	recipients TEXT NOT NULL,     -- comma-separated addresses
	subject TEXT NOT NULL,
	auth TEXT NOT NULL,           -- the Authentication-Results verdict (in)
	sha256 TEXT NOT NULL,         -- the raw .eml in the blob store
	size INTEGER NOT NULL,
	UNIQUE (direction, message_id, sha256)
);
CREATE INDEX messages_run ON messages(run_id, at);
`

// Message directions.
const (
	MsgIn  = "in"
	MsgOut = "out"
)

// Message is one archived mail: its headers as the console lists them and
// where its raw bytes are.
type Message struct {
	ID        int64
	Direction string // MsgIn or MsgOut
	RunID     string
	MessageID string // without angle brackets
	At        time.Time
	From      string
	To        []string
	Subject   string
	// Auth is the verdict read from the trusted Authentication-Results
	// ("dmarc=pass (aligned) dkim=pass spf=pass", "none"); "" for our own mail.
	Auth   string
	SHA256 string
	Size   int64
}

// AddMessage archives m (the blob must already be stored). The same bytes
// archived again in the same direction are not a second row.
func (t *Tx) AddMessage(m Message) error {
	if m.Direction != MsgIn && m.Direction != MsgOut {
		return fmt.Errorf("archive message %s: direction %q is neither %q nor %q", m.MessageID, m.Direction, MsgIn, MsgOut)
	}
	_, err := t.exec(`INSERT INTO messages (direction, run_id, message_id, at, sender, recipients, subject, auth, sha256, size)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.Direction, m.RunID, strings.Trim(m.MessageID, "<> "), ms(m.At), m.From, strings.Join(m.To, ","), m.Subject, m.Auth, m.SHA256, m.Size)
	if err != nil {
		return fmt.Errorf("archive message %s: %w", m.MessageID, err)
	}
	return nil
}

const msgCols = "id, direction, run_id, message_id, at, sender, recipients, subject, auth, sha256, size"

// Messages lists a run's archived mail, in and out, oldest first.
func (t *Tx) Messages(runID string) ([]Message, error) {
	return t.queryMsgs("WHERE run_id = ? ORDER BY at, id", runID)
}

// MessageByID returns one archived mail by its row id.
func (t *Tx) MessageByID(id int64) (Message, error) {
	ms, err := t.queryMsgs("WHERE id = ?", id)
	if err != nil {
		return Message{}, err
	}
	if len(ms) == 0 {
		return Message{}, fmt.Errorf("archived message %d: %w", id, ErrNotFound)
	}
	return ms[0], nil
}

func (t *Tx) queryMsgs(where string, args ...any) ([]Message, error) {
	rows, err := t.query("SELECT "+msgCols+" FROM messages "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read archived messages: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		var at int64
		var to string
		if err := rows.Scan(&m.ID, &m.Direction, &m.RunID, &m.MessageID, &at, &m.From, &to, &m.Subject, &m.Auth, &m.SHA256, &m.Size); err != nil {
			return nil, err
		}
		m.At = fromMS(at)
		if to != "" {
			m.To = strings.Split(to, ",")
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// archiveInbound archives in.Archive with the run the marker names, in the
// marker's transaction.
func (t *Tx) archiveInbound(in Inbound) error {
	if in.Archive == nil {
		return nil
	}
	m := *in.Archive
	m.Direction, m.RunID = MsgIn, in.RunID
	if m.MessageID == "" {
		m.MessageID = in.MessageID
	}
	if m.At.IsZero() {
		m.At = in.At
	}
	return t.AddMessage(m)
}

// AttachmentRow is an attachment received in a run, with its name as sent.
type AttachmentRow struct {
	SHA256, MessageID, Filename, ContentType string
	Size                                     int64
	At                                       time.Time
}

// Attachments lists the files a run received, oldest first.
func (t *Tx) Attachments(runID string) ([]AttachmentRow, error) {
	rows, err := t.query("SELECT sha256, message_id, filename, content_type, size, at FROM attachments WHERE run_id = ? ORDER BY at, filename", runID)
	if err != nil {
		return nil, fmt.Errorf("read attachments of %s: %w", runID, err)
	}
	defer rows.Close()
	var out []AttachmentRow
	for rows.Next() {
		var a AttachmentRow
		var at int64
		if err := rows.Scan(&a.SHA256, &a.MessageID, &a.Filename, &a.ContentType, &a.Size, &at); err != nil {
			return nil, err
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Package bundle writes and checks a run's evidence bundle for the arsip: a
// zip of the monitoring form (PDF), every message in and out as .eml, every
// attachment, the event log as JSON and a manifest that lists each file's
// sha256 and the run's final state. Verify reads a bundle as untrusted
// input and fails on any changed, missing or unlisted file.
package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/report"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Format names the manifest's layout; Verify refuses others.
const Format = "mailflow-evidence-bundle/1"

// ManifestName is the manifest's path in the zip.
const ManifestName = "manifest.json"

// Manifest is manifest.json.
type Manifest struct {
	Format  string    `json:"format"`
	Created time.Time `json:"created"`
	RunID   string    `json:"run_id"`
	SOP     string    `json:"sop"`    // the SOP's number, e.g. SOP.017.SEKRE
	Office  string    `json:"office"` // the office's name
	Files   []File    `json:"files"`  // every other file of the zip
	Missing []Missing `json:"missing,omitempty"`
	// FinalState is the run's state when the bundle was made (flow.Run).
	FinalState json.RawMessage `json:"final_state"`
}

// File is one listed file.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// What the file is: "laporan", "events", "sop", "messages", "eml-in",
	// "eml-out", "attachment".
	Kind      string `json:"kind"`
	MessageID string `json:"message_id,omitempty"`
}

// Missing is content the store should have held but did not: the bundle
// says so instead of leaving it out silently.
type Missing struct {
	What   string `json:"what"`
	SHA256 string `json:"sha256"`
	Reason string `json:"reason"`
}

// Export writes the evidence bundle of one run (its ID or token) to w. The
// zip's times are the run's end (or its last update), so that the same run
// exports to the same bytes.
func Export(ctx context.Context, w io.Writer, src report.Source, blobs *blob.Store, runID string) (*Manifest, error) {
	var run *flow.Run
	var events []store.EventRow
	var msgs []store.Message
	var atts []store.AttachmentRow
	err := src.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		if run, err = report.FindRun(tx, runID); err != nil {
			return err
		}
		if events, err = tx.Events(run.ID); err != nil {
			return err
		}
		if msgs, err = tx.Messages(run.ID); err != nil {
			return err
		}
		atts, err = tx.Attachments(run.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	stamp := run.FinishedAt
	if stamp.IsZero() && len(events) > 0 {
		stamp = events[len(events)-1].At
	}
	if stamp.IsZero() {
		stamp = run.StartedAt
	}
	state, err := json.Marshal(run)
	if err != nil {
		return nil, fmt.Errorf("encode run %s: %w", run.ID, err)
	}
	d, _ := src.Env.SOPDef(run)
	m := &Manifest{Format: Format, Created: stamp.UTC(), RunID: run.ID, Office: src.Env.Office.Name, FinalState: state}
	if d != nil {
		m.SOP = d.Number
	}
	zw := zip.NewWriter(w)
	bw := &writer{zw: zw, m: m, stamp: stamp}

	var pdf bytes.Buffer
	if err := report.Form(ctx, &pdf, src, run.ID); err != nil {
		return nil, err
	}
	if err := bw.add("laporan.pdf", "laporan", "", bytes.NewReader(pdf.Bytes())); err != nil {
		return nil, err
	}
	if err := bw.addJSON("events.json", "events", eventLog(events)); err != nil {
		return nil, err
	}
	if d != nil {
		// The SOP as configured when the bundle was made: the Mutu Baku the
		// run was measured against, readable after the config has changed.
		if err := bw.addJSON("sop.json", "sop", d); err != nil {
			return nil, err
		}
	}
	var index []indexEntry
	for i, msg := range msgs {
		dir := "mail/in/"
		kind := "eml-in"
		if msg.Direction == store.MsgOut {
			dir, kind = "mail/out/", "eml-out"
		}
		name := fmt.Sprintf("%s%03d-%s.eml", dir, i+1, safeName(msg.MessageID, 80))
		if err := bw.addBlob(blobs, name, kind, msg.MessageID, msg.SHA256, "message "+msg.MessageID); err != nil {
			return nil, err
		}
		index = append(index, indexEntry{File: name, Direction: msg.Direction, MessageID: msg.MessageID, At: msg.At,
			From: msg.From, To: msg.To, Subject: msg.Subject, Auth: msg.Auth, SHA256: msg.SHA256})
	}
	seen := map[string]bool{}
	for _, a := range atts {
		name := fmt.Sprintf("attachments/%s-%s", a.SHA256[:min(12, len(a.SHA256))], safeName(a.Filename, 100))
		if seen[name] {
			continue
		}
		seen[name] = true
		if err := bw.addBlob(blobs, name, "attachment", a.MessageID, a.SHA256, "attachment "+a.Filename); err != nil {
			return nil, err
		}
	}
	if err := bw.addJSON("messages.json", "messages", index); err != nil {
		return nil, err
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	if err := bw.raw(ManifestName, bytes.NewReader(mb)); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write bundle: %w", err)
	}
	return m, nil
}

type indexEntry struct {
	File      string    `json:"file"`
	Direction string    `json:"direction"`
	MessageID string    `json:"message_id"`
	At        time.Time `json:"at"`
	From      string    `json:"from"`
	To        []string  `json:"to"`
	Subject   string    `json:"subject"`
	Auth      string    `json:"auth,omitempty"`
	SHA256    string    `json:"sha256"`
}

type eventEntry struct {
	Seq      int64      `json:"seq"`
	Type     string     `json:"type"`
	At       time.Time  `json:"at"`
	Actor    string     `json:"actor"`
	Evidence string     `json:"evidence,omitempty"`
	Event    flow.Event `json:"event"`
	Notes    []string   `json:"notes,omitempty"`
}

func eventLog(rows []store.EventRow) []eventEntry {
	out := make([]eventEntry, 0, len(rows))
	for _, e := range rows {
		out = append(out, eventEntry{Seq: e.Seq, Type: e.Type, At: e.At, Actor: e.Actor, Evidence: e.Evidence, Event: e.Event, Notes: e.Notes})
	}
	return out
}

// writer adds files to the zip and to the manifest.
type writer struct {
	zw    *zip.Writer
	m     *Manifest
	stamp time.Time
}

func (b *writer) raw(name string, r io.Reader) error {
	fw, err := b.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: b.stamp})
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if _, err := io.Copy(fw, r); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

func (b *writer) add(name, kind, msgID string, r io.Reader) error {
	h := sha256.New()
	c := &counter{}
	if err := b.raw(name, io.TeeReader(io.TeeReader(r, h), c)); err != nil {
		return err
	}
	b.m.Files = append(b.m.Files, File{Path: name, SHA256: hex.EncodeToString(h.Sum(nil)), Size: c.n, Kind: kind, MessageID: msgID})
	return nil
}

func (b *writer) addJSON(name, kind string, v any) error {
	j, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return b.add(name, kind, "", bytes.NewReader(j))
}

// addBlob copies a stored file; one the store lacks is listed as missing.
// The copy is checked against its content address on the way.
func (b *writer) addBlob(blobs *blob.Store, name, kind, msgID, sum, what string) error {
	f, err := blobs.Open(sum)
	if err != nil {
		b.m.Missing = append(b.m.Missing, Missing{What: what, SHA256: sum, Reason: err.Error()})
		return nil
	}
	defer f.Close()
	if err := b.add(name, kind, msgID, f); err != nil {
		return err
	}
	if got := b.m.Files[len(b.m.Files)-1].SHA256; got != sum {
		return fmt.Errorf("%s: the stored file is damaged (sha256 %s, stored as %s)", what, got, sum)
	}
	return nil
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// safeName makes a file name from untrusted text (a Message-ID, an
// attachment's name): no directories, no control or shell characters.
func safeName(s string, n int) string {
	var b strings.Builder
	for _, r := range path.Base(strings.ReplaceAll(s, "\\", "/")) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_', r == '@', r == '+':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if r := []rune(out); len(r) > n {
		out = string(r[:n])
	}
	if out == "" {
		out = "file"
	}
	return out
}

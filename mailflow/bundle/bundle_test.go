package bundle_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/mail"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/bundle"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/evidencetest"
	"github.com/bangkatengah/mailflow/mailflow/report"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func export(t *testing.T) ([]byte, *bundle.Manifest, *evidencetest.Run) {
	t.Helper()
	r := evidencetest.Demo(t)
	var buf bytes.Buffer
	m, err := bundle.Export(context.Background(), &buf, report.Source{Store: r.Store, Env: r.Env()}, r.Blobs, r.RunID)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), m, r
}

func TestExportHoldsTheEvidenceAndVerifies(t *testing.T) {
	zb, m, r := export(t)
	got, err := bundle.Verify(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatalf("a fresh bundle does not verify: %v", err)
	}
	if got.RunID != r.RunID || len(got.Missing) != 0 {
		t.Fatalf("manifest run %s, missing %v", got.RunID, got.Missing)
	}
	kinds := map[string]int{}
	for _, f := range m.Files {
		kinds[f.Kind]++
	}
	var msgs []store.Message
	var atts []store.AttachmentRow
	r.Store.View(context.Background(), func(tx *store.Tx) error {
		msgs, _ = tx.Messages(r.RunID)
		atts, _ = tx.Attachments(r.RunID)
		return nil
	})
	in, out := 0, 0
	for _, msg := range msgs {
		if msg.Direction == store.MsgIn {
			in++
		} else {
			out++
		}
	}
	if in == 0 || out == 0 {
		t.Fatalf("archive: %d in, %d out", in, out)
	}
	if kinds["eml-in"] != in || kinds["eml-out"] != out || kinds["laporan"] != 1 || kinds["events"] != 1 || kinds["messages"] != 1 || kinds["sop"] != 1 {
		t.Errorf("kinds %v; archive has %d in, %d out", kinds, in, out)
	}
	if kinds["attachment"] == 0 || kinds["attachment"] > len(atts) {
		t.Errorf("%d attachments in the bundle, %d received", kinds["attachment"], len(atts))
	}
	var st flow.Run
	if err := json.Unmarshal(m.FinalState, &st); err != nil || st.ID != r.RunID || st.Status != flow.RunFinished {
		t.Errorf("final state: %v %s %s", err, st.ID, st.Status)
	}
	// Every .eml is a whole message whose Message-ID is the one listed.
	zr, _ := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	byPath := map[string]bundle.File{}
	for _, f := range m.Files {
		byPath[f.Path] = f
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "mail/") {
			continue
		}
		rc, _ := f.Open()
		msg, err := mail.ReadMessage(rc)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			rc.Close()
			continue
		}
		body, _ := io.ReadAll(msg.Body)
		rc.Close()
		id := strings.Trim(msg.Header.Get("Message-ID"), "<> ")
		if id == "" || id != byPath[f.Name].MessageID || len(body) == 0 {
			t.Errorf("%s: Message-ID %q, listed %q, body %d bytes", f.Name, id, byPath[f.Name].MessageID, len(body))
		}
		if strings.HasPrefix(f.Name, "mail/out/") && !strings.HasPrefix(id, "mf.") {
			t.Errorf("%s is not one of our mails", f.Name)
		}
	}
	// The same finished run exports to the same bytes.
	var again bytes.Buffer
	if _, err := bundle.Export(context.Background(), &again, report.Source{Store: r.Store, Env: r.Env()}, r.Blobs, r.RunID); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), zb) {
		t.Error("exporting a finished run twice gives different bytes")
	}
}

// rewrite copies the zip, letting edit change, drop (nil) or add entries.
func rewrite(t *testing.T, zb []byte, edit func(name string, b []byte) []byte, extra map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if b = edit(f.Name, b); b == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	for name, b := range extra {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

func problems(t *testing.T, zb []byte) []bundle.Problem {
	t.Helper()
	_, err := bundle.Verify(bytes.NewReader(zb), int64(len(zb)))
	var be *bundle.Error
	if !errors.As(err, &be) {
		t.Fatalf("want a *bundle.Error, got %v", err)
	}
	return be.Problems
}

func TestVerifyFailsOnOneChangedByte(t *testing.T) {
	zb, m, _ := export(t)
	for _, target := range []string{"laporan.pdf", "events.json", firstOf(m, "eml-in"), firstOf(m, "eml-out"), firstOf(m, "attachment")} {
		changed := rewrite(t, zb, func(name string, b []byte) []byte {
			if name == target {
				b = bytes.Clone(b)
				b[len(b)/2] ^= 0x01 // one bit of one byte
			}
			return b
		}, nil)
		ps := problems(t, changed)
		if len(ps) != 1 || ps[0].Path != target || !strings.HasPrefix(ps[0].What, "changed") {
			t.Errorf("%s changed: problems %v", target, ps)
		}
	}
	// A byte changed in the zip itself (not through a zip writer): the
	// entry's CRC or the hash catches it, or the zip no longer opens.
	for _, off := range []int{len(zb) / 3, len(zb) / 2} {
		raw := bytes.Clone(zb)
		raw[off] ^= 0xff
		if _, err := bundle.Verify(bytes.NewReader(raw), int64(len(raw))); err == nil {
			t.Errorf("byte %d of the zip changed and the bundle still verifies", off)
		}
	}
}

func TestVerifyFailsOnMissingAndUnlistedFiles(t *testing.T) {
	zb, m, _ := export(t)
	target := firstOf(m, "eml-out")
	dropped := rewrite(t, zb, func(name string, b []byte) []byte {
		if name == target {
			return nil
		}
		return b
	}, nil)
	if ps := problems(t, dropped); len(ps) != 1 || ps[0].Path != target || ps[0].What != "missing" {
		t.Errorf("dropped %s: %v", target, ps)
	}
	added := rewrite(t, zb, func(_ string, b []byte) []byte { return b }, map[string][]byte{"mail/in/999-forged.eml": []byte("From: x\r\n\r\nSETUJU\r\n")})
	if ps := problems(t, added); len(ps) != 1 || ps[0].Path != "mail/in/999-forged.eml" {
		t.Errorf("added a file: %v", ps)
	}
	noManifest := rewrite(t, zb, func(name string, b []byte) []byte {
		if name == bundle.ManifestName {
			return nil
		}
		return b
	}, nil)
	if _, err := bundle.Verify(bytes.NewReader(noManifest), int64(len(noManifest))); err == nil {
		t.Error("a zip without a manifest verifies")
	}
}

func firstOf(m *bundle.Manifest, kind string) string {
	for _, f := range m.Files {
		if f.Kind == kind {
			return f.Path
		}
	}
	return "none-of-kind-" + kind
}

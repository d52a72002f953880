package bundle_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/bundle"
)

// tiny builds a small valid bundle by hand: the fuzzer starts from a zip
// that passes and mutates it.
func tiny(files map[string]string, extra map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	m := bundle.Manifest{Format: bundle.Format, RunID: "r1", FinalState: json.RawMessage(`{}`)}
	for name, body := range files {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
		sum := sha256.Sum256([]byte(body))
		m.Files = append(m.Files, bundle.File{Path: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)), Kind: "eml-in"})
	}
	for name, body := range extra {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	mb, _ := json.Marshal(m)
	w, _ := zw.Create(bundle.ManifestName)
	w.Write(mb)
	zw.Close()
	return buf.Bytes()
}

// FuzzVerify: Verify reads untrusted zips. It never panics, and when it
// says a bundle is good, every entry of the zip is the manifest or a listed
// file whose bytes hash to the listed sha256.
func FuzzVerify(f *testing.F) {
	f.Add(tiny(map[string]string{"mail/in/001-a.eml": "From: a@b\r\n\r\nSETUJU\r\n", "events.json": "[]"}, nil))
	f.Add(tiny(map[string]string{"../evil": "x"}, nil))
	f.Add(tiny(map[string]string{"a": "x"}, map[string]string{"b": "y"}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := bundle.Verify(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		zr, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if zerr != nil {
			t.Fatalf("verified, but the zip does not open: %v", zerr)
		}
		listed := map[string]bundle.File{}
		for _, lf := range m.Files {
			listed[lf.Path] = lf
		}
		for _, zf := range zr.File {
			if zf.Name == bundle.ManifestName {
				continue
			}
			lf, ok := listed[zf.Name]
			if !ok {
				t.Fatalf("verified, but %q is not listed", zf.Name)
			}
			rc, err := zf.Open()
			if err != nil {
				t.Fatalf("verified, but %q does not open: %v", zf.Name, err)
			}
			h := sha256.New()
			n, _ := io.Copy(h, io.LimitReader(rc, lf.Size+1))
			rc.Close()
			if n != lf.Size || hex.EncodeToString(h.Sum(nil)) != lf.SHA256 {
				t.Fatalf("verified, but %q does not match its manifest line", zf.Name)
			}
		}
	})
}

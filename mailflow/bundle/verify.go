package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Limits of what Verify reads: a bundle is untrusted (it may come back from
// an archive years later, or from someone else).
const (
	maxEntries  = 100_000
	maxManifest = 64 << 20
	maxFile     = 4 << 30
)

// Problem is one way a bundle differs from its manifest.
type Problem struct {
	Path string
	What string // "changed", "missing", "unlisted", "size", "invalid"
}

func (p Problem) String() string { return p.Path + ": " + p.What }

// Error is Verify's failure: every problem found, not just the first.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	var parts []string
	for i, p := range e.Problems {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.Problems)-10))
			break
		}
		parts = append(parts, p.String())
	}
	return fmt.Sprintf("bundle does not match its manifest (%d problems): %s", len(e.Problems), strings.Join(parts, "; "))
}

// VerifyFile checks the bundle at path; see Verify.
func VerifyFile(name string) (*Manifest, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	return Verify(f, st.Size())
}

// Verify checks a bundle against its manifest: every listed file is there
// with its size and sha256, and nothing else is in the zip. It returns the
// manifest when all is well; an *Error lists every problem otherwise.
func Verify(r io.ReaderAt, size int64) (*Manifest, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a readable zip: %w", err)
	}
	if len(zr.File) > maxEntries {
		return nil, fmt.Errorf("the zip has %d entries, more than a bundle has (%d)", len(zr.File), maxEntries)
	}
	entries := map[string]*zip.File{}
	var probs []Problem
	for _, f := range zr.File {
		if !validPath(f.Name) {
			probs = append(probs, Problem{Path: printable(f.Name), What: "invalid path"})
			continue
		}
		if _, dup := entries[f.Name]; dup {
			probs = append(probs, Problem{Path: f.Name, What: "listed twice in the zip"})
			continue
		}
		entries[f.Name] = f
	}
	mf, ok := entries[ManifestName]
	if !ok {
		return nil, errors.New("no manifest.json: not a mailflow evidence bundle")
	}
	mb, err := readAll(mf, maxManifest)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(mb))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("manifest format %q, want %q", printable(m.Format), Format)
	}
	listed := map[string]bool{ManifestName: true}
	for _, lf := range m.Files {
		if !validPath(lf.Path) || lf.Path == ManifestName {
			probs = append(probs, Problem{Path: printable(lf.Path), What: "invalid path in the manifest"})
			continue
		}
		if listed[lf.Path] {
			probs = append(probs, Problem{Path: lf.Path, What: "listed twice in the manifest"})
			continue
		}
		listed[lf.Path] = true
		f, ok := entries[lf.Path]
		if !ok {
			probs = append(probs, Problem{Path: lf.Path, What: "missing"})
			continue
		}
		if p := check(f, lf); p != "" {
			probs = append(probs, Problem{Path: lf.Path, What: p})
		}
	}
	for name := range entries {
		if !listed[name] {
			probs = append(probs, Problem{Path: printable(name), What: "not listed in the manifest"})
		}
	}
	if len(probs) > 0 {
		sortProblems(probs)
		return &m, &Error{Problems: probs}
	}
	return &m, nil
}

// check reads one file and compares it with its manifest line. It reads at
// most the listed size plus one byte, so a zip bomb stops there.
func check(f *zip.File, lf File) string {
	if lf.Size < 0 || lf.Size > maxFile {
		return "invalid size in the manifest"
	}
	if len(lf.SHA256) != 64 {
		return "invalid sha256 in the manifest"
	}
	rc, err := f.Open()
	if err != nil {
		return "unreadable: " + err.Error()
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(rc, lf.Size+1))
	if err != nil {
		return "unreadable: " + err.Error()
	}
	if n != lf.Size {
		return fmt.Sprintf("changed (size %d, manifest says %d)", n, lf.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, lf.SHA256) {
		return "changed (sha256 " + got + ")"
	}
	return ""
}

func readAll(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return b, nil
}

// validPath: a relative, clean, slash-separated path, as Export writes.
func validPath(p string) bool {
	if p == "" || len(p) > 512 || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || path.Clean(p) != p || p == "." ||
		strings.HasPrefix(p, "../") || p == ".." || strings.HasSuffix(p, "/") {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// printable shows an untrusted name on one line.
func printable(s string) string {
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

func sortProblems(ps []Problem) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
}

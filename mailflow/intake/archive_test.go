package intake_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/intake"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// Every processed message is archived byte for byte, under the run it
// belongs to; the disposition that starts a run is in that run's archive.
func TestProcessedMailIsArchivedExactly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		f := newFixture(t)
		raw := msg("Kepala Dinas <kepala@"+dom+">", "Disposisi: Penyusunan LAKIP Tahun 2023", "d1@"+dom, "", dispo+strings.Repeat("x", 70000)+"\n")
		if ok, err := f.deliver(raw); !ok || err != nil {
			t.Fatalf("disposition: %v %v", ok, err)
		}
		unrelated := msg("Kepala Dinas <kepala@"+dom+">", "Disposisi: Penyusunan LAKIP Tahun 2023 (ulang)", "d2@"+dom, "", dispo)
		f.deliver(unrelated)
		rid := f.runs()[0].ID
		var ms []store.Message
		f.eng.Store.View(context.Background(), func(tx *store.Tx) error { ms, _ = tx.Messages(rid); return nil })
		if len(ms) == 0 {
			t.Fatal("nothing archived")
		}
		m := ms[0]
		if m.Direction != store.MsgIn || m.MessageID != "d1@"+dom || m.From != "kepala@"+dom || m.Size != int64(len(raw)) || m.Auth == "" {
			t.Fatalf("archived row: %+v", m)
		}
		b, err := f.in.Blobs.Open(m.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		got, _ := io.ReadAll(b)
		if string(got) != raw {
			t.Fatalf("archived bytes differ from the message (%d vs %d bytes)", len(got), len(raw))
		}
	})
}

// FuzzArchiveExact: whatever arrives, a message the intake processed is
// archived byte for byte, and one it gives up on leaves no temp file.
func FuzzArchiveExact(f *testing.F) {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		f.Fatal(err)
	}
	cfg.Replies.RequireAuth = "none"
	dir := f.TempDir()
	st, err := store.Open(filepath.Join(dir, "m.db"), store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	bl, _ := blob.Open(filepath.Join(dir, "blobs"))
	eng := engine.New(st, flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}, nil)
	eng.Now = func() time.Time { return time.Date(2024, 6, 3, 8, 0, 0, 0, cfg.Calendar.Loc) }
	in := &intake.Intake{Engine: eng, Config: cfg, Blobs: bl, Log: eng.Log}
	f.Add([]byte(msg("kepala@"+dom, "Disposisi LAKIP 2023", "d1@"+dom, "", dispo)))
	f.Add([]byte("From: x\r\n\r\n"))
	f.Add([]byte("\x00\xff garbage without a header"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n"))
	var uid uint32
	f.Fuzz(func(t *testing.T, raw []byte) {
		uid++
		m := &mailin.Message{Mailbox: "INBOX", UIDValidity: 1, UID: uid, Header: mailin.Header{UID: uid, MessageID: fmt.Sprintf("fuzz%d@x", uid)},
			Body: bytes.NewReader(raw), Size: int64(len(raw))}
		err := in.Process(context.Background(), m)
		if tmp, _ := os.ReadDir(filepath.Join(dir, "blobs", "tmp")); len(tmp) != 0 {
			t.Fatalf("temp files left after %v: %v", err, tmp)
		}
		if err != nil {
			return
		}
		sum := sha256.Sum256(raw)
		want := hex.EncodeToString(sum[:])
		found := false
		st.View(context.Background(), func(tx *store.Tx) error {
			ids := []string{""} // mail of no run
			runs, _ := tx.Runs("")
			for _, r := range runs {
				ids = append(ids, r.ID)
			}
			for _, id := range ids {
				ms, _ := tx.Messages(id)
				for _, x := range ms {
					found = found || (x.SHA256 == want && x.Size == int64(len(raw)))
				}
			}
			return nil
		})
		if !found {
			t.Fatalf("processed but not archived (%d bytes)", len(raw))
		}
		if !bl.Has(want) {
			t.Fatal("archived row without its bytes")
		}
	})
}

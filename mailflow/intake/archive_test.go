package intake_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Every processed message is archived byte for byte, under the run it
// belongs to; the disposition that starts a run is in that run's archive.
func TestProcessedMailIsArchivedExactly(t *testing.T) {
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
}

package grammar

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// An approve word inside a subordinate clause, in the future or in a
// question is no decision: whatever surrounds it, it never approves.
func TestUndecidedApprovalNeverApproves(t *testing.T) {
	markers := []string{"sebelum", "sblm", "setelah", "stlh", "untuk", "utk", "agar", "supaya", "sampai", "hingga",
		"akan", "akn", "mau", "besok", "segera", "yang", "yg", "will", "before", "until"}
	fillers := []string{"", "saya", "sy", "kami", "bisa", "sdh", "sudah", "di", "Bapak", "dapat"}
	approves := []string{"setuju", "disetujui", "setujui", "paraf", "diparaf", "acc", "di-acc", "approve", "ditandatangani"}
	leads := []string{"", "Mohon dicek kembali tabelnya", "Draf ini", "Baik,", "Yth. Bapak Sekretaris,\n\n", "Ok"}
	tails := []string{"", ".", " Bapak.", " besok.", " kemarin mana ya", "\n\nTerima kasih,\nBudi"}
	questions := []string{"Draf yang disetujui kemarin mana", "Kapan disetujui", "Apakah sudah disetujui", "Siapa yang paraf"}
	r := rand.New(rand.NewPCG(7, 9))
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	for range 5000 {
		s := strings.TrimSpace(strings.Join([]string{pick(leads), pick(markers), pick(fillers), pick(approves)}, " ")) + pick(tails)
		if r.IntN(2) == 0 {
			s = strings.ToUpper(s)
		}
		if c, _ := Parse(s); c == Approve {
			t.Fatalf("%q approves", s)
		}
	}
	for _, q := range questions {
		for _, tail := range []string{"", " ya", " pak"} {
			if c, _ := Parse(q + tail); c == Approve {
				t.Fatalf("%q approves", q+tail)
			}
		}
	}
	// The control: the same words as a decision still approve.
	for _, s := range []string{"Sudah saya paraf.", "SETUJU", "Setuju, silakan lanjut.", "Disetujui. Untuk diteruskan ke Kadis."} {
		if c, _ := Parse(s); c != Approve {
			t.Errorf("%q: %s, want approve", s, c)
		}
	}
}

// A restricting connective after the approval ("ACC, sepanjang …",
// "Setuju, cuma …") takes it back to unclear.
func TestRestrictedApprovalNeverApproves(t *testing.T) {
	for _, conj := range []string{"sepanjang", "selama", "cuma", "cuman", "hanya", "padahal", "seandainya", "asalkan", "kecuali"} {
		for _, a := range []string{"ACC", "Setuju", "Disetujui", "Sudah saya paraf"} {
			s := a + ", " + conj + " bab 2 sudah dicek ulang."
			if c, _ := Parse(s); c == Approve {
				t.Errorf("%q approves", s)
			}
		}
	}
}

// Notes that take the approval back, whatever form the label takes (on the
// command line, after it, bulleted or bold), make it unclear.
func TestNotesTakingBackNeverApprove(t *testing.T) {
	backs := []string{"tidak setuju", "belum disetujui Kadis", "belum bisa diparaf", "TOLAK dulu", "tdk ok"}
	forms := []string{"Setuju dengan catatan: %s", "Setuju. Catatan: %s", "Setuju, catatan: %s", "Setuju\n\n- Catatan: %s",
		"Setuju\n\n*Catatan: %s*", "ACC\n\nCatatan:\n%s", "Disetujui dgn catatan: %s"}
	for _, b := range backs {
		for _, f := range forms {
			s := strings.Replace(f, "%s", b, 1)
			if c, _ := Parse(s); c == Approve {
				t.Errorf("%q approves", s)
			}
		}
	}
	if c, n := Parse("Setuju dengan catatan: angka TW IV diperbaiki"); c != Approve || n == "" {
		t.Errorf("an approval with notes: %s %q", c, n)
	}
}

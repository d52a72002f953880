package trim

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
)

// TestPropDatedHeadNeverApproves tries to make the wrapped-attribution rule
// drop a line that takes an approval back: "SETUJU" above a line laid out
// like a Gmail head (start word, a whole date, a time, then words, long
// enough to be wrapped) whose words carry a negation, a hedge, a question
// or a rejection, above an attribution that could stand alone. Whatever
// the words and their case, the reply must not read as an approval.
func TestPropDatedHeadNeverApproves(t *testing.T) {
	r := rand.New(rand.NewSource(21))
	spoilers := append(grammar.NegationTokens(), "tapi", "namun", "kecuali", "asalkan", "jika", "nanti", "dulu", "mungkin",
		"TOLAK", "revisi", "perbaiki", "ditolak", "but", "unless", "?")
	names := []string{"Sekretariat", "Dinsos", "PMD", "Bangka", "Tengah", "Budi", "Yulianti", "saya", "cek", "tabel", "sesuai",
		"lagi", "yang", "data", "draf", "halaman", "SETUJU", "Kadis", "lampiran", "belum"}
	heads := []string{"Pada tanggal Sen, 10 Mar 2025 pukul 09.56", "Pada 13 Mei 2024 pukul 08.00,", "On Mon, Mar 10, 2025 at 9:56 AM",
		"Tanggal 13/05/2024 09:30", "Pada Sel, 21 Mei 2024 10.30"}
	tails := []string{"Tengah <sekretariat@dinsospmd.go.id> menulis:", "Budi <b@x.id> wrote:", "PMD <s@x.id> menulis:"}
	tried := 0
	for n := 0; n < 5000; n++ {
		words := []string{heads[r.Intn(len(heads))]}
		spoiled := false
		for len(strings.Join(words, " ")) < 60+r.Intn(20) {
			w := names[r.Intn(len(names))]
			if r.Intn(4) == 0 {
				w, spoiled = spoilers[r.Intn(len(spoilers))], true
			}
			switch r.Intn(3) {
			case 1:
				w = strings.ToUpper(w)
			case 2:
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			words = append(words, w)
		}
		if !spoiled {
			continue
		}
		line := strings.Join(words, " ")
		if c, _ := grammar.Parse("SETUJU\n" + line); c == grammar.Approve {
			continue // the grammar itself finds nothing taken back
		}
		tried++
		in := "SETUJU\n\n" + line + "\n" + tails[r.Intn(len(tails))] + "\n\n> Mohon balas SETUJU atau TOLAK <alasan>.\n"
		if c, _ := grammar.Parse(Text(in)); c == grammar.Approve {
			t.Fatalf("a line that takes the approval back was dropped:\n%s\n--- text\n%s", in, Text(in))
		}
	}
	if tried < 1000 {
		t.Fatalf("only %d spoiled heads tried", tried)
	}
}

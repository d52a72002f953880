package reply

import (
	"math/rand"
	"strings"
	"testing"
)

// pastedLetter is the office's assignment as a client pastes it under the
// answer: no quote marks, no header, the reference line at its end.
func pastedLetter(r *rand.Rand) string {
	who := []string{"Bapak Kepala Dinas\r\nDrs. H. Ahmad Yani", "Ibu Sekretaris Dinas\r\nHj. Yulianti", "Bapak Kepala Bidang\r\nRudi Hartono, S.T."}[r.Intn(3)]
	return "Yth. " + who + "\r\ndi tempat\r\n\r\nDengan hormat,\r\n\r\n" +
		"Dalam rangka pelaksanaan SOP.017.SEKRE, bersama ini kami sampaikan kegiatan berikut:\r\n\r\n" +
		"  Langkah        : 8 dari SOP.017.SEKRE\r\n" +
		"Mohon balas SETUJU apabila sudah sesuai, atau TOLAK diikuti alasannya apabila perlu diperbaiki.\r\n\r\n" +
		"Atas perhatian Bapak, kami ucapkan terima kasih.\r\n\r\nHormat kami,\r\nKepala Sub Bagian Perencanaan,\r\n\r\n" +
		"Dedi Kurniawan, S.E.\r\n\r\n-- \r\nSurel ini dikirim secara otomatis.\r\nRef: MF-tuhnufe7zkkekeh44v2y-8r1\r\n"
}

// TestPastedLetterIsTransparent: an answer followed by the office's own
// mail pasted without quote marks reads exactly as the answer alone
// (never more of an approval: the hedges, negations and rejections of the
// answer all stay), and an answer with nothing above the pasted letter is
// not cut at all.
func TestPastedLetterIsTransparent(t *testing.T) {
	answers := []string{
		"Setuju", "SETUJU.\r\n\r\nTerima kasih,\r\nBudi", "Setuju, tapi tabel 3 diperbaiki", "Tidak setuju",
		"TOLAK data capaian belum lengkap", "Setuju.\r\nNamun angka 2023 mohon dicek lagi.", "Belum bisa acc",
		"Yth. Bapak Kasubag,\r\n\r\nDengan hormat,\r\nSetuju.", "Yth. Bapak Kasubag,\r\n\r\nDengan hormat,\r\nMohon maaf, belum setuju.",
		"Nanti dulu", "SELESAI", "Setuju?", "Acc pak, lanjutkan", "Setujuu", "Oke", "",
	}
	r := rand.New(rand.NewSource(3))
	read := func(body string) *Parsed {
		t.Helper()
		p, err := Parse(strings.NewReader(subjectMsg("Re: [LAKIP 2025 - Langkah 8] Mohon paraf", body)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for n := 0; n < 300; n++ {
		a := answers[r.Intn(len(answers))]
		sep := []string{"\r\n\r\n", "\r\n", "\r\n\r\n\r\n"}[r.Intn(3)]
		alone, pasted := read(a+"\r\n"), read(a+sep+pastedLetter(r))
		if a == "" {
			if pasted.Command == CmdApprove {
				t.Fatalf("a pasted letter alone approves: %q", pasted.Text)
			}
			continue
		}
		if pasted.Command != alone.Command {
			t.Fatalf("answer %q: %q alone, %q with the letter pasted under it (text %q)", a, alone.Command, pasted.Command, pasted.Text)
		}
	}
	// Without the office's reference line nothing is cut: an official's
	// own formal letter stays whole.
	own := "Setuju\r\n\r\nYth. Bapak Kasubag,\r\nDengan hormat,\r\nnamun tabel 3 belum lengkap.\r\n"
	if p := read(own); p.Command == CmdApprove {
		t.Fatalf("an answer cut without the office's mail under it: %q", p.Text)
	}
}

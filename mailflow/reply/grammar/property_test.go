package grammar

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Property tests: each safety rule of the grammar, over many generated
// variants (case, punctuation, greetings before, honorifics after,
// signatures after). Deterministic seeds; a failure prints the text.

var (
	pGreetings = []string{"", "Yth. Bapak Sekretaris,\n\n", "Selamat pagi Pak,\n", "Assalamualaikum wr. wb.\n\n",
		"Dengan hormat,\n", "Baik pak, ", "Mohon izin menyampaikan, atas arahan Bapak Kepala Dinas:\n",
		"Yth. Ibu Kasubag Perencanaan\n\nSelamat siang.\n\n"}
	pHonorifics = []string{"", " pak", " bu", " Pak.", ", terima kasih", " pak, lanjutkan.", "!", ".", " ya pak."}
	pSignatures = []string{"", "\n\nTerima kasih,\nBudi", "\n\nSalam,\nDrs. Ahmad Yani, M.Si\nKepala Dinas Sosial PMD",
		"\n\nHormat kami,\nSiti Aminah", "\nWassalam", "\n\nThanks,\nRina"}
	pApprove = []string{"setuju", "disetujui", "acc", "approve", "approved", "SETUJU", "Setuju", "menyetujui", "stuju", "diparaf"}
	pReasons = []string{"data capaian belum lengkap", "anggaran melebihi pagu", "tabel IKU tidak sesuai Renstra",
		"lampiran masih versi lama", "mohon lengkapi data triwulan IV"}
)

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func pCase(r *rand.Rand, s string) string { return casing(s, byte(r.IntN(3))) }

// frame puts a command line between a greeting and a signature.
func frame(r *rand.Rand, line string) string {
	return pick(r, pGreetings) + line + pick(r, pSignatures)
}

// TestPropNegation: every negation token the grammar knows, attached to an
// approve word (directly or across "dapat"/"bisa"/"kami"), reads as a
// rejection; with a comma or a word between, it is never an approval.
func TestPropNegation(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 15))
	fillers := []string{"", "dapat ", "bisa ", "kami ", "dapat kami "}
	for _, neg := range NegationTokens() {
		for k := 0; k < 40; k++ {
			line := pCase(r, neg) + " " + pick(r, fillers) + pCase(r, pick(r, pApprove)) + pick(r, pHonorifics)
			text := frame(r, line)
			if c, _ := Parse(text); c != Reject {
				t.Fatalf("Parse(%q) = %q, want reject", text, c)
			}
			loose := pCase(r, neg) + pick(r, []string{", ", ". ", " data ", " - ", "\n"}) + pick(r, pApprove)
			text = frame(r, loose+pick(r, pHonorifics))
			if c, _ := Parse(text); c == Approve {
				t.Fatalf("Parse(%q) = approve", text)
			}
		}
	}
}

// TestPropIdioms: "tidak keberatan", "tidak ada catatan/masalah/koreksi" in
// every informal spelling approve, alone or beside an approve word.
func TestPropIdioms(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 15))
	negs := []string{"tidak", "tdk", "tak", "gak", "ga", "nggak", "enggak", "ndak"}
	forms := []string{"%s keberatan", "%s ada catatan", "%s ada masalah", "%s ada koreksi", "%s masalah",
		"%s ada catatan lagi", "%s ada yang perlu diperbaiki"}
	for k := 0; k < 600; k++ {
		idiom := strings.Replace(pick(r, forms), "%s", pick(r, negs), 1)
		var line string
		switch r.IntN(3) {
		case 0:
			line = pCase(r, idiom)
		case 1:
			line = pCase(r, pick(r, pApprove)) + ", " + pCase(r, idiom)
		case 2:
			line = pCase(r, idiom) + ", " + pCase(r, pick(r, pApprove))
		}
		text := frame(r, line+pick(r, pHonorifics))
		if c, n := Parse(text); c != Approve || n != "" {
			t.Fatalf("Parse(%q) = %q, %q; want approve without notes", text, c, n)
		}
	}
}

// TestPropHedges: an approve word with a hedge in its sentence, before or
// after it, is unclear; so is a later sentence that opens with a contrast.
func TestPropHedges(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 15))
	hedgeList := []string{"tapi", "namun", "kecuali", "asal", "asalkan", "jika", "kalau", "bila", "dengan syarat",
		"nanti", "dulu", "mungkin", "but", "unless", "if", "maybe"}
	tails := []string{" tabel 3 dilengkapi", " data diperbaiki", " sudah ditandatangani", ""}
	for k := 0; k < 800; k++ {
		a, h := pCase(r, pick(r, pApprove)), pCase(r, pick(r, hedgeList))
		var line string
		switch r.IntN(3) {
		case 0:
			line = a + pick(r, []string{" ", ", "}) + h + pick(r, tails)
		case 1:
			line = h + pick(r, tails) + pick(r, []string{" ", ", "}) + a
		case 2:
			line = a + ". " + pCase(r, pick(r, []string{"namun", "tapi", "kecuali", "asalkan"})) + pick(r, tails) + "."
		}
		text := frame(r, line)
		if c, _ := Parse(text); c != Unclear {
			t.Fatalf("Parse(%q) = %q, want unclear", text, c)
		}
	}
}

// TestPropQuestion: a question mark in the sentence of an approve word, or
// anywhere before it, is unclear.
func TestPropQuestion(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 15))
	for k := 0; k < 500; k++ {
		a := pCase(r, pick(r, pApprove))
		var line string
		switch r.IntN(4) {
		case 0:
			line = a + "?"
		case 1:
			line = "apakah " + a + pick(r, []string{" pak", ""}) + "?"
		case 2:
			line = a + pick(r, []string{" pak", " ya", ""}) + " ?"
		case 3:
			line = "Sudah dicek? " + a + "."
		}
		text := frame(r, line)
		if c, _ := Parse(text); c != Unclear {
			t.Fatalf("Parse(%q) = %q, want unclear", text, c)
		}
	}
}

// TestPropRejectReason: a rejection keeps its reason whole, whatever greets
// before it and signs after it.
func TestPropRejectReason(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 15))
	heads := []string{"TOLAK", "Tolak", "ditolak", "TIDAK SETUJU", "tdk setuju", "Belum disetujui", "Revisi:",
		"tolak pak,", "REJECT", "Not approved."}
	for k := 0; k < 600; k++ {
		reason := pick(r, pReasons)
		line := pCase(r, pick(r, heads)) + pick(r, []string{" ", ", ", " - ", ": "}) + reason
		if r.IntN(2) == 0 {
			line += "."
			reason += "."
		}
		text := frame(r, line)
		if c, n := Parse(text); c != Reject || n != reason {
			t.Fatalf("Parse(%q) = %q, %q; want reject, %q", text, c, n, reason)
		}
	}
}

// TestPropPlainApproval: a bare approval stays one, with no notes, whatever
// greets before it, whatever honorific or thanks follows and whatever
// signature ends the text.
func TestPropPlainApproval(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 15))
	for k := 0; k < 600; k++ {
		text := frame(r, pCase(r, pick(r, pApprove))+pick(r, pHonorifics))
		if c, n := Parse(text); c != Approve || n != "" {
			t.Fatalf("Parse(%q) = %q, %q; want approve without notes", text, c, n)
		}
	}
}

// TestPropSignatureKeepsCommand: appending a signature never changes the
// command read from a text.
func TestPropSignatureKeepsCommand(t *testing.T) {
	bases := []string{"SETUJU", "TOLAK data kurang", "SELESAI, terlampir.", "tidak setuju", "Setuju tapi nanti",
		"Tidak keberatan.", "Sudah kami kirim.", "Akan saya cek dulu.", "STATUS", "SETUJU\nCatatan: segera proses"}
	for _, b := range bases {
		want, _ := Parse(b)
		for _, sig := range pSignatures {
			if c, _ := Parse(b + sig); c != want {
				t.Errorf("Parse(%q) = %q, but %q alone = %q", b+sig, c, b, want)
			}
		}
	}
}

// TestPropRSVPNegation: a negation before the attendance word is never
// ACCEPTED, for every negation token.
func TestPropRSVPNegation(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 15))
	fill := []string{"", "bisa ", "dapat ", "akan ", "saya bisa ", "be able to "}
	for _, neg := range NegationTokens() {
		for k := 0; k < 20; k++ {
			text := pick(r, pGreetings) + pick(r, []string{"", "Mohon maaf, ", "Maaf pak, saya "}) + pCase(r, neg) + " " +
				pick(r, fill) + pCase(r, pick(r, []string{"hadir", "attend", "datang"})) + pick(r, pHonorifics) + pick(r, pSignatures)
			if ps, _ := RSVP(text); ps != Declined {
				t.Fatalf("RSVP(%q) = %q, want DECLINED", text, ps)
			}
		}
	}
}

// TestPropPosition: the command is read wherever the official puts it:
// after greeting lines, mid-sentence in the first paragraph, at the end of
// a sentence, or on the line after a lead-in ending in ":".
func TestPropPosition(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 15))
	neutral := []string{"Draf LAKIP sudah saya baca.", "Sehubungan dengan surat Bapak,", "Berkaitan dengan laporan tersebut",
		"Mohon izin menyampaikan, atas arahan Bapak Kepala Dinas:", "Menindaklanjuti arahan pimpinan,",
		"Terima kasih atas kirimannya.", "Dengan hormat,", "Setelah saya pelajari dengan seksama,"}
	cmds := []struct {
		word string
		want Command
	}{{"SETUJU", Approve}, {"disetujui", Approve}, {"TOLAK", Reject}, {"SELESAI", Done}}
	for k := 0; k < 600; k++ {
		c := cmds[r.IntN(len(cmds))]
		lead := pick(r, neutral)
		var line string
		switch r.IntN(3) {
		case 0:
			line = lead + "\n" + pCase(r, c.word) + pick(r, []string{"", ".", " pak."})
		case 1:
			line = lead + " " + pick(r, []string{"kami", "saya", "pada prinsipnya"}) + " " + pCase(r, c.word) + "."
		case 2:
			line = lead + " Bahan sudah kami lengkapi, " + pCase(r, c.word) + "."
		}
		text := frame(r, line)
		if got, _ := Parse(text); got != c.want {
			t.Fatalf("Parse(%q) = %q, want %q", text, got, c.want)
		}
	}
}

// TestPropRSVPDelegate: a delegation names its delegate whatever greets
// before it, declines beside it and signs after it.
func TestPropRSVPDelegate(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 15))
	names := []string{"Budi Hartono", "Siti Aminah", "Kasi Perencanaan", "Drs. Ahmad Yani", "Rina"}
	heads := []string{"Diwakilkan oleh", "diwakilkan kepada", "Akan diwakili oleh", "akan diwakili", "Saya mewakilkan kepada",
		"Delegated to"}
	before := []string{"", "Mohon maaf tidak dapat hadir. ", "Mohon maaf berhalangan, ", "Tdk bisa hadir pak, "}
	after := []string{"", ".", ", karena dinas luar.", " (Kasubag Keuangan).", " dan staf."}
	for k := 0; k < 400; k++ {
		name := pick(r, names)
		text := pick(r, pGreetings) + pick(r, before) + pick(r, heads) + " " + pick(r, []string{"", "Sdr. ", "Bapak "}) +
			name + pick(r, after) + pick(r, pSignatures)
		if ps, who := RSVP(text); ps != Delegated || who != name {
			t.Fatalf("RSVP(%q) = %q, %q; want DELEGATED, %q", text, ps, who, name)
		}
	}
}

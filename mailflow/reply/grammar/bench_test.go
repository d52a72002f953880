package grammar

import "testing"

// benchTexts are typical new texts of replies, as trim hands them over.
var benchTexts = []string{
	"SETUJU",
	"Ok setuju, lanjutkan.",
	"Yth. Bapak Kepala Dinas,\n\nBelum setuju, data capaian masih sementara.",
	"TOLAK Rekapitulasi capaian kinerja bidang Sosial belum lengkap.\nCatatan: mohon lengkapi tabel IKU dan kirim ulang.",
	"Selamat pagi Pak,\nDokumen sudah saya baca dan saya setuju untuk diteruskan.\n\nTerima kasih,\nBudi",
	"Sudah, bahan LAKIP Bidang Sosial terlampir.",
	"Setuju tapi tabel 3 diperbaiki dulu",
	"Insya Allah hadir.",
}

// BenchmarkGrammar measures Parse and RSVP over typical texts; divide
// msgs/s by the reply benchmark's to see the grammar's share.
func BenchmarkGrammar(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		s := benchTexts[n%len(benchTexts)]
		Parse(s)
		RSVP(s)
		n++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}

// BenchmarkParseOnly and BenchmarkRSVPOnly split the cost.
func BenchmarkParseOnly(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		Parse(benchTexts[n%len(benchTexts)])
		n++
	}
}

func BenchmarkRSVPOnly(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		RSVP(benchTexts[n%len(benchTexts)])
		n++
	}
}

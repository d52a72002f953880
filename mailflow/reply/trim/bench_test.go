package trim

import (
	"fmt"
	"strings"
	"testing"
)

// typicalBody is the plain part of a typical reply: a short answer with a
// signature above a Gmail attribution and a long quoted assignment.
func typicalBody() string {
	var b strings.Builder
	b.WriteString("SETUJU\nCatatan: lanjutkan ke Kepala Dinas.\n\nSalam,\nBudi Santoso\nKasubag Umum\nNIP. 19780512 200501 1 003\n\n" +
		"Pada tanggal Sen, 13 Mei 2024 pukul 08.00 mailflow <\nmailflow@dinsos.bangkatengahkab.go.id> menulis:\n\n")
	for i := 0; b.Len() < 12<<10; i++ {
		fmt.Fprintf(&b, "> Mohon periksa bagian %d dari Draft LAKIP; Balas SETUJU atau TOLAK <alasan>.\n", i)
	}
	return b.String()
}

func BenchmarkTextTypical(b *testing.B) {
	body := typicalBody()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if Text(body) == "" {
			b.Fatal("empty")
		}
	}
}

// BenchmarkTextLongSignatureLike: a long body without a quote whose lines
// all look like signature lines, the worst case of the block scan.
func BenchmarkTextLongSignatureLike(b *testing.B) {
	var s strings.Builder
	s.WriteString("SETUJU\n")
	for i := 0; i < 5000; i++ {
		s.WriteString("Kepala Bidang Sosial\nBudi Santoso\n\n")
	}
	body := s.String()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Text(body)
	}
}

package render

import "testing"

func TestJudul(t *testing.T) {
	for _, c := range []struct{ name, run, want string }{
		{"Persiapan Penyusunan Laporan Akuntabilitas dan Kinerja Instansi Pemerintah (LAKIP)", "LAKIP Tahun 2023", "Persiapan Penyusunan LAKIP Tahun 2023"},
		{"Penyusunan Rencana Kerja (Renja)", "Renja 2025", "Penyusunan Rencana Kerja (Renja) untuk Renja 2025"},
		{"Penyusunan Rencana Kerja (RK)", "Tahun 2025", "Penyusunan RK (Tahun 2025)"},
		{"Permohonan Cuti", "Cuti Budi", "Permohonan Cuti untuk Cuti Budi"},
	} {
		if got := judul(c.name, c.run); got != c.want {
			t.Errorf("judul(%q, %q) = %q, want %q", c.name, c.run, got, c.want)
		}
	}
}

func TestTindakan(t *testing.T) {
	for k, want := range map[string]string{
		"Memeriksa draft LAKIP dan memarafnya.":                     "paraf",
		"Memeriksa draft LAKIP dan menandatangani (menyetujuinya).": "tandatangan",
		"Mendisposisi draft awal LAKIP.":                            "disposisi",
		"Memberi petunjuk dan menugaskan Kasubag.":                  "petunjuk",
		"Mengumpulkan bahan LAKIP.":                                 "",
	} {
		if got := tindakan(k); got != want {
			t.Errorf("tindakan(%q) = %q, want %q", k, got, want)
		}
	}
}

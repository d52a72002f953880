package grammar

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in    string
		cmd   Command
		notes string
	}{
		{"SETUJU", Approve, ""},
		{"Ok setuju, lanjutkan", Approve, ""},
		{"SETUJU pak, lanjutkan.", Approve, ""},
		{"Ok setuju, terima kasih", Approve, ""},
		{"Setuju, lanjutkan ke Kepala Dinas. Terima kasih.", Approve, "lanjutkan ke Kepala Dinas."},
		{"Approved “as is” – thanks.", Approve, "“as is”"},
		{"Yth. Bapak Kepala Dinas,\n\nDisetujui.", Approve, ""},
		{"Baik,\nACC", Approve, ""},
		{"Baik pak. Setuju.", Approve, ""},
		{"sudah disetujui", Approve, ""},
		{"SETUJU.\n\nTerima kasih,\nBudi", Approve, ""},
		{"SETUJU\nTerima kasih\nBudi Santoso", Approve, ""},
		// class 5: where the command stands
		{"Selamat pagi Pak,\nDokumen sudah saya baca dan saya setuju untuk diteruskan.", Approve, "untuk diteruskan."},
		{"Yth. Ibu Kasubag,\n\nBahan LAKIP bidang sosial sudah kami lengkapi, SELESAI.", Done, ""},
		{"Mohon izin menyampaikan, atas arahan Bapak Kepala Dinas:\nSETUJU", Approve, ""},
		{"Mohon izin menyampaikan, atas arahan Bapak Kepala Dinas:\nTOLAK, target IKU belum sesuai Renstra.", Reject, "target IKU belum sesuai Renstra."},
		{"Mohon maaf terlambat. Bahan terlampir, SELESAI.", Done, ""},
		{"Data sudah saya periksa. SETUJU.", Approve, ""},
		// class 6: negation as officials type it
		{"TIDAK SETUJU", Reject, ""},
		{"tdk setuju", Reject, ""},
		{"gak setuju pak", Reject, ""},
		{"blm bisa disetujui, data kurang", Reject, "data kurang"},
		{"belum setuju, data kurang", Reject, "data kurang"},
		{"tidak disetujui", Reject, ""},
		{"Belum dapat kami setujui. Tabel IKU belum lengkap.", Reject, "Tabel IKU belum lengkap."},
		{"I do not approve, the numbers are wrong", Reject, "the numbers are wrong"},
		{"TIDAK SETUJU, data kurang", Reject, "data kurang"},
		// idioms: tidak that does not negate the decision
		{"Tidak keberatan.", Approve, ""},
		{"Setuju, tidak ada catatan.", Approve, ""},
		{"Tdk ada masalah, setuju", Approve, ""},
		{"Tidak ada koreksi pak", Approve, ""},
		{"gak ada yang perlu diperbaiki, acc", Approve, ""},
		{"Setuju, jangan lupa dikirim ke Kadis hari ini.", Approve, "jangan lupa dikirim ke Kadis hari ini."},
		{"Mohon maaf belum sempat membalas. Setuju.", Approve, ""},
		// class 7: fail safe
		{"Setuju tapi tabel 3 diperbaiki", Unclear, "Setuju tapi tabel 3 diperbaiki"},
		{"Setuju, asal data diperbaiki", Unclear, "Setuju, asal data diperbaiki"},
		{"Nanti saya setujui", Unclear, "Nanti saya setujui"},
		{"Setuju?", Unclear, "Setuju?"},
		{"Mungkin setuju", Unclear, "Mungkin setuju"},
		{"Setuju dengan revisi", Unclear, "Setuju dengan revisi"},
		{"Setuju, data tidak lengkap", Unclear, "Setuju, data tidak lengkap"},
		{"Setuju. Namun mohon diperbaiki tabel 3.", Unclear, "Setuju."},
		{"Setuju. Mohon direvisi tabel 3.", Unclear, "Setuju."},
		{"Data belum lengkap. Setuju.", Unclear, "Setuju."},
		{"Tolak. Eh setuju.", Reject, "Eh setuju."},
		{"Setuju dan tolak", Unclear, "Setuju dan tolak"},
		{"Mohon Bapak berkenan menyetujui laporan kami.", Unclear, "Mohon Bapak berkenan menyetujui laporan kami."},
		{"Mohon Bapak berkenan menyetujui. Laporan terlampir.", Done, ""},
		{"Anggaran sudah disetujui oleh Kadis.", Unclear, "Anggaran sudah disetujui oleh Kadis."},
		{"SETUJU dengan catatan: tabel IKU dilengkapi sebelum dikirim ke Kadis.", Approve, "tabel IKU dilengkapi sebelum dikirim ke Kadis."},
		{"SETUJU dengan catatan sbb:\n1. tabel IKU belum lengkap\n2. tidak ada tanda tangan\n\nTerima kasih,\nBudi", Approve, "1. tabel IKU belum lengkap\n2. tidak ada tanda tangan"},
		{"SETUJU\nCatatan: rapat tim dijadwalkan\nTanggal: Senin, 20 Mei 2024", Approve, "rapat tim dijadwalkan\nTanggal: Senin, 20 Mei 2024"},
		// rejections and their reasons
		{"TOLAK Anggaran melebihi pagu.\nCatatan: revisi RAB\ndan kirim ulang", Reject, "Anggaran melebihi pagu.\nrevisi RAB\ndan kirim ulang"},
		{"Revisi: angka realisasi anggaran triwulan IV belum sesuai.", Reject, "angka realisasi anggaran triwulan IV belum sesuai."},
		{"Mohon diperbaiki tabelnya", Reject, "tabelnya"},
		{"TOLAK\n\nData capaian belum lengkap.\n\nTerima kasih,\nBudi", Reject, "Data capaian belum lengkap."},
		{"TOLAK pak, terima kasih", Reject, ""},
		{"Mohon maaf pak, data belum lengkap. TOLAK.", Reject, "data belum lengkap."},
		{"Yth. Bapak,\nTabel IKU kosong, tidak setuju.\n\nTerima kasih,\nBudi", Reject, "Tabel IKU kosong"},
		{"Tidak, setuju", Unclear, "Tidak, setuju"},
		{"Berikut kami lampirkan revisi draft LAKIP.", Done, "revisi draft LAKIP."},
		{"Setujuuu pak", Approve, ""},
		{"tidaaak setuju", Reject, ""},
		{"Setujuu", Approve, ""},       // a doubled letter: a slip of the thumb
		{"tidakk setujuu", Reject, ""}, // the negation is read through it too
		{"Setujuu tapi tabel 3", Unclear, "Setujuu tapi tabel 3"},
		{"tolakk, angka salah", Reject, "angka salah"},
		{"Acc", Approve, ""},                                                                    // a known word with a double letter stays
		{"Sudah saya tanda tangani", Approve, ""},                                               // the compound in two words
		{"Sudah di-ACC Pak Kadis secara lisan", Unclear, "Sudah di-ACC Pak Kadis secara lisan"}, // someone else's approval reported
		{"Sudah disetujui Pak Kadis", Unclear, "Sudah disetujui Pak Kadis"},
		{"Sudah di paraf Bu Sekdis", Unclear, "Sudah di paraf Bu Sekdis"},
		{"Sudah di acc pak", Approve, ""},                                                 // "pak" addresses the reader: his own approval
		{"Dak pacak ku setuju, tabel nye masih salah.", Reject, "tabel nye masih salah."}, // Bangka Malay
		{"Di-acc.", Approve, ""},
		{"SELESAI, sudah disetujui Pak Kadis", Done, "sudah disetujui Pak Kadis"},
		{"Sudah di TANDA TANGANI pak", Approve, ""},
		{"Nanti saya tanda tangani", Unclear, "Nanti saya tanda tangani"},
		{"Belum saya tanda tangani", Reject, ""},
		{"Tanda terima sudah", None, ""},
		// done
		{"SELESAI, draft terlampir", Done, "draft terlampir"},
		{"SELESAI, draft sudah diperbaiki sesuai arahan.", Done, "draft sudah diperbaiki sesuai arahan."},
		{"Sudah diperbaiki", Done, ""},
		{"Sudah, bahan LAKIP Bidang Sosial terlampir.", Done, "bahan LAKIP Bidang Sosial terlampir."},
		{"Laporan sudah kami kirim.", Done, ""},
		{"Belum selesai, mohon waktu.", None, ""},
		{"Apakah sudah selesai?", None, ""},
		{"Sudah saya periksa, ok", None, ""},
		{"Sudah sesuai pak", None, ""},
		{"Sudah pak", Done, ""},
		{"Data sudah kami lengkapi.", Done, ""},
		{"Mohon dilengkapi tabel IKU-nya", Reject, "tabel IKU-nya"},
		{"Sudah saya paraf", Approve, ""},
		{"Belum sempat saya paraf", Unclear, "Belum sempat saya paraf"},
		{"Tidak usah disetujui dulu", Unclear, "Tidak usah disetujui dulu"},
		{"Dokumen PK sudah ditandatangani, SELESAI", Unclear, "Dokumen PK sudah ditandatangani, SELESAI"},
		{"Draf sudah diparaf Kasubag, terlampir.", Done, "diparaf Kasubag"},
		{"Untuk sementara setuju", Unclear, "Untuk sementara setuju"},
		{"Approved subject to budget review", Unclear, "Approved subject to budget review"},
		{"Approved with minor changes", Unclear, "Approved with minor changes"},
		{"No changes, approved.", Approve, ""},
		{"Muhammad Rizky telah menolak undangan ini.", None, ""},
		{"Kurang setuju", Reject, ""},
		{"Dak setuju pak", Reject, ""},
		{"Sepakat.", Approve, ""},
		{"Mohon balas SETUJU atau TOLAK <alasan> pada baris pertama.", Unclear, "Mohon balas SETUJU atau TOLAK <alasan> pada baris pertama."},
		{"SETUJU\n\nMohon balas SETUJU atau TOLAK <alasan> pada baris pertama.", Unclear, "SETUJU"},
		{"SETUJU.\nTerima kasih, tapi mohon dicek lagi tabel 3", Unclear, "SETUJU."},
		{"SETUJU.\n\nSalam,\nBudi\nEmail ini bersifat rahasia dan tidak boleh disebarkan, namun jika Anda bukan penerima, hapus.", Approve, ""},
		{"Terima kasih.\nTidak setuju, data kurang.", Reject, "data kurang."},
		{"SETUJU\nTerima kasih,\ntidak setuju", Unclear, "SETUJU"},
		{"SETUJU\nBudi", Approve, ""},
		{"SETUJU dengan catatan: tabel 3 dilengkapi\nAhmad Fauzi", Approve, "tabel 3 dilengkapi"},
		{"TOLAK\nData capaian belum lengkap.\nAhmad Fauzi", Reject, "Data capaian belum lengkap."},
		{"TOLAK, tidak ada masalah dengan format tetapi data kurang", Reject, "tidak ada masalah dengan format tetapi data kurang"},
		{"Tidak ada masalah, tolak saja", Unclear, "Tidak ada masalah, tolak saja"},
		{"Seharusnya bisa disetujui", Unclear, "Seharusnya bisa disetujui"},
		{"I would approve", Unclear, "I would approve"},
		{"I would not approve this", Reject, "this"},
		{"Gx setuju", Reject, ""},
		{"Sudah diapprove Kasubag, terlampir.", Done, "diapprove Kasubag"},
		{"SETUJU / APPROVED", Approve, ""},
		{"Setuju atau tidak?", Unclear, "Setuju atau tidak?"},
		{"Yth. Bapak Sekretaris,\nData IKU belum lengkap. TOLAK.", Reject, "Data IKU belum lengkap."},
		{"Selamat pagi pak. Mohon maaf, TOLAK.", Reject, ""},
		{"Selamat pagi. Data belum lengkap, TOLAK.", Reject, "Data belum lengkap"},
		{"Maaf terlambat, tadi belum sempat, SELESAI.", Done, ""},
		{"Belum selesai", None, ""},
		{"Draft saya kembalikan untuk diperbaiki: tabel 2.1 belum memuat target 2024.", Reject, "untuk diperbaiki: tabel 2.1 belum memuat target 2024."},
		{"Dokumen yang dikembalikan kemarin sudah kami perbaiki.", Done, ""},
		{"Tidak ada catatan. Setuju", Approve, ""},
		{"Setuju dgn catatan angka TW IV diperbaiki", Approve, "angka TW IV diperbaiki"},
		{"Data masalah", None, ""},
		{"Setuju, data masalah", Approve, "data masalah"},
		{"STATUS", Status, ""},
		{"bantuan", Help, ""},
		{"Terima kasih. Akan saya cek dulu.", None, ""},
		{"Akan saya cek dulu.", None, ""},
		{"Baik pak, akan saya cek dulu.", None, ""},
		{"", None, ""},
	} {
		cmd, notes := Parse(c.in)
		if cmd != c.cmd || notes != c.notes {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", c.in, cmd, notes, c.cmd, c.notes)
		}
	}
}

// TestExplained: every unclear reading says why; nothing else does.
func TestExplained(t *testing.T) {
	for in, want := range map[string]string{
		"Setuju tapi nanti":                `the hedge "tapi"`,
		"Setuju?":                          "a question mark",
		"Tidak, setuju":                    `the negation "tidak" is not attached to the approve word`,
		"Setuju dengan revisi":             `the reject or revision word "revisi"`,
		"Setuju. Namun tabel 3 belum ada.": `a sentence after the approval opens with "namun"`,
		"Data belum lengkap. Setuju.":      `a sentence before the approval: the negation "belum" is not attached to the approve word`,
		"SETUJU\nCatatan: belum disetujui": "the notes block takes the approval back",
		"Mohon Bapak berkenan menyetujui":  "an approval asked for, reported or offered as an option, not given",
		"SETUJU":                           "",
		"TIDAK SETUJU, data kurang":        "",
	} {
		c, _, why := ParseExplained(in)
		if why != want || (why != "") != (c == Unclear) {
			t.Errorf("ParseExplained(%q) = %q, why %q; want why %q", in, c, why, want)
		}
	}
}

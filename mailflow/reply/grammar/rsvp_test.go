package grammar

import "testing"

func TestRSVP(t *testing.T) {
	for _, c := range []struct{ in, ps, who string }{
		{"Hadir", Accepted, ""},
		{"Insya Allah hadir", Accepted, ""},
		{"InsyaAllah saya hadir.", Accepted, ""},
		{"Siap hadir pak", Accepted, ""},
		{"Yth. Bapak Sekretaris,\n\nSaya akan hadir. Terima kasih.", Accepted, ""},
		{"Tidak dapat hadir", Declined, ""},
		{"Mohon maaf, saya tidak bisa hadir karena dinas luar.", Declined, ""},
		{"tdk hadir", Declined, ""},
		{"gak bisa hadir pak", Declined, ""},
		{"Berhalangan hadir", Declined, ""},
		{"Mohon maaf berhalangan", Declined, ""},
		{"Diwakilkan oleh Budi Santoso", Delegated, "Budi Santoso"},
		{"Tidak dapat hadir, akan diwakili oleh Kasi Perencanaan, karena dinas luar", Delegated, "Kasi Perencanaan"},
		{"Saya akan diwakili oleh Drs. Ahmad Yani, M.Si.", Delegated, "Drs. Ahmad Yani"},
		// the delegate before "mewakili", or after "utus"
		{"Berhalangan pak, yang hadir Kasi Pemberdayaan (Ibu Rina) mewakili saya.", Delegated, "Rina"},
		{"Maaf tidak bisa hadir, nanti Bu Sari yang datang mewakili.", Delegated, "Sari"},
		{"Saya utus Kasubag Umum, Pak Dedi, untuk hadir.", Delegated, "Kasubag Umum"},
		{"Saya hadir mewakili Kepala Dinas.", Accepted, ""}, // the writer represents someone
		{"Siap hadir, mewakili Kabid.", Accepted, ""},
		{"Kepala Dinas menugaskan saya untuk hadir.", Accepted, ""},
		{"Tidak ada yang bisa mewakili, saya tidak hadir.", Declined, ""},
		{"Belum pasti", Tentative, ""},
		{"Diusahakan hadir", Tentative, ""},
		{"Kalau sempat saya hadir", Tentative, ""},
		{"I will attend", Accepted, ""},
		{"Accept", Accepted, ""},
		{"I can't make it, sorry", Declined, ""},
		{"I can’t attend", Declined, ""},
		{"Decline", Declined, ""},
		{"Tentative", Tentative, ""},
		{"Sorry, I won't be able to attend.", Declined, ""},
		{"Unable to attend", Declined, ""},
		{"Izin tidak hadir pak", Declined, ""},
		{"Tidak masalah, saya hadir", Accepted, ""},
		{"Tidak hadir, diwakilkan.", Delegated, ""},
		{"Mohon maaf tidak bisa hadir. Akan diwakili Bapak Sekretaris.", Delegated, "Sekretaris"},
		{"Diwakilkan oleh Sdr. Budi Hartono.", Delegated, "Budi Hartono"},
		{"Hadir?", "", ""},
		{"Tidak, hadir", "", ""},
		{"Tidak. Hadir.", "", ""},
		{"Mohon maaf baru sempat membalas. Insya Allah hadir.", Accepted, ""},
		{"Ga bisa hadir, ada tugas ke provinsi", Declined, ""},
		{"Belum bisa memastikan hadir", Tentative, ""},
		{"Insya Allah diusahakan hadir", Tentative, ""},
		{"Yth. Bapak Sekretaris,\n\nDengan hormat, kami sampaikan bahwa Kasubag Keuangan berhalangan hadir karena dinas luar.", Declined, ""},
		{"Muhammad Rizky telah menolak undangan ini.", Declined, ""},
		{"Kasubid Sosial telah menerima undangan ini.", Accepted, ""},
		{"Terima kasih atas undangannya, saya hadir.", Accepted, ""},
		{"Terima kasih rapat tidak bisa saya hadiri", Declined, ""},
		{"Saya akan menghadiri rapat tersebut.", Accepted, ""},
		{"Jika tidak ada halangan, insya Allah hadir", Tentative, ""},
		{"Insya Allah hadir jika tidak ada halangan", Accepted, ""},
		{"Dengan hormat, bersama ini kami sampaikan bahwa Kepala Bidang Sosial akan hadir.", Accepted, ""},
		{"Mohon izin tidak dapat mengikuti rapat karena sakit.", Declined, ""},
		{"Sudah kami perbaiki mengikuti arahan Bapak.", "", ""},
		{"Saya ikut rapat besok.", Accepted, ""},
		{"Laporan terlampir. Peserta yang hadir 20 orang.", "", ""},
		{"SETUJU", "", ""},
		{"", "", ""},
	} {
		ps, who := RSVP(c.in)
		if ps != c.ps || who != c.who {
			t.Errorf("RSVP(%q) = %q, %q; want %q, %q", c.in, ps, who, c.ps, c.who)
		}
	}
}

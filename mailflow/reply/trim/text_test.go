package trim

import (
	"strings"
	"testing"
)

// textCases are realistic replies, one per client habit, with the new
// text the official wrote.
var textCases = []struct {
	name, in, want string
}{
	// class 2: a sentence right above an attribution is the reply
	{"gmail id tight pada prinsipnya", "Pada prinsipnya setuju.\nPada tanggal Sel, 21 Mei 2024 pukul 10.30 Sekretariat Dinsos PMD <\n" +
		"sekretariat@dinsospmd.bangkatengah.go.id> menulis:\n\n> Yth. Bapak Kepala Dinas,\n>\n> Mohon balas SETUJU atau TOLAK <alasan>.\n",
		"Pada prinsipnya setuju."},
	{"thunderbird tanggal tight", "Tanggal 27 saya bisa hadir.\nPada 22/05/24 10.00, Sekretariat Dinsos PMD menulis:\n> Yth. Bapak/Ibu,\n> Rapat Senin, 27 Mei 2024\n",
		"Tanggal 27 saya bisa hadir."},
	{"tanggal without full stop", "Tanggal 5 bisa\nPada Sen, 13 Mei 2024 08.00, Budi <budi@bangkatengahkab.go.id> menulis:\n> Rapat\n",
		"Tanggal 5 bisa"},
	{"only", "Only one thing: page 3 needs the 2023 figures.\nOn Mon, May 13, 2024 at 8:00 AM Budi <budi@example.id> wrote:\n> quoted\n",
		"Only one thing: page 3 needs the 2023 figures."},
	{"email word", "Email sudah saya baca, SETUJU\nOn Mon, May 13, 2024 at 8:00 AM Budi <budi@example.id> wrote:\n> quoted\n",
		"Email sudah saya baca, SETUJU"},
	{"atas word", "Atas perhatiannya terima kasih, SETUJU\nEl lun, 13 may 2024 a las 10:00, Ana escribió:\n> quoted\n",
		"Atas perhatiannya terima kasih, SETUJU"},
	{"dengan word wrapped attribution", "Dengan ini SETUJU\nPada tanggal Sen, 13 Mei 2024 pukul 08.00 mailflow <\nmailflow@dinsos.bangkatengahkab.go.id> menulis:\n\n> Mohon paraf\n",
		"Dengan ini SETUJU"},
	{"catatan line", "SETUJU\nCatatan: daftar isi agar diperbarui.\nPada tanggal Sen, 6 Mei 2024 pukul 09.15 Sekretariat <\nsekretariat@dinsospmd.bangkatengah.go.id> menulis:\n> Mohon paraf\n",
		"SETUJU\nCatatan: daftar isi agar diperbarui."},
	{"catatan with date and colon", "SETUJU\nCatatan: rapat 13/05/2024 pukul 10:00:\nOn Mon, 13 May 2024 at 08:00, Budi <b@x.id> wrote:\n> Mohon paraf\n",
		"SETUJU\nCatatan: rapat 13/05/2024 pukul 10:00:"},
	{"wrote word inside, address at the end, no quote marks", "Lorem\n\nOp 13-02-2014 3:18 schreef Julius Caesar <pantheon@rome.com>:\n\nVeniam laborum.\n",
		"Lorem"},
	{"a sentence with an address is not an attribution", "Pada 13/05 sudah saya kirim ke budi@x.id:\n\nlampiran 1\n",
		"Pada 13/05 sudah saya kirim ke budi@x.id:\n\nlampiran 1"},
	{"a sentence with a date above a name-only attribution", "Pada 13/05/2024 kami setuju, lanjutkan\nSekretariat Dinsos PMD <s@dinsospmd.go.id> menulis:\n> Mohon balas\n",
		"Pada 13/05/2024 kami setuju, lanjutkan"},
	// Gmail wraps its Indonesian attribution where the name is long; the
	// rest could stand alone ("Tengah <…> menulis:")
	{"gmail id wrapped before the address", "Setuju\n\nPada tanggal Sen, 10 Mar 2025 pukul 09.56 Sekretariat Dinsos PMD Bangka\n" +
		"Tengah <sekretariat@dinsospmd.bangkatengahkab.go.id> menulis:\n\n> Yth. Ibu Sekretaris Dinas\n> Mohon paraf\n",
		"Setuju"},
	{"gmail en wrapped before the address", "TOLAK angka 2024 salah\n\nOn Mon, Mar 10, 2025 at 9:56 AM Sekretariat Dinas Sosial Pemberdayaan\n" +
		"Masyarakat <sekretariat@dinsospmd.bangkatengahkab.go.id> wrote:\n\n> Mohon paraf\n",
		"TOLAK angka 2024 salah"},
	{"a dated sentence without the layout of a head stays", "Tanggal 13/05/2024 nanti Senin saya cek lagi jam 09:30 bersama tim perencanaan\n" +
		"Sekretariat Dinsos PMD <s@dinsospmd.go.id> menulis:\n> Mohon balas\n",
		"Tanggal 13/05/2024 nanti Senin saya cek lagi jam 09:30 bersama tim perencanaan"},
	{"gmail wrap stays an attribution", "SETUJU\n\nOn Mon, Aug 26, 2019 at 4:37 PM The Hiring Engine <\na-really-long-automated-email+1234556@humanresources.com> wrote:\n\n> history\n",
		"SETUJU"},
	{"three-line wrap", "Ok\n\nOn Nov 30, 2011, at 12:47 PM, Somebody <\n416ffd3258d4d2fa4c85cfa4c44e1721d66e3e8f4@somebody.domain.com>\nwrote:\n\n> history\n",
		"Ok"},

	// class 3: old-style and corporate quote headers
	{"lotus notes bare labels", "Setuju.\n\nSalam,\nSutrisno\n\nSekretariat Dinsos PMD <sekretariat@dinsospmd.bangkatengah.go.id>\n" +
		"05/06/2024 09:15 AM\n\nTo\nSutrisno/DINSOSPMD@DINSOSPMD\ncc\n\nSubject\n[SOP.017.SEKRE] Langkah 8: Mohon paraf draf LAKIP\n\n" +
		"Yth. Bapak/Ibu Sekretaris,\nMohon balas SETUJU atau TOLAK <alasan>.\n", "Setuju."},
	{"lotus notes please respond to", "TOLAK Bab III belum memuat capaian triwulan IV.\n\nSekretariat Dinsos PMD\n06.05.2024 09.15\nPlease respond to sekretariat@dinsospmd.bangkatengah.go.id\n\n" +
		"To\nBudi/DINSOSPMD\ncc\nSubject\nLangkah 8\n\nMohon balas SETUJU.\n", "TOLAK Bab III belum memuat capaian triwulan IV."},
	{"lotus forwarded by wrapped", "Setuju, silakan diteruskan ke Kepala Dinas.\n\n----- Forwarded by Dewi Anggraini/DINSOSPMD on 05/06/2024 09:40 AM\n-----\n\n" +
		"Sekretariat Dinsos PMD <sekretariat@dinsospmd.bangkatengah.go.id>\n05/06/2024 09:15 AM\nTo: Dewi Anggraini/DINSOSPMD\ncc:\nSubject: Langkah 8\n\n" +
		"Yth. Bapak/Ibu Sekretaris,\nMohon balas SETUJU.\n", "Setuju, silakan diteruskan ke Kepala Dinas."},
	{"lotus forward without comment", "----- Forwarded by Dewi Anggraini/DINSOSPMD on 05/06/2024 09:40 AM\n-----\n\n" +
		"Sekretariat Dinsos PMD <sekretariat@dinsospmd.bangkatengah.go.id>\n05/06/2024 09:15 AM\nTo: Dewi Anggraini/DINSOSPMD\ncc:\nSubject: Langkah 8\n\n" +
		"Yth. Bapak/Ibu Sekretaris,\nMohon balas SETUJU.\n", "Yth. Bapak/Ibu Sekretaris,\nMohon balas SETUJU."},
	{"name on date then To", "TOLAK anggaran belum sesuai DPA\n\nBudi Santoso/DINSOS/BANGKATENGAH@DINSOS on 05/06/2024 09:15:00 AM\n" +
		"To: Ani Wijaya/DINSOS@DINSOS\ncc:\nSubject: Re: Draf LAKIP\n\nMohon paraf. Balas SETUJU.\n", "TOLAK anggaran belum sesuai DPA"},
	{"outlook id header block", "SELESAI, draf terlampir.\n\n________________________________\nDari: Sekretariat Dinsos PMD <sekretariat@dinsospmd.bangkatengah.go.id>\n" +
		"Dikirim: Senin, 06 Mei 2024 09.15\nKepada: Rina Marlina <rina@dinsospmd.bangkatengah.go.id>\nPerihal: Langkah 7\n\nMohon balas SELESAI.\n",
		"SELESAI, draf terlampir."},
	{"outlook id header block without rule", "SETUJU\n\nDari: Sekretariat Dinsos PMD [mailto:sekretariat@dinsospmd.bangkatengah.go.id]\n" +
		"Dikirim: Senin, 06 Mei 2024 09.15\nKepada: Rina Marlina\nPerihal: Langkah 8\n\nMohon balas SETUJU atau TOLAK.\n", "SETUJU"},
	{"original message after a header-looking signature line", "SELESAI\nDraf terlampir.\n\nHendra Gunawan\nTel: 0718-41234\n-----Original Message-----\n" +
		"From: Sekretariat <sekretariat@x.id>\nSent: Friday, May 3, 2024 2:10 AM\nTo: Hendra\nSubject: Langkah 7\n\nMohon balas SELESAI.\n",
		"SELESAI\nDraf terlampir."},
	{"original message after a Subject line", "SETUJU\nSubject: Re: Langkah 8\n-----Original Message-----\nFrom: Sekretariat <sekretariat@x.id>\n" +
		"Sent: Friday, May 3, 2024 2:10 AM\nTo: Hendra\nSubject: Langkah 8\n\nMohon balas SETUJU.\n", "SETUJU"},
	{"zimbra pesan asli", "Tidak ada masalah, lanjut.\n\n----- Pesan Asli -----\nDari: \"Sekretariat Dinsos PMD\" <sekretariat@x.id>\nKepada: \"Lina\" <lina@x.id>\n" +
		"Terkirim: Senin, 6 Mei 2024 9:15:00\nPerihal: Langkah 8\n\n> Mohon balas SETUJU.\n", "Tidak ada masalah, lanjut."},
	{"a dashed line above a separator is not its wrap", "SETUJU\n--- 0\n-----Original Message-----\nFrom: Sekretariat <s@x.id>\n" +
		"Sent: Monday, May 13, 2024 8:00 AM\nTo: Budi\nSubject: Langkah 8\n\nMohon balas.\n", "SETUJU\n--- 0"},
	{"a date and a To line in the reply are text", "Rapat 13/05/2024 pukul 09.00 di aula.\nTo: semua kepala bidang\n\nSETUJU\n",
		"Rapat 13/05/2024 pukul 09.00 di aula.\nTo: semua kepala bidang\n\nSETUJU"},

	// class 4: signatures without "-- "
	{"name jabatan NIP block", "SETUJU\n\nDr. Hendra Gunawan, S.E., M.Si.\nKepala Subbagian Perencanaan dan Keuangan\n" +
		"Dinas Sosial, Pemberdayaan Masyarakat dan Desa\nNIP. 19780512 200501 1 003\n", "SETUJU"},
	{"unlabelled NIP glued under the text", "SETUJU, lanjutkan ke Kepala Dinas.\nHendra Gunawan\n19780512 200501 1 003\n", "SETUJU, lanjutkan ke Kepala Dinas."},
	{"name, phone, link and an Indonesian disclaimer", "TOLAK tabel 3 belum lengkap\n\nBudi Santoso\nKasubag Umum\nHP 0812-3456-7890\n" +
		"https://dinsos.bangkatengahkab.go.id\n\nInformasi dalam surel ini bersifat rahasia dan hanya ditujukan bagi penerima yang dimaksud. " +
		"Jika Anda bukan penerima yang dimaksud, mohon hapus surel ini.\n", "TOLAK tabel 3 belum lengkap"},
	{"sign-off then a name then a long disclaimer", "SETUJU\n\nTerima kasih,\nBudi\n\nPERHATIAN: Email ini beserta lampirannya bersifat rahasia dan hanya " +
		"ditujukan untuk penerima yang dimaksud. Apabila Anda bukan penerima yang dimaksud, Anda tidak diperkenankan menyebarluaskan isinya.\n", "SETUJU"},
	{"disclaimer right under the text", "SELESAI, laporan terlampir.\n\nThis email and any files transmitted with it are confidential and intended solely " +
		"for the use of the individual to whom they are addressed.\n", "SELESAI, laporan terlampir."},
	{"salam hangat", "SETUJU\n\nSalam hangat,\nBudi Santoso\nKepala Bidang Sosial\n", "SETUJU"},
	{"terima kasih banyak", "Setuju dengan catatan: tabel 2 diperbaiki.\n\nTerima kasih banyak,\nAni\n", "Setuju dengan catatan: tabel 2 diperbaiki."},
	{"all-caps name and NIP after salam", "SETUJU\nSalam,\nBUDI SANTOSO\nNIP 197805122005011003\n", "SETUJU"},
	{"dikirim dari", "SETUJU pak\n\nDikirim dari Yahoo Mail di Android\n", "SETUJU pak"},
	{"sent from my", "Approved.\n\nSent from my iPhone\n", "Approved."},
	{"a one-word reply stays", "Terima kasih\n", "Terima kasih"},
	{"a sign-off carrying content stays", "Terima kasih, SETUJU\n", "Terima kasih, SETUJU"},
	{"a link the official sends stays", "SELESAI\nhttps://drive.google.com/file/d/abc/view\n", "SELESAI\nhttps://drive.google.com/file/d/abc/view"},
	{"a link in its own paragraph stays", "SELESAI\n\nhttps://drive.google.com/file/d/abc/view\n", "SELESAI\n\nhttps://drive.google.com/file/d/abc/view"},
	{"a number in its own paragraph stays", "Mohon hubungi saya.\n\n0812-3456-7890\n", "Mohon hubungi saya.\n\n0812-3456-7890"},
	{"a short note about secrecy stays", "REVISI\n\nDokumen ini rahasia, hanya untuk penerima disposisi.\n", "REVISI\n\nDokumen ini rahasia, hanya untuk penerima disposisi."},
	{"a block under a greeting is the message", "Yth. Bapak Sekretaris,\n\nSetuju\nKepala Bidang Sosial\n", "Yth. Bapak Sekretaris,\n\nSetuju\nKepala Bidang Sosial"},
	{"a block that carries the command is not a signature", "Mohon maaf terlambat membalas.\n\nSetuju\nKepala Bidang Sosial\n",
		"Mohon maaf terlambat membalas.\n\nSetuju\nKepala Bidang Sosial"},
	{"lotus notes indonesian labels", "SETUJU\n\nSekretariat Dinsos PMD\n06/05/2024 09.15\nKepada: Budi/DINSOSPMD\nTembusan:\nPerihal: Langkah 8\n\nMohon balas.\n", "SETUJU"},
	{"a last line of text stays without the sender", "SETUJU\n\nLanjutkan\n", "SETUJU\n\nLanjutkan"},
}

// fromCases: with the sender's name, a last line that is only that name
// is the signature.
var fromCases = []struct{ name, from, in, want string }{
	{"zimbra first name", "Lina Hartati", "Tidak ada masalah, lanjut.\n\nLina\n\n----- Pesan Asli -----\nDari: \"Sekretariat\" <s@x.id>\n" +
		"Kepada: \"Lina Hartati\" <lina@x.id>\nTerkirim: Senin, 6 Mei 2024 9:15:00\nPerihal: Langkah 8\n\n> Mohon balas SETUJU.\n", "Tidak ada masalah, lanjut."},
	{"outlook full name", "Ahmad Fauzi", "Belum setuju. Mohon Bab II disesuaikan dengan Renstra 2021-2026.\n\nAhmad Fauzi\n \nDari: Sekretariat <s@x.id>\n" +
		"Dikirim: Rabu, 08 Mei 2024 13:40\nKepada: Ahmad Fauzi <kadis@x.id>\nPerihal: Langkah 11\n \nMohon balas SETUJU.\n",
		"Belum setuju. Mohon Bab II disesuaikan dengan Renstra 2021-2026."},
	{"address only", "rina.marlina@dinsospmd.bangkatengah.go.id", "SETUJU\n\nRina\n", "SETUJU"},
	{"another name stays", "Lina Hartati", "SETUJU, teruskan ke\n\nBudi\n", "SETUJU, teruskan ke\n\nBudi"},
	{"the only line stays", "Lina Hartati", "Lina\n", "Lina"},
}

func TestTextFrom(t *testing.T) {
	for _, c := range fromCases {
		if got := TextFrom(c.in, c.from); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestTextCases(t *testing.T) {
	for _, c := range textCases {
		if got := Text(c.in); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		// CRLF bodies read the same
		if got := Text(strings.ReplaceAll(c.in, "\n", "\r\n")); got != c.want {
			t.Errorf("%s (CRLF):\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

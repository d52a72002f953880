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
	{"gmail wrap stays an attribution", "SETUJU\n\nOn Mon, Aug 26, 2019 at 4:37 PM The Hiring Engine <\na-really-long-automated-email+1234556@humanresources.com> wrote:\n\n> history\n",
		"SETUJU"},
	{"three-line wrap", "Ok\n\nOn Nov 30, 2011, at 12:47 PM, Somebody <\n416ffd3258d4d2fa4c85cfa4c44e1721d66e3e8f4@somebody.domain.com>\nwrote:\n\n> history\n",
		"Ok"},
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

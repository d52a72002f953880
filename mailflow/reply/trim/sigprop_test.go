package trim_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
	"github.com/bangkatengah/mailflow/mailflow/reply/trim"
)

// replies are new texts with a command, as officials write them.
var replies = []string{
	"SETUJU",
	"SETUJU\nCatatan: daftar isi agar diperbarui.",
	"Setuju pak, lanjutkan ke Kepala Dinas.",
	"TOLAK anggaran belum sesuai DPA",
	"TOLAK\nAlasan: tabel 3 belum memuat realisasi triwulan IV.",
	"REVISI bab II disesuaikan dengan Renstra 2021-2026",
	"SELESAI, draf LAKIP terlampir.",
	"Yth. Bapak Sekretaris,\n\nSETUJU.",
	"Terima kasih, SETUJU",
	"Approved, thanks.",
	"Tidak setuju, data belum lengkap.",
	"Belum setuju. Mohon Bab II disesuaikan.",
}

var (
	signOffs  = []string{"Terima kasih,", "Terima kasih.", "Terimakasih", "Salam,", "Salam hormat,", "Salam hangat,", "Hormat kami,", "Hormat saya,", "Wassalam,", "Best,", "Best regards,", "Regards,", "Thanks.", "Thanks!", "Cheers,", "Makasih,"}
	honors    = []string{"", "", "Dr. ", "Ir. ", "H. ", "Hj. ", "Drs. "}
	firsts    = []string{"Budi", "Ahmad", "Rina", "Lina", "Hendra", "Dewi", "Sutrisno", "Teguh", "Siti", "Agus", "Wahyu"}
	lasts     = []string{"", "Santoso", "Fauzi", "Marlina", "Hartati", "Gunawan", "Anggraini", "Prasetyo", "Nurhayati"}
	degrees   = []string{"", "", ", S.E.", ", S.Sos.", ", S.Sos., M.Si.", ", S.T., M.T.", ", A.Md."}
	jabatans  = []string{"Kepala Dinas Sosial PMD", "Sekretaris Dinas", "Kepala Subbagian Perencanaan dan Keuangan", "Kasubag Umum dan Kepegawaian", "Kepala Bidang Pemberdayaan Masyarakat", "Analis Kebijakan Ahli Muda", "Pembina Tk. I (IV/b)", "Staf Bidang Sosial"}
	units     = []string{"Dinas Sosial, Pemberdayaan Masyarakat dan Desa", "Kabupaten Bangka Tengah", "Pemerintah Kabupaten Bangka Tengah", "Jl. Raya Koba No. 12, Koba", "Dinsos PMD Bangka Tengah"}
	phoneFmt  = []string{"HP %s", "Telp. %s", "WA: %s", "%s", "Mobile: %s", "Tel: %s"}
	phones    = []string{"0812-3456-7890", "+62 812 3456 7890", "(0718) 41234", "081234567890", "0813-6677-2100"}
	addrLines = []string{"https://dinsospmd.bangkatengahkab.go.id", "www.bangkatengahkab.go.id", "budi.santoso@bangkatengahkab.go.id", "E-mail: rina@dinsospmd.go.id"}
	disclaims = []string{
		"Informasi dalam surel ini bersifat rahasia dan hanya ditujukan bagi penerima yang dimaksud. Jika Anda bukan penerima yang dimaksud, mohon segera hapus surel ini dan beri tahu pengirim.",
		"PERHATIAN: Email ini beserta lampirannya bersifat rahasia dan hanya ditujukan untuk penerima yang dimaksud.\nApabila Anda bukan penerima yang dimaksud, Anda tidak diperkenankan menyebarluaskan, menyalin\natau menggunakan isinya, dan tidak diperkenankan menyetujui apa pun atas namanya.",
		"This email and any files transmitted with it are confidential and intended solely for the use of the individual or entity to whom they are addressed. If you are not the intended recipient, do not read, approve or forward it.",
		"DISCLAIMER: The information in this message is confidential and may be legally privileged.\nIt is intended solely for the addressee. Access to this message by anyone else is unauthorised.",
	}
	mobiles = []string{"Sent from my iPhone", "Dikirim dari Yahoo Mail di Android", "Dikirim dari ponsel Samsung Galaxy saya", "Get Outlook for Android", "Sent from Outlook for iOS", "Dikirim dari iPhone saya"}
)

func pick(r *rand.Rand, xs []string) string { return xs[r.Intn(len(xs))] }

// genNIP writes an 18-digit NIP, spaced or not, labelled or not.
func genNIP(r *rand.Rand) string {
	d := fmt.Sprintf("19%02d%02d%02d20%02d%02d1%03d", 60+r.Intn(40), 1+r.Intn(12), 1+r.Intn(28), r.Intn(24), 1+r.Intn(12), r.Intn(1000))
	if r.Intn(2) == 0 {
		d = d[:8] + " " + d[8:14] + " " + d[14:15] + " " + d[15:]
	}
	return pick(r, []string{"NIP. ", "NIP ", "NIP: ", ""}) + d
}

// genSignature builds a signature block: a sign-off, a name, jabatan and
// unit lines, an NIP, phones and links, a legal footer, a mobile footer,
// in some of their combinations.
func genSignature(r *rand.Rand) string {
	var paras []string
	var block []string
	if r.Intn(2) == 0 {
		block = append(block, pick(r, signOffs))
	}
	honor := pick(r, honors)
	name := honor + pick(r, firsts)
	l := pick(r, lasts)
	if l != "" {
		name += " " + l
	}
	name += pick(r, degrees)
	if r.Intn(5) == 0 && (l != "" || honor != "") {
		// a single word in capitals is read as text: it could be the
		// command ("SETUJU")
		name = strings.ToUpper(name)
	}
	block = append(block, name)
	rich := len(block) == 1 // without a sign-off the name needs more lines
	if rich || r.Intn(2) == 0 {
		block = append(block, pick(r, jabatans))
		if r.Intn(2) == 0 {
			block = append(block, pick(r, units))
		}
		switch r.Intn(3) {
		case 0:
			block = append(block, genNIP(r))
		case 1:
			block = append(block, fmt.Sprintf(pick(r, phoneFmt), pick(r, phones)))
		}
		if r.Intn(3) == 0 {
			block = append(block, pick(r, addrLines))
		}
	}
	paras = append(paras, strings.Join(block, "\n"))
	if r.Intn(3) == 0 {
		paras = append(paras, pick(r, disclaims))
	}
	if r.Intn(3) == 0 {
		paras = append(paras, pick(r, mobiles))
	}
	return strings.Join(paras, "\n\n")
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}

// TestPropSignatureNeverChangesCommand: appending any signature to a
// reply leaves its first line and the command read from it unchanged, and
// none of the signature's contact lines or footers reaches the text.
func TestPropSignatureNeverChangesCommand(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	quote := "\n\nPada tanggal Sen, 13 Mei 2024 pukul 08.00 Sekretariat <\nsekretariat@dinsospmd.bangkatengah.go.id> menulis:\n> Mohon balas SETUJU atau TOLAK <alasan>.\n"
	for n := 0; n < 20000; n++ {
		reply := pick(r, replies)
		sig := genSignature(r)
		sep := "\n\n"
		if r.Intn(4) == 0 && !strings.HasPrefix(sig, pick(r, signOffs)) {
			sep = "\n"
		}
		tail := ""
		if r.Intn(2) == 0 {
			tail = quote
		}
		plain := trim.Text(reply + tail)
		signed := trim.Text(reply + sep + sig + tail)
		if firstLine(signed) != firstLine(plain) {
			t.Fatalf("first line changed by the signature:\n%s\n--- got %q, want %q", reply+sep+sig, firstLine(signed), firstLine(plain))
		}
		want, _ := grammar.Parse(plain)
		if got, _ := grammar.Parse(signed); got != want {
			t.Fatalf("command changed by the signature: %q, want %q\n%s\n--- text\n%s", got, want, reply+sep+sig, signed)
		}
		if sep == "\n\n" && signed != plain {
			t.Fatalf("signature kept in the text:\n%s\n--- got\n%s\n--- want\n%s", reply+sep+sig, signed, plain)
		}
	}
}

// TestPropCommandNeverReadAsSignature: a command line that looks like a
// name (one capitalised word) above jabatan lines, after a greeting or a
// sentence, stays in the text and is still read.
func TestPropCommandNeverReadAsSignature(t *testing.T) {
	cmds := []string{"Setuju", "SETUJU", "Tolak", "Selesai", "Disetujui", "Revisi", "Approved", "Acc"}
	leads := []string{"Yth. Bapak Sekretaris,\n\n", "Mohon maaf terlambat membalas.\n\n", "Pak Budi,\n\n", "Dear Sir,\n\n"}
	r := rand.New(rand.NewSource(8))
	for n := 0; n < 2000; n++ {
		cmd := pick(r, cmds)
		body := cmd + "\n" + pick(r, jabatans)
		if r.Intn(2) == 0 {
			body += "\n" + pick(r, units)
		}
		in := pick(r, leads) + body
		want, _ := grammar.Parse(body)
		if want == grammar.None {
			continue
		}
		if got, _ := grammar.Parse(trim.Text(in)); got != want {
			t.Fatalf("command %q lost (%q, want %q):\n%s\n--- text\n%s", cmd, got, want, in, trim.Text(in))
		}
	}
}

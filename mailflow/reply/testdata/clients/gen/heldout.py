from build import *

D = DOM
U, V, Z = "u4fj6wb2nq7pzt3cxhka", "x2ev5ra7mg3tsqjw6nbk", "h5pd7wz2ky4uqcb3tfme"

syaf = P("Ir. Syafrudin Hasan, M.Si.", "syafrudin.hasan@" + D, short="Syafrudin Hasan")
syaf_y = P("Syafrudin Hasan", "syafrudinhasan64@yahoo.com")
syaf_g = P("Syafrudin Hasan", "syafrudin.hasan.bateng@gmail.com")
nov = P("Novita Sari, S.H., M.H.", "novita.sari@" + D, short="Novita Sari")
nov_g = P("Novita Sari", "novitasari.sh@gmail.com")
bamb = P("Bambang Irawan, S.T., M.T.", "bambang.irawan@bangkatengah.go.id", short="Bambang Irawan")
agus = P("Agustina Lestari, S.AP", "agustina.lestari@" + D, short="Agustina Lestari")
fadli = P("Fadli Rahman", "fadli.rahman92@gmail.com")
yuli = P("Yuliana Putri, A.Md.Kom", "yuliana.putri@" + D, short="Yuliana Putri")
teguh = P("Teguh Wibowo, S.Sos", "teguh.wibowo@" + D, short="Teguh Wibowo")
erwin = P("Erwin Saputra", "erwinsaputra@yahoo.co.id")
maria = P("Maria Ulfa", "mariaulfa.bateng@gmail.com")
dedi = P("Dedi Kurniawan, S.H.", "dedi.kurniawan@" + D, short="Dedi Kurniawan")

W = lambda m, d, h, mi, s=0: dt.datetime(2024, m, d, h, mi, s, tzinfo=WIB)
U4 = lambda who: Assignment(U, 4, who, W(5, 13, 8, 45), 1)
U7 = lambda who: Assignment(U, 7, who, W(5, 15, 10, 20), 1)
U8 = lambda who: Assignment(U, 8, who, W(5, 20, 9, 30), 1)
U11 = lambda who: Assignment(U, 11, who, W(5, 22, 14, 0), 2)
U13 = lambda who: Assignment(U, 13, who, W(5, 23, 9, 0), 1)
V8 = lambda who: Assignment(V, 8, who, W(6, 4, 8, 50), 3)
V11 = lambda who: Assignment(V, 11, who, W(6, 5, 13, 25), 1)
Z8 = lambda who: Assignment(Z, 8, who, W(7, 1, 10, 10), 1)

SIG_SYAF = """Ir. Syafrudin Hasan, M.Si.
Plt. Kepala Dinas Sosial, Pemberdayaan Masyarakat dan Desa
Kabupaten Bangka Tengah
NIP 196807211995031002
Telp. (0718) 41100"""
SIG_NOV = """Hormat saya,

Novita Sari, S.H., M.H.
Sekretaris Dinas
NIP. 19850314 200902 2 003
www.dinsospmd.bangkatengah.go.id"""
SIG_TEGUH = """Teguh Wibowo, S.Sos
Kasubag Perencanaan dan Keuangan
HP/WA 0821-7300-4512"""
SIG_BAMB = """Salam hormat,
Bambang Irawan, S.T., M.T.
Kepala Bidang Perlindungan dan Jaminan Sosial
NIP 197601182002121005"""
DISCL = """DISCLAIMER: Informasi dalam email ini hanya untuk penerima yang dituju
dan dapat berisi informasi yang bersifat rahasia. Jika Anda menerima email
ini karena kekeliruan, harap segera menghubungi pengirim dan menghapus
email ini. Pemerintah Kabupaten Bangka Tengah tidak bertanggung jawab atas
isi email yang bukan merupakan kebijakan resmi instansi."""

X = []


def add(*a, **k):
    c = Case(*a, **k)
    c.part = "heldout"
    X.append(c)


# --- approvals
add("gmail_setuju_pak_silakan", "gmail-web-id", "gmail_web", nov_g, U8(nov_g), W(5, 20, 10, 4, 51),
    "Setuju Pak, silakan dilanjutkan.", want=dict(command="approve", note="approval with an honorific and a courtesy"))
add("outlook_disetujui_sig_disclaimer", "outlook-desktop-id", "outlook", syaf, U11(syaf), W(5, 22, 15, 31, 2),
    "DISETUJUI", SIG_SYAF + "\n\n" + DISCL,
    want=dict(command="approve", text="DISETUJUI", note="signature block with Plt. title and NIP, then an Indonesian disclaimer"))
add("iphone_oke_setuju", "iphone-mail-id", "iphone", nov_g, U8(nov_g), W(5, 20, 12, 40, 9), "Oke, setuju",
    want=dict(command="approve", note="'Oke,' before the approval word"))
add("samsung_acc_terima_kasih", "samsung-email-id", "samsung", agus, V8(agus), W(6, 4, 9, 2, 0), "Acc, terima kasih.",
    want=dict(command="approve", note="Plh. Sekretaris approves from Samsung Email"))
add("yahoo_android_setuju_flattened", "yahoo-android-id", "yahoo_android", syaf_y, U11(syaf_y), W(5, 22, 19, 12, 30), "Setuju",
    want=dict(command="approve", note="Yahoo Android text/plain flattens the quote (with SETUJU atau TOLAK) into one line"))
add("iphone_approved_en", "iphone-mail-en", "iphone", syaf_g, V11(syaf_g), W(6, 5, 14, 2, 0), "Approved", lang="en",
    footer=["Sent from my iPhone"], want=dict(command="approve", note="English iOS: 'Sent from my iPhone' and 'On ... wrote:'"))
add("owa_sudah_diperiksa_setuju", "owa-id", "owa", agus, V8(agus), W(6, 4, 10, 15, 0), "Sudah saya periksa, setuju.",
    want=dict(command="approve", note="'Sudah' (a done word) leads, but the official approves"))
add("thunderbird_ok_disetujui", "thunderbird-id", "thunderbird", nov, V8(nov), W(6, 4, 11, 0, 0), "OK, disetujui.",
    want=dict(command="approve", note="plain-text Thunderbird, format=flowed"))
add("gmail_android_tdk_keberatan", "gmail-android-id", "gmail_android", syaf_g, U11(syaf_g), W(5, 22, 16, 20, 0), "Tdk keberatan",
    want=dict(command="approve", note="abbreviated 'tdk' before 'keberatan' is an approval, not a negation of it"))
add("zimbra_tidak_ada_koreksi", "zimbra-web-id", "zimbra", nov, Z8(nov), W(7, 1, 11, 5, 0), "Tidak ada koreksi, silakan diproses.",
    want=dict(command="approve", note="'tidak ada koreksi' approves"))

# --- approvals with notes
add("gmail_setuju_koma_dengan_catatan", "gmail-web-id", "gmail_web", nov_g, U8(nov_g), W(5, 20, 13, 3, 0),
    "SETUJU, dengan catatan: lampiran foto kegiatan agar diberi keterangan.",
    want=dict(command="approve", notes="lampiran foto kegiatan agar diberi keterangan.", note="'SETUJU, dengan catatan:'"))
add("outlook_setuju_numbered_notes", "outlook-desktop-id", "outlook", syaf, U11(syaf), W(5, 22, 16, 45, 0),
    "Setuju.\n\nCatatan:\n1. Analisis efisiensi sumber daya pada Bab III agar dipertajam.\n2. Lampirkan Rencana Aksi 2024.",
    SIG_SYAF, want=dict(command="approve", notes="1. Analisis efisiensi sumber daya pada Bab III agar dipertajam.\n2. Lampirkan Rencana Aksi 2024.",
                        text="Setuju.\n\nCatatan:\n1. Analisis efisiensi sumber daya pada Bab III agar dipertajam.\n2. Lampirkan Rencana Aksi 2024.",
                        note="numbered notes under 'Catatan:'; they end before the signature"))
add("gmail_android_catatan_tight", "gmail-android-id", "gmail_android", nov_g, V8(nov_g), W(6, 4, 9, 41, 0),
    "Acc.\nCatatan: mohon cek ulang penulisan nama kecamatan.", tight=True,
    want=dict(command="approve", notes="mohon cek ulang penulisan nama kecamatan.",
              note="Catatan line directly above 'Pada Sel, 4 Jun 2024 08:50, ... menulis:'"))

# --- rejections
add("outlook_tolak_koma", "outlook-desktop-id", "outlook", nov, U8(nov), W(5, 20, 11, 10, 0),
    "TOLAK, realisasi anggaran Program Perlindungan Sosial belum diisi.", SIG_NOV,
    want=dict(command="reject", notes="realisasi anggaran Program Perlindungan Sosial belum diisi.",
              text="TOLAK, realisasi anggaran Program Perlindungan Sosial belum diisi.", note="'TOLAK,' then the reason"))
add("gmail_tolak_titik", "gmail-web-id", "gmail_web", syaf_g, V11(syaf_g), W(6, 5, 15, 0, 0),
    "Tolak. Target IKU tahun 2025 harus mengacu ke Renstra perubahan.",
    want=dict(command="reject", notes="Target IKU tahun 2025 harus mengacu ke Renstra perubahan.", note="'Tolak.' then the reason"))
add("samsung_perbaiki_dulu", "samsung-email-id", "samsung", nov_g, Z8(nov_g), W(7, 1, 13, 20, 0),
    "Perbaiki dulu bagian analisis capaian, masih sama dengan tahun lalu.",
    want=dict(command="reject", note="PERBAIKI leads"))
add("yahoo_tidak_menyetujui", "yahoo-web-id", "yahoo_web", syaf_y, U11(syaf_y), W(5, 22, 18, 2, 0),
    "Saya tidak menyetujui draf ini karena data capaian belum diverifikasi.",
    want=dict(command="reject", note="'tidak menyetujui': negated derived form of setuju"))
add("gmail_android_ga_setuju", "gmail-android-id", "gmail_android", nov_g, U8(nov_g), W(5, 20, 14, 7, 0),
    "ga setuju, angkanya beda sama SIPD", want=dict(command="reject", note="informal 'ga'"))
add("samsung_gk_acc", "samsung-email-id", "samsung", syaf_g, V11(syaf_g), W(6, 5, 16, 40, 0), "Gk acc. Perbaiki Bab 3",
    want=dict(command="reject", note="informal 'gk' before acc"))
add("iphone_ngga_setuju_dulu", "iphone-mail-id", "iphone", nov_g, V8(nov_g), W(6, 4, 15, 55, 0),
    "ngga setuju dulu pak, tunggu data dari bidang Linjamsos",
    want=dict(command="reject", note="'ngga setuju dulu': a negation is never an approval"))
add("outlook_android_jangan_disetujui", "outlook-android-id", "outlook_android", syaf, Z8(syaf), W(7, 1, 12, 0, 0),
    "Enggak, jangan disetujui. Tunggu hasil reviu Inspektorat.",
    want=dict(command="reject", note="'jangan disetujui'"))
add("thunderbird_kagak_setuju", "thunderbird-id", "thunderbird", nov, Z8(nov), W(7, 1, 10, 59, 0),
    "Kagak setuju, tabelnya masih berantakan.", want=dict(command="reject", note="'kagak'"))
add("yahoo_android_ndak_setuju", "yahoo-android-id", "yahoo_android", syaf_y, V11(syaf_y), W(6, 5, 20, 15, 0),
    "Ndak setuju, sesuaikan dgn PK.", want=dict(command="reject", note="'ndak' (Javanese/Malay informal)"))
add("gmail_nda_acc", "gmail-web-id", "gmail_web", nov_g, Z8(nov_g), W(7, 1, 11, 30, 0), "nda acc, data PKH blm final",
    want=dict(command="reject", note="'nda acc' and 'blm'"))
add("outlook_belom_setuju", "outlook-desktop-id", "outlook", nov, Z8(nov), W(7, 1, 14, 5, 0),
    "Belom setuju, lampiran belum lengkap.", SIG_NOV,
    want=dict(command="reject", text="Belom setuju, lampiran belum lengkap.", note="'belom'"))
add("owa_bkn_blm_bisa_disetujui", "owa-id", "owa", syaf, V11(syaf), W(6, 5, 15, 45, 0), "Bkn begitu, ini blm bisa disetujui.",
    want=dict(command="reject", note="'bkn' and 'blm bisa disetujui'"))
add("gmail_android_jgn_acc", "gmail-android-id", "gmail_android", nov_g, U8(nov_g), W(5, 20, 16, 2, 0), "jgn di acc, data blm final",
    want=dict(command="reject", note="'jgn di acc'"))
add("yahoo_html_only_tidak_setuju", "yahoo-android-id", "yahoo_android", syaf_y, U11(syaf_y), W(5, 23, 7, 30, 0),
    "Tidak setuju, masih banyak data kosong.", html_only=True, want=dict(command="reject", note="HTML-only negated approval"))

# --- hedges
add("outlook_setuju_namun", "outlook-desktop-id", "outlook", nov, U8(nov), W(5, 20, 15, 20, 0),
    "Setuju, namun Bab IV perlu ditambah analisis efisiensi.", SIG_NOV,
    want=dict(command="unclear", text="Setuju, namun Bab IV perlu ditambah analisis efisiensi.", note="'namun'"))
add("gmail_setuju_kecuali", "gmail-web-id", "gmail_web", syaf_g, U11(syaf_g), W(5, 22, 17, 10, 0),
    "Saya setuju kecuali bagian target kinerja 2025.", want=dict(command="unclear", note="'kecuali'"))
add("iphone_jika_lampiran", "iphone-mail-id", "iphone", nov_g, Z8(nov_g), W(7, 1, 16, 8, 0),
    "Bisa disetujui jika lampiran PK sudah ditandatangani semua kepala bidang.", want=dict(command="unclear", note="'jika'"))
add("samsung_dengan_syarat", "samsung-email-id", "samsung", syaf_g, U11(syaf_g), W(5, 22, 20, 30, 0),
    "Setuju dengan syarat tabel realisasi diperbaiki.",
    want=dict(command="unclear", note="'dengan syarat' is a condition, unlike 'dengan catatan'"))
add("owa_bila_tidak_ada_perubahan", "owa-id", "owa", nov, V8(nov), W(6, 4, 13, 33, 0),
    "Bila tidak ada perubahan angka lagi, setuju.", want=dict(command="unclear", note="'bila' condition with 'tidak ada'"))
add("yahoo_setuju_question", "yahoo-web-id", "yahoo_web", syaf_y, Z8(syaf_y), W(7, 1, 19, 0, 0),
    "Setuju? Apa sudah dibahas dengan Inspektorat?", want=dict(command="unclear", note="a question"))
add("thunderbird_mungkin_besok", "thunderbird-id", "thunderbird", nov, U8(nov), W(5, 20, 16, 45, 0),
    "Sepertinya sudah oke, mungkin saya setujui besok pagi.", want=dict(command="unclear", note="'mungkin'; 'sudah oke' is no approval"))
add("gmail_android_acc_nanti", "gmail-android-id", "gmail_android", syaf_g, V11(syaf_g), W(6, 5, 18, 50, 0),
    "Acc nanti setelah saya kembali dari Pangkalpinang.", want=dict(command="unclear", note="'nanti'"))
add("outlook_ios_asal", "outlook-ios-id", "outlook_ios", nov, Z8(nov), W(7, 1, 15, 12, 0),
    "Setuju, asal lampiran foto dihapus dulu.", want=dict(command="unclear", note="'asal'"))

# --- done
add("outlook_selesai_disclaimer", "outlook-desktop-id", "outlook", teguh, U7(teguh), W(5, 17, 15, 30, 0),
    "Draf LAKIP Tahun 2024 sudah saya susun dan saya lampirkan, SELESAI.", SIG_TEGUH + "\n\n" + DISCL,
    attach=["Draf_LAKIP_Dinsos_PMD_2024.docx"],
    want=dict(command="done", text="Draf LAKIP Tahun 2024 sudah saya susun dan saya lampirkan, SELESAI.",
              note="SELESAI at the end of the sentence, then signature and disclaimer"))
add("zimbra_greeting_selesai", "zimbra-web-id", "zimbra", bamb, U4(bamb), W(5, 14, 10, 12, 0),
    "Yth. Sekretariat,\n\nBersama ini kami kirimkan data capaian kinerja Bidang Linjamsos. SELESAI.", SIG_BAMB,
    attach=["Capaian_Linjamsos_2024.xlsx"],
    want=dict(command="done", text="Yth. Sekretariat,\n\nBersama ini kami kirimkan data capaian kinerja Bidang Linjamsos. SELESAI.",
              note="SELESAI as its own sentence after a greeting"))
add("gmail_terlampir_selesai", "gmail-web-id", "gmail_web", fadli, U4(fadli), W(5, 14, 14, 40, 0),
    "Data Bidang PMD terlampir ya Bu.\nSelesai.", attach=["Data_Capaian_PMD_2024.xlsx"],
    want=dict(command="done", note="attachment with Gmail"))
add("samsung_sudah_dikirim", "samsung-email-id", "samsung", erwin, U4(erwin), W(5, 15, 7, 55, 0),
    "Sudah dikirim lewat email ini, filenya terlampir.", attach=["capaian_pemdes_2024.pdf"],
    want=dict(command="done", note="SUDAH leads"))
add("zimbra_maaf_terlambat_selesai", "zimbra-web-id", "zimbra", teguh, U7(teguh), W(5, 18, 9, 5, 0),
    "Mohon maaf terlambat. Draf LAKIP terlampir, SELESAI.", SIG_TEGUH, attach=["Draf_LAKIP_2024_rev.docx"],
    want=dict(command="done", text="Mohon maaf terlambat. Draf LAKIP terlampir, SELESAI.", note="the command is the last word"))

# --- the command not on line 1
add("outlook_aide_arahan", "outlook-desktop-id", "outlook", yuli, U11(syaf), W(5, 22, 15, 5, 0),
    "Izin menyampaikan arahan Bapak Plt. Kepala Dinas:\nDisetujui, silakan diunggah ke aplikasi SAKIP.",
    "Terima kasih,\nYuliana Putri\nPranata Komputer", qcc=None,
    want=dict(command="approve", text="Izin menyampaikan arahan Bapak Plt. Kepala Dinas:\nDisetujui, silakan diunggah ke aplikasi SAKIP.",
              note="aide: lead-in ending in ':' then the command"))
add("gmail_salam_pembuka", "gmail-web-id", "gmail_web", yuli, V11(yuli), W(6, 5, 14, 30, 0),
    "Assalamu'alaikum Wr. Wb.\n\nMenindaklanjuti arahan Bapak Plt. Kepala Dinas, draf LAKIP Tahun 2024 DISETUJUI.",
    "Wassalam,\nYuliana Putri",
    want=dict(command="approve", text="Assalamu'alaikum Wr. Wb.\n\nMenindaklanjuti arahan Bapak Plt. Kepala Dinas, draf LAKIP Tahun 2024 DISETUJUI.",
              note="religious greeting, command at the end of the first paragraph, 'Wassalam,' sign-off"))
add("owa_sudah_dibaca_nyatakan_setuju", "owa-id", "owa", nov, U8(nov), W(5, 20, 9, 58, 0),
    "Selamat pagi,\n\nDraf sudah saya baca dengan seksama dan saya nyatakan SETUJU.",
    want=dict(command="approve", note="'sudah' earlier in the sentence must not make it done"))

# --- a sentence of the official's right above the attribution
add("gmail_pada_intinya_tight", "gmail-web-id", "gmail_web", nov_g, V8(nov_g), W(6, 4, 10, 1, 0), "Pada intinya saya setuju.",
    tight=True, want=dict(command="approve", note="'Pada ...' sentence glued to the attribution"))
add("gmail_android_tanggal_tight", "gmail-android-id", "gmail_android", fadli, U13(fadli), W(5, 23, 10, 5, 0),
    "Tanggal 27 Mei saya ada dinas luar, tidak bisa hadir.", tight=True,
    want=dict(command="", partstat="DECLINED", note="'Tanggal ...' sentence glued to the attribution; a declining RSVP"))
add("thunderbird_dengan_ini_tight", "thunderbird-id", "thunderbird", nov, Z8(nov), W(7, 1, 10, 45, 0), "Dengan ini saya setujui.",
    tight=True, want=dict(command="approve", note="'Dengan ...' sentence glued to 'Pada ... menulis:'"))
add("gmail_atas_nama_tight", "gmail-web-id", "gmail_web", yuli, U11(yuli), W(5, 22, 14, 50, 0), "Atas nama pimpinan, SETUJU.",
    tight=True, want=dict(command="approve", note="'Atas ...' sentence glued to the attribution"))

# --- no command while the quote holds SETUJU / TOLAK
add("outlook_mohon_waktu", "outlook-desktop-id", "outlook", nov, V8(nov), W(6, 4, 16, 30, 0),
    "Mohon waktu, draf baru saya terima sore ini.", SIG_NOV,
    want=dict(command="", text="Mohon waktu, draf baru saya terima sore ini.", note="no command; quoted instruction words"))
add("yahoo_android_masih_dikumpulkan", "yahoo-android-id", "yahoo_android", erwin, U4(erwin), W(5, 14, 16, 0, 0),
    "Datanya masih kami kumpulkan bu, besok insya Allah kami kirim.", want=dict(command="", note="a status, not done"))
add("outlook_android_sudah_diterima", "outlook-android-id", "outlook_android", syaf, U11(syaf), W(5, 22, 14, 30, 0),
    "Email sudah saya terima, segera saya periksa.", want=dict(command="", note="'sudah ... terima' acknowledges; nothing is done"))

# --- HTML
add("outlook_html_only", "outlook-desktop-id", "outlook", syaf, V11(syaf), W(6, 5, 14, 10, 0), "Disetujui.", html_only=True,
    want=dict(command="approve", note="only text/html (Word HTML)"))
add("owa_text_only_in_html", "owa-id", "owa", nov, Z8(nov), W(7, 1, 13, 0, 0),
    "Setuju dengan catatan: Bab I ditambah struktur organisasi terbaru.", plain_new="",
    want=dict(command="approve", notes="Bab I ditambah struktur organisasi terbaru.",
              note="text/plain has only the quote; the new text is only in HTML"))

# --- old-style quote headers
add("lotus_colon_selesai", "lotus-notes-8", "lotus", dedi, U4(dedi), W(5, 14, 11, 20, 0),
    "Selesai, data capaian sudah kami unggah ke folder bersama.", "Salam,\nDedi", form="colon",
    want=dict(command="done", text="Selesai, data capaian sudah kami unggah ke folder bersama.",
              note="Lotus Notes 'Name / date / To: / cc: / Subject:'"))
add("lotus_on_date_tolak", "lotus-notes-8", "lotus", dedi, Z8(dedi), W(7, 1, 14, 40, 0),
    "TOLAK. Angka pada tabel 2.4 tidak sama dengan lampiran.", form="on",
    want=dict(command="reject", notes="Angka pada tabel 2.4 tidak sama dengan lampiran.", note="Lotus 'Name on DATE' + 'To:'"))
add("lotus_forwarded_by_disetujui", "lotus-notes-8", "lotus", syaf, U11(syaf), W(5, 22, 16, 0, 0), "Disetujui.",
    form="fwd", fwd_by="Yuliana Putri/DINSOSPMD", fwd_at=W(5, 22, 14, 20),
    want=dict(command="approve", note="wrapped '----- Forwarded by ... -----' under the answer"))
add("outlook_catatan_above_original_message", "outlook-desktop-en", "outlook", nov, V8(nov), W(6, 4, 14, 0, 0),
    "Setuju.\nCatatan: tanda tangan elektronik menyusul.", hdr="orig", tight=True,
    want=dict(command="approve", notes="tanda tangan elektronik menyusul.",
              note="a header-looking 'Catatan:' line directly above '-----Original Message-----'"))
add("outlook_pesan_asli_tolak", "outlook-desktop-id", "outlook", syaf, Z8(syaf), W(7, 1, 16, 30, 0),
    "Tolak, sesuaikan format dengan Permenpan RB 53/2014.", hdr="orig_id",
    want=dict(command="reject", notes="sesuaikan format dengan Permenpan RB 53/2014.", note="'-----Pesan Asli-----' block"))

# --- framing and threading
add("mbox_framed_iphone_setuju", "iphone-mail-id", "iphone", nov_g, Z8(nov_g), W(7, 1, 12, 12, 0), "Setuju", frame="mbox",
    want=dict(command="approve", note="mbox 'From ' separator first"))
add("leading_spaces_outlook_tolak", "outlook-desktop-id", "outlook", syaf, V11(syaf), W(6, 5, 16, 5, 0),
    "TOLAK data belum lengkap", frame="spaces",
    want=dict(command="reject", notes="data belum lengkap", note="first line of the message is spaces"))
add("samsung_ref_only", "samsung-email-id", "samsung", nov_g, U8(nov_g), W(5, 20, 17, 30, 0), "Setuju.", thread="ref",
    want=dict(command="approve", note="no threading headers; the Ref line is in the quote"))
add("gmail_android_new_mail_tag", "gmail-android-id", "gmail_android", syaf_g, U11(syaf_g), W(5, 22, 21, 0, 0),
    "Pak, draf LAKIP 2024 saya setujui.", thread="none", subject="[SOP.017.SEKRE] LAKIP 2024",
    want=dict(command="approve", note="new mail with the tag; command mid-sentence after 'Pak,'"))
add("yahoo_new_mail_no_tag", "yahoo-web-id", "yahoo_web", erwin, U4(erwin), W(5, 14, 9, 0, 0),
    "Tolong kirim ulang format isian LAKIP, file tidak bisa dibuka.", thread="none", subject="format LAKIP",
    footer=[], want=dict(kind="other", command="", note="new mail without tag or command: 'tolong' is not 'tolak'"))

# --- automatic replies
add("zimbra_vacation", "zimbra-vacation-id", "auto", bamb, U4(bamb), W(5, 13, 8, 45, 30),
    "Terima kasih. Saya sedang mengikuti Diklat PIM III di Jakarta sampai 31 Mei 2024.\n"
    "Untuk hal mendesak hubungi Sdr. Rahmat Hidayat (0819-2233-4455).", auto="zimbra_vacation",
    want=dict(kind="auto_reply", command="", text=None, note="Zimbra vacation"))
add("exchange_rules_agent_no_suppress", "exchange-rule-id", "auto", syaf, V11(syaf), W(6, 5, 13, 25, 10),
    "Terima kasih. Email ini dibalas otomatis: setiap dokumen yang memerlukan persetujuan\n"
    "akan diproses pada hari kerja berikutnya.", auto="rules_agent", suppress=False,
    want=dict(kind="auto_reply", command="", text=None, note="Mailbox Rules Agent only, no Auto-Submitted and no suppress header"))
add("exchange_ooo_en", "exchange-ooo-en", "auto", nov, U8(nov), W(5, 20, 9, 30, 20),
    "I am out of the office until 27 May 2024 with limited access to email.\nOK to contact my assistant, Yuliana Putri.",
    auto="exchange_ooo", lang="en", thread="irt",
    want=dict(kind="auto_reply", command="", text=None, note="English out-of-office containing 'OK'"))
add("gmail_vacation_disetujui_trap", "gmail-vacation-id", "auto", nov_g, Z8(nov_g), W(7, 1, 10, 10, 40),
    "Mohon maaf, saya sedang cuti melahirkan sampai Juli 2024. Dokumen yang perlu\n"
    "disetujui mohon diteruskan ke Plh. Sekretaris, Ibu Agustina Lestari.", auto="gmail_vacation",
    want=dict(kind="auto_reply", command="", text=None, note="vacation text containing 'disetujui'"))

# --- calendar replies
add("cal_outlook_ditolak", "outlook-desktop-id", "cal_outlook", fadli, U13(fadli), W(5, 23, 9, 40, 0), "", thread="none",
    want=dict(kind="calendar_reply", command="", partstat="DECLINED", text="", note="'Ditolak:' with an empty body"))
add("cal_outlook_accepted_en_comment", "outlook-desktop-en", "cal_outlook", bamb, U13(bamb), W(5, 23, 10, 2, 0),
    "Saya akan hadir tepat waktu.", thread="none", lang="en", comment="Saya akan hadir tepat waktu.",
    want=dict(kind="calendar_reply", command="", partstat="ACCEPTED", text="Saya akan hadir tepat waktu.",
              note="'Accepted:' with a typed comment"))
add("cal_apple_diterima", "ios-calendar-id", "cal_apple", syaf_g, U13(syaf_g), W(5, 23, 19, 30, 0), "", thread="none",
    want=dict(kind="calendar_reply", command="", partstat="ACCEPTED", text="", note="iOS 'Diterima:' text/calendar only"))
add("cal_google_tentatif", "google-calendar-id", "cal_google", maria, U13(maria), W(5, 23, 11, 11, 0), "",
    want=dict(kind="calendar_reply", command="", partstat="TENTATIVE", text=None, note="Google 'Tentatif:' with invite.ics"))
add("cal_outlook_tentative_en", "outlook-desktop-en", "cal_outlook", teguh, U13(teguh), W(5, 23, 13, 0, 0), "", thread="none",
    lang="en", want=dict(kind="calendar_reply", command="", partstat="TENTATIVE", text="", note="'Tentative:'"))

# --- text RSVPs
add("rsvp_insyaallah_saya_hadir", "iphone-mail-id", "iphone", maria, U13(maria), W(5, 23, 9, 30, 0), "InsyaAllah saya hadir.",
    want=dict(command="", partstat="ACCEPTED", note="'InsyaAllah' as one word"))
add("rsvp_siap_hadir", "outlook-desktop-id", "outlook", teguh, U13(teguh), W(5, 23, 9, 50, 0), "Siap hadir.", SIG_TEGUH,
    want=dict(command="", partstat="ACCEPTED", text="Siap hadir.", note="'Siap hadir'"))
add("rsvp_berhalangan_monev", "samsung-email-id", "samsung", erwin, U13(erwin), W(5, 23, 12, 45, 0),
    "Mohon maaf Bu, saya berhalangan karena ada monev dana desa ke Kecamatan Sungaiselan.",
    want=dict(command="", partstat="DECLINED", note="'berhalangan'"))
add("rsvp_berhalangan_diwakilkan", "gmail-web-id", "gmail_web", bamb, U13(bamb), W(5, 23, 14, 0, 0),
    "Saya berhalangan hadir. Diwakilkan oleh Sdr. Rahmat Hidayat, Kasi Jaminan Sosial.",
    want=dict(command="", partstat="DELEGATED", delegate="Rahmat Hidayat",
              note="cannot come but sends a delegate: DELEGATED; the title after the name is not part of it"))
add("rsvp_cant_attend_en", "owa-en", "owa", fadli, U13(fadli), W(5, 23, 15, 20, 0),
    "Sorry, I can't attend. I'm on a field visit to Koba.", lang="en",
    want=dict(command="", partstat="DECLINED", note="English decline, OWA with English header names"))
add("rsvp_tdk_bisa_hadir", "yahoo-android-id", "yahoo_android", erwin, U13(erwin), W(5, 23, 20, 5, 0), "Tdk bisa hadir pak",
    want=dict(command="", partstat="DECLINED", note="'tdk bisa hadir'"))
add("rsvp_diwakili_oleh_ibu", "outlook-ios-id", "outlook_ios", dedi, U13(dedi), W(5, 24, 7, 45, 0),
    "Akan diwakili oleh Ibu Nurul Hasanah.", want=dict(command="", partstat="DELEGATED", delegate="Nurul Hasanah",
                                                      note="'diwakili oleh Ibu ...'"))

# --- forwards and bounces
add("outlook_trs_tolong", "outlook-desktop-id", "fwd", syaf, U11(syaf), W(5, 22, 14, 45, 0),
    "Yuli, tolong dicetak dan disiapkan untuk rapat besok.", orig_to=syaf, fwd_to=yuli, thread="none",
    want=dict(kind="forward", command="", note="TRS: forward; 'tolong' is not 'tolak'"))
add("gmail_pesan_terusan", "gmail-web-id", "fwd", nov_g, V8(nov_g), W(6, 4, 9, 20, 0),
    "Pak Teguh, mohon dicek angka realisasinya sebelum diparaf.", fwd="gmail", banner="Pesan terusan",
    orig_to=nov_g, fwd_to=teguh, want=dict(kind="forward", command="", note="Gmail forward with an Indonesian banner"))
add("bounce_exchange_mailbox_full", "exchange-ndr-id", "bounce", P("Microsoft Outlook", "postmaster@" + D), U8(nov), W(5, 20, 9, 30, 40),
    "", rcpt="novita.sari@" + D, mta="exchange",
    want=dict(kind="bounce", command="", text=None, note="Exchange NDR in Indonesian"))

CASES = X

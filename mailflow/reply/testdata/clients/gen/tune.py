from build import *

D = DOM
T1, T2, T3 = "k7m2qp4xw5ntr3ahbd6e", "p3zr5tq2vw7xkmna4dbe", "c6yh2ks7qe3wpnmt5rxd"

rina = P("Rina Marlina, S.Sos., M.Si.", "rina.marlina@" + D, short="Rina Marlina")
rina_g = P("Rina Marlina", "rinamarlina.bateng@gmail.com")
fauzi = P("Drs. H. Ahmad Fauzi, M.M.", "ahmadfauzi.bateng@gmail.com", short="Ahmad Fauzi")
fauzi_w = P("Drs. H. Ahmad Fauzi, M.M.", "kadis@" + D, short="Ahmad Fauzi")
hendra = P("Hendra Gunawan, S.E.", "hendra.gunawan@" + D, short="Hendra Gunawan")
siti = P("Siti Nurhaliza, S.Kom.", "sitinurhaliza88@yahoo.co.id", short="Siti Nurhaliza")
yudi = P("Yudi Prasetyo, S.IP", "yudi.prasetyo@" + D, short="Yudi Prasetyo")
dewi = P("Dewi Anggraini, A.Md.", "dewi.anggraini@" + D, short="Dewi Anggraini")
rizky = P("Muhammad Rizky, S.STP", "m.rizky.stp@gmail.com", short="Muhammad Rizky")
sutrisno = P("Sutrisno, S.Sos", "sutrisno@" + D, short="Sutrisno")
lina = P("Lina Hartati, S.E.", "lina.hartati@bangkatengah.go.id", short="Lina Hartati")

W = lambda d, h, m, s=0: dt.datetime(2024, 5, d, h, m, s, tzinfo=WIB)
A8 = Assignment(T1, 8, rina, W(6, 9, 15), 3)
A8g = Assignment(T1, 8, rina_g, W(6, 9, 15), 3)
A11 = Assignment(T1, 11, fauzi, W(8, 13, 40), 1)
A11w = Assignment(T1, 11, fauzi_w, W(8, 13, 40), 1)
A4 = lambda who: Assignment(T1, 4, who, W(2, 8, 30), 1)
A7 = Assignment(T1, 7, hendra, W(3, 14, 10), 1)
A13 = lambda who: Assignment(T1, 13, who, W(22, 10, 0), 1)
B8 = Assignment(T2, 8, rina, W(20, 9, 5), 2)
B11 = Assignment(T2, 11, fauzi, W(21, 10, 30), 1)

SIG_RINA = """Rina Marlina, S.Sos., M.Si.
Sekretaris Dinas Sosial PMD Kab. Bangka Tengah
NIP 197805122003122004
HP 0812-7788-1290
https://dinsospmd.bangkatengah.go.id"""
SIG_YUDI = """Terima kasih,
Yudi Prasetyo, S.IP
Kepala Bidang Rehabilitasi Sosial
NIP. 19791230 200501 1 002"""
SIG_HENDRA = """Salam,
Hendra Gunawan, S.E.
Kasubag Perencanaan dan Keuangan
Dinas Sosial PMD Kabupaten Bangka Tengah
Telp. (0718) 41234 / WA 0813-6677-2100"""
DISCL = """PERHATIAN: Email ini beserta lampirannya bersifat rahasia dan hanya
ditujukan kepada penerima yang dituju. Apabila Anda bukan penerima yang
dimaksud, mohon segera memberitahu pengirim dan menghapus email ini.
Dilarang menyebarluaskan atau menyalin isi email ini tanpa izin."""

X = []


def add(*a, **k):
    c = Case(*a, **k)
    c.part = "tune"
    X.append(c)


# --- approvals, plain forms
add("gmail_web_setuju", "gmail-web-id", "gmail_web", rina_g, A8g, W(6, 10, 2, 11), "SETUJU",
    want=dict(command="approve", note="the baseline: one word on line 1, Gmail web quote with a wrapped attribution"))
add("gmail_android_ok_setuju_pak", "gmail-android-id", "gmail_android", fauzi, A11, W(8, 15, 12, 40), "Ok setuju pak",
    want=dict(command="approve", note="trailing honorific; Android attribution 'Pada Rab, 8 Mei 2024 13:40'"))
add("iphone_setuju_dot", "iphone-mail-id", "iphone", fauzi, A11, W(8, 16, 1, 5), "Setuju.",
    want=dict(command="approve", note="iPhone footer 'Dikirim dari iPhone saya', quoted attribution with BOM in the quote"))
add("samsung_acc", "samsung-email-id", "samsung", rina_g, A8g, W(6, 11, 30, 2), "ACC",
    want=dict(command="approve", note="Samsung '-------- Pesan asli --------' block, base64 parts"))
add("outlook_android_disetujui", "outlook-android-id", "outlook_android", fauzi_w, A11w, W(8, 14, 5, 33), "Disetujui",
    want=dict(command="approve", note="'Dapatkan Outlook untuk Android' footer then a header block"))
add("thunderbird_saya_setuju", "thunderbird-id", "thunderbird", rina, A8, W(6, 13, 44, 0), "Saya setuju.",
    want=dict(command="approve", note="format=flowed plain text only, Thunderbird 'Pada 06/05/24 09.15, ... menulis:'"))
add("yahoo_web_setuju_lanjutkan", "yahoo-web-id", "yahoo_web", siti, Assignment(T1, 8, siti, W(6, 9, 15), 3), W(6, 10, 20, 0),
    "Setuju, lanjutkan.", want=dict(command="approve", note="Yahoo web quotes with an indented attribution and no '>'"))

# --- approvals in idiom ("tidak" that does not negate)
add("outlook_tidak_keberatan", "outlook-desktop-id", "outlook", rina, A8, W(6, 14, 2, 0), "Tidak keberatan.", SIG_RINA,
    want=dict(command="approve", text="Tidak keberatan.",
              note="'tidak keberatan' is an approval; signature without '-- ' with NIP, phone, website"))
add("owa_tidak_ada_catatan", "owa-id", "owa", fauzi_w, A11w, W(8, 14, 40, 0), "Tidak ada catatan, silakan dilanjutkan.",
    want=dict(command="approve", note="'tidak ada catatan' approves; OWA header block with 'Subjek:'"))
add("zimbra_tidak_ada_masalah", "zimbra-web-id", "zimbra", lina, Assignment(T1, 8, lina, W(6, 9, 15), 3), W(6, 9, 58, 0),
    "Tidak ada masalah, lanjut.", "Lina", want=dict(command="approve", text="Tidak ada masalah, lanjut.",
                                                  note="Zimbra '----- Pesan Asli -----' and '> ' prefixed original"))

# --- approvals with notes
add("outlook_setuju_dengan_catatan", "outlook-desktop-id", "outlook", rina, A8, W(6, 15, 10, 0),
    "SETUJU dengan catatan: tabel 3.1 agar dilengkapi sumber datanya.", SIG_RINA,
    want=dict(command="approve", notes="tabel 3.1 agar dilengkapi sumber datanya.",
              text="SETUJU dengan catatan: tabel 3.1 agar dilengkapi sumber datanya.",
              note="approval with notes; notes stop before the signature"))
add("applemail_setuju_catatan_line", "apple-mail-macos-id", "applemail", rina, A8, W(6, 16, 22, 0),
    "Setuju.\nCatatan: mohon nomor halaman pada daftar isi diperbaiki.", "Salam,\nRina",
    want=dict(command="approve", notes="mohon nomor halaman pada daftar isi diperbaiki.",
              text="Setuju.\nCatatan: mohon nomor halaman pada daftar isi diperbaiki.",
              note="Catatan: line; sign-off 'Salam,' + name ends the text; format=flowed"))
add("gmail_catatan_above_attribution", "gmail-web-id", "gmail_web", rina_g, A8g, W(6, 10, 45, 0),
    "SETUJU\nCatatan: daftar isi agar diperbarui.", tight=True,
    want=dict(command="approve", notes="daftar isi agar diperbarui.",
              note="the Catatan line sits directly above 'Pada tanggal ... menulis:' with no blank line"))

# --- rejections
add("owa_tolak_reason", "owa-id", "owa", rina, A8, W(6, 11, 5, 0),
    "TOLAK Capaian IKU 2 pada Bab III belum sesuai dengan Perjanjian Kinerja 2024.",
    want=dict(command="reject", notes="Capaian IKU 2 pada Bab III belum sesuai dengan Perjanjian Kinerja 2024.",
              note="plain rejection with a reason"))
add("iphone_tidak_setuju_reason", "iphone-mail-id", "iphone", fauzi, B11, W(21, 12, 3, 0),
    "Tidak setuju, target kinerja 2025 belum diperbarui.",
    want=dict(command="reject", notes="target kinerja 2025 belum diperbarui.", note="negated approval with a reason"))
add("samsung_revisi_dulu", "samsung-email-id", "samsung", rina_g, Assignment(T2, 8, rina_g, W(20, 9, 5), 2), W(20, 11, 0, 0),
    "Revisi dulu ya, angka realisasi anggaran di Bab IV belum cocok dengan LRA.",
    want=dict(command="reject", note="REVISI with 'dulu'; a rejection, never an approval"))
add("gmail_android_tdk_setuju", "gmail-android-id", "gmail_android", rina_g, A8g, W(6, 12, 17, 0),
    "tdk setuju pak, data bidang PM blm masuk",
    want=dict(command="reject", note="abbreviated negation 'tdk' before setuju"))
add("whatsapp_style_gak_setuju", "gmail-android-id", "gmail_android", fauzi, A11, W(8, 19, 40, 0), "Gak setuju. Ulang lagi tabelnya",
    want=dict(command="reject", note="informal 'gak' negation"))
add("yahoo_android_blm_bisa_acc", "yahoo-android-id", "yahoo_android", siti, Assignment(T1, 8, siti, W(6, 9, 15), 3), W(6, 13, 9, 0),
    "blm bisa acc, masih ada salah ketik di bab 2",
    want=dict(command="reject", note="'blm bisa acc' is not an approval; Yahoo Android flattens the quote into one line"))
add("thunderbird_nggak_setuju", "thunderbird-id", "thunderbird", rina, B8, W(20, 10, 31, 0),
    "Nggak setuju kalau lampiran PK belum ditandatangani.",
    want=dict(command="reject", note="'nggak setuju' + reason; the 'kalau' must not make it an approval"))
add("outlook_belum_setuju", "outlook-desktop-id", "outlook", fauzi_w, A11w, W(8, 16, 12, 0),
    "Belum setuju. Mohon Bab II disesuaikan dengan Renstra 2021-2026.", "Ahmad Fauzi",
    want=dict(command="reject", text="Belum setuju. Mohon Bab II disesuaikan dengan Renstra 2021-2026.",
              note="belum setuju rejects; name-only signature"))

# --- hedges: unclear
add("gmail_setuju_tapi", "gmail-web-id", "gmail_web", rina_g, A8g, W(6, 10, 13, 0), "Setuju, tapi lampiran 2 belum ada.",
    want=dict(command="unclear", note="hedge 'tapi' after the approval word"))
add("outlook_asalkan", "outlook-desktop-id", "outlook", rina, B8, W(20, 13, 30, 0),
    "Pada dasarnya setuju asalkan data penerima PKH diperbarui terlebih dahulu.", SIG_RINA,
    want=dict(command="unclear", text="Pada dasarnya setuju asalkan data penerima PKH diperbarui terlebih dahulu.",
              note="conditional approval 'asalkan'"))
add("iphone_kalau_sudah_diperbaiki", "iphone-mail-id", "iphone", fauzi, A11, W(8, 17, 2, 0),
    "Kalau sudah diperbaiki sesuai catatan kemarin, saya setuju.",
    want=dict(command="unclear", note="approval conditional on 'kalau'"))
add("samsung_setuju_question", "samsung-email-id", "samsung", rina_g, A8g, W(6, 9, 40, 0), "Setuju? Bab III sudah dicek Pak Hendra?",
    want=dict(command="unclear", note="a question, not an approval"))
add("owa_nanti_saya_setujui", "owa-id", "owa", fauzi_w, A11w, W(8, 15, 0, 0), "Nanti saya setujui setelah rapat pimpinan.",
    want=dict(command="unclear", note="'nanti' defers the approval"))
add("yahoo_mungkin_bisa_acc", "yahoo-web-id", "yahoo_web", siti, Assignment(T2, 8, siti, W(20, 9, 5), 2), W(20, 9, 50, 0),
    "Mungkin bisa acc besok, saya baca dulu.", want=dict(command="unclear", note="'mungkin' + 'dulu' hedge"))

# --- done
add("outlook_selesai_end_of_sentence", "outlook-desktop-id", "outlook", yudi, A4(yudi), W(3, 10, 25, 0),
    "Yth. Ibu Sekretaris,\n\nData capaian kinerja Bidang Rehabilitasi Sosial sudah kami lengkapi, SELESAI.", SIG_YUDI,
    attach=["Capaian_IKU_Rehsos_2024.xlsx"],
    want=dict(command="done", text="Yth. Ibu Sekretaris,\n\nData capaian kinerja Bidang Rehabilitasi Sosial sudah kami lengkapi, SELESAI.",
              note="SELESAI at the end of a sentence after a greeting; attachment"))
add("outlook_original_message_selesai", "outlook-desktop-en", "outlook", hendra, A7, W(7, 15, 40, 0),
    "SELESAI\nDraf LAKIP 2024 versi 1 terlampir.", SIG_HENDRA, hdr="orig", attach=["Draf_LAKIP_2024_v1.docx"],
    want=dict(command="done", text="SELESAI\nDraf LAKIP 2024 versi 1 terlampir.",
              note="'-----Original Message-----' with English From/Sent/To/Subject"))
add("zimbra_terlampir", "zimbra-web-id", "zimbra", lina, A4(lina), W(3, 14, 2, 0), "Terlampir data Bidang Linjamsos.", "Terima kasih,\nLina Hartati",
    attach=["Data_Linjamsos_2024.xlsx"], zprefix=False,
    want=dict(command="done", note="TERLAMPIR; Zimbra with an unprefixed original"))

# --- the command not on line 1
add("gmail_mid_sentence_after_greeting", "gmail-web-id", "gmail_web", rina_g, A8g, W(6, 13, 20, 0),
    "Yth. Sekretariat,\n\nSetelah saya baca, draf LAKIP saya SETUJUI untuk diteruskan ke Bapak Kepala Dinas.",
    "Terima kasih,\nRina", want=dict(command="approve",
                                    text="Yth. Sekretariat,\n\nSetelah saya baca, draf LAKIP saya SETUJUI untuk diteruskan ke Bapak Kepala Dinas.",
                                    note="command mid-sentence after a greeting line"))
add("outlook_aide_lead_in", "outlook-desktop-id", "outlook", dewi, A11w, W(8, 14, 55, 0),
    "Mohon izin menyampaikan, atas arahan Bapak Kepala Dinas:\nSETUJU.",
    "Hormat kami,\nDewi Anggraini\nPengadministrasi Umum", cc="Drs. H. Ahmad Fauzi <kadis@%s>" % D,
    want=dict(command="approve", text="Mohon izin menyampaikan, atas arahan Bapak Kepala Dinas:\nSETUJU.",
              note="aide answers for the Kadis: lead-in ending in ':' then the command on line 2"))

# --- sentence right above the attribution
add("gmail_pada_prinsipnya_tight", "gmail-web-id", "gmail_web", fauzi, B11, W(21, 11, 2, 0), "Pada prinsipnya setuju.", tight=True,
    want=dict(command="approve", note="'Pada ...' sentence glued to 'Pada tanggal ... menulis:'; must survive"))
add("thunderbird_tanggal_tight", "thunderbird-id", "thunderbird", rina, A13(rina), W(22, 11, 15, 0), "Tanggal 27 saya bisa hadir.",
    tight=True, want=dict(command="", partstat="ACCEPTED", note="'Tanggal ...' sentence directly above the attribution"))

# --- traps: the quote says SETUJU / TOLAK
add("gmail_akan_dipelajari", "gmail-web-id", "gmail_web", rina_g, A8g, W(6, 9, 31, 0), "Baik, akan saya pelajari dulu.",
    want=dict(command="", note="no command; the quoted assignment contains SETUJU and TOLAK <alasan>"))
add("outlook_ios_terima_kasih", "outlook-ios-id", "outlook_ios", fauzi_w, A11w, W(8, 13, 55, 0), "Terima kasih, segera saya baca.",
    want=dict(command="", note="Outlook iOS footer; quote carries the instruction words"))

# --- HTML only and text only in HTML
add("yahoo_html_only", "yahoo-web-id", "yahoo_web", siti, Assignment(T1, 8, siti, W(6, 9, 15), 3), W(6, 11, 11, 0),
    "Setuju, terima kasih.", html_only=True, want=dict(command="approve", note="only a text/html part"))
add("owa_plain_part_empty", "owa-id", "owa", rina, A8, W(6, 12, 0, 0), "TOLAK Lampiran Perjanjian Kinerja belum ada.", plain_new="",
    want=dict(command="reject", notes="Lampiran Perjanjian Kinerja belum ada.",
              note="the text/plain alternative has only the quote; the new text is only in HTML"))

# --- old-style quote headers
add("lotus_stack_setuju", "lotus-notes-8", "lotus", sutrisno, Assignment(T1, 8, sutrisno, W(6, 9, 15), 3), W(6, 10, 50, 0),
    "Setuju.", "Salam,\nSutrisno", form="stack",
    want=dict(command="approve", text="Setuju.", note="Lotus Notes 'Name / MM/DD/YYYY / To / cc / Subject' stacked header"))
add("lotus_forwarded_by_wrapped", "lotus-notes-8", "lotus", rina, A8, W(6, 11, 40, 0),
    "Setuju, silakan diteruskan ke Kepala Dinas.", form="fwd", fwd_by="Dewi Anggraini/DINSOSPMD", fwd_at=W(6, 9, 40),
    want=dict(command="approve", note="'----- Forwarded by ... -----' wrapped over two lines under the reply"))

# --- framing
add("mbox_framed_tolak", "gmail-web-id", "gmail_web", rina_g, A8g, W(6, 14, 30, 0),
    "TOLAK lampiran PK belum ditandatangani", frame="mbox",
    want=dict(command="reject", notes="lampiran PK belum ditandatangani", note="mbox 'From ' line before the headers"))
add("leading_space_line_setuju", "thunderbird-id", "thunderbird", rina, B8, W(20, 9, 44, 0), "SETUJU", frame="spaces",
    want=dict(command="approve", note="the first line of the message is spaces"))

# --- threading variants
add("gmail_ref_only", "gmail-web-id", "gmail_web", fauzi, B11, W(21, 13, 0, 0), "Setuju", thread="ref",
    want=dict(command="approve", note="no In-Reply-To/References; only the Ref line in the quote"))
add("iphone_new_mail_no_quote", "iphone-mail-id", "iphone", fauzi, A11, W(8, 20, 10, 0), "SETUJU draf LAKIP 2024", thread="none",
    subject="[SOP.017.SEKRE] Persetujuan LAKIP 2024",
    want=dict(command="approve", note="new mail from a phone with the subject tag and a command: a reply"))

# --- automatic replies
add("exchange_ooo_trap_words", "exchange-ooo-id", "auto", rina, B8, W(20, 9, 5, 30),
    "Terima kasih atas email Anda.\n\nSaya sedang cuti tahunan sampai dengan Jumat, 24 Mei 2024. Dokumen yang\n"
    "memerlukan SETUJU atau paraf akan saya tindak lanjuti setelah kembali.\n\nSalam,\nRina Marlina",
    auto="exchange_ooo", thread="irt",
    want=dict(kind="auto_reply", command="", text=None, note="out-of-office that names SETUJU"))
add("exchange_rules_agent", "exchange-rule-id", "auto", fauzi_w, A11w, W(8, 13, 40, 20),
    "Email Bapak/Ibu telah kami terima dan akan segera diproses.\nUntuk persetujuan dokumen mohon menghubungi ajudan Kepala Dinas.",
    auto="rules_agent", thread="full",
    want=dict(kind="auto_reply", command="", text=None, note="Mailbox Rules Agent reply without Auto-Submitted"))
add("gmail_vacation", "gmail-vacation-id", "auto", rizky, Assignment(T1, 4, rizky, W(2, 8, 30), 1), W(2, 8, 30, 40),
    "Yth. Bapak/Ibu,\nSaya sedang dinas luar daerah s.d. 7 Mei 2024. Email akan saya balas setelah kembali.\nSalam, Rizky",
    auto="gmail_vacation", want=dict(kind="auto_reply", command="", text=None, note="Gmail vacation responder"))

# --- calendar replies
add("cal_outlook_diterima", "outlook-desktop-id", "cal_outlook", yudi, A13(yudi), W(22, 10, 31, 0), "", thread="none",
    want=dict(kind="calendar_reply", command="", partstat="ACCEPTED", text="", note="empty body; correlate by UID only"))
add("cal_outlook_tentatif", "outlook-desktop-id", "cal_outlook", hendra, A13(hendra), W(22, 11, 2, 0), "", thread="none",
    want=dict(kind="calendar_reply", command="", partstat="TENTATIVE", text="", note="'Tentatif:' subject"))
add("cal_google_ditolak", "google-calendar-id", "cal_google", rizky, A13(rizky), W(22, 12, 0, 0), "", thread="full",
    want=dict(kind="calendar_reply", command="", partstat="DECLINED", text=None,
              note="Google reply with invite.ics repeating the iTIP part"))
add("cal_apple_accepted_en", "ios-calendar-en", "cal_apple", fauzi, A13(fauzi), W(22, 19, 5, 0), "", thread="none", lang="en",
    want=dict(kind="calendar_reply", command="", partstat="ACCEPTED", text="", note="text/calendar as the only part, 'Accepted:'"))

# --- text RSVPs
add("rsvp_hadir", "gmail-android-id", "gmail_android", rizky, A13(rizky), W(22, 10, 12, 0), "Hadir",
    want=dict(command="", partstat="ACCEPTED", note="one word RSVP"))
add("rsvp_insya_allah_hadir", "samsung-email-id", "samsung", siti, A13(siti), W(22, 10, 40, 0), "Insya Allah hadir bu.",
    want=dict(command="", partstat="ACCEPTED", note="'Insya Allah hadir' accepts"))
add("rsvp_tidak_dapat_hadir", "outlook-desktop-id", "outlook", yudi, A13(yudi), W(22, 13, 15, 0),
    "Mohon maaf, saya tidak dapat hadir karena ada kegiatan Musrenbang di Kecamatan Koba.", SIG_YUDI,
    want=dict(command="", partstat="DECLINED",
              text="Mohon maaf, saya tidak dapat hadir karena ada kegiatan Musrenbang di Kecamatan Koba.",
              note="declines with a reason"))
add("rsvp_diwakilkan", "owa-id", "owa", hendra, A13(hendra), W(22, 14, 0, 0), "Diwakilkan oleh Sdr. Budi Hartono.",
    want=dict(command="", partstat="DELEGATED", delegate="Budi Hartono", note="delegated to a named staff member"))
add("rsvp_will_attend_en", "gmail-web-en", "gmail_web", rizky, A13(rizky), W(22, 15, 0, 0), "I will attend. Thank you.", lang="en",
    want=dict(command="", partstat="ACCEPTED", note="English RSVP, English Gmail attribution"))

# --- forwards and bounces
add("gmail_forward_to_staff", "gmail-web-id", "fwd", rizky, A4(rizky), W(2, 9, 0, 0),
    "Sdr. Andi, mohon disiapkan datanya. Kirim ke saya paling lambat Senin.", fwd="gmail",
    orig_to=rizky, fwd_to=P("Andi Saputra", "andisaputra.pmd@gmail.com"),
    want=dict(kind="forward", command="", note="a forward: the quoted instruction is not the sender's"))
add("bounce_postfix_user_unknown", "postfix-dsn", "bounce", P("Mail Delivery System", "MAILER-DAEMON@mail." + D),
    Assignment(T1, 4, rizky, W(2, 8, 30), 1), W(2, 8, 30, 5), "", rcpt="m.rizki.stp@gmail.com", mta="postfix",
    want=dict(kind="bounce", command="", text=None, note="Postfix DSN for our own assignment"))

CASES = list(X)

# Added after the held-out part was written; generated last so that the
# earlier fixtures stay byte-identical.
X = []
add("owa_tak_setuju", "owa-id", "owa", rina, B8, W(20, 10, 2, 0),
    "Tak setuju. Data kemiskinan ekstrem harus memakai P3KE terbaru.",
    want=dict(command="reject", note="'tak' negation"))
add("samsung_enggak_setuju", "samsung-email-id", "samsung", fauzi, B11, W(21, 16, 20, 0), "Enggak setuju pak, itu angka tahun lalu.",
    want=dict(command="reject", note="'enggak' negation"))
add("gmail_android_acc_dulu", "gmail-android-id", "gmail_android", fauzi, B11, W(21, 17, 5, 0), "Acc dulu, perbaikan menyusul.",
    want=dict(command="unclear", note="'dulu' makes the approval provisional"))
add("outlook_setuju_disclaimer", "outlook-desktop-id", "outlook", rina, B8, W(20, 14, 45, 0), "Setuju, silakan diteruskan ke Kepala Dinas.",
    "Hormat kami,\nRina Marlina\nSekretaris Dinas\n\n" + DISCL,
    want=dict(command="approve", text="Setuju, silakan diteruskan ke Kepala Dinas.",
              note="'Hormat kami,' sign-off, name, then an Indonesian confidentiality disclaimer"))
LATE = X

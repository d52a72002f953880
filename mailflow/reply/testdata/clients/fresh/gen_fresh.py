#!/usr/bin/env python3
"""Generate the FRESH held-out reply fixtures: python3 gen_fresh.py

A third, independent part next to tune/ and heldout/: new officials, new run
tokens, new wording, written without reading the reply reader's code or the
other parts' cases. It reuses only the client renderers in ../gen. Nobody
tunes on these; they measure how the reply reader generalises.
"""
import datetime as dt
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "gen"))
import lib  # noqa: E402
import build  # noqa: E402
from render import Case  # noqa: E402
from lib import P, Assignment, WIB, DOM  # noqa: E402

lib.rnd.seed(20261202)  # own seed: header values independent of gen.py's

# ------------------------------------------------------------------ people
HENDRA = P("Drs. Hendra Wijayakusuma, M.Si", "hendra.wijayakusuma@" + DOM, "Sekretaris Dinas Sosial PMD",
           "19700812 199503 1 004", "0812-7890-4412", short="Hendra Wijayakusuma")
HENDRA_G = P("Drs. Hendra Wijayakusuma, M.Si", "hendrawk70@gmail.com", short="Hendra Wijayakusuma")
RATNA = P("Ir. Ratna Sari Dewi, M.M.", "ratna.sdewi@" + DOM, "Kepala Dinas Sosial PMD", "19680321 199303 2 006",
          short="Ratna Sari Dewi")
RATNA_G = P("Ir. Ratna Sari Dewi, M.M.", "ratnasaridewi.bateng@gmail.com", short="Ratna Sari Dewi")
FAUZAN = P("Fauzan Hakim, S.E.", "fauzan.hakim@" + DOM, "Kasubbag Perencanaan dan Keuangan", "19850607 201001 1 019",
           short="Fauzan Hakim")
FAUZAN_Y = P("Fauzan Hakim, S.E.", "fauzan_hakim85@yahoo.co.id", short="Fauzan Hakim")
NURUL = P("Nurul Aini, S.Sos", "nurul.aini@" + DOM, "Kabid Pemberdayaan Masyarakat", "19790415 200501 2 011",
          short="Nurul Aini")
RUDI = P("Rudi Hartono Siregar, S.STP", "rudi.siregar@" + DOM, "Kabid Pemerintahan Desa", "19820930 200312 1 002",
         short="Rudi Hartono Siregar")
AGUS = P("Agus Salim Nasution", "agussalim.nst@gmail.com", "Kabid Rehabilitasi Sosial", "19750102 199903 1 008",
         short="Agus Salim Nasution")
DEWI = P("Dewi Kartika Sari, S.Psi", "dewi.kartika@" + DOM, "Kabid Perlindungan dan Jaminan Sosial",
         "19830811 200801 2 014", short="Dewi Kartika Sari")
MELI = P("Meliana Tjhin, S.Kom", "meliana.tjhin@gmail.com", "Kasubbag Umum dan Kepegawaian", short="Meliana Tjhin")
BAMBANG = P("Bambang Irawan, S.H.", "bambang.irawan@" + DOM, "Analis Kebijakan Ahli Muda", short="Bambang Irawan")
SRI = P("Sri Wahyuni Lubis", "sriwahyuni.lbs@yahoo.com", "Bendahara Pengeluaran", short="Sri Wahyuni Lubis")

DISCLAIMER = ["PERHATIAN: Email ini beserta lampirannya bersifat rahasia dan hanya ditujukan kepada",
              "penerima yang dimaksud. Apabila Anda bukan penerima yang dimaksud, mohon segera",
              "menghapus email ini dan memberitahukan kepada pengirim."]

# ------------------------------------------------------------------ assignments (new run tokens)
D = lambda day, h, m=0: dt.datetime(2024, 5, day, h, m, 0, tzinfo=WIB)
S8 = Assignment("R4TQ9", 8, HENDRA, D(20, 8, 5))
S8G = Assignment("R4TQ9", 8, HENDRA_G, D(20, 8, 5))
S8B = Assignment("W2MZ6", 8, HENDRA, D(22, 9, 40), rnd_no=2)
S11 = Assignment("R4TQ9", 11, RATNA, D(23, 10, 12))
S11G = Assignment("R4TQ9", 11, RATNA_G, D(23, 10, 12))
S4 = Assignment("R4TQ9", 4, None, D(13, 7, 30))
S7 = Assignment("R4TQ9", 7, FAUZAN, D(16, 13, 0))
S13 = Assignment("R4TQ9", 13, None, D(21, 14, 0))

CASES = []


def case(name, client, style, who, a, when, new, sig="", want=None, **kw):
    c = Case(name, client, style, who, a, when, new, sig, want, **kw)
    c.part = "fresh"
    CASES.append(c)


def sig_of(p, signoff=None, phone=False, url=False, nip=True):
    out = [signoff] if signoff else []
    out += [p.name, p.title or ""]
    if nip and p.nip:
        out.append("NIP. " + p.nip)
    if phone and p.phone:
        out.append("HP/WA: " + p.phone)
    if url:
        out.append("https://dinsospmd.bangkatengah.go.id")
    return "\n".join(l for l in out if l)


AP = lambda note, **w: dict(command="approve", note=note, **w)
RJ = lambda note, **w: dict(command="reject", note=note, **w)
DN = lambda note, **w: dict(command="done", note=note, **w)
UN = lambda note, **w: dict(command="unclear", note=note, **w)
NO = lambda note, **w: dict(command="", note=note, **w)

# ------------------------------------------------------------------ approvals
case("a01_gmail_tidak_keberatan", "gmail-web-id", "gmail_web", HENDRA_G, S8G, D(20, 9, 12),
     "Tidak keberatan, silakan diteruskan ke Ibu Kadis.", want=AP("idiom approval, no approval word"))
case("a02_outlook_sudah_paraf", "outlook-desktop-id", "outlook", HENDRA, S8, D(20, 10, 3),
     "Yth. Sekretariat,\n\nSudah saya paraf, silakan dilanjutkan.", sig_of(HENDRA, "Salam,"),
     want=AP("'sudah saya paraf' with greeting, sign-off + name/jabatan/NIP signature without '-- '"))
case("a03_iphone_setuju_catatan", "iphone-mail-id", "iphone", RATNA, S11, D(23, 11, 40),
     "Setuju.\nCatatan: mohon halaman pengesahan diberi tanggal 31 Mei 2024.",
     want=AP("approval with a Catatan line", notes="mohon halaman pengesahan diberi tanggal 31 Mei 2024."))
case("a04_owa_acc_unggah", "owa-id", "owa", RATNA, S11, D(23, 13, 5),
     "Acc, silakan diunggah ke aplikasi SAKIP.", want=AP("ACC plus an instruction"))
case("a05_samsung_ok_setuju_pak", "samsung-email-id", "samsung", HENDRA, S8, D(20, 12, 47),
     "Ok setuju pak", want=AP("short informal approval from a phone"))
case("a06_thunderbird_leadin_colon", "thunderbird-id", "thunderbird", HENDRA, S8, D(20, 15, 30),
     "Setelah saya baca draf tersebut bersama Kasubbag, keputusan saya:\nSETUJU", sig_of(HENDRA),
     want=AP("command on line 2 after a lead-in ending in ':'"))
case("a07_zimbra_setuju_end_of_sentence", "zimbra-web-id", "zimbra", RATNA, S11, D(23, 14, 20),
     "Draf sudah saya baca seluruhnya dan dengan ini saya nyatakan SETUJU.",
     want=AP("command at the end of a sentence"))
case("a08_gmail_android_tight_tidak_ada_koreksi", "gmail-android-id", "gmail_android", HENDRA_G, S8G, D(20, 16, 2),
     "Tidak ada koreksi dari saya, lanjutkan", tight=True,
     want=AP("idiom approval directly above the attribution, no blank line"))
case("a09_lotus_disetujui", "lotus-notes-8.5", "lotus", RATNA, S11, D(24, 8, 15),
     "Disetujui untuk diunggah.", "Ir. Ratna Sari Dewi, M.M.\nKepala Dinas Sosial PMD Kab. Bangka Tengah",
     want=AP("passive approval, Lotus stacked header"))
case("a10_yahoo_android_sdh_sy_paraf", "yahoo-android-id", "yahoo_android", FAUZAN_Y,
     Assignment("R4TQ9", 8, FAUZAN_Y, D(20, 8, 5)), D(20, 19, 33),
     "Draf sdh sy paraf ya, tks", want=AP("abbreviated 'sudah saya paraf'"))
case("a11_outlook_catatan_disclaimer", "outlook-desktop-id", "outlook", RATNA, S11, D(23, 15, 55),
     "Saya setujui.\n\nCatatan: sampul agar memakai logo Pemkab Bangka Tengah yang terbaru.",
     sig_of(RATNA, "Hormat saya,") + "\n\n" + "\n".join(DISCLAIMER),
     want=AP("approval, Catatan paragraph, signature and Indonesian disclaimer",
             notes="sampul agar memakai logo Pemkab Bangka Tengah yang terbaru."))
case("a12_outlook_ios_oke_acc", "outlook-ios-id", "outlook_ios", RATNA, S11, D(23, 18, 7),
     "Oke, ACC.", want=AP("mobile Outlook, two words"))
case("a13_gmail_setuju_long_sig", "gmail-web-id", "gmail_web", HENDRA_G, S8G, D(20, 11, 26),
     "SETUJU", sig_of(HENDRA, "Wassalam,", phone=True, url=True),
     want=AP("one word, long signature with phone and URL, no '-- '"))
case("a14_applemail_tidak_ada_masalah", "apple-mail-id", "applemail", RATNA, S11, D(23, 20, 14),
     "Yth. Tim,\nTidak ada masalah dengan draf ini. Silakan diproses.",
     want=AP("idiom approval under a greeting"))
case("a15_owa_greeting_setuju_teruskan", "owa-id", "owa", HENDRA, S8, D(21, 9, 1),
     "Selamat pagi,\n\nSetuju untuk diteruskan kepada Kepala Dinas.\n\nTerima kasih.",
     want=AP("greeting, approval sentence, thanks"))
case("a16_outlook_pesan_asli_menyetujui", "outlook-desktop-id", "outlook", RATNA, S11, D(24, 7, 50),
     "Dengan ini saya menyetujui draf LAKIP Tahun 2024 sebagaimana terlampir.", sig_of(RATNA),
     hdr="orig_id", want=AP("formal 'menyetujui', -----Pesan Asli----- block"))
case("a17_gmail_android_setuju_jempol", "gmail-android-id", "gmail_android", RATNA_G, S11G, D(23, 21, 3),
     "Setuju 👍", want=AP("approval with an emoji"))
case("a18_samsung_paraf_sudah", "samsung-email-id", "samsung", HENDRA, S8B, D(22, 11, 18),
     "Sudah saya paraf draf revisinya. Lanjut ke Kadis.", want=AP("second round, paraf after revision"))

# ------------------------------------------------------------------ rejections
case("r01_gmail_tolak_iku", "gmail-web-id", "gmail_web", HENDRA_G, S8G, D(20, 9, 55),
     "TOLAK, capaian IKU 2 pada Bab III belum sesuai dengan Renstra 2021-2026.",
     want=RJ("TOLAK with reason", notes="capaian IKU 2 pada Bab III belum sesuai dengan Renstra 2021-2026."))
case("r02_samsung_tdk_setuju_krn", "samsung-email-id", "samsung", HENDRA, S8, D(20, 13, 31),
     "tdk setuju krn data realisasi anggaran blm dimutakhirkan", want=RJ("informal negated approval with reason"))
case("r03_outlook_revisi_colon", "outlook-desktop-id", "outlook", RATNA, S11, D(23, 16, 44),
     "REVISI: lampiran pengukuran kinerja belum ditandatangani para Kabid.", sig_of(RATNA, "Salam,"),
     want=RJ("REVISI with colon", notes="lampiran pengukuran kinerja belum ditandatangani para Kabid."))
case("r04_iphone_belum_bisa_setujui", "iphone-mail-id", "iphone", RATNA, S11, D(23, 19, 2),
     "Belum bisa saya setujui, analisis efisiensi penggunaan sumber daya masih kosong.",
     want=RJ("'belum bisa saya setujui'"))
case("r05_thunderbird_tolak_dash", "thunderbird-id", "thunderbird", FAUZAN, S7, D(17, 8, 40),
     "TOLAK - data Bidang Rehabilitasi Sosial belum masuk, draf belum bisa disusun.", sig_of(FAUZAN),
     want=RJ("step 7 obstacle, TOLAK with a dash"))
case("r06_owa_mohon_diperbaiki", "owa-id", "owa", HENDRA, S8, D(20, 14, 9),
     "Mohon diperbaiki dulu penulisan nama dinas di sampul, masih memakai nomenklatur lama.",
     want=RJ("'mohon diperbaiki' request = reject"))
case("r07_zimbra_jangan_diacc", "zimbra-web-id", "zimbra", RATNA, S11, D(23, 17, 12),
     "Jangan di-acc dulu, tunggu hasil reviu Inspektorat minggu depan.", want=RJ("negated ACC"))
case("r08_yahoo_kurang_sependapat", "yahoo-web-id", "yahoo_web", FAUZAN_Y, Assignment("R4TQ9", 8, FAUZAN_Y, D(20, 8, 5)),
     D(20, 20, 41), "Saya kurang sependapat dengan target IKU 4. Mohon dikoreksi sebelum diparaf.",
     want=RJ("disagreement + 'mohon dikoreksi', 'diparaf' in a conditional clause"))
case("r09_gmail_leadin_tolak", "gmail-web-id", "gmail_web", HENDRA_G, S8G, D(21, 10, 30),
     "Setelah rapat dengan para Kabid tadi pagi, hasilnya:\nTOLAK, tabel 3.2 realisasi anggaran tidak sama dengan SP2D.",
     want=RJ("reject on line 2 after a lead-in ending in ':'"))
case("r10_lotus_ditolak_format", "lotus-notes-8.5", "lotus", RATNA, S11, D(24, 9, 5),
     "Ditolak. Format belum mengikuti Permenpan RB Nomor 53 Tahun 2014.", form="colon",
     want=RJ("passive reject with reason in the next sentence"))
case("r11_outlook_android_gak_setuju", "outlook-android-id", "outlook_android", RATNA, S11, D(23, 22, 10),
     "gak setuju, angka persentase desa mandiri salah hitung", want=RJ("'gak setuju' informal negation"))

# ------------------------------------------------------------------ done with attachment
case("d01_gmail_selesai_terlampir", "gmail-web-id", "gmail_web", NURUL, S4, D(14, 10, 15),
     "SELESAI, data capaian IKU Bidang PM terlampir.", sig_of(NURUL),
     attach=["Capaian_IKU_Bidang_PM_2024.xlsx"], want=DN("SELESAI + xlsx"))
case("d02_outlook_berikut_kami_sampaikan", "outlook-desktop-id", "outlook", RUDI, S4, D(14, 14, 2),
     "Yth. Sekretariat,\n\nBerikut kami sampaikan data capaian kinerja Bidang Pemdes Tahun 2024.\n\nSELESAI",
     sig_of(RUDI, "Terima kasih,", phone=True), attach=["Data_Capaian_Pemdes_2024.xlsx", "Realisasi_Anggaran_Pemdes.pdf"],
     want=DN("SELESAI as the last line, two attachments"))
case("d03_samsung_selesai_pak", "samsung-email-id", "samsung", FAUZAN, S7, D(17, 16, 20),
     "Selesai pak, draf LAKIP terlampir", attach=["Draf_LAKIP_2024_v1.docx"], want=DN("phone, 'Selesai pak'"))
case("d04_thunderbird_sudah_kami_kirim", "thunderbird-id", "thunderbird", AGUS, S4, D(15, 9, 48),
     "Sudah kami kirim datanya, terlampir.", sig_of(AGUS), attach=["IKU_Rehsos_2024.xlsx"],
     want=DN("done without SELESAI"))
case("d05_iphone_selesai", "iphone-mail-id", "iphone", DEWI, S4, D(15, 17, 1),
     "selesai", attach=["Capaian_Linjamsos_2024.pdf"], want=DN("one lower-case word + pdf"))
case("d06_zimbra_rampung_selesai", "zimbra-web-id", "zimbra", FAUZAN, S7, D(18, 11, 11),
     "Draf LAKIP 2024 sudah rampung, terlampir versi Word. SELESAI.", attach=["Draf_LAKIP_2024.docx"],
     want=DN("SELESAI at the end of the paragraph"))
case("d07_owa_terlampir_selesai", "owa-id", "owa", DEWI, S4, D(15, 13, 26),
     "Terlampir data capaian Bidang Linjamsos. Selesai.", sig_of(DEWI), attach=["Linjamsos_IKU_2024.xlsx"],
     want=DN("attachment sentence then 'Selesai.'"))

# ------------------------------------------------------------------ unclear (approval + hedge)
case("u01_gmail_setuju_tapi", "gmail-web-id", "gmail_web", HENDRA_G, S8G, D(20, 10, 40),
     "Setuju, tapi tabel 3 mohon dicek lagi angkanya.", want=UN("approval + tapi"))
case("u02_outlook_namun", "outlook-desktop-id", "outlook", RATNA, S11, D(23, 12, 30),
     "Pada dasarnya saya setuju, namun Bab IV perlu ditambah rencana tindak lanjut.", sig_of(RATNA),
     want=UN("approval + namun"))
case("u03_iphone_kecuali", "iphone-mail-id", "iphone", RATNA, S11, D(23, 12, 58),
     "Setuju kecuali lampiran 2, itu diganti dulu.", want=UN("approval + kecuali"))
case("u04_samsung_asalkan", "samsung-email-id", "samsung", HENDRA, S8, D(20, 17, 5),
     "Acc asalkan angka capaian sudah dicocokkan dgn e-Monev.", want=UN("ACC + asalkan"))
case("u05_owa_kalau_sudah_paraf", "owa-id", "owa", RATNA, S11, D(23, 9, 50),
     "Kalau Pak Sekretaris sudah paraf, saya setuju.", want=UN("conditional approval, condition first"))
case("u06_gmail_android_nanti_paraf", "gmail-android-id", "gmail_android", HENDRA_G, S8G, D(20, 13, 2),
     "Nanti saya paraf, masih di luar kantor.", want=UN("future paraf, no decision yet"))
case("u07_yahoo_setuju_dulu", "yahoo-web-id", "yahoo_web", FAUZAN_Y, Assignment("R4TQ9", 8, FAUZAN_Y, D(20, 8, 5)),
     D(20, 21, 15), "Setuju dulu deh, nanti kalau ada koreksi saya kabari.", want=UN("provisional approval"))
case("u08_outlook_ios_mungkin", "outlook-ios-id", "outlook_ios", RATNA, S11, D(23, 11, 2),
     "Mungkin setuju, saya cek lagi sore ini.", want=UN("approval + mungkin"))
case("u09_thunderbird_question", "thunderbird-id", "thunderbird", HENDRA, S8, D(20, 14, 44),
     "Ini sudah versi final kan? Kalau sudah, setuju.", want=UN("question then conditional approval"))
case("u10_gmail_ga_ada_masalah_cm", "gmail-web-id", "gmail_web", HENDRA_G, S8G, D(20, 18, 25),
     "ga ada masalah sih, cm lampiran foto kegiatan blm ada", want=UN("idiom approval + 'cm ... blm ada'"))
case("u11_zimbra_secara_umum_ok", "zimbra-web-id", "zimbra", HENDRA, S8, D(20, 16, 38),
     "Secara umum OK, hanya saja target IKU 3 kok turun dari tahun lalu?", want=UN("OK + question"))
case("u12_outlook_dengan_syarat", "outlook-desktop-id", "outlook", RATNA, S11, D(23, 15, 10),
     "Setuju, dengan syarat data Bidang Rehsos dilengkapi sebelum diunggah.", sig_of(RATNA, "Salam,"),
     want=UN("approval + dengan syarat"))
case("u13_lotus_bila", "lotus-notes-8.5", "lotus", RATNA, S11, D(24, 10, 40),
     "Saya setuju bila Kasubbag Keuangan sudah memverifikasi angka realisasi.", form="on",
     want=UN("approval + bila"))
case("u14_samsung_setuju_blm_baca", "samsung-email-id", "samsung", RATNA, S11, D(23, 20, 50),
     "Oke setuju, tp sy blm sempat baca bab 2", want=UN("approval + tp + not read yet"))
case("u15_owa_tight_paraf_menyusul", "owa-id", "owa", HENDRA, S8, D(20, 15, 2),
     "Paraf menyusul ya, masih rapat di Bappeda", tight=True,
     want=UN("paraf deferred ('menyusul'), directly above the separator"))
case("u16_applemail_acc_question", "apple-mail-id", "applemail", RATNA, S11, D(23, 16, 5),
     "Sudah bisa di-acc ini?", want=UN("question whether it can be approved"))

# ------------------------------------------------------------------ no command (traps: quote says SETUJU atau TOLAK)
case("n01_gmail_akan_dipelajari", "gmail-web-id", "gmail_web", HENDRA_G, S8G, D(20, 8, 47),
     "Terima kasih, draf sudah saya terima. Akan saya pelajari dulu.", want=NO("acknowledgement only"))
case("n02_outlook_lampiran_rusak", "outlook-desktop-id", "outlook", HENDRA, S8, D(20, 9, 20),
     "Mohon maaf, lampirannya tidak bisa dibuka. Bisa dikirim ulang dalam format PDF?", sig_of(HENDRA),
     want=NO("asks for the file again"))
case("n03_iphone_baik", "iphone-mail-id", "iphone", RATNA, S11, D(23, 10, 30),
     "Baik, sy baca dulu.", want=NO("'Baik' acknowledgement"))
case("n04_lotus_sedang_cuti_manual", "lotus-notes-8.5", "lotus", HENDRA, S8, D(20, 10, 10),
     "Saya sedang cuti sampai 3 Juni, mohon koordinasi dengan Ibu Kasubbag Umum.", want=NO("typed by hand, not auto-reply"))
case("n05_zimbra_sudah_diparaf_belum", "zimbra-web-id", "zimbra", RATNA, S11, D(23, 10, 50),
     "Draf ini sudah diparaf Sekretaris belum?", want=NO("question about someone else's paraf"))

# ------------------------------------------------------------------ text RSVPs to the Rapat Tim invitation
RS = lambda ps, note, **w: dict(command="", partstat=ps, note=note, **w)
case("v01_gmail_hadir", "gmail-web-id", "gmail_web", MELI, S13, D(21, 15, 3), "Hadir.", want=RS("ACCEPTED", "one word"))
case("v02_outlook_insya_allah_hadir", "outlook-desktop-id", "outlook", BAMBANG, S13, D(21, 16, 20),
     "Yth. Panitia,\n\nInsya Allah saya hadir.", sig_of(BAMBANG, "Terima kasih,"), want=RS("ACCEPTED", "'Insya Allah saya hadir'"))
case("v03_iphone_tidak_dapat_hadir", "iphone-mail-id", "iphone", AGUS, S13, D(21, 17, 45),
     "Mohon maaf, tidak dapat hadir karena ada kunjungan lapangan ke Desa Namang.",
     want=RS("DECLINED", "decline with reason"))
case("v04_owa_diwakilkan", "owa-id", "owa", NURUL, S13, D(22, 8, 12),
     "Saya berhalangan hadir, diwakilkan oleh staf kami Sdr. Yohanes Liem.", sig_of(NURUL),
     want=RS("DELEGATED", "delegate named", delegate="Yohanes Liem"))
case("v05_samsung_siap_hadir", "samsung-email-id", "samsung", RUDI, S13, D(21, 19, 2), "Siap hadir pak",
     want=RS("ACCEPTED", "'Siap hadir'"))
case("v06_zimbra_tidak_bisa_hadir", "zimbra-web-id", "zimbra", DEWI, S13, D(22, 10, 33),
     "Tidak bisa hadir, bentrok dengan rapat di Kantor Bupati.", want=RS("DECLINED", "informal decline"))
case("v07_yahoo_android_hadir_terima_kasih", "yahoo-android-id", "yahoo_android", SRI, S13, D(21, 20, 5),
     "Hadir, terima kasih undangannya.", want=RS("ACCEPTED", "accept + thanks"))
case("v08_thunderbird_diwakili", "thunderbird-id", "thunderbird", FAUZAN, S13, D(22, 7, 55),
     "Kehadiran saya diwakili oleh Muhammad Iqbal Ramadhan, staf Subbag Perencanaan.",
     want=RS("DELEGATED", "'diwakili oleh' + name + role", delegate="Muhammad Iqbal Ramadhan"))
case("v09_outlook_android_belum_pasti", "outlook-android-id", "outlook_android", AGUS, S13, D(22, 9, 14),
     "Belum pasti bisa hadir, masih menunggu jadwal dari Ibu Kadis.", want=RS("TENTATIVE", "tentative"))

# ------------------------------------------------------------------ second batch (appended: keeps earlier header values)
case("a19_thunderbird_bottom_post", "thunderbird-id", "thunderbird", HENDRA, S8B, D(22, 13, 0),
     "SETUJU", sig_of(HENDRA), bottom=True, want=AP("answer under the quote (bottom-posting)"))
case("a20_gmail_leadin_menanggapi", "gmail-web-id", "gmail_web", RATNA_G, S11G, D(24, 8, 2),
     "Menanggapi email di bawah:\nsetuju, silakan dilanjutkan.", want=AP("lead-in ending in ':' then lower-case approval"))
case("a21_outlook_catatan_list", "outlook-desktop-id", "outlook", HENDRA, S8B, D(22, 14, 30),
     "SETUJU\n\nCatatan:\n1. Perbaiki salah ketik di halaman 12.\n2. Daftar tabel disesuaikan dengan isi.",
     sig_of(HENDRA, "Salam,"),
     want=AP("approval with a numbered Catatan block",
             notes="1. Perbaiki salah ketik di halaman 12.\n2. Daftar tabel disesuaikan dengan isi."))
case("a22_zimbra_paraf_srikandi", "zimbra-web-id", "zimbra", HENDRA, S8B, D(22, 15, 45),
     "Setuju dan sudah saya paraf secara elektronik di SRIKANDI.", want=AP("approval + e-paraf mention"))
case("r12_owa_tidak_dapat_menyetujui", "owa-id", "owa", RATNA, S11, D(24, 11, 20),
     "Saya tidak dapat menyetujui draf ini sebelum Bab II direvisi.", sig_of(RATNA),
     want=RJ("formal negated approval with a 'sebelum' condition"))
case("r13_lotus_saya_tolak_karena", "lotus-notes-8.5", "lotus", HENDRA, S8, D(21, 8, 25),
     "Untuk draf ini saya TOLAK karena belum ada tanda tangan para Kabid.", form="stack",
     want=RJ("TOLAK in mid-sentence with 'karena'"))
case("u17_outlook_sepanjang", "outlook-desktop-id", "outlook", RATNA, S11, D(24, 13, 40),
     "ACC, sepanjang sudah dikonsultasikan dengan Inspektorat.", sig_of(RATNA),
     want=UN("ACC + 'sepanjang' (as long as)"))
case("u18_gmail_android_menunggu", "gmail-android-id", "gmail_android", RATNA_G, S11G, D(24, 6, 55),
     "Secara prinsip setuju, menunggu masukan Pak Sekdis dulu.", want=UN("approval in principle, waiting for input"))
case("u19_samsung_cuma", "samsung-email-id", "samsung", HENDRA, S8B, D(22, 16, 12),
     "Setuju, cuma bab 2 perlu dicek ulang.", want=UN("approval + 'cuma' (only/but)"))
case("v10_gmail_izin_tidak_hadir", "gmail-web-id", "gmail_web", MELI, S13, D(22, 11, 0),
     "Mohon izin tidak hadir, sedang dinas luar ke Pangkalpinang.", want=RS("DECLINED", "'mohon izin tidak hadir'"))
case("v11_iphone_yang_hadir_mewakili", "iphone-mail-id", "iphone", AGUS, S13, D(22, 12, 40),
     "Yang hadir mewakili Bidang Rehsos: Sdri. Putri Anggraini.",
     want=RS("DELEGATED", "delegate after a colon", delegate="Putri Anggraini"))
case("v12_outlook_usahakan_hadir", "outlook-desktop-id", "outlook", BAMBANG, S13, D(22, 13, 15),
     "Saya usahakan hadir ya.", sig_of(BAMBANG), want=RS("TENTATIVE", "'usahakan hadir' = will try"))

if __name__ == "__main__":
    # S4/S13 go to many people: the renderer reads only a.frm/subject/lines, who is the replier.
    build.write(CASES, os.path.dirname(HERE))
    print(len(CASES), "fixtures")

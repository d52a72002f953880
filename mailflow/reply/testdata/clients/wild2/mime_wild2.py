"""wild2: the mail being answered, people, dates and MIME encoders.

Written from the templates and render goldens only (see README.md)."""
import base64
import quopri
import random

DOMAIN = "dinsospmd.bangkatengahkab.go.id"
OFFICE = "sekretariat@" + DOMAIN
OFFICE_NAME = "Sekretariat Dinsos PMD Bangka Tengah"
SOP = "SOP.017.SEKRE"
SOPNAME = "Persiapan Penyusunan Laporan Akuntabilitas dan Kinerja Instansi Pemerintah (LAKIP)"
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
HARI3 = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
DAY_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
BLN3 = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
MON_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Steps answered by e-mail: (step, prefix, kegiatan, role, kelengkapan, output, waktu, commands)
STEPS = {
    "arahan": (2, "Mohon arahan", "Menugaskan Kasubag Perencanaan untuk mengumpulkan bahan penyusunan LAKIP.",
               "Sekretaris Dinas", "Disposisi Kepala Dinas", "Penugasan lisan", "10 menit", "task"),
    "kumpul": (4, "Mohon kirim", "Menyerahkan bahan penyusunan LAKIP.", "Kasubag dan Kasubid",
               "Bahan LAKIP bidang", "Bahan LAKIP", "2 hari", "collect"),
    "paraf": (8, "Mohon paraf", "Memeriksa draft LAKIP dan memarafnya.", "Sekretaris Dinas",
              "Draft LAKIP", "Draft LAKIP hasil koreksi", "30 menit", "approval"),
    "ttd": (10, "Mohon tanda tangan", "Memeriksa dan menandatangani LAKIP.", "Kepala Dinas",
            "Draft LAKIP final", "LAKIP yang ditandatangani", "30 menit", "approval"),
    "undangan": (13, "Undangan", "Rapat Tim Penyusunan LAKIP", "Tim Penyusun", "", "", "", "invite"),
}

CMDS = {
    "task": [("SELESAI", "menyatakan kegiatan ini telah dilaksanakan")],
    "collect": [("SELESAI (dengan lampiran)", "menyerahkan hasil; lampirkan berkasnya pada balasan")],
    "approval": [("SETUJU", "menyetujui; boleh disertai lampiran draf hasil koreksi"),
                 ("TOLAK <alasan>", "mengembalikan untuk diperbaiki; tuliskan alasannya sesudah kata TOLAK")],
}
COMMON = [("STATUS", "meminta tabel status seluruh langkah"), ("BANTUAN", "meminta petunjuk cara membalas")]


class Run:
    """One LAKIP run: its year, token, dates and the office's signer."""

    def __init__(self, year, token, day0, signer, nip, kadis, meeting_day):
        self.year, self.token, self.day0 = year, token, day0  # day0: (y, m, d, weekday)
        self.signer, self.nip, self.kadis = signer, nip, kadis
        self.meeting_day = meeting_day  # (y, m, d, weekday)

    @property
    def title(self):
        return "LAKIP Tahun %d" % self.year


def tanggal(d):
    y, m, dd, wd = d
    return "%s, %d %s %d" % (HARI[wd], dd, BULAN[m - 1], y)


def rfc_date(d, hh, mm, ss=0, tz="+0700"):
    y, m, dd, wd = d
    return "%s, %d %s %d %02d:%02d:%02d %s" % (DAY_EN[wd], dd, MON_EN[m - 1], y, hh, mm, ss, tz)


def orig_mail(run, kind, person, rng):
    """The office's mail the official answers: dict with subject, text, msgid, date, day, hour."""
    step, pref, keg, role, kel, out, waktu, ck = STEPS[kind]
    day, hh, mm = run.day0, 8, rng.randrange(0, 50)
    n = rng.randrange(1, 9)
    msgid = "<mf.%s.s%dr1.%d@%s>" % (run.token, step, n, DOMAIN)
    ref = "Ref: MF-%s-%dr1" % (run.token, step)
    foot = ("-- \nSurel ini dikirim secara otomatis oleh Sekretariat Dinsos PMD Bangka Tengah untuk %s\n"
            "\"%s\" (%s).\nBalasan atas surel ini langsung kami proses: mohon membalas surel ini, bukan menulis\n"
            "surel baru, dan tidak menghapus baris referensi di bawah.\n%s" % (SOP, SOPNAME, run.title, ref))
    y = run.year
    if kind == "undangan":
        md = run.meeting_day
        subject = "[LAKIP %d - Langkah 13] Undangan: Rapat Tim Penyusunan LAKIP, %s pukul 09.00 WIB" % (y, tanggal(md))
        body = ("Yth. Bapak/Ibu Tim Penyusun\ndi tempat\n\nDengan hormat,\n\nDalam rangka pelaksanaan %s \"%s\" untuk %s, "
                "kami mengundang Bapak/Ibu untuk menghadiri rapat pada:\n\n"
                "  Acara          : Rapat Tim Penyusunan LAKIP\n  Hari, tanggal  : %s\n  Pukul          : 09.00 WIB s.d. selesai\n"
                "  Tempat         : Ruang Rapat Sekretariat Lantai 2\n\n"
                "Draft awal LAKIP kami lampirkan untuk dipelajari sebelum rapat:\n  1. draft_lakip_%d_v2.pdf (214 KB)\n\n"
                "Mohon konfirmasi kehadiran melalui tombol jawaban pada undangan kalender di surel ini (berkas invite.ics "
                "juga kami lampirkan), atau dengan membalas surel ini: Hadir, Tidak dapat hadir, atau Diwakilkan oleh <nama>.\n\n"
                "Mengingat pentingnya acara tersebut, kehadiran Bapak/Ibu sangat kami harapkan.\n\n"
                "Hormat kami,\na.n. Kepala Dinas\nSekretaris Dinas,\n\n%s\nNIP. %s\n\n%s\n"
                % (SOP, SOPNAME, run.title, tanggal(md), y, run.signer, run.nip, foot))
        return dict(subject=subject, text=body, msgid=msgid, day=day, hh=hh, mm=mm, step=step, ref=ref)
    subject = "[LAKIP %d - Langkah %d] %s: %s" % (y, step, pref, keg.rstrip("."))
    sal = "Bapak" if person.male else "Ibu"
    lines = ["Yth. %s %s" % (sal, person.jabatan), person.name, "di tempat", "", "Dengan hormat,", ""]
    if ck == "approval":
        act = "diperiksa dan diparaf" if kind == "paraf" else "diperiksa, disetujui, dan ditandatangani"
        lines.append("Dalam rangka pelaksanaan %s \"%s\" untuk %s, bersama ini kami sampaikan %s untuk %s oleh %s:"
                     % (SOP, SOPNAME, run.title, kel, act, sal))
    else:
        lines.append("Dalam rangka pelaksanaan %s \"%s\" untuk %s, bersama ini kami mohon %s berkenan melaksanakan langkah berikut:"
                     % (SOP, SOPNAME, run.title, sal))
    due = "%s pukul 15.30 WIB" % tanggal(day)
    lines += ["", "  Langkah        : %d dari %s" % (step, SOP), "  Kegiatan       : " + keg,
              "  Pelaksana      : " + role, "  Kelengkapan    : " + kel, "  Output         : " + out,
              "  Mutu Baku      : %s (waktu kerja)" % waktu, "  Batas waktu    : paling lambat " + due, ""]
    if ck == "approval":
        lines += ["Dokumen masukan kami lampirkan pada surel ini:", "  1. draft_lakip_%d_v1.pdf (388 KB)" % y, "",
                  "Catatan dari langkah sebelumnya:",
                  "  - Langkah 1, %s (%s pukul 08.00 WIB):" % (run.kadis, tanggal(run.day0)),
                  "    \"Segera dikoordinasikan.\"", ""]
        verb = "Paraf" if kind == "paraf" else "Persetujuan dan tanda tangan"
        lines.append("Mohon draf tersebut diperiksa paling lambat %s. %s %s diberikan dengan membalas SETUJU; "
                     "apabila perlu diperbaiki, balas TOLAK diikuti alasannya." % (due, verb, sal))
    elif ck == "collect":
        lines.append("Mohon bahan tersebut dikirim paling lambat %s. Apabila telah siap, balas SELESAI dan lampirkan berkasnya." % due)
    else:
        lines.append("Mohon kegiatan tersebut dapat dilaksanakan paling lambat %s. Apabila telah dilaksanakan, mohon balas SELESAI; "
                     "arahan %s dapat dituliskan sesudah \"Catatan:\"." % (due, sal))
    lines += ["", "CARA MEMBALAS", "Balas surel ini dan tuliskan satu kata perintah pada baris pertama balasan:"]
    for c, a in CMDS[ck] + COMMON:
        lines.append("  %-26s %s" % (c, a))
    lines += ["Catatan atau petunjuk dapat ditulis pada baris berikutnya, diawali \"Catatan:\".",
              "Baris referensi di bagian bawah surel ini mohon tidak dihapus.", "",
              "Atas perhatian dan %s %s, kami ucapkan terima kasih." % ("arahan" if person.senior else "kerja sama", sal), "",
              "Hormat kami,", "Kepala Sub Bagian Perencanaan,", "", run.signer, "NIP. " + run.nip, "", foot, ""]
    return dict(subject=subject, text="\n".join(lines), msgid=msgid, day=day, hh=hh, mm=mm, step=step, ref=ref)


class Person:
    def __init__(self, key, name, short, jabatan, email, male=True, senior=False, sig=""):
        self.key, self.name, self.short, self.jabatan, self.email = key, name, short, jabatan, email
        self.male, self.senior, self.sig = male, senior, sig


def qp(text):
    """Quoted-printable of UTF-8 text with LF lines (soft breaks at 76)."""
    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def b64(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.encodebytes(data).decode("ascii")


def part(ctype, body, cte="7bit", extra=()):
    """One MIME part as text (headers + blank + body), body already encoded."""
    h = ["Content-Type: " + ctype]
    if cte:
        h.append("Content-Transfer-Encoding: " + cte)
    h += list(extra)
    return "\n".join(h) + "\n\n" + body.rstrip("\n") + "\n"


def text_part(ctype, text, enc):
    if enc == "qp":
        return part(ctype, qp(text), "quoted-printable")
    if enc == "b64":
        return part(ctype, b64(text), "base64")
    if enc == "8bit":
        return part(ctype, text, "8bit")
    return part(ctype, text, "7bit")


def multipart(sub, parts, boundary, extra=""):
    body = "".join("--%s\n%s" % (boundary, p) + ("" if p.endswith("\n\n") else "\n") for p in parts)
    body += "--%s--\n" % boundary
    return "Content-Type: multipart/%s; boundary=\"%s\"%s\n\n%s" % (sub, boundary, extra, body)


def fake_file(name, rng):
    ext = name.rsplit(".", 1)[-1].lower()
    if ext == "pdf":
        data = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(rng.randrange(256) for _ in range(300)) + b"\n%%EOF\n"
        return "application/pdf", data
    if ext in ("docx", "xlsx"):
        data = b"PK\x03\x04\x14\x00\x06\x00" + bytes(rng.randrange(256) for _ in range(400))
        return ({"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[ext], data)
    if ext in ("jpg", "jpeg", "png"):
        data = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(rng.randrange(256) for _ in range(500))
        return ("image/png" if ext == "png" else "image/jpeg"), data
    return "application/octet-stream", bytes(rng.randrange(256) for _ in range(200))


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")


def html_lines(text, tag="div"):
    out = []
    for l in text.split("\n"):
        out.append("<%s>%s</%s>" % (tag, html_escape(l) if l else "<br>", tag))
    return "\n".join(out)


def rnd_hex(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def rnd_alnum(rng, n):
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def rng_for(name):
    return random.Random("wild2:" + name)

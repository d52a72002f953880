"""Shared pieces for gen_wild.py: the mail officials reply to, people, dates, MIME encoders, quote headers.

Written from what mailflow sends (templates/*.tmpl, render goldens) and from how
mail clients encode, not from the reply reader.
"""
import base64
import datetime
import html
import quopri
import textwrap

DOMAIN = "dinsospmd.bangkatengahkab.go.id"
SEKRE = "sekretariat@" + DOMAIN
SEKRE_NAME = "Sekretariat Dinsos PMD Bangka Tengah"

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
HARI3 = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
BULAN3 = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
DAY_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MON_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# Assignment kinds: step, subject verb, what the step asks, the commands it lists.
ASG = {
    "paraf": (8, "Mohon paraf", "Memeriksa draft LAKIP dan memarafnya",
              "Paraf {sal} diberikan dengan membalas SETUJU; draf hasil koreksi {sal} dapat dilampirkan pada "
              "balasan dan menggantikan draf ini. Apabila perlu diperbaiki, balas TOLAK diikuti alasannya; "
              "draf dikembalikan ke langkah 7 untuk perbaikan.", ["SETUJU", "TOLAK <alasan>"]),
    "ttd": (9, "Mohon tanda tangan", "Menandatangani LAKIP",
            "Persetujuan {sal} diberikan dengan membalas SETUJU. Apabila masih perlu diperbaiki, balas "
            "TOLAK atau REVISI diikuti alasannya.", ["SETUJU", "TOLAK <alasan>"]),
    "periksa": (6, "Mohon persetujuan", "Memeriksa bahan penyusunan LAKIP dari unit kerja",
                "Mohon {sal} membalas SETUJU apabila bahan telah lengkap, atau TOLAK diikuti alasannya "
                "apabila bahan perlu dilengkapi.", ["SETUJU", "TOLAK <alasan>"]),
    "bahan": (4, "Mohon bahan", "Menyerahkan bahan penyusunan LAKIP unit kerja",
              "Apabila bahan telah siap, mohon balas SELESAI dengan melampirkan berkas bahan.", ["SELESAI"]),
    "arahan": (2, "Mohon arahan", "Menugaskan Kasubag Perencanaan untuk mengumpulkan bahan penyusunan LAKIP",
               "Apabila telah dilaksanakan, mohon balas SELESAI; arahan {sal} dapat dituliskan sesudah "
               "\"Catatan:\".", ["SELESAI"]),
    "undangan": (13, "Undangan", "Rapat Tim Penyusunan LAKIP", "", []),
}
ARTI = {"SETUJU": "menyetujui; boleh disertai lampiran draf hasil koreksi",
        "TOLAK <alasan>": "mengembalikan untuk diperbaiki; tuliskan alasannya sesudah kata TOLAK",
        "SELESAI": "menyatakan kegiatan ini telah dilaksanakan",
        "STATUS": "meminta tabel status seluruh langkah",
        "BANTUAN": "meminta petunjuk cara membalas"}


class Orig:
    """The mailflow mail being answered."""

    def __init__(self, asg, person, token, year, when, n, earlier=None):
        step, verb, keg, instr, cmds = ASG[asg]
        self.asg, self.step, self.token, self.when = asg, step, token, when
        self.msgid = "mf.%s.s%dr1.%d@%s" % (token, step, n, DOMAIN)
        self.ref = "Ref: MF-%s-%dr1" % (token, step)
        sal = person.sal
        tag = "[LAKIP %d - Langkah %d]" % (year + 1, step)
        if asg == "undangan":
            self.subject = "%s Undangan: Rapat Tim Penyusunan LAKIP, %s pukul 09.00 WIB" % (tag, tanggal(when, 2))
        else:
            self.subject = "%s %s: %s" % (tag, verb, keg)
        run = "LAKIP Tahun %d" % year
        head = ["Yth. %s %s" % (sal, person.jabatan), person.name, "di tempat", "", "Dengan hormat,", ""]
        if asg == "undangan":
            body = ["Dalam rangka pelaksanaan SOP.017.SEKRE untuk %s, kami mengundang Bapak/Ibu untuk "
                    "menghadiri rapat pada:" % run, "",
                    "  Acara          : Rapat Tim Penyusunan LAKIP",
                    "  Hari, tanggal  : %s" % tanggal(when, 2),
                    "  Pukul          : 09.00 WIB s.d. selesai",
                    "  Tempat         : Ruang Rapat Sekretariat Lantai 2", "",
                    "Mohon konfirmasi kehadiran melalui tombol jawaban pada undangan kalender di surel ini, "
                    "atau dengan membalas surel ini: Hadir, Tidak dapat hadir, atau Diwakilkan oleh <nama>.", ""]
        else:
            body = ["Dalam rangka pelaksanaan SOP.017.SEKRE untuk %s, bersama ini kami sampaikan kegiatan "
                    "berikut kepada %s:" % (run, sal), "",
                    "  Langkah        : %d dari SOP.017.SEKRE" % step,
                    "  Kegiatan       : %s." % keg,
                    "  Pelaksana      : %s" % person.jabatan,
                    "  Batas waktu    : paling lambat %s pukul 15.30 WIB" % tanggal(when, 1), ""]
            if earlier:
                body += ["Catatan dari langkah sebelumnya:",
                         "  - Langkah %d, %s:" % (step - 1, earlier[0]), '    "%s"' % earlier[1], ""]
            body += [instr.format(sal=sal), "", "CARA MEMBALAS",
                     "Balas surel ini dan tuliskan satu kata perintah pada baris pertama balasan:"]
            for c in cmds + ["STATUS", "BANTUAN"]:
                body.append("  %-26s %s" % (c, ARTI[c]))
            body += ["Catatan atau petunjuk dapat ditulis pada baris berikutnya, diawali \"Catatan:\".",
                     "Baris referensi di bagian bawah surel ini mohon tidak dihapus.", ""]
        tail = ["Atas perhatian %s, kami ucapkan terima kasih." % sal, "", "Hormat kami,",
                "Kepala Sub Bagian Perencanaan,", "", "Dedi Kurniawan, S.E.", "NIP. 198203152006041003", "",
                "-- ", "Surel ini dikirim secara otomatis oleh Sekretariat Dinsos PMD Bangka Tengah untuk "
                "SOP.017.SEKRE (%s)." % run, "Balasan atas surel ini langsung kami proses: mohon membalas surel "
                "ini, bukan menulis surel baru, dan tidak menghapus baris referensi di bawah.", self.ref]
        self.lines = head + body + tail
        self.text = "\n".join(self.lines)
        self.html = orig_html(self.lines)


def orig_html(lines):
    """mailflow's HTML part as a client keeps it inside its quote: paragraphs, <br> inside."""
    out, para = [], []
    for l in lines + [""]:
        if l.strip() == "" or l == "-- ":
            if para:
                out.append("<p>" + "<br>".join(html.escape(p.strip(), quote=False) for p in para) + "</p>")
            para = []
            if l == "-- ":
                out.append('<hr style="border:0;border-top:1px solid #cccccc">')
        else:
            para.append(l)
    return '<div style="max-width:720px">' + "\n".join(out) + "</div>"


def tanggal(d, plus=0):
    import datetime
    d = d + datetime.timedelta(days=plus)
    return "%s, %d %s %d" % (HARI[d.weekday()], d.day, BULAN[d.month - 1], d.year)


def rfc_date(d, tz="+0700"):
    return "%s, %d %s %d %02d:%02d:%02d %s" % (DAY_EN[d.weekday()][:3], d.day, MON_EN[d.month - 1][:3],
                                                d.year, d.hour, d.minute, d.second, tz)


def qp(text, charset="utf-8"):
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def b64(text_or_bytes, charset="utf-8"):
    b = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode(charset)
    return base64.encodebytes(b).decode("ascii")


def encode(text, cte, charset="utf-8"):
    if cte == "quoted-printable":
        return qp(text, charset)
    if cte == "base64":
        return b64(text, charset)
    return text


def flow(text, width=72):
    """format=flowed (RFC 3676): long lines broken with a trailing space; quote depth kept."""
    out = []
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        pre, rest = ">" * depth, line[depth:]
        if depth and rest.startswith(" "):
            rest = rest[1:]
        if not depth and rest.startswith(("From ", " ", ">")):
            rest = " " + rest  # space-stuffing; on a quoted line the space after ">" does it
        if rest == "":
            out.append(pre)  # an empty quoted line: no trailing space, which would mean "flowed"
            continue
        lead = pre + (" " if depth else "")
        if len(lead + rest) <= width or rest == "-- ":
            out.append(lead + rest)
            continue
        chunks = textwrap.wrap(rest, width - len(lead), break_long_words=False, drop_whitespace=False)
        for i, ch in enumerate(chunks):
            ch = ch if i == len(chunks) - 1 else ch.rstrip(" ") + " "
            out.append(lead + ch.lstrip(" ") if i else lead + ch)
    return "\n".join(out)


def leaf(ctype, body, cte, charset="utf-8", params="", disp=""):
    h = "Content-Type: %s%s%s\n" % (ctype, '; charset="%s"' % charset if charset else "", params)
    if cte:
        h += "Content-Transfer-Encoding: %s\n" % cte
    if disp:
        h += disp + "\n"
    return h + "\n" + body.rstrip("\n") + "\n"


def multipart(sub, boundary, parts, params=""):
    s = 'Content-Type: multipart/%s; boundary="%s"%s\n\n' % (sub, boundary, params)
    for p in parts:
        s += "--%s\n%s\n" % (boundary, p)
    return s + "--%s--\n" % boundary


def quote_gt(text, space=True):
    return "\n".join((">" + (" " if space and l else "") + l) if not l.startswith(">") else ">" + l
                     for l in text.split("\n"))


def text_to_html_lines(lines, tag="div"):
    return "".join("<%s>%s</%s>" % (tag, html.escape(l, quote=False) if l else "<br>", tag) for l in lines)


DISCLAIMER = ("PERHATIAN: Surat elektronik ini beserta lampirannya ditujukan hanya kepada penerima yang\n"
              "dimaksud dan dapat berisi informasi yang bersifat rahasia. Apabila Anda bukan penerima yang\n"
              "dimaksud, mohon segera memberitahu pengirim dan menghapus surel ini.\n"
              "Pemerintah Kabupaten Bangka Tengah - https://bangkatengahkab.go.id")


class Person:
    def __init__(self, name, email, sal, jabatan, nip, phone):
        self.name, self.email, self.sal, self.jabatan, self.nip, self.phone = name, email, sal, jabatan, nip, phone
        self.short = name.split(",")[0].replace("Hj. ", "").replace("H. ", "").replace("Drs. ", "").replace("Dra. ", "")

    def sig(self, style="full"):
        if style == "name":
            return [self.short]
        s = [self.name, self.jabatan, "Dinas Sosial PMD Kab. Bangka Tengah"]
        if style == "full":
            s += ["NIP. " + self.nip, "HP/WA " + self.phone]
        return s


def rhex(r, n):
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def rtok(r):
    return "".join(r.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(20))


def en_date(d):  # Gmail English: Mon, Jun 10, 2024 at 9:15 AM
    h = d.hour % 12 or 12
    return "%s, %s %d, %d at %d:%02d %s" % (DAY_EN[d.weekday()][:3], MON_EN[d.month - 1][:3], d.day, d.year,
                                            h, d.minute, "AM" if d.hour < 12 else "PM")


def id_date(d):  # Senin, 10 Juni 2024 09.15
    return "%s, %d %s %d %02d.%02d" % (HARI[d.weekday()], d.day, BULAN[d.month - 1], d.year, d.hour, d.minute)


def long_en(d):  # Monday, June 10, 2024 9:15 AM
    h = d.hour % 12 or 12
    return "%s, %s %d, %d %d:%02d %s" % (DAY_EN[d.weekday()], MON_EN[d.month - 1], d.day, d.year, h, d.minute,
                                         "AM" if d.hour < 12 else "PM")


SFROM = '%s <%s>' % (SEKRE_NAME, SEKRE)


def attribution(style, o):
    d = o.when
    F, N = getattr(o, "sfrom", SFROM), getattr(o, "sname", SEKRE_NAME)
    return {
        "gmail-en": "On %s %s wrote:" % (en_date(d), F),
        "gmail-id": "Pada tanggal %s, %d %s %d pukul %02d.%02d %s menulis:" % (
            HARI3[d.weekday()], d.day, BULAN3[d.month - 1], d.year, d.hour, d.minute, F),
        "gmail-and-id": "Pada %s, %d %s %d %02d.%02d, %s menulis:" % (
            HARI3[d.weekday()], d.day, BULAN3[d.month - 1], d.year, d.hour, d.minute, F),
        "apple-id": "Pada %d %s %d, pukul %02d.%02d, %s menulis:" % (d.day, BULAN3[d.month - 1], d.year, d.hour,
                                                                      d.minute, F),
        "apple-en": "On %s %d, %d, at %02d:%02d, %s wrote:" % (MON_EN[d.month - 1][:3], d.day, d.year, d.hour,
                                                              d.minute, F),
        "tb-id": "Pada %02d/%02d/%d %02d.%02d, %s menulis:" % (d.day, d.month, d.year, d.hour, d.minute, N),
        "tb-en": "On %d/%d/%d %02d:%02d, %s wrote:" % (d.month, d.day, d.year % 100, d.hour, d.minute, N),
        "rc-id": "Pada %d-%02d-%02d %02d:%02d, %s menulis:" % (d.year, d.month, d.day, d.hour, d.minute, N),
        "k9-id": "Pada %d %s %d %02d.%02d.%02d GMT+07:00, %s menulis:" % (d.day, BULAN[d.month - 1], d.year, d.hour,
                                                                        d.minute, d.second, F),
        "k9-en": "On %s %d, %d %d:%02d:%02d AM GMT+07:00, %s wrote:" % (MON_EN[d.month - 1], d.day, d.year,
                                                                       d.hour, d.minute, d.second, F),
        "fair": "%d %s %d %02d.%02d.%02d %s:" % (d.day, BULAN3[d.month - 1], d.year, d.hour, d.minute, d.second,
                                                 F),
        "yahoo-id": "Pada %s, %d %s %d pukul %02d.%02d.%02d WIB, %s menulis:" % (
            HARI[d.weekday()], d.day, BULAN[d.month - 1], d.year, d.hour, d.minute, d.second, F),
        "yahoo-and-id": "Pada %s, %d %s %d pada %d:%02d, Sekretariat Dinsos PMD Bangka Tengah<%s> menulis:" % (
            HARI3[d.weekday()], d.day, BULAN3[d.month - 1], d.year, d.hour, d.minute, SEKRE),
    }[style]


def header_block(lang, o, to, sep):
    """Outlook/Samsung/Zimbra style header block above an unmarked original."""
    d = o.when
    if lang == "id":
        rows = [("Dari", SFROM), ("Dikirim", id_date(d)), ("Kepada", to), ("Perihal", o.subject)]
    elif lang == "en":
        rows = [("From", SFROM), ("Sent", long_en(d)), ("To", to), ("Subject", o.subject)]
    elif lang == "samsung-id":
        rows = [("Dari", SFROM + " "), ("Tanggal", "%02d/%02d/%02d %02d.%02d (GMT+07:00) " % (
            d.day, d.month, d.year % 100, d.hour, d.minute)), ("Ke", to + " "), ("Subjek", o.subject + " ")]
    elif lang == "zimbra-id":
        rows = [("Dari", '"%s" <%s>' % (SEKRE_NAME, SEKRE)), ("Kepada", to),
                ("Terkirim", "%s, %d %s %d %d:%02d:%02d" % (HARI[d.weekday()], d.day, BULAN[d.month - 1], d.year,
                                                             d.hour, d.minute, d.second)), ("Subjek", o.subject)]
    else:  # zimbra-en
        rows = [("From", '"%s" <%s>' % (SEKRE_NAME, SEKRE)), ("To", to),
                ("Sent", "%s, %s %d, %d %d:%02d:%02d AM" % (DAY_EN[d.weekday()], MON_EN[d.month - 1], d.day,
                                                            d.year, d.hour, d.minute, d.second)),
                ("Subject", o.subject)]
    return ([sep] if sep else []) + ["%s: %s" % r for r in rows]


def typed_html(lines, tag="div", attrs=""):
    return "".join("<%s%s>%s</%s>" % (tag, attrs, html.escape(l, quote=False) if l.strip() else "<br>", tag)
                   for l in lines)


class Msg:
    """Header lines in client order plus a body; to_bytes applies the line ending."""

    def __init__(self, c, o, r):
        self.c, self.o, self.r, self.h = c, o, r, []

    def add(self, k, v):
        self.h.append("%s: %s" % (k, v))

    def thread(self, refs=True):
        if refs:
            self.add("References", "<%s>" % self.o.msgid)
        self.add("In-Reply-To", "<%s>" % self.o.msgid)


def subject(c, o, prefix):
    return c.get("subject") or "%s %s" % (prefix, o.subject)


def new_lines(c, footer, sig_style=None, dashes=False):
    """What the official typed, then the signature and the client footer, in that order."""
    out = list(c["typed"].split("\n"))
    if c.get("sig"):
        out += [""] + (["-- "] if dashes else []) + c["who"].sig(c["sig"])
    if footer and not c.get("nofooter"):
        out += ["", footer]
    return out


def base_headers(m, c, o, msgid, subj, date_tz="+0700", order="gmail"):
    who = c["who"]
    frm = '%s <%s>' % (c.get("display", who.short), who.email)
    to = SFROM
    d = rfc_date(o.when + datetime.timedelta(minutes=c.get("after", 37)), date_tz)
    if order == "gmail":
        m.add("MIME-Version", "1.0")
        if not c.get("norefs"):
            m.thread()
        m.add("From", frm); m.add("Date", d); m.add("Message-ID", msgid); m.add("Subject", subj); m.add("To", to)
    elif order == "outlook":
        m.add("From", frm); m.add("To", to)
        if not c.get("norefs"):
            m.thread()
        m.add("Subject", subj); m.add("Date", d); m.add("Message-ID", msgid); m.add("MIME-Version", "1.0")
    else:  # generic: Date first
        m.add("Date", d); m.add("From", frm); m.add("To", to); m.add("Message-ID", msgid)
        if not c.get("norefs"):
            m.thread()
        m.add("Subject", subj); m.add("MIME-Version", "1.0")

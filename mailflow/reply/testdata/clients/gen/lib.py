"""Render reply fixtures the way real mail clients build them.

Each client renderer takes the assignment being answered and the official's
new text and returns headers + MIME body. Output uses CRLF line ends.
"""
import base64, datetime as dt, hashlib, html, json, os, quopri, random, textwrap

DOM = "dinsospmd.bangkatengah.go.id"
SEKRE = ("Sekretariat Dinsos PMD", "sekretariat@" + DOM)
WIB = dt.timezone(dt.timedelta(hours=7))
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
HARI3 = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
BULAN = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
DAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MON_EN = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS_EN_FULL = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MON_EN_FULL = ["", "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]

rnd = random.Random(17)


def rfc_date(t):
    return "%s, %d %s %d %02d:%02d:%02d +0700" % (DAYS_EN[t.weekday()], t.day, MON_EN[t.month],
                                                    t.year, t.hour, t.minute, t.second)


def hexid(n):
    return "".join(rnd.choice("0123456789abcdef") for _ in range(n))


def alnum(n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"):
    return "".join(rnd.choice(alphabet) for _ in range(n))


# ---------------------------------------------------------------- assignments
STEPS = {
    8: ("Mohon paraf draf LAKIP Tahun 2024",
        ["Yth. Bapak/Ibu Sekretaris Dinas Sosial PMD,",
         "",
         "Draf LAKIP Dinas Sosial, Pemberdayaan Masyarakat dan Desa Kabupaten",
         "Bangka Tengah Tahun 2024 telah disusun oleh Subbagian Perencanaan dan",
         "Keuangan (terlampir). Mohon Bapak/Ibu memeriksa dan memaraf draf tersebut.",
         "",
         "Mohon balas SETUJU atau TOLAK <alasan> pada baris pertama balasan.",
         "Catatan tambahan dapat ditulis pada baris \"Catatan: ...\".",
         "",
         "Batas waktu: {due}.",
         "",
         "Ref: MF-{tok}-8"]),
    11: ("Mohon persetujuan draf LAKIP Tahun 2024",
         ["Yth. Bapak Kepala Dinas Sosial PMD,",
          "",
          "Draf LAKIP Tahun 2024 telah diparaf oleh Sekretaris Dinas (terlampir).",
          "Mohon persetujuan Bapak sebelum LAKIP diunggah ke aplikasi SAKIP.",
          "",
          "Mohon balas SETUJU atau TOLAK <alasan>.",
          "",
          "Batas waktu: {due}.",
          "",
          "Ref: MF-{tok}-11"]),
    4: ("Mohon kirim data capaian kinerja Tahun 2024",
        ["Yth. Bapak/Ibu Kepala Bidang,",
         "",
         "Dalam rangka penyusunan LAKIP Tahun 2024, mohon Bapak/Ibu mengirimkan",
         "data capaian Indikator Kinerja Utama (IKU) dan realisasi anggaran bidang",
         "masing-masing menggunakan format terlampir.",
         "",
         "Setelah data dikirim, balas SELESAI dengan melampirkan berkas. Bila ada",
         "kendala, balas TOLAK <alasan>.",
         "",
         "Batas waktu: {due}.",
         "",
         "Ref: MF-{tok}-4"]),
    7: ("Mohon susun draf LAKIP Tahun 2024",
        ["Yth. Bapak/Ibu Kepala Subbagian Perencanaan dan Keuangan,",
         "",
         "Data capaian kinerja seluruh bidang telah lengkap (terlampir). Mohon",
         "Bapak/Ibu menyusun draf LAKIP Tahun 2024 dan membalas SELESAI dengan",
         "melampirkan draf. Bila ada kendala, balas TOLAK <alasan>.",
         "",
         "Batas waktu: {due}.",
         "",
         "Ref: MF-{tok}-7"]),
    13: ("Undangan Rapat Tim Pembahasan Draf LAKIP Tahun 2024",
         ["Yth. Bapak/Ibu Anggota Tim Penyusun LAKIP,",
          "",
          "Dengan hormat, kami mengundang Bapak/Ibu pada Rapat Tim Pembahasan Draf",
          "LAKIP Tahun 2024:",
          "",
          "Hari/tanggal: Senin, 27 Mei 2024",
          "Pukul: 09.00 WIB s.d. selesai",
          "Tempat: Aula Dinas Sosial PMD Kabupaten Bangka Tengah",
          "",
          "Mohon konfirmasi kehadiran melalui undangan kalender ini atau dengan",
          "membalas email ini. Draf LAKIP terlampir.",
          "",
          "Ref: MF-{tok}-13"]),
}


class Assignment:
    def __init__(self, tok, step, to, when, rnd_no=1, due=None):
        self.tok, self.step, self.to, self.when = tok, step, to, when
        title, body = STEPS[step]
        self.subject = "[SOP.017.SEKRE] Langkah %d: %s" % (step, title) if step != 13 else \
            "[SOP.017.SEKRE] %s" % title
        if due is None:
            due, n = when, 0
            while n < 2:
                due += dt.timedelta(days=1)
                n += due.weekday() < 5
        dues = "%s, %d %s %d pukul 16.00 WIB" % (HARI[due.weekday()], due.day, BULAN[due.month], due.year)
        self.lines = [l.format(due=dues, tok=tok) for l in body]
        self.msgid = "mf.%s.s%d.%d@%s" % (tok, step, rnd_no, DOM)
        self.root = "mf.%s.s%d.0@%s" % (tok, step, DOM)
        self.frm = SEKRE

    def refs(self):
        return "<%s> <%s>" % (self.root, self.msgid)


# ---------------------------------------------------------------- encodings
def crlf(s):
    return s.replace("\r\n", "\n").replace("\n", "\r\n")


def enc_qp(text):
    out = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    return crlf(out)


def enc_b64(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    b = base64.b64encode(data).decode("ascii")
    return "\r\n".join(b[i:i + 76] for i in range(0, len(b), 76)) + "\r\n"


def flowed(lines, width=76):
    """RFC 3676 format=flowed: soft breaks carry a trailing space."""
    out = []
    for l in lines:
        prefix = ""
        body = l
        while body.startswith(">"):
            prefix += ">"
            body = body[1:]
        if prefix and body.startswith(" "):
            body = body[1:]
            prefix += " "
        if not prefix and (l.startswith(" ") or l.startswith("From ")):
            body = " " + body  # space-stuffing
        if len(prefix + body) <= width or " " not in body:
            out.append(prefix + body)
            continue
        words = body.split(" ")
        cur = ""
        for w in words:
            if cur and len(prefix + cur + w) > width:
                out.append(prefix + cur)  # cur ends in a space: soft break
                cur = ""
            cur += w + " "
        out.append(prefix + cur[:-1])
    return out


def encode_body(text, cte):
    if cte == "quoted-printable":
        return enc_qp(text)
    if cte == "base64":
        return enc_b64(crlf(text))
    return crlf(text) + ("" if text.endswith("\n") else "\r\n")


def leaf(ctype, text, cte, extra=()):
    h = ["Content-Type: " + ctype]
    if cte:
        h.append("Content-Transfer-Encoding: " + cte)
    h.extend(extra)
    return "\r\n".join(h) + "\r\n\r\n" + encode_body(text, cte)


def leaf_bytes(ctype, data, extra=()):
    h = ["Content-Type: " + ctype, "Content-Transfer-Encoding: base64"] + list(extra)
    return "\r\n".join(h) + "\r\n\r\n" + enc_b64(data)


def multipart(sub, boundary, parts, preamble=None):
    """Returns (content-type value, body)."""
    b = ""
    if preamble:
        b += crlf(preamble) + "\r\n"
    for p in parts:
        b += "--" + boundary + "\r\n" + p
        if not p.endswith("\r\n"):
            b += "\r\n"
    b += "--" + boundary + "--\r\n"
    return 'multipart/%s; boundary="%s"' % (sub, boundary), b


def mp_part(ctype_body):
    ct, body = ctype_body
    return "Content-Type: " + ct + "\r\n\r\n" + body


def esc(s):
    return html.escape(s, quote=False)


def fake_file(name):
    ext = name.rsplit(".", 1)[-1].lower()
    seed = hashlib.sha256(name.encode()).digest()
    if ext == "pdf":
        return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + seed * 8 + b"\n%%EOF\n"
    if ext in ("xlsx", "docx"):
        return b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + seed * 12
    return seed * 4


# ---------------------------------------------------------------- people
class P:
    def __init__(self, name, addr, title="", nip="", phone="", short=None):
        self.name, self.addr, self.title, self.nip, self.phone = name, addr, title, nip, phone
        self.short = short or name.split(",")[0]

    def hdr(self):
        n = self.short
        if any(ch in n for ch in ',.()'):
            n = '"%s"' % n
        return "%s <%s>" % (n, self.addr)


def attribution_date_id(t, style):
    h = "%02d.%02d" % (t.hour, t.minute)
    if style == "gmail_web":
        return "Pada tanggal %s, %d %s %d pukul %s" % (HARI3[t.weekday()], t.day, BULAN[t.month][:3], t.year, h)
    if style == "gmail_android":
        return "Pada %s, %d %s %d %02d:%02d" % (HARI3[t.weekday()], t.day, BULAN[t.month][:3], t.year, t.hour, t.minute)
    if style == "gmail_brief":
        return "Pada %s, %d %s %d pukul %s" % (HARI3[t.weekday()], t.day, BULAN[t.month], t.year, h)
    if style == "apple":
        return "Pada %d %s %d, pukul %s" % (t.day, BULAN[t.month], t.year, h)
    if style == "outlook":
        return "%s, %02d %s %d %s" % (HARI[t.weekday()], t.day, BULAN[t.month], t.year, "%02d:%02d" % (t.hour, t.minute))
    if style == "owa":
        return "%s, %02d %s %d %s" % (HARI[t.weekday()], t.day, BULAN[t.month], t.year, h)
    if style == "yahoo":
        return "Pada %s, %02d %s %d %02d.%02d.%02d WIB" % (HARI[t.weekday()], t.day, BULAN[t.month], t.year, t.hour, t.minute, t.second)
    if style == "tb":
        return "Pada %02d/%02d/%02d %s" % (t.day, t.month, t.year % 100, h)
    if style == "zimbra":
        return "%s, %d %s %d %d:%02d:%02d" % (HARI[t.weekday()], t.day, BULAN[t.month], t.year, t.hour, t.minute, t.second)
    if style == "samsung":
        return "%02d/%02d/%02d %s (GMT+07:00)" % (t.day, t.month, t.year % 100, h)
    ap = "AM" if t.hour < 12 else "PM"
    if style == "en_outlook":
        return "%s, %s %d, %d %d:%02d %s" % (DAYS_EN_FULL[t.weekday()], MON_EN_FULL[t.month], t.day, t.year, t.hour % 12 or 12, t.minute, ap)
    if style == "en_gmail":
        return "On %s, %s %d, %d at %d:%02d %s" % (DAYS_EN[t.weekday()], MON_EN[t.month], t.day, t.year, t.hour % 12 or 12, t.minute, ap)
    if style == "lotus":
        return "%02d/%02d/%d %02d:%02d %s" % (t.month, t.day, t.year, t.hour % 12 or 12, t.minute, ap)
    raise ValueError(style)


def gmail_wrap(line, width=76):
    """Gmail's text/plain wraps a long attribution after the '<'."""
    if len(line) <= width:
        return [line]
    if " <" in line:
        i = line.index(" <")
        return [line[:i + 2], line[i + 2:]]
    return textwrap.wrap(line, width)


def html_lines(lines, tag="div", attrs=""):
    out = []
    for l in lines:
        if l.strip() == "":
            out.append("<%s%s><br></%s>" % (tag, attrs, tag))
        else:
            out.append("<%s%s>%s</%s>" % (tag, attrs, esc(l), tag))
    return "".join(out)


def br_lines(lines):
    return "<br>\r\n".join(esc(l) for l in lines)


def mso_lines(lines):
    out = []
    for l in lines:
        if l.strip() == "":
            out.append("<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n")
        else:
            out.append("<p class=MsoNormal>%s<o:p></o:p></p>\r\n" % esc(l))
    return "".join(out)


MSO_HEAD = ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
            'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset=utf-8">'
            '<meta name=Generator content="Microsoft Word 15 (filtered medium)"><style><!--\r\n'
            '/* Font Definitions */\r\n@font-face\r\n\t{font-family:"Cambria Math";\r\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\r\n'
            '@font-face\r\n\t{font-family:Calibri;\r\n\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\r\n'
            '/* Style Definitions */\r\np.MsoNormal, li.MsoNormal, div.MsoNormal\r\n\t{margin:0cm;\r\n\tfont-size:11.0pt;\r\n'
            '\tfont-family:"Calibri",sans-serif;}\r\nspan.EmailStyle18\r\n\t{mso-style-type:personal-reply;\r\n'
            '\tfont-family:"Calibri",sans-serif;\r\n\tcolor:windowtext;}\r\n.MsoChpDefault\r\n\t{mso-style-type:export-only;}\r\n'
            '@page WordSection1\r\n\t{size:612.0pt 792.0pt;\r\n\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}\r\n'
            'div.WordSection1\r\n\t{page:WordSection1;}\r\n--></style><!--[if gte mso 9]><xml>\r\n'
            '<o:shapedefaults v:ext="edit" spidmax="1026" />\r\n</xml><![endif]--></head>'
            '<body lang=ID link="#0563C1" vlink="#954F72" style=\'word-wrap:break-word\'><div class=WordSection1>')

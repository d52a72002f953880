"""One renderer per mail client. Each takes a Case and returns (extra headers,
Message-ID, Content-Type or None when the body is a single leaf with its own
headers, body, subject prefix); build.py assembles the message."""
from lib import *


class Case:
    def __init__(self, name, client, style, who, a, when, new="", sig="", want=None, **kw):
        self.name, self.client, self.style, self.who, self.a, self.when = name, client, style, who, a, when
        self.new, self.sig, self.want = new.strip("\n"), sig.strip("\n"), dict(want or {})
        self.thread = kw.pop("thread", "full")
        self.tight = kw.pop("tight", False)
        self.html_only = kw.pop("html_only", False)
        self.plain_only = kw.pop("plain_only", False)
        self.plain_new = kw.pop("plain_new", None)
        self.attach = kw.pop("attach", [])
        self.subject = kw.pop("subject", None)
        self.extra = kw.pop("extra", [])
        self.frame = kw.pop("frame", None)
        self.quote = kw.pop("quote", True)
        self.footer = kw.pop("footer", None)
        self.lang = kw.pop("lang", "id")
        self.kw = kw
        self.part = None


def top_lines(c, footer):
    lines = c.new.split("\n") if c.new else []
    if c.sig:
        lines += ([""] if not c.kw.get("sig_tight") else []) + c.sig.split("\n")
    if footer:
        lines += [""] + footer
    return lines


def sep(c):
    return [] if c.tight else ["", ""]


def quoted(lines, prefix="> "):
    return [(prefix + l) if l.strip() else prefix.rstrip() for l in lines]


def orig_lines(c):
    return list(c.a.lines)


def addr_html(name, addr):
    return '%s &lt;<a href="mailto:%s">%s</a>&gt;' % (esc(name), addr, addr)


def subj(c, prefix):
    if c.subject is not None:
        return c.subject
    return prefix + c.a.subject


# ------------------------------------------------------------ renderers
def r_gmail(c, android=False):
    a, t = c.a, c.a.when
    style = c.kw.get("attr", "gmail_android" if android else "gmail_web")
    if c.lang == "en":
        attr = "%s %s <%s> wrote:" % (attribution_date_id(t, "en_gmail"), a.frm[0], a.frm[1])
    else:
        attr = "%s %s <%s> menulis:" % (attribution_date_id(t, style), a.frm[0], a.frm[1])
    top = top_lines(c, c.footer or [])
    plain = top[:]
    if c.plain_new is not None:
        plain = c.plain_new.split("\n")
    if c.quote and c.thread != "none":
        plain += ([] if c.tight else [""]) + gmail_wrap(attr) + [""] + quoted(orig_lines(c))
    d = ' dir="auto"' if android else ""
    h = '<div dir="%s">%s</div>' % ("auto" if android else "ltr", html_lines(top, "div", d))
    if c.quote and c.thread != "none":
        h += ('<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">%s<br></div>'
              '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);'
              'padding-left:1ex">%s</blockquote></div>' % (
                  esc(attr).replace("&lt;%s&gt;" % a.frm[1], '&lt;<a href="mailto:%s">%s</a>&gt;' % (a.frm[1], a.frm[1])),
                  "<br>".join(esc(l) for l in orig_lines(c))))
    b = "000000000000" + hexid(12)
    parts = []
    if not c.html_only:
        parts.append(leaf('text/plain; charset="UTF-8"', "\n".join(plain) + "\n", "quoted-printable"))
    if not c.plain_only:
        parts.append(leaf('text/html; charset="UTF-8"', h + "\n", "quoted-printable"))
    ct, body = multipart("alternative", b, parts) if len(parts) > 1 else (None, parts[0])
    ct, body = with_attachments(c, ct, body, boundary="000000000000" + hexid(12))
    mid = "<CA%s%s=%s@mail.gmail.com>" % ("" if android else "K", alnum(28), alnum(14))
    hdrs = (["DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601; t=%d; x=%d; darn=%s; h=to:subject:message-id:date:from:in-reply-to:references:mime-version:from:to:cc:subject:date:message-id:reply-to; bh=%s=; b=%s" % (
        int(c.when.timestamp()), int(c.when.timestamp()) + 604800, DOM, alnum(43), alnum(60))] if "gmail.com" in c.who.addr else []) + ["X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net; s=20230601; t=%d; x=%d; h=to:subject:message-id:date:from:in-reply-to:references:mime-version:x-gm-message-state:from:to:cc:subject:date:message-id:reply-to; bh=%s=; b=%s" % (
        int(c.when.timestamp()), int(c.when.timestamp()) + 604800, alnum(43), alnum(60)),
            "X-Gm-Message-State: AOJu0Y%s" % alnum(40),
            "X-Google-Smtp-Source: AGHT+IE%s" % alnum(40)]
    return hdrs, mid, ct, body, ("Re: " if c.lang == "en" else "Re: ")


def outlook_hdr_block(c, names=("Dari", "Dikirim", "Kepada", "Perihal"), date_style="outlook", cc=None):
    a = c.a
    out = ["%s: %s <%s> " % (names[0], a.frm[0], a.frm[1]),
           "%s: %s" % (names[1], attribution_date_id(a.when, date_style)),
           "%s: %s <%s>" % (names[2], c.who.short, c.who.addr)]
    if cc:
        out.append("Cc: " + cc)
    out.append("%s: %s" % (names[3], a.subject))
    return out


def with_attachments(c, ct, body, kind="mixed", boundary=None):
    if not c.attach:
        return ct, body
    first = body if ct is None else mp_part((ct, body))
    parts = [first]
    for fn in c.attach:
        typ = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[fn.rsplit(".", 1)[1]]
        parts.append(leaf_bytes('%s; name="%s"' % (typ, fn), fake_file(fn),
                                ['Content-Disposition: attachment; filename="%s"' % fn]))
    return multipart(kind, boundary or ("----=_NextPart_001_" + hexid(4).upper() + "_" + hexid(8).upper()), parts)


def r_outlook(c):
    """Outlook desktop (Windows, Indonesian UI): Word HTML + plain, header block."""
    style = c.kw.get("hdr", "id")
    top = top_lines(c, [])
    plain = top[:]
    if style == "orig":
        block = ["-----Original Message-----"] + outlook_hdr_block(c, ("From", "Sent", "To", "Subject"), "en_outlook")
    elif style == "orig_id":
        block = ["-----Pesan Asli-----"] + outlook_hdr_block(c)
    else:
        block = outlook_hdr_block(c, cc=c.kw.get("qcc"))
    if c.quote and c.thread != "none":
        plain += ([" "] if not c.tight else []) + block + [" "] + orig_lines(c)
    h = MSO_HEAD + mso_lines(top)
    if c.quote and c.thread != "none":
        bl = "<br>\r\n".join(
            "<b>%s</b>%s" % (esc(l.split(":", 1)[0] + ":"), esc(l.split(":", 1)[1])) if ":" in l and not l.startswith("-----") else esc(l)
            for l in block)
        h += ("<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n<div><div style='border:none;border-top:solid #E1E1E1 1.0pt;"
              "padding:3.0pt 0cm 0cm 0cm'>\r\n<p class=MsoNormal>%s<o:p></o:p></p></div></div>\r\n"
              "<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n%s" % (bl, mso_lines(orig_lines(c))))
    h += "</div></body></html>"
    b = "----=_NextPart_000_%04X_01DA%s.%s" % (rnd.randint(0, 0xffff), hexid(4).upper(), hexid(8).upper())
    parts = []
    if not c.html_only:
        parts.append(leaf('text/plain; charset="utf-8"', "\n".join(plain) + "\n", "quoted-printable"))
    parts.append(leaf('text/html; charset="utf-8"', h + "\n", "quoted-printable"))
    ct, body = multipart("alternative", b, parts) if len(parts) > 1 else (None, parts[0])
    ct, body = with_attachments(c, ct, body)
    mid = "<%s$%s$%s$@%s>" % (("0000" + hexid(8)), hexid(8), hexid(8), c.who.addr.split("@")[1])
    hdrs = ["X-Mailer: Microsoft Outlook 16.0", "Thread-Index: AQH%s" % alnum(30), "Content-Language: id"]
    return hdrs, mid, ct, body, "BLS: "


def r_owa(c, mobile=None):
    top_footer = []
    if mobile == "android":
        top_footer = ["Dapatkan Outlook untuk Android<https://aka.ms/AAb9ysg>"]
    elif mobile == "ios":
        top_footer = ["Dapatkan Outlook untuk iOS<https://aka.ms/o0ukef>"]
    top = top_lines(c, [])
    plain = top[:] if c.plain_new is None else c.plain_new.split("\n")
    if top_footer:
        plain += [""] + top_footer
    names = ("Dari", "Dikirim", "Kepada", "Subjek") if c.lang == "id" else ("From", "Sent", "To", "Subject")
    dstyle = "owa" if c.lang == "id" else "en_outlook"
    block = outlook_hdr_block(c, names, dstyle)
    if c.quote and c.thread != "none":
        plain += ([""] if not c.tight else []) + ["________________________________"] + block + [""] + orig_lines(c)
    div = '<div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Aptos_MSFontService, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">'
    if mobile:
        div = '<div dir="auto">'
    h = ('<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n'
         '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\r\n'
         '</head>\r\n<body dir="ltr">\r\n')
    for l in top:
        h += div + (esc(l) if l.strip() else "<br>") + "</div>\r\n"
    if top_footer:
        h += '<div dir="auto"><br></div><div id="ms-outlook-mobile-signature" dir="auto">%s</div>\r\n' % (
            'Dapatkan <a href="%s">Outlook untuk %s</a>' % (
                "https://aka.ms/AAb9ysg" if mobile == "android" else "https://aka.ms/o0ukef",
                "Android" if mobile == "android" else "iOS"))
    if c.quote and c.thread != "none":
        h += ('<div id="appendonsend"></div>\r\n<hr style="display:inline-block;width:98%" tabindex="-1">\r\n'
              '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">'
              + "<br>\r\n".join("<b>%s</b>%s" % (esc(l.split(":", 1)[0] + ":"), esc(l.split(":", 1)[1])) for l in block)
              + '</font>\r\n<div>&nbsp;</div>\r\n</div>\r\n<div class="BodyFragment"><font size="2"><span style="font-size:11pt;">\r\n'
              '<div class="PlainText">' + "<br>\r\n".join(esc(l) for l in orig_lines(c)) + '</div>\r\n</span></font></div>\r\n')
    h += "</body>\r\n</html>"
    b = "_000_%s_" % alnum(36, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    parts = []
    if not c.html_only:
        parts.append(leaf('text/plain; charset="utf-8"', "\n".join(plain) + "\n", "quoted-printable"))
    parts.append(leaf('text/html; charset="utf-8"', h + "\n", "quoted-printable"))
    ct, body = multipart("alternative", b, parts) if len(parts) > 1 else (None, parts[0])
    ct, body = with_attachments(c, ct, body, boundary="_004_" + alnum(36, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + "_")
    srv = "SEYPR04MB" + "%04d" % rnd.randint(1000, 9999)
    mid = "<%s%s@%s.apcprd04.prod.outlook.com>" % (srv, alnum(24, "0123456789ABCDEF"), srv)
    hdrs = ["Thread-Topic: %s" % c.a.subject, "Thread-Index: AQH%s" % alnum(30),
            "Accept-Language: id-ID, en-US", "Content-Language: id-ID",
            "X-MS-Has-Attach: %s" % ("yes" if c.attach else ""), "X-MS-TNEF-Correlator:",
            "x-ms-publictraffictype: Email"]
    if mobile:
        hdrs.append("x-ms-exchange-messagesentrepresentingtype: 1")
    return hdrs, mid, ct, body, "BLS: " if c.lang == "id" else "RE: "


def r_yahoo(c, android=False):
    a, t = c.a, c.a.when
    footer = ["Dikirim dari Yahoo Mail di Android"] if android else []
    if c.footer is not None:
        footer = c.footer
    top = top_lines(c, [])
    attr = "%s, %s <%s> menulis:" % (attribution_date_id(t, "yahoo"), a.frm[0], a.frm[1])
    plain = top[:]
    if footer:
        plain += [""] + footer
    if c.quote and c.thread != "none":
        if android:
            # Yahoo for Android flattens the quote into one long line in text/plain.
            plain += ["", "  " + "   ".join([attr] + [l for l in orig_lines(c) if l.strip()]) + "  "]
        else:
            plain += ["", "", "     %s  " % attr, " "] + [" " + l for l in orig_lines(c)] + ["  "]
    h = ('<html><head></head><body><div class="ydp%s yahoo-style-wrap" style="font-family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:13px;">'
         % hexid(8)) + html_lines(top, "div", ' dir="ltr" data-setdir="false"')
    if footer:
        h += '<div id="ymail_android_signature"><a href="https://mail.onelink.me/107872968?pid=nativeplacement&amp;c=Global_Acquisition_YMktg_315_Internal_EmailSignature&amp;af_sub1=Acquisition&amp;af_sub2=Global_YMktg&amp;af_sub3=&amp;af_sub4=100000604&amp;af_sub5=EmailSignature__Static_">Dikirim dari Yahoo Mail di Android</a></div>'
    h += "</div>"
    if c.quote and c.thread != "none":
        h += ('<div id="yahoo_quoted_%s" class="yahoo_quoted"><div style="font-family:\'Helvetica Neue\', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;">'
              '<div>%s</div><div><br></div><div><br></div><div><div dir="ltr">%s</div></div></div></div>'
              % (hexid(10), esc(attr), "<br>".join(esc(l) for l in orig_lines(c))))
    h += "</body></html>"
    b = "----=_Part_%d_%d.%d" % (rnd.randint(10 ** 6, 10 ** 7), rnd.randint(10 ** 8, 10 ** 9), int(c.when.timestamp() * 1000))
    parts = []
    if not c.html_only:
        parts.append(leaf("text/plain; charset=UTF-8", "\n".join(plain) + "\n", "quoted-printable"))
    parts.append(leaf("text/html; charset=UTF-8", h + "\n", "quoted-printable"))
    ct, body = multipart("alternative", b, parts) if len(parts) > 1 else (None, parts[0])
    mid = "<%d.%d.%d@mail.yahoo.com>" % (rnd.randint(10 ** 8, 10 ** 9), rnd.randint(10 ** 6, 10 ** 7), int(c.when.timestamp() * 1000))
    hdrs = ["X-Mailer: %s" % ("WebService/1.1.22256 YMailNorrin" if not android else "WebService/1.1.22256 YMailAndroid")]
    return hdrs, mid, ct, body, "Re: "


def r_samsung(c):
    a = c.a
    footer = c.footer if c.footer is not None else ["", "", "Dikirim dari Samsung Galaxy smartphone saya."]
    top = top_lines(c, [])
    plain = top + footer
    block = ["-------- Pesan asli --------", "Dari: %s <%s> " % a.frm, "Tanggal: %s " % attribution_date_id(a.when, "samsung"),
             "Ke: %s <%s> " % (c.who.short, c.who.addr), "Subjek: %s " % a.subject, ""]
    if c.quote and c.thread != "none":
        plain += [""] + block + orig_lines(c)
    h = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body dir="auto">'
         + html_lines(top, "div", ' dir="auto"') + '<div dir="auto"><br></div><div dir="auto"><br></div>'
         '<div id="composer_signature" dir="auto"><div style="font-size:85%;color:#575757" dir="auto">'
         + esc(" ".join(l for l in footer if l)) + '</div></div>')
    if c.quote and c.thread != "none":
        h += ('<div dir="auto"><br></div><div><br></div><div align="left" dir="auto" style="font-size:100%;color:#000000">'
              + "".join("<div>%s</div>" % (esc(l) or "<br>") for l in block) + "</div>"
              + "".join("<div>%s</div>" % (esc(l) or "<br>") for l in orig_lines(c)))
    h += "</body></html>"
    b = "--_com.samsung.android.email_%d%d" % (rnd.randint(10 ** 8, 10 ** 9), rnd.randint(10 ** 5, 10 ** 6))
    parts = []
    if not c.html_only:
        parts.append(leaf("text/plain; charset=utf-8", "\n".join(plain) + "\n", "base64"))
    parts.append(leaf("text/html; charset=utf-8", h + "\n", "base64"))
    ct, body = multipart("alternative", b, parts) if len(parts) > 1 else (None, parts[0])
    ct, body = with_attachments(c, ct, body, boundary="--_com.samsung.android.email_%d" % rnd.randint(10 ** 12, 10 ** 13))
    mid = "<%s.%s@email.android.com>" % (c.when.strftime("%Y%m%d%H%M%S"), alnum(10).lower())
    return [], mid, ct, body, "Re: "


def r_apple(c, iphone=True):
    a = c.a
    footer = c.footer if c.footer is not None else (["Dikirim dari iPhone saya"] if iphone else [])
    top = top_lines(c, footer)
    if c.lang == "en":
        attr = "On %s %d, %d, at %d:%02d %s, %s <%s> wrote:" % (MON_EN_FULL[a.when.month][:3], a.when.day, a.when.year,
                                                                 a.when.hour % 12 or 12, a.when.minute, "AM" if a.when.hour < 12 else "PM",
                                                                 a.frm[0], a.frm[1])
    else:
        attr = "%s, %s <%s> menulis:" % (attribution_date_id(a.when, "apple"), a.frm[0], a.frm[1])
    plain = top[:]
    ol = orig_lines(c)
    if c.quote and c.thread != "none":
        ql = ["\ufeff" + ol[0]] + ol[1:] if iphone else ol
        plain += ([""] if not c.tight else []) + quoted([attr, ""] + ql)
    flow = c.kw.get("flowed", not iphone)
    if flow:
        plain = flowed(plain)
    h = '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto">'
    h += html_lines(top, "div", ' dir="ltr"')
    if c.quote and c.thread != "none":
        h += ('<div dir="ltr"><br><blockquote type="cite">%s<br><br></blockquote></div><blockquote type="cite">'
              '<div dir="ltr">\ufeff%s</div></blockquote>' % (esc(attr), "".join("<div>%s</div>" % (esc(l) or "<br>") for l in ol)))
    h += "</body></html>"
    b = "Apple-Mail-%s-%s-%s-%s-%s" % (hexid(8).upper(), hexid(4).upper(), hexid(4).upper(), hexid(4).upper(), hexid(12).upper())
    pct = "text/plain; charset=utf-8" + ("; format=flowed" if flow else "")
    parts = []
    if not c.html_only:
        parts.append(leaf(pct, "\n".join(plain) + "\n", "quoted-printable"))
    if not c.plain_only:
        parts.append(leaf("text/html; charset=utf-8", h + "\n", "quoted-printable"))
    if len(parts) > 1:
        ct, body = multipart("alternative", b, parts)
    else:
        ct, body = None, parts[0]
    if c.attach:
        ct, body = with_attachments(c, ct, body, boundary="Apple-Mail-" + hexid(8).upper())
    mid = "<%s-%s-%s-%s-%s@%s>" % (hexid(8).upper(), hexid(4).upper(), hexid(4).upper(), hexid(4).upper(), hexid(12).upper(),
                                   c.who.addr.split("@")[1])
    hdrs = ["X-Mailer: iPhone Mail (21E236)" if iphone else "X-Mailer: Apple Mail (2.3774.500.171.1.1)"]
    return hdrs, mid, ct, body, "Re: "


def r_thunderbird(c):
    a = c.a
    if c.lang == "en":
        attr = "On %d/%d/24 9:15 AM, %s wrote:" % (a.when.month, a.when.day, a.frm[0])
    else:
        attr = "%s, %s menulis:" % (attribution_date_id(a.when, "tb"), a.frm[0])
    if c.kw.get("bottom"):
        # Bottom-posting: the answer comes under the quote.
        plain = [attr] + quoted(orig_lines(c)) + [""] + top_lines(c, [])
    else:
        plain = top_lines(c, [])
        if c.quote and c.thread != "none":
            plain += ([""] if not c.tight else []) + [attr] + quoted(orig_lines(c))
    text = "\n".join(flowed(plain)) + "\n"
    hdrs = ["User-Agent: Mozilla Thunderbird", "Content-Language: id"]
    mid = "<%s-%s-%s-%s-%s@%s>" % (hexid(8), hexid(4), hexid(4), hexid(4), hexid(12), c.who.addr.split("@")[1])
    if c.attach:
        parts = [leaf("text/plain; charset=UTF-8; format=flowed", text, "8bit")]
        for fn in c.attach:
            typ = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[fn.rsplit(".", 1)[1]]
            parts.append(leaf_bytes('%s; name="%s"' % (typ, fn), fake_file(fn), ['Content-Disposition: attachment; filename="%s"' % fn]))
        ct, body = multipart("mixed", "------------" + alnum(24), parts, preamble="This is a multi-part message in MIME format.")
        return hdrs, mid, ct, body, "Re: "
    return hdrs, mid, None, leaf("text/plain; charset=UTF-8; format=flowed", text, "8bit"), "Re: "


def r_zimbra(c):
    a = c.a
    top = top_lines(c, [])
    block = ["----- Pesan Asli -----", 'Dari: "%s" <%s>' % a.frm, 'Kepada: "%s" <%s>' % (c.who.short, c.who.addr),
             "Terkirim: %s" % attribution_date_id(a.when, "zimbra"), "Perihal: %s" % a.subject, ""]
    plain = top[:]
    pref = c.kw.get("zprefix", True)
    if c.quote and c.thread != "none":
        plain += ([""] if not c.tight else []) + block + (quoted(orig_lines(c)) if pref else orig_lines(c))
    h = ('<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">'
         + html_lines(top, "div"))
    if c.quote and c.thread != "none":
        h += ('<div><br></div><hr id="zwchr" data-marker="__DIVIDER__"><div data-marker="__HEADERS__"><b>Dari: </b>"%s" &lt;%s&gt;<br>'
              '<b>Kepada: </b>"%s" &lt;%s&gt;<br><b>Terkirim: </b>%s<br><b>Perihal: </b>%s<br></div><br>'
              '<div data-marker="__QUOTED_TEXT__">%s</div>' % (
                  esc(a.frm[0]), a.frm[1], esc(c.who.short), c.who.addr, attribution_date_id(a.when, "zimbra"), esc(a.subject),
                  "<br>".join(esc(l) for l in orig_lines(c))))
    h += "</div></body></html>"
    b = "=_%s-%s-%s-%s-%s" % (hexid(8), hexid(4), hexid(4), hexid(4), hexid(12))
    parts = [leaf("text/plain; charset=utf-8", "\n".join(plain) + "\n", "7bit" if all(ord(ch) < 128 for ch in "\n".join(plain)) else "quoted-printable"),
             leaf("text/html; charset=utf-8", h + "\n", "quoted-printable")]
    if c.html_only:
        parts = parts[1:]
    ct, body = multipart("alternative", b, parts) if len(parts) > 1 else (None, parts[0])
    ct, body = with_attachments(c, ct, body, boundary="=_" + hexid(8) + "-" + hexid(4))
    mid = "<%d.%d.%d.JavaMail.zimbra@%s>" % (rnd.randint(10 ** 8, 10 ** 9), rnd.randint(10 ** 5, 10 ** 6), int(c.when.timestamp() * 1000), "bangkatengah.go.id")
    hdrs = ["X-Mailer: Zimbra 8.8.15_GA_4581 (ZimbraWebClient - GC124 (Win)/8.8.15_GA_4581)",
            "Thread-Topic: %s" % a.subject, "Thread-Index: %s" % alnum(28)]
    return hdrs, mid, ct, body, "Re: "


def r_lotus(c):
    a = c.a
    top = top_lines(c, [])
    form = c.kw.get("form", "stack")
    notes_name = c.kw.get("notes_name", c.who.short + "/DINSOSPMD@DINSOSPMD")
    if form == "stack":
        block = ["%s <%s>" % a.frm, attribution_date_id(a.when, "lotus"), "", "To", notes_name, "cc", "", "Subject", a.subject, "", "", ""]
    elif form == "colon":
        block = ["%s <%s>" % a.frm, attribution_date_id(a.when, "lotus"), "To: %s" % notes_name, "cc: ", "Subject: %s" % a.subject, "", ""]
    elif form == "on":
        block = ["%s <%s> on %s" % (a.frm[0], a.frm[1], attribution_date_id(a.when, "lotus").replace(" AM", ":20 AM").replace(" PM", ":20 PM")),
                 "To: %s" % notes_name, "cc: ", "Subject: %s" % a.subject, "", ""]
    elif form == "fwd":
        fwd_by = c.kw["fwd_by"]
        block = ["----- Forwarded by %s on %s" % (fwd_by, attribution_date_id(c.kw["fwd_at"], "lotus")), "-----", "",
                 "%s <%s>" % a.frm, attribution_date_id(a.when, "lotus"), "To: %s" % fwd_by, "cc: ", "Subject: %s" % a.subject, "", ""]
    plain = top[:]
    if c.quote and c.thread != "none":
        plain += ([""] * 3 if not c.tight else []) + block + orig_lines(c)
    h = ('<html><body><p><font size=2 face="sans-serif">%s</font><br><br><br>' % "<br>".join(esc(l) for l in top))
    if c.quote and c.thread != "none":
        h += ('<font size=1 color="#5f5f5f" face="sans-serif">%s</font><br><br><tt><font size=2>%s</font></tt>' % (
            "<br>".join(esc(l) for l in block), "<br>".join(esc(l) for l in orig_lines(c))))
    h += "</body></html>"
    b = "=_alternative %s_=" % alnum(16, "0123456789ABCDEF")
    parts = [leaf("text/plain; charset=\"US-ASCII\"", "\n".join(plain) + "\n", "quoted-printable"),
             leaf("text/html; charset=\"US-ASCII\"", h + "\n", "quoted-printable")]
    ct, body = multipart("alternative", b, parts)
    mid = "<OF%s.%s-ON48257D12.%s-48257D12.%s@%s>" % (alnum(8, "0123456789ABCDEF"), alnum(8, "0123456789ABCDEF"),
                                                     alnum(8, "0123456789ABCDEF"), alnum(8, "0123456789ABCDEF"), DOM)
    hdrs = ["X-Mailer: Lotus Notes Release 8.5.3 September 15, 2011",
            "X-MIMETrack: Serialize by Router on NOTES01/DINSOSPMD(Release 9.0.1FP10|January 22, 2018) at %s" % c.when.strftime("%d/%m/%Y %H:%M:%S")]
    return hdrs, mid, ct, body, "Re: "

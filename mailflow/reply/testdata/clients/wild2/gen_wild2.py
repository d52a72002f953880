#!/usr/bin/env python3
"""Render the wild2 reply fixtures: python3 gen_wild2.py rewrites tune/ and heldout/ byte for byte.

One renderer per client (headers, MIME layout, encodings, quote header, footer); every random
value comes from random.Random("wild2:" + case name). The cases are in cases_wild2.py."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mime_wild2 import (OFFICE, OFFICE_NAME, DOMAIN, HARI3, BLN3, BULAN, HARI, MON_EN, DAY_EN, rfc_date, orig_mail,  # noqa: E402
                        qp, b64, part, text_part, multipart, fake_file, html_escape, html_lines, rnd_hex,
                        rnd_alnum, rng_for, tanggal)


def quote_gt(text):
    return "\n".join(("> " + l) if l else ">" for l in text.rstrip("\n").split("\n"))


def reply_time(o, rng, mins=None):
    hh = o["hh"] + 1 + rng.randrange(0, 5)
    return hh, rng.randrange(0, 60)


def base_headers(c, o, rng, date, subject, mailer=None, msgid=None, to=None, irt=True):
    p = c["who"]
    h = ["Return-Path: <%s>" % p.email,
         "Received: from %s (%s [%d.%d.%d.%d])\n\tby mail.%s (Postfix) with ESMTPS id %s\n\tfor <%s>; %s"
         % (c["relay"], c["relay"], rng.randrange(20, 220), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255),
            "bangkatengahkab.go.id", rnd_hex(rng, 10).upper(), OFFICE, date),
         "Date: " + date,
         "From: %s <%s>" % (c.get("from_name", p.name.split(",")[0]), p.email),
         "To: %s" % (to or "%s <%s>" % (OFFICE_NAME, OFFICE)),
         "Subject: " + subject,
         "Message-ID: " + (msgid or "<%s@%s>" % (rnd_alnum(rng, 24), c["relay"]))]
    if irt:
        h += ["In-Reply-To: " + o["msgid"], "References: " + o["msgid"]]
    if mailer:
        h.append(mailer)
    h.append("MIME-Version: 1.0")
    return h


def attach_parts(c, rng, disp="attachment"):
    out = []
    for fn in c.get("atts", []):
        ct, data = fake_file(fn, rng)
        out.append(part('%s; name="%s"' % (ct, fn), b64(data), "base64",
                        ['Content-Disposition: %s; filename="%s"' % (disp, fn)]))
    return out


def html_doc(inner, head=""):
    return "<html>%s<body>\n%s\n</body></html>\n" % (head, inner)


# ---- clients ------------------------------------------------------------------------------

def r_gmail(c, o, rng, lang="id"):
    y, m, d, wd = o["day"]
    hh, mm = reply_time(o, rng)
    if lang == "android":
        attrib = "Pada tanggal %s, %d %s %d %02d.%02d, %s <%s>\nmenulis:" % (HARI3[wd], d, BLN3[m - 1], y, o["hh"], o["mm"], OFFICE_NAME, OFFICE)
    elif lang == "id":
        attrib = "Pada %s, %d %s %d pukul %02d.%02d %s <%s>\nmenulis:" % (HARI3[wd], d, BLN3[m - 1], y, o["hh"], o["mm"], OFFICE_NAME, OFFICE)
    else:
        attrib = "On %s, %s %d, %d at %d:%02d AM %s <%s>\nwrote:" % (DAY_EN[wd], MON_EN[m - 1], d, y, o["hh"], o["mm"], OFFICE_NAME, OFFICE)
    typed = c["body"]
    sig = c.get("sig", "")
    if c.get("mode") == "bottom":
        plain = attrib + "\n\n" + quote_gt(o["text"]) + "\n\n" + typed + ("\n\n" + sig if sig else "") + "\n"
    else:
        plain = typed + ("\n\n-- \n" + sig if sig else "") + "\n\n" + attrib + "\n\n" + quote_gt(o["text"]) + "\n"
    hbody = '<div dir="ltr">%s</div>' % html_lines(typed)
    if sig:
        hbody += '<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature">%s</div>' % html_lines(sig)
    hq = ('<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">%s</div><blockquote class="gmail_quote" '
          'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">%s</blockquote></div>'
          % (html_escape(attrib.replace("\n", " ")), html_lines(o["text"])))
    html = hbody + hq if c.get("mode") != "bottom" else hq + hbody
    if c.get("html_override"):
        html = c["html_override"]
    b1, b2 = "000000000000" + rnd_hex(rng, 16), "000000000000" + rnd_hex(rng, 16)
    alt = multipart("alternative", [text_part('text/plain; charset="UTF-8"', plain, "qp"),
                                     text_part('text/html; charset="UTF-8"', html + "\n", "qp")], b1)
    atts = attach_parts(c, rng)
    body = multipart("mixed", [alt] + atts, b2) if atts else alt
    date = rfc_date(o["day"], hh, mm, rng.randrange(60))
    subj = c.get("subject", "Re: " + o["subject"])
    h = base_headers(c, o, rng, date, subj, msgid="<CA%s+%s@mail.gmail.com>" % (rnd_alnum(rng, 10), rnd_alnum(rng, 30)))
    return "\n".join(h) + "\n" + body


def r_gmail_android(c, o, rng):
    """Gmail for Android: Gmail's MIME layout with the app's own attribution line."""
    return r_gmail(c, o, rng, "android")


def outlook_block(o, lang):
    y, m, d, wd = o["day"]
    if lang == "id":
        return ("________________________________\nDari: %s <%s>\nDikirim: %s, %d %s %d %02d.%02d\nKepada: %s\nPerihal: %s\n"
                % (OFFICE_NAME, OFFICE, HARI[wd], d, BULAN[m - 1], y, o["hh"], o["mm"], "{to}", o["subject"]))
    return ("________________________________\nFrom: %s <%s>\nSent: %s, %s %d, %d %d:%02d AM\nTo: %s\nSubject: %s\n"
            % (OFFICE_NAME, OFFICE, ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][wd],
               ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"][m - 1], d, y, o["hh"], o["mm"], "{to}", o["subject"]))


def r_outlook(c, o, rng, lang="id", mobile=None):
    p = c["who"]
    hh, mm = reply_time(o, rng)
    blk = outlook_block(o, lang).replace("{to}", "%s <%s>" % (p.name.split(",")[0], p.email))
    typed, sig = c["body"], c.get("sig", "")
    foot = {"ios": "Dapatkan Outlook untuk iOS", "android": "Dapatkan Outlook untuk Android"}.get(mobile, "")
    top = typed + ("\n\n" + sig if sig else "") + ("\n\n" + foot if foot else "")
    plain = top + "\n\n" + blk + "\n" + o["text"]
    if mobile:
        html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div dir="auto">%s</div>' % html_lines(top)
        html += '<hr style="display:inline-block;width:98%%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">%s</div><div>%s</div></body></html>' % (
            html_lines(blk.split("\n", 1)[1]), html_lines(o["text"]))
    else:
        html = ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
                'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
                'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii">'
                '<meta name="Generator" content="Microsoft Word 15 (filtered medium)"><style><!--p.MsoNormal{margin:0cm;font-size:11.0pt;'
                'font-family:"Calibri",sans-serif;}--></style></head><body lang="EN-ID" link="#0563C1" vlink="#954F72"><div class="WordSection1">\n')
        html += "\n".join('<p class="MsoNormal">%s<o:p></o:p></p>' % (html_escape(l) if l else "&nbsp;") for l in top.split("\n"))
        html += ('\n<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>%s</b></p></div>\n'
                 % "<br>".join(html_escape(l) for l in blk.split("\n")[1:] if l))
        html += "\n".join('<p class="MsoNormal">%s<o:p></o:p></p>' % (html_escape(l) if l else "&nbsp;") for l in o["text"].split("\n"))
        html += "\n</div></body></html>"
    if c.get("html_override"):
        html = c["html_override"]
    enc = "b64" if mobile == "android" else "qp"
    b1 = "_000_%s%s_" % (rnd_alnum(rng, 20).upper(), "SG2PR04MB")
    alt = multipart("alternative", [text_part('text/plain; charset="utf-8"' if mobile else 'text/plain; charset="us-ascii"', plain, enc),
                                     text_part('text/html; charset="utf-8"' if mobile else 'text/html; charset="us-ascii"', html + "\n", enc)], b1)
    atts = attach_parts(c, rng)
    body = multipart("mixed", [alt] + atts, "_004_" + rnd_alnum(rng, 20).upper() + "_") if atts else alt
    date = rfc_date(o["day"], hh, mm, rng.randrange(60))
    prefix = {"id": "BLS: ", "en": "RE: "}[lang] if not mobile else "Re: "
    subj = c.get("subject", prefix + o["subject"])
    h = base_headers(c, o, rng, date, subj, msgid="<%s@%s.apcprd04.prod.outlook.com>" % (rnd_alnum(rng, 40).upper(), rnd_alnum(rng, 12).upper()))
    h[-1:-1] = ["Thread-Topic: " + o["subject"], "Thread-Index: AQH" + rnd_alnum(rng, 29) + "==",
                "Accept-Language: %s" % ("id-ID, en-US" if lang == "id" else "en-US"),
                "Content-Language: %s" % ("id-ID" if lang == "id" else "en-US"),
                "X-MS-Has-Attach: %s" % ("yes" if c.get("atts") else ""), "X-MS-TNEF-Correlator:"]
    return "\n".join(h) + "\n" + body


def r_iphone(c, o, rng):
    """iPhone Mail: plain+html; with attachments the iOS quirk of text / attachment / text fragments in multipart/mixed."""
    y, m, d, wd = o["day"]
    hh, mm = reply_time(o, rng)
    attrib = "Pada %d %s %d, pukul %02d.%02d, %s <%s> menulis:" % (d, BLN3[m - 1], y, o["hh"], o["mm"], OFFICE_NAME, OFFICE)
    footer = c.get("footer", "Dikirim dari iPhone saya")
    quoted = quote_gt(o["text"])
    b = "Apple-Mail-" + "-".join([rnd_alnum(rng, 8).upper(), rnd_alnum(rng, 4).upper(), rnd_alnum(rng, 4).upper()])
    if c.get("atts"):
        first = text_part("text/plain;\n\tcharset=us-ascii", c["body"] + "\n", "qp")
        rest = text_part("text/plain;\n\tcharset=utf-8", "\n\n" + footer + "\n\n" + attrib + "\n\n" + quoted + "\n", "qp")
        parts = [first]
        for fn in c["atts"]:
            ct, data = fake_file(fn, rng)
            parts.append(part('%s;\n\tname="%s"' % (ct, fn), b64(data), "base64",
                              ['Content-Disposition: inline;\n\tfilename="%s"' % fn]))
        parts.append(rest)
        body = multipart("mixed", parts, b)
    else:
        plain = c["body"] + "\n\n" + footer + "\n\n" + attrib + "\n\n" + quoted + "\n"
        html = ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto">'
                '<div dir="ltr">%s</div><div dir="ltr"><br></div><div dir="ltr">%s</div><div dir="ltr"><br><blockquote type="cite">%s<br><br></blockquote></div>'
                '<blockquote type="cite"><div dir="ltr">%s</div></blockquote></body></html>'
                % (html_lines(c["body"], "div"), html_escape(footer), html_escape(attrib), html_lines(o["text"])))
        if c.get("html_override"):
            html = c["html_override"]
        body = multipart("alternative", [text_part("text/plain;\n\tcharset=utf-8", plain, "qp"),
                                         text_part("text/html;\n\tcharset=utf-8", html + "\n", "qp")], b)
    date = rfc_date(o["day"], hh, mm, rng.randrange(60))
    h = base_headers(c, o, rng, date, c.get("subject", "Re: " + o["subject"]),
                     mailer="X-Mailer: iPhone Mail (21F90)",
                     msgid="<%s-%s-%s@gmail.com>" % (rnd_alnum(rng, 8).upper(), rnd_alnum(rng, 4).upper(), rnd_alnum(rng, 12).upper()))
    h[-1] = "Mime-Version: 1.0 (1.0)"
    return "\n".join(h) + "\n" + body


def r_yahoo(c, o, rng):
    y, m, d, wd = o["day"]
    hh, mm = reply_time(o, rng)
    attrib = "Pada %s, %d %s %d pukul %02d.%02d.%02d WIB, %s <%s> menulis:" % (HARI[wd], d, BULAN[m - 1], y, o["hh"], o["mm"], 11, OFFICE_NAME, OFFICE)
    ind = "\n".join(" " + l for l in o["text"].split("\n"))
    plain = c["body"] + "\n\n    " + attrib + "  \n \n" + ind + "\n"
    html = ('<html><head></head><body><div class="ydp%s yahoo-style-wrap" style="font-family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:13px;">%s</div>'
            '<div id="yahoo_quoted_%s" class="yahoo_quoted"><div style="font-family:\'Helvetica Neue\', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;">'
            '<div>%s</div><div><br></div><div><br></div><div>%s</div></div></div></body></html>'
            % (rnd_hex(rng, 8), html_lines(c["body"]), rnd_alnum(rng, 10), html_escape(attrib), html_lines(o["text"])))
    b1 = "----=_Part_%d_%d.%d" % (rng.randrange(10**6), rng.randrange(10**9), rng.randrange(10**12))
    alt = multipart("alternative", [text_part("text/plain; charset=UTF-8", plain, "qp"),
                                     text_part("text/html; charset=UTF-8", html + "\n", "qp")], b1)
    atts = attach_parts(c, rng)
    body = multipart("mixed", [alt] + atts, "----=_Part_%d_%d" % (rng.randrange(10**6), rng.randrange(10**9))) if atts else alt
    date = rfc_date(o["day"], hh, mm, rng.randrange(60), "+0000")
    h = base_headers(c, o, rng, date, c.get("subject", "Re: " + o["subject"]),
                     mailer="X-Mailer: WebService/1.1.22363 YMailNorrin",
                     msgid="<%d.%d.%d@mail.yahoo.com>" % (rng.randrange(10**8, 10**9), rng.randrange(10**6, 10**7), rng.randrange(10**12, 10**13)))
    return "\n".join(h) + "\n" + body


ZIMBRA_DISCLAIMER = ("\n\n--\nPERHATIAN: Surel ini beserta lampirannya hanya ditujukan kepada penerima yang dimaksud dan dapat berisi "
                     "informasi yang bersifat rahasia. Apabila Anda bukan penerima yang dimaksud, Anda tidak diperkenankan "
                     "menyebarluaskan surel ini dan mohon segera menghapusnya. Dengan menggunakan layanan surel Pemerintah "
                     "Kabupaten Bangka Tengah, pengguna dianggap setuju dengan ketentuan penggunaan yang berlaku.\n")


def r_zimbra(c, o, rng):
    p = c["who"]
    y, m, d, wd = o["day"]
    hh, mm = reply_time(o, rng)
    hdr = ("----- Pesan Asli -----\nDari: \"%s\" <%s>\nKepada: \"%s\" <%s>\nTerkirim: %s, %d %s %d %02d:%02d:00\nSubjek: %s\n"
           % (OFFICE_NAME, OFFICE, p.name.split(",")[0], p.email, HARI[wd], d, BULAN[m - 1], y, o["hh"], o["mm"], o["subject"]))
    typed, sig = c["body"], c.get("sig", "")
    plain = typed + ("\n\n" + sig if sig else "") + "\n\n" + hdr + "\n" + quote_gt(o["text"]) + ZIMBRA_DISCLAIMER
    html = ('<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">%s'
            '<div><br></div><hr id="zwchr" data-marker="__DIVIDER__"><div data-marker="__HEADERS__"><b>Dari: </b>"%s" &lt;%s&gt;<br><b>Subjek: </b>%s<br></div>'
            '<div><br></div><div data-marker="__QUOTED_TEXT__">%s</div></div>%s</body></html>'
            % (html_lines(typed + ("\n\n" + sig if sig else "")), OFFICE_NAME, OFFICE, html_escape(o["subject"]), html_lines(o["text"]),
               html_lines(ZIMBRA_DISCLAIMER.strip("\n"))))
    if c.get("html_only"):
        alt = text_part("text/html; charset=utf-8", html + "\n", "qp")
    else:
        alt = multipart("alternative", [text_part("text/plain; charset=utf-8", plain, "qp"),
                                         text_part("text/html; charset=utf-8", html + "\n", "qp")], "=_" + rnd_hex(rng, 8) + "-" + rnd_hex(rng, 4))
    atts = attach_parts(c, rng)
    body = multipart("mixed", [alt] + atts, "=_" + rnd_hex(rng, 12)) if atts else alt
    date = rfc_date(o["day"], hh, mm, rng.randrange(60))
    h = base_headers(c, o, rng, date, c.get("subject", "Re: " + o["subject"]),
                     mailer="X-Mailer: Zimbra 8.8.15_GA_4581 (ZimbraWebClient - GC125 (Win)/8.8.15_GA_4581)",
                     msgid="<%d.%d.%d.JavaMail.zimbra@bangkatengahkab.go.id>" % (rng.randrange(10**8, 10**9), rng.randrange(10**6, 10**7), rng.randrange(10**12, 10**13)))
    h.insert(-1, "Thread-Topic: " + o["subject"])
    return "\n".join(h) + "\n" + body


def r_thunderbird(c, o, rng):
    y, m, d, wd = o["day"]
    hh, mm = reply_time(o, rng)
    attrib = "Pada %02d/%02d/%d %02d.%02d, %s menulis:" % (d, m, y, o["hh"], o["mm"], OFFICE_NAME)
    q = quote_gt(o["text"])
    if c.get("mode") == "inline":
        # body is a list: str = typed, ("q", a, b) = quoted original lines a..b (substring markers)
        segs, lines = [], o["text"].split("\n")
        for s in c["segments"]:
            if isinstance(s, tuple):
                i = next(k for k, l in enumerate(lines) if s[1] in l)
                segs.append(quote_gt("\n".join(lines[i:i + s[2]])))
            else:
                segs.append(s)
        plain = attrib + "\n" + "\n\n".join(segs) + "\n\n" + (c.get("sig") and "-- \n" + c["sig"] + "\n" or "")
    elif c.get("mode") == "bottom":
        plain = attrib + "\n" + q + "\n\n" + c["body"] + "\n" + (c.get("sig") and "\n-- \n" + c["sig"] + "\n" or "")
    else:
        plain = c["body"] + "\n" + (c.get("sig") and "\n-- \n" + c["sig"] + "\n" or "") + "\n" + attrib + "\n" + q + "\n"
    tp = part("text/plain; charset=UTF-8; format=flowed", plain, "8bit")
    atts = attach_parts(c, rng)
    body = multipart("mixed", [tp] + atts, "------------" + rnd_alnum(rng, 24)) if atts else tp
    date = rfc_date(o["day"], hh, mm, rng.randrange(60))
    h = base_headers(c, o, rng, date, c.get("subject", "Re: " + o["subject"]),
                     mailer="User-Agent: Mozilla Thunderbird", msgid="<%s-%s@%s>" % (rnd_hex(rng, 8), rnd_hex(rng, 12), c["who"].email.split("@")[1]))
    h.insert(-1, "Content-Language: id")
    return "\n".join(h) + "\n" + body


RENDER = {
    "gmail-web-id": r_gmail,
    "gmail-web-en": lambda c, o, r: r_gmail(c, o, r, "en"),
    "gmail-android": r_gmail_android,
    "outlook-desktop-id": r_outlook,
    "outlook-desktop-en": lambda c, o, r: r_outlook(c, o, r, "en"),
    "outlook-ios": lambda c, o, r: r_outlook(c, o, r, "id", "ios"),
    "outlook-android": lambda c, o, r: r_outlook(c, o, r, "id", "android"),
    "iphone-mail": r_iphone,
    "yahoo-web": r_yahoo,
    "zimbra-web": r_zimbra,
    "thunderbird": r_thunderbird,
}


def render(c, run):
    rng = rng_for(c["name"])
    o = orig_mail(run, c["orig"], c["who"], rng)
    c.setdefault("relay", {"gmail": "mail-pj1-f45.google.com", "yahoo": "sonic301-21.consmr.mail.sg3.yahoo.com",
                           "outlook": "SG2PR04MB5678.apcprd04.prod.outlook.com"}.get(c["client"].split("-")[0],
                                                                                     "mail.bangkatengahkab.go.id"))
    if c["client"] in RENDER:
        raw = RENDER[c["client"]](c, o, rng)
    else:
        import special_wild2
        raw = special_wild2.render(c, o, rng, run)
    raw = raw.replace("\r\n", "\n")
    if c.get("lf"):
        return raw.encode("utf-8")
    return raw.replace("\n", "\r\n").encode("utf-8")


def want(c):
    w = {"kind": c["kind"], "command": c["command"]}
    for k in ("text", "notes", "partstat", "delegate"):
        if c.get(k) is not None:
            w[k] = c[k]
    if c["command"] != "approve":
        w["must_not_approve"] = True
    w["client"] = c["client"]
    w["note"] = c["note"]
    return w


def main():
    import cases_wild2
    for partname, (run, cases) in (("tune", cases_wild2.tune()), ("heldout", cases_wild2.heldout())):
        d = os.path.join(HERE, partname)
        os.makedirs(d, exist_ok=True)
        seen = set()
        for c in cases:
            assert c["name"] not in seen, c["name"]
            seen.add(c["name"])
            with open(os.path.join(d, c["name"] + ".eml"), "wb") as f:
                f.write(render(c, run))
            with open(os.path.join(d, c["name"] + ".want.json"), "w", encoding="utf-8") as f:
                json.dump(want(c), f, ensure_ascii=False, indent=1)
                f.write("\n")
        print("%s: %d cases" % (partname, len(cases)))


if __name__ == "__main__":
    main()

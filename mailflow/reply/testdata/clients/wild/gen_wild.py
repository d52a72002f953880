#!/usr/bin/env python3
"""Render the wild/ reply fixtures: python3 gen_wild.py rewrites tune/ and heldout/ byte for byte.

One renderer per mail client, written from what those clients put on the wire (header set,
Message-ID shape, MIME layout, transfer encoding, quote header and its place, footer), not
from mailflow's reply reader nor from the gen/ fixtures. Cases are in cases_tune.py and
cases_heldout.py. Every random value comes from random.Random(case name), so output is stable.
"""
import datetime
import html
import json
import os
import random
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mime_wild import *  # noqa: F401,F403  (names, dates, encoders, header and quote pieces)

HERE = os.path.dirname(os.path.abspath(__file__))
def gmail(c, o, r, lang="id", mobile=False):
    m = Msg(c, o, r)
    pre = "Re:"
    base_headers(m, c, o, "<CA%s%s@mail.gmail.com>" % (r.choice(["+", "J", "K", "E"]), b64(bytes(
        r.getrandbits(8) for _ in range(33))).strip().replace("/", "_").replace("+", "-")[:44]), subject(c, o, pre))
    attr = attribution({"en": "gmail-en", "id": "gmail-id", "and": "gmail-and-id"}[lang], o)
    lines = c["typed"].split("\n")
    sig = c["who"].sig(c["sig"]) if c.get("sig") else []
    text = "\n".join(lines + ([""] + ["-- "] + sig if sig else []))
    wrapped = "\n".join(textwrap.wrap(attr, 76, break_on_hyphens=False))
    if c.get("pos") == "bottom":
        text = wrapped + "\n\n" + quote_gt(o.text) + "\n\n" + text
    else:
        text = text + "\n\n" + wrapped + "\n\n" + quote_gt(o.text)
    dv = ' dir="auto"' if mobile else ' dir="ltr"'
    hb = "<div%s>%s</div>" % (dv, typed_html(lines, "div", dv) if not mobile else "<br>".join(
        html.escape(l, quote=False) for l in lines))
    if sig:
        hb += '<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" ' \
              'class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">%s</div></div>' % \
              "<div>%s</div>" % "</div><div>".join(html.escape(s) for s in sig)
    q = '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">%s<br></div><blockquote class="gmail_quote" ' \
        'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">%s</blockquote>' \
        '</div>' % (html.escape(attr, quote=False), o.html)
    h = (hb + "<br>" + q) if c.get("pos") != "bottom" else (q + hb)
    b = "000000000000" + rhex(r, 12)
    body = multipart("alternative", b, [leaf("text/plain", encode(text, "quoted-printable"), "quoted-printable", "UTF-8"),
                                        leaf("text/html", encode(h + "\n", "quoted-printable"), "quoted-printable", "UTF-8")])
    return m, body, True


def outlook_desktop(c, o, r, lang="id"):
    m = Msg(c, o, r)
    pre = {"id": "BLS:", "en": "RE:"}[lang]
    base_headers(m, c, o, "<%09x$%08x$%08x$@%s>" % (r.getrandbits(34), r.getrandbits(32), r.getrandbits(32),
                                                       c["who"].email.split("@")[1]), subject(c, o, pre), order="outlook")
    m.add("X-Mailer", "Microsoft Outlook 16.0")
    m.add("Thread-Index", "AQ" + b64(bytes(r.getrandbits(8) for _ in range(24))).strip()[:30])
    m.add("Content-Language", "id" if lang == "id" else "en-us")
    cs = c.get("charset", "us-ascii")
    lines = new_lines(c, None)
    hb = header_block(lang, o, '"%s" <%s>' % (c["who"].short, c["who"].email), "")
    text = "\n".join(lines) + "\n\n" + "\n".join(hb) + "\n\n" + o.text.replace("-- \n", "--\n")
    p = lambda l: "<p class=MsoNormal>%s<o:p></o:p></p>" % (html.escape(l, quote=False) if l.strip() else "<o:p>&nbsp;</o:p>")
    hdr = "<br>".join("<b>%s:</b> %s" % tuple(html.escape(x, quote=False) for x in l.split(": ", 1)) for l in hb)
    rtf = c.get("rtf")
    h = ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
         'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
         'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset=%s">'
         '<meta name=Generator content="Microsoft Word 15 (filtered medium)"><!--[if gte mso 9]><xml>\n'
         '<o:shapedefaults v:ext="edit" spidmax="1026" />\n</xml><![endif]--><style><!--\n'
         'p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;}\n'
         '--></style></head><body lang=%s link="#0563C1" vlink="#954F72" style=\'word-wrap:break-word\'>'
         '<div class=WordSection1>' % (cs, "IN" if lang == "id" else "EN-US"))
    if rtf:
        h += "".join("<p class=MsoNormal><span style='font-size:11.0pt;font-family:\"Calibri\",sans-serif;"
                     "mso-fareast-language:IN'>%s<o:p></o:p></span></p>" % (html.escape(l, quote=False) or "<o:p>&nbsp;</o:p>")
                     for l in lines)
    else:
        h += "".join(p(l) for l in lines)
    h += "<p class=MsoNormal><o:p>&nbsp;</o:p></p><div><div style='border:none;border-top:solid #E1E1E1 1.0pt;" \
         "padding:3.0pt 0cm 0cm 0cm'><p class=MsoNormal><b>%s<o:p></o:p></p></div></div><p class=MsoNormal>" \
         "<o:p>&nbsp;</o:p></p>%s</div></body></html>" % (hdr[3:], "".join(p(l) for l in o.lines))
    b = "----=_NextPart_000_%04X_01DA%04X.%08X" % (r.getrandbits(16), r.getrandbits(16), r.getrandbits(32))
    parts = [leaf("text/html", encode(h, "quoted-printable", cs), "quoted-printable", cs)]
    if not c.get("htmlonly"):
        parts.insert(0, leaf("text/plain", encode(text, "quoted-printable", cs), "quoted-printable", cs))
        return m, multipart("alternative", b, parts), True
    return m, parts[0], True


def owa(c, o, r, lang="en", footer=None, cte="quoted-printable"):
    m = Msg(c, o, r)
    pre = "RE:" if lang == "en" and not footer else "Re:"
    host = "%s%02dMB%04d" % (r.choice(["SG2PR", "TYZPR", "KL1PR", "SEZPR"]), r.randrange(1, 7), r.randrange(1000, 9999))
    base_headers(m, c, o, "<%s%s@%s.apcprd06.prod.outlook.com>" % (host, rhex(r, 12).upper(), host),
                 subject(c, o, pre), order="outlook")
    m.add("Thread-Topic", o.subject)
    m.add("Thread-Index", "AQ" + b64(bytes(r.getrandbits(8) for _ in range(20))).strip()[:26] + "==")
    m.add("Accept-Language", "id-ID, en-US"); m.add("Content-Language", "id-ID" if lang == "id" else "en-US")
    m.add("X-MS-Has-Attach", "yes" if c.get("attach") else ""); m.add("X-MS-TNEF-Correlator", "")
    lines = new_lines(c, None)
    if footer:
        lines += ["", footer[0] + "<" + footer[1] + ">"]
    hb = header_block(lang, o, c["who"].short + " <%s>" % c["who"].email, "________________________________")
    text = "\n".join(lines) + "\n" + "\n".join(hb) + "\n\n" + o.text
    hdr = "<br>".join("<b>%s:</b> %s" % tuple(html.escape(x, quote=False) for x in l.split(": ", 1)) for l in hb[1:])
    fh = ""
    if footer:
        fh = '<div id="ms-outlook-mobile-signature"><div><br></div>%s <a href="%s">%s</a></div>' % (
            html.escape(footer[0].split(" ")[0]), footer[1], html.escape(footer[0].split(" ", 1)[1]))
    h = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style type="text/css" '
         'style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head><body dir="ltr">'
         '<div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Calibri, Helvetica, '
         'sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">%s</div>%s<div id="appendonsend"></div>'
         '<hr style="display:inline-block;width:98%%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">'
         '<font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">%s</font><div>&nbsp;</div></div>'
         '%s</body></html>' % (typed_html(new_lines(c, None)), fh, hdr, o.html))
    b = "_000_%s_" % host + rhex(r, 0)
    body = multipart("alternative", b, [leaf("text/plain", encode(text, cte), cte, "utf-8"),
                                        leaf("text/html", encode(h, cte), cte, "utf-8")])
    return m, body, True


def apple(c, o, r, lang="id", iphone=True):
    m = Msg(c, o, r)
    uid = "%s-%s-%s-%s-%s" % (rhex(r, 8), rhex(r, 4), rhex(r, 4), rhex(r, 4), rhex(r, 12))
    uid = uid.upper()
    footer = {"id": "Dikirim dari iPhone saya", "en": "Sent from my iPhone"}[lang] if iphone else None
    lines = new_lines(c, footer)
    attr = attribution("apple-" + lang, o)
    text = "\n".join(lines) + "\n\n" + quote_gt(attr + "\n\n" + o.text)
    h = ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto">'
         '<div dir="ltr">%s</div><div dir="ltr"><br><blockquote type="cite">%s<br><br></blockquote></div>'
         '<blockquote type="cite"><div dir="ltr">\ufeff%s</div></blockquote></body></html>' % (
             "<br>".join(html.escape(l, quote=False) for l in lines), html.escape(attr, quote=False), o.html))
    b = ("Apple-Mail-" if iphone else "Apple-Mail=_") + uid
    m.add("Content-Type", ('multipart/alternative; boundary="%s"' if "=" in b else 'multipart/alternative; boundary=%s') % b)
    m.add("Content-Transfer-Encoding", "7bit")
    m.add("From", "%s <%s>" % (c["who"].short, c["who"].email))
    m.add("Mime-Version", "1.0 (1.0)" if iphone else "1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))")
    m.add("Subject", subject(c, o, "Re:"))
    m.add("Date", rfc_date(o.when + datetime.timedelta(minutes=c.get("after", 21))))
    m.add("Message-Id", "<%s@%s>" % (uid, c["who"].email.split("@")[1]))
    if not c.get("norefs"):
        m.add("References", "<%s>" % o.msgid)
    m.add("In-Reply-To", "<%s>" % o.msgid)
    m.add("To", SFROM)
    m.add("X-Mailer", "iPhone Mail (21F90)" if iphone else "Apple Mail (2.3774.600.62)")
    parts = [leaf("text/plain", encode(text, "quoted-printable"), "quoted-printable", "utf-8").replace(
        'charset="utf-8"', "charset=utf-8"),
        leaf("text/html", encode(h, "quoted-printable"), "quoted-printable", "utf-8").replace(
        'charset="utf-8"', "charset=utf-8")]
    s = ""
    for p in parts:
        s += "\n--%s\n%s" % (b, p)
    return m, "\n" + s.lstrip("\n") + "--%s--\n" % b, False


def yahoo(c, o, r, mobile=False):
    m = Msg(c, o, r)
    ms = int(o.when.timestamp() * 1000) + 2220000
    base_headers(m, c, o, "<%d.%d.%d@mail.yahoo.com>" % (r.randrange(10 ** 8, 10 ** 9), r.randrange(10 ** 6, 10 ** 7),
                                                         ms), subject(c, o, "Re:"), order="generic")
    footer = "Dikirim dari Yahoo Mail di Android" if mobile else None
    lines = new_lines(c, footer)
    attr = attribution("yahoo-and-id" if mobile else "yahoo-id", o)
    text = "\n".join(lines) + (" \n \n  " if mobile else "\n\n    ") + attr + "  \n \n" + \
        "\n".join(" " + l for l in o.lines)
    yid = "ydp%s" % rhex(r, 8)
    if mobile:
        h = ('<html><head></head><body><div id="yMail_cursorElementTracker_%d">%s</div><div id="ymail_android_signature">'
             '<a id="ymail_android_signature_link" href="https://mail.onelink.me/107872968?pid=nativeplacement&amp;'
             'c=Global_Acquisition_YMktg_315_Internal_EmailSignature">Dikirim dari Yahoo Mail di Android</a></div>'
             ' <br> <blockquote style="margin: 0 0 20px 0;"> <div style="font-family:Roboto, sans-serif; color:#6D00F6;">'
             ' <div>%s</div> </div> <div style="padding: 10px 0 0 20px; margin: 10px 0 0 0; border-left: 1px solid '
             '#6D00F6;"> %s </div> </blockquote></body></html>' % (ms, "<br>".join(html.escape(l) for l in
                                                                                new_lines(c, None)), html.escape(attr), o.html))
    else:
        h = ('<html><head></head><body><div class="%s yahoo-style-wrap" style="font-family:Helvetica Neue, Helvetica, '
             'Arial, sans-serif;font-size:13px;"><div></div>%s</div><div id="%syahoo_quoted_%d" class="%syahoo_quoted">'
             '<div style="font-family:\'Helvetica Neue\', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;">'
             '<div>%s</div><div><br></div><div><br></div><div><div id="yiv%d">%s</div></div></div></div></body></html>'
             % (yid, typed_html(lines, "div", ' dir="ltr" data-setdir="false"'), yid, r.randrange(10 ** 9), yid,
                html.escape(attr), r.randrange(10 ** 9), o.html))
    m.add("X-Mailer", "WebService/1.1.22407 YahooMailAndroidMobile" if mobile else "WebService/1.1.22407 YMailNorrin")
    b = "----=_Part_%d_%d.%d" % (r.randrange(10 ** 6, 10 ** 7), r.randrange(10 ** 8, 10 ** 9), ms)
    body = multipart("alternative", b, [leaf("text/plain", encode(text, "quoted-printable"), "quoted-printable", "UTF-8"),
                                        leaf("text/html", encode(h, "quoted-printable"), "quoted-printable", "UTF-8")])
    return m, body, True


def samsung(c, o, r, huawei=False):
    m = Msg(c, o, r)
    pre = c.get("prefix", "Balas:" if huawei else "Re:")
    base_headers(m, c, o, "<%s@email.android.com>" % ("%s.%s" % (rhex(r, 16), rhex(r, 8)) if not huawei else
                                                      "%d.%d" % (r.randrange(10 ** 12), r.randrange(10 ** 4))),
                 subject(c, o, pre), order="generic")
    footer = "Dikirim dari HUAWEI nova 5T saya" if huawei else "Dikirim dari smartphone Samsung Galaxy saya."
    if c.get("footer"):
        footer = c["footer"]
    sep = "-------- Pesan Asli --------" if huawei else "-------- Pesan asli --------"
    hb = header_block("samsung-id", o, c["who"].email, sep)
    lines = new_lines(c, None)
    text = "\n".join(lines) + "\n\n\n\n" + footer + "\n\n\n" + "\n".join(hb) + "\n\n" + o.text
    h = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>%s'
         '<div dir="auto"><br></div><div dir="auto"><br></div><div id="composer_signature" dir="auto"><div '
         'style="font-size:12px;color:#575757" dir="auto">%s</div></div><div dir="auto"><br></div><div><br></div>'
         '<div align="left" dir="auto" style="font-size:100%%;color:#000000"><div>%s</div></div>%s</body></html>' % (
             typed_html(lines, "div", ' dir="auto"'), html.escape(footer), "</div><div>".join(html.escape(x) for x in hb),
             o.html))
    b = ("--_com.samsung.android.email_%d%d" % (r.randrange(10 ** 8), r.randrange(10 ** 7))) if not huawei else \
        ("--_=_huawei_email_%s" % rhex(r, 20))
    hp = leaf("text/html", b64(h), "base64", "UTF-8")
    if c.get("htmlonly"):
        return m, hp, True
    return m, multipart("alternative", b, [leaf("text/plain", b64(text), "base64", "UTF-8"), hp]), True


def thunderbird(c, o, r, lang="id", htmlmode=False):
    m = Msg(c, o, r)
    dom = c["who"].email.split("@")[1]
    m.add("Message-ID", "<%s-%s-%s-%s-%s@%s>" % (rhex(r, 8), rhex(r, 4), rhex(r, 4), rhex(r, 4), rhex(r, 12), dom))
    m.add("Date", rfc_date(o.when + datetime.timedelta(minutes=c.get("after", 44))))
    m.add("MIME-Version", "1.0")
    m.add("User-Agent", "Mozilla Thunderbird" if lang == "id" else
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.11.0")
    m.add("Subject", subject(c, o, "Re:"))
    m.add("Content-Language", "id" if lang == "id" else "en-US")
    m.add("To", SFROM)
    if not c.get("norefs"):
        m.add("References", "<%s>" % o.msgid)
    m.add("From", "%s <%s>" % (c["who"].short, c["who"].email))
    m.add("In-Reply-To", "<%s>" % o.msgid)
    attr = attribution("tb-" + lang, o)
    lines = c["typed"].split("\n")
    sig = (["-- "] + c["who"].sig(c["sig"])) if c.get("sig") else []
    q = quote_gt(o.text)
    if c.get("inline"):
        ql = o.text.split("\n")
        out = []
        for l in ql:
            out.append(">" if not l else "> " + l)
            for key, ans in c["inline"]:
                if key in l:
                    out += ["", ans, ""]
        text = attr + "\n" + "\n".join(out) + ("\n\n" + "\n".join(sig) if sig else "")
    elif c.get("pos") == "bottom":
        text = attr + "\n" + q + "\n\n" + "\n".join(lines + ([""] + sig if sig else []))
    else:
        text = "\n".join(lines + ([""] + sig if sig else [])) + "\n\n" + attr + "\n" + q
    cs = c.get("charset", "UTF-8")
    if not htmlmode:
        m.add("Content-Type", "text/plain; charset=%s; format=flowed" % cs)
        m.add("Content-Transfer-Encoding", "8bit")
        return m, "\n" + flow(text), False
    h = ('<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
         '  </head>\n  <body>\n    <p>%s</p>\n    <div class="moz-cite-prefix">%s<br>\n    </div>\n    <blockquote '
         'type="cite" cite="mid:%s">%s</blockquote>\n%s  </body>\n</html>' % (
             "<br>\n".join(html.escape(l) for l in lines), html.escape(attr), o.msgid, o.html,
             ('    <pre class="moz-signature" cols="72">%s</pre>\n' % html.escape("\n".join(sig))) if sig else ""))
    b = "------------%s" % "".join(r.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                                   for _ in range(24))
    return m, multipart("alternative", b, [leaf("text/plain", flow(text), "8bit", cs, "; format=flowed"),
                                           leaf("text/html", h, "8bit", cs)]), True


def zimbra(c, o, r, lang="id", htmlonly=False, disclaimer=True):
    m = Msg(c, o, r)
    dom = c["who"].email.split("@")[1]
    m.add("Date", rfc_date(o.when + datetime.timedelta(minutes=c.get("after", 52))) + " (WIB)")
    m.add("From", '%s <%s>' % (c["who"].short, c["who"].email))
    m.add("To", '"%s" <%s>' % (SEKRE_NAME, SEKRE))
    m.add("Message-ID", "<%d.%d.%d.JavaMail.zimbra@%s>" % (r.randrange(10 ** 9), r.randrange(10 ** 6),
                                                          int(o.when.timestamp() * 1000) + 3100000, dom))
    m.add("In-Reply-To", "<%s>" % o.msgid)
    if not c.get("norefs"):
        m.add("References", "<%s>" % o.msgid)
    m.add("Subject", subject(c, o, "Re:"))
    m.add("MIME-Version", "1.0")
    m.add("X-Originating-IP", "[10.20.%d.%d]" % (r.randrange(1, 9), r.randrange(2, 250)))
    m.add("X-Mailer", "Zimbra 8.8.15_GA_4581 (ZimbraWebClient - GC125 (Win)/8.8.15_GA_4581)")
    m.add("Thread-Topic", o.subject.split("] ", 1)[-1])
    m.add("Thread-Index", b64(bytes(r.getrandbits(8) for _ in range(15))).strip())
    lines = new_lines(c, None)
    hb = header_block("zimbra-" + lang, o, '"%s" <%s>' % (c["who"].short, c["who"].email),
                      "----- Pesan Asli -----" if lang == "id" else "----- Original Message -----")
    disc = ("\n\n" + DISCLAIMER) if disclaimer else ""
    text = "\n".join(lines) + "\n\n" + "\n".join(hb) + "\n\n" + quote_gt(o.text) + disc
    hdr = "<br>".join("<b>%s: </b>%s" % tuple(html.escape(x, quote=False) for x in l.split(": ", 1)) for l in hb[1:])
    h = ('<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">'
         '%s<div><br></div><hr id="zwchr" data-marker="__DIVIDER__"><div data-marker="__HEADERS__">%s</div><br>'
         '<div data-marker="__QUOTED_TEXT__">%s</div></div>%s</body></html>' % (
             typed_html(lines), hdr, o.html, ("<br><p style=\"font-size:8pt;color:#808080\">%s</p>" %
                                             "<br>".join(html.escape(x) for x in DISCLAIMER.split("\n"))) if disclaimer else ""))
    b = "=_%s-%s-%s-%s-%s" % (rhex(r, 8), rhex(r, 4), rhex(r, 4), rhex(r, 4), rhex(r, 12))
    hp = leaf("text/html", encode(h, "quoted-printable"), "quoted-printable", "utf-8")
    if htmlonly:
        return m, hp, True
    return m, multipart("alternative", b, [leaf("text/plain", encode(text, "7bit"), "7bit" if text.isascii()
                                                else "8bit", "utf-8"), hp]), True


def roundcube(c, o, r, cs="US-ASCII"):
    m = Msg(c, o, r)
    dom = c["who"].email.split("@")[1]
    m.add("MIME-Version", "1.0")
    m.add("Date", rfc_date(o.when + datetime.timedelta(minutes=c.get("after", 63))))
    m.add("From", "%s <%s>" % (c["who"].short, c["who"].email))
    m.add("To", SFROM)
    m.add("Subject", subject(c, o, "Re:"))
    m.add("In-Reply-To", "<%s>" % o.msgid)
    if not c.get("norefs"):
        m.add("References", "<%s>" % o.msgid)
    m.add("User-Agent", "Roundcube Webmail/1.6.6")
    m.add("Message-ID", "<%s@%s>" % (rhex(r, 32), dom))
    m.add("X-Sender", c["who"].email)
    attr = attribution("rc-id", o)
    lines = c["typed"].split("\n")
    sig = (["-- "] + c["who"].sig(c["sig"])) if c.get("sig") else []
    if c.get("pos") == "top":
        text = "\n".join(lines + [""] + sig) + "\n\n" + attr + "\n" + quote_gt(o.text)
    else:  # Roundcube's default: the answer goes below the quote
        text = attr + "\n" + quote_gt(o.text) + "\n\n" + "\n".join(lines + ([""] + sig if sig else []))
    if cs.upper() != "US-ASCII" and not text.isascii():
        m.add("Content-Type", "text/plain; charset=%s;\n format=flowed" % cs)
        m.add("Content-Transfer-Encoding", "quoted-printable")
        return m, "\n" + encode(flow(text), "quoted-printable", cs), False
    m.add("Content-Type", "text/plain; charset=%s;\n format=flowed" % cs)
    m.add("Content-Transfer-Encoding", "7bit" if text.isascii() else "8bit")
    return m, "\n" + flow(text), False


def k9(c, o, r, lang="id"):
    m = Msg(c, o, r)
    base_headers(m, c, o, "<%s@email.android.com>" % "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                                             for _ in range(30)), subject(c, o, "Re:"), order="generic")
    m.add("User-Agent", "K-9 Mail for Android")
    foot = ("Dikirim dari perangkat Android saya dengan K-9 Mail. Mohon maaf atas singkatnya." if lang == "id" else
            "Sent from my Android device with K-9 Mail. Please excuse my brevity.")
    text = c["typed"] + "\n-- \n" + foot + "\n\n" + attribution("k9-" + lang, o) + "\n" + quote_gt(o.text)
    m.add("Content-Type", "text/plain;\n charset=utf-8")
    m.add("Content-Transfer-Encoding", "quoted-printable")
    return m, "\n" + encode(text, "quoted-printable"), False


def fairemail(c, o, r):
    m = Msg(c, o, r)
    base_headers(m, c, o, "<%s-%s-%s-%s-%s@%s>" % (rhex(r, 8), rhex(r, 4), rhex(r, 4), rhex(r, 4), rhex(r, 12),
                                                   c["who"].email.split("@")[1]), subject(c, o, "Re:"), order="generic")
    attr = attribution("fair", o)
    lines = c["typed"].split("\n")
    text = "\n".join(lines) + "\n\n" + attr + "\n\n" + quote_gt(o.text)
    h = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head>'
         '<body><div dir="auto">%s</div><br><p>%s</p><blockquote style="margin:0 0 0 3px;border-left:3px solid '
         '#2196F3;padding-left:6px;">%s</blockquote></body></html>' % ("<br>".join(html.escape(l) for l in lines),
                                                                       html.escape(attr), o.html))
    b = "----=_Part_%d_%d.%d" % (r.randrange(10 ** 6), r.randrange(10 ** 9), int(o.when.timestamp() * 1000))
    return m, multipart("alternative", b, [leaf("text/plain", encode(text, "quoted-printable"), "quoted-printable",
                                                "UTF-8"), leaf("text/html", encode(h, "base64"), "base64", "UTF-8")]), True


def autoreply(c, o, r, kind="exchange"):
    m = Msg(c, o, r)
    dom = c["who"].email.split("@")[1]
    if kind == "exchange":
        base_headers(m, c, o, "<%s@%s>" % (rhex(r, 32), dom), "Balasan Otomatis: " + o.subject, order="outlook")
        m.add("Auto-Submitted", "auto-generated"); m.add("X-Auto-Response-Suppress", "All")
        m.add("X-MS-Exchange-Inbox-Rules-Loop", c["who"].email)
    elif kind == "zimbra":
        base_headers(m, c, o, "<%d.%d.%d.JavaMail.zimbra@%s>" % (r.randrange(10 ** 9), r.randrange(10 ** 6),
                                                                 int(o.when.timestamp() * 1000), dom),
                     "Re: " + o.subject, order="generic")
        m.add("Auto-Submitted", "auto-replied (zimbra; vacation)"); m.add("Precedence", "bulk")
    else:  # gmail vacation responder
        base_headers(m, c, o, "<CA%s@mail.gmail.com>" % rhex(r, 40), "Re: " + o.subject)
        m.add("Auto-Submitted", "auto-replied")
    m.add("Content-Type", 'text/plain; charset="utf-8"')
    m.add("Content-Transfer-Encoding", "quoted-printable")
    return m, "\n" + encode(c["typed"], "quoted-printable"), False


def forward(c, o, r, style="gmail"):
    m = Msg(c, o, r)
    d = o.when
    if style == "gmail":
        base_headers(m, c, o, "<CAK%s@mail.gmail.com>" % rhex(r, 40), "Fwd: " + o.subject)
        fw = ["---------- Pesan terusan ---------", "Dari: %s" % SFROM,
              "Tanggal: %s, %d %s %d pukul %02d.%02d" % (HARI3[d.weekday()], d.day, BULAN3[d.month - 1], d.year,
                                                        d.hour, d.minute),
              "Subjek: %s" % o.subject, "Kepada: %s <%s>" % (c["fwdfrom"].short, c["fwdfrom"].email)]
    else:
        base_headers(m, c, o, "<%09x$%08x$%08x$@%s>" % (r.getrandbits(34), r.getrandbits(32), r.getrandbits(32),
                                                       c["who"].email.split("@")[1]), "TRS: " + o.subject, order="outlook")
        m.add("X-Mailer", "Microsoft Outlook 16.0")
        fw = header_block("id", o, c["fwdfrom"].email, "")
    m.h = [h if not h.startswith("To: ") else "To: %s" % c["fwdto"] for h in m.h]
    text = c["typed"] + "\n\n" + "\n".join(fw) + "\n\n\n" + o.text
    m.add("Content-Type", 'text/plain; charset="UTF-8"')
    m.add("Content-Transfer-Encoding", "quoted-printable")
    return m, "\n" + encode(text, "quoted-printable"), False


def noquote(c, o, r):
    """A phone client that pastes the original below the answer with no marker at all."""
    m = Msg(c, o, r)
    base_headers(m, c, o, "<%s.%s@%s>" % (rhex(r, 12), rhex(r, 6), c["who"].email.split("@")[1]),
                 subject(c, o, "Re:"), order="generic")
    m.add("Content-Type", 'text/plain; charset="utf-8"')
    m.add("Content-Transfer-Encoding", "8bit")
    return m, "\n" + c["typed"] + "\n\n" + o.text + "\n", False


def outlook_text(c, o, r):
    """Outlook in plain-text compose mode: '-----Original Message-----' and an unmarked original."""
    m = Msg(c, o, r)
    base_headers(m, c, o, "<%09x$%08x$%08x$@%s>" % (r.getrandbits(34), r.getrandbits(32), r.getrandbits(32),
                                                   c["who"].email.split("@")[1]), subject(c, o, "RE:"), order="outlook")
    m.add("X-Mailer", "Microsoft Outlook 14.0")
    m.add("Thread-Index", "Ac" + b64(bytes(r.getrandbits(8) for _ in range(18))).strip()[:22] + "==")
    m.add("Content-Language", "en-us")
    hb = header_block("en", o, c["who"].email, "-----Original Message-----")
    text = "\n".join(new_lines(c, None)) + "\n\n" + "\n".join(hb) + "\n\n" + o.text
    m.add("Content-Type", 'text/plain;\n\tcharset="us-ascii"')
    m.add("Content-Transfer-Encoding", "7bit")
    return m, "\n" + text, False


RENDER = {
    "outlook-2010-text": outlook_text,
    "gmail-web-id": lambda c, o, r: gmail(c, o, r, "id"),
    "gmail-web-en": lambda c, o, r: gmail(c, o, r, "en"),
    "gmail-android-id": lambda c, o, r: gmail(c, o, r, "and", True),
    "gmail-ios-en": lambda c, o, r: gmail(c, o, r, "en", True),
    "outlook-desktop-id": lambda c, o, r: outlook_desktop(c, o, r, "id"),
    "outlook-desktop-en": lambda c, o, r: outlook_desktop(c, o, r, "en"),
    "owa-en": lambda c, o, r: owa(c, o, r, "en"),
    "new-outlook-id": lambda c, o, r: owa(c, o, r, "id"),
    "outlook-android-id": lambda c, o, r: owa(c, o, r, "id", ("Dapatkan Outlook untuk Android", "https://aka.ms/AAb9ysg"), "base64"),
    "outlook-ios-en": lambda c, o, r: owa(c, o, r, "en", ("Get Outlook for iOS", "https://aka.ms/o0ukef")),
    "iphone-id": lambda c, o, r: apple(c, o, r, "id"),
    "iphone-en": lambda c, o, r: apple(c, o, r, "en"),
    "apple-mail-id": lambda c, o, r: apple(c, o, r, "id", False),
    "yahoo-web-id": lambda c, o, r: yahoo(c, o, r),
    "yahoo-android-id": lambda c, o, r: yahoo(c, o, r, True),
    "samsung-id": lambda c, o, r: samsung(c, o, r),
    "huawei-id": lambda c, o, r: samsung(c, o, r, True),
    "thunderbird-id": lambda c, o, r: thunderbird(c, o, r, "id"),
    "thunderbird-en-html": lambda c, o, r: thunderbird(c, o, r, "en", True),
    "zimbra-id": lambda c, o, r: zimbra(c, o, r, "id"),
    "zimbra-en": lambda c, o, r: zimbra(c, o, r, "en", disclaimer=False),
    "zimbra-id-htmlonly": lambda c, o, r: zimbra(c, o, r, "id", True),
    "roundcube-id": lambda c, o, r: roundcube(c, o, r),
    "roundcube-latin1": lambda c, o, r: roundcube(c, o, r, "ISO-8859-1"),
    "k9-id": lambda c, o, r: k9(c, o, r, "id"),
    "k9-en": lambda c, o, r: k9(c, o, r, "en"),
    "fairemail": fairemail,
    "exchange-oof-id": lambda c, o, r: autoreply(c, o, r, "exchange"),
    "zimbra-vacation": lambda c, o, r: autoreply(c, o, r, "zimbra"),
    "gmail-vacation": lambda c, o, r: autoreply(c, o, r, "gmail"),
    "gmail-forward-id": lambda c, o, r: forward(c, o, r, "gmail"),
    "outlook-forward-id": lambda c, o, r: forward(c, o, r, "outlook"),
    "phone-noquote": noquote,
}


def attach(c, r, body_with_ct):
    """Wrap the message in multipart/mixed with the file the official attached."""
    fn = c["attach"]
    ct = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[fn.rsplit(".", 1)[1]]
    data = (b"%PDF-1.4\n% bahan LAKIP\n" if fn.endswith("pdf") else b"PK\x03\x04") + bytes(
        r.getrandbits(8) for _ in range(300))
    b = "mixed_%s" % rhex(r, 24)
    part = 'Content-Type: %s; name="%s"\nContent-Disposition: attachment; filename="%s"\n' \
           'Content-Transfer-Encoding: base64\n\n%s' % (ct, fn, fn, b64(data))
    return 'Content-Type: multipart/mixed; boundary="%s"\n\n--%s\n%s\n--%s\n%s--%s--\n' % (
        b, b, body_with_ct.lstrip("\n"), b, part, b)


def build(c, year):
    r = random.Random("wild:" + c["name"])
    when = datetime.datetime(year + 1, c.get("month", 3), c.get("day", 10), c.get("hour", 9), r.randrange(60),
                             r.randrange(60), tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    o = Orig(c["asg"], c.get("to") or c["who"], rtok(r), year, when, r.randrange(1, 4), c.get("earlier"))
    if c.get("via"):  # the mail answered is a colleague's reply (cc) that quotes ours
        v = c["via"]
        o.lines = [v[1], "", v0 := "%s, %s" % (v[0].short, v[0].jabatan), "", attribution("gmail-id", o)] + \
            ["> " + l if l else ">" for l in o.lines]
        o.text = "\n".join(o.lines)
        o.html = "<div dir=\"ltr\">%s<br><br>%s</div><br><div class=\"gmail_quote\"><blockquote class=\"gmail_quote\">" \
                 "%s</blockquote></div>" % (html.escape(v[1]), html.escape(v0), o.html)
        o.subject = "Re: " + o.subject
        o.sfrom, o.sname = "%s <%s>" % (v[0].short, v[0].email), v[0].short
    m, body, ct_in_body = RENDER[c["client"]](c, o, r)
    if not ct_in_body:  # body starts with "\n" and its Content-Type sits in m.h
        cts = [h for h in m.h if h.lower().startswith(("content-type", "content-transfer-encoding"))]
        if c.get("attach"):
            m.h = [h for h in m.h if h not in cts]
            body = attach(c, r, "\n".join(cts) + "\n" + body)
        msg = "\n".join(m.h) + "\n" + body
    else:
        if c.get("attach"):
            body = attach(c, r, body)
        msg = "\n".join(m.h) + "\n" + body
    if c.get("mbox"):
        msg = "From %s %s\n" % (c["who"].email, when.strftime("%a %b %d %H:%M:%S %Y")) + msg
    nl = "\n" if c.get("lf") else "\r\n"
    return msg.replace("\r\n", "\n").replace("\n", nl).encode("utf-8" if c.get("charset") is None else "latin-1"
                                                                  if "8859" in c.get("charset", "") else "utf-8")


def want(c):
    w = {"kind": c.get("kind", "reply"), "command": c.get("cmd", "")}
    if c.get("text", True) is not None:
        w["text"] = c["typed"] if c.get("text", True) is True else c["text"]
    for k in ("notes", "partstat", "delegate"):
        if c.get(k):
            w[k] = c[k]
    if w["command"] != "approve":
        w["must_not_approve"] = True
    w["client"] = c["client"]
    w["note"] = c["note"]
    return w


def write(part, cases, year):
    d = os.path.join(HERE, part)
    os.makedirs(d, exist_ok=True)
    names = set()
    for c in cases:
        assert c["name"] not in names, c["name"]
        names.add(c["name"])
        with open(os.path.join(d, c["name"] + ".eml"), "wb") as f:
            f.write(build(c, year))
        with open(os.path.join(d, c["name"] + ".want.json"), "w", encoding="utf-8") as f:
            json.dump(want(c), f, ensure_ascii=False, indent=1)
            f.write("\n")
    for f in os.listdir(d):  # drop cases that left the lists
        if f.split(".")[0] not in names:
            os.remove(os.path.join(d, f))
    return len(cases)


def main():
    import cases_tune
    import cases_heldout
    print("tune", write("tune", cases_tune.CASES, 2024))
    print("heldout", write("heldout", cases_heldout.CASES, 2025))


if __name__ == "__main__":
    main()

"""Renderers for mail that is not a typed reply: calendar replies, automatic
replies, bounces and forwards."""
from render import *


# ------------------------------------------------------------ calendar, auto, bounce, forward
def ical_reply(c, partstat, prodid):
    a = c.a
    st = c.kw.get("start", dt.datetime(2024, 5, 27, 9, 0))
    lines = ["BEGIN:VCALENDAR", "METHOD:REPLY", "PRODID:" + prodid, "VERSION:2.0"]
    if "Microsoft" in prodid:
        lines += ["BEGIN:VTIMEZONE", "TZID:SE Asia Standard Time", "BEGIN:STANDARD", "DTSTART:16010101T000000",
                  "TZOFFSETFROM:+0700", "TZOFFSETTO:+0700", "END:STANDARD", "END:VTIMEZONE"]
        tz = "SE Asia Standard Time"
    else:
        tz = "Asia/Jakarta"
    cn = c.who.short
    lines += ["BEGIN:VEVENT",
              "ATTENDEE;PARTSTAT=%s;CN=%s:mailto:%s" % (partstat, cn, c.who.addr)]
    if c.kw.get("comment"):
        lines.append("COMMENT;LANGUAGE=id-ID:" + c.kw["comment"])
    lines += ["SUMMARY;LANGUAGE=id-ID:%s" % c.kw.get("summary_prefix", "") + "Rapat Tim Pembahasan Draf LAKIP Tahun 2024",
              "DTSTART;TZID=%s:%s" % (tz, st.strftime("%Y%m%dT%H%M%S")),
              "DTEND;TZID=%s:%s" % (tz, (st + dt.timedelta(hours=2)).strftime("%Y%m%dT%H%M%S")),
              "UID:mf.%s.s13@%s" % (a.tok, DOM),
              "ORGANIZER;CN=Sekretariat Dinsos PMD:mailto:" + SEKRE[1],
              "DTSTAMP:" + (c.when - dt.timedelta(hours=7)).strftime("%Y%m%dT%H%M%SZ"),
              "SEQUENCE:%d" % c.kw.get("seq", 0), "STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


PREFIX = {"id": {"ACCEPTED": "Diterima: ", "DECLINED": "Ditolak: ", "TENTATIVE": "Tentatif: "},
          "en": {"ACCEPTED": "Accepted: ", "DECLINED": "Declined: ", "TENTATIVE": "Tentative: "}}


def r_cal_outlook(c):
    ps = c.want["partstat"]
    ics = ical_reply(c, ps, "Microsoft Exchange Server 2010")
    text = c.new + ("\n" if c.new else "")
    h = MSO_HEAD + (mso_lines(c.new.split("\n")) if c.new else "<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n") + "</div></body></html>"
    parts = [leaf('text/plain; charset="utf-8"', text or "\n", "quoted-printable"),
             leaf('text/html; charset="utf-8"', h + "\n", "quoted-printable"),
             leaf('text/calendar; charset="utf-8"; method=REPLY', ics, "base64")]
    ct, body = multipart("alternative", "_000_" + alnum(36, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + "_", parts)
    srv = "SEYPR04MB%04d" % rnd.randint(1000, 9999)
    mid = "<%s%s@%s.apcprd04.prod.outlook.com>" % (srv, alnum(24, "0123456789ABCDEF"), srv)
    hdrs = ["Thread-Topic: Rapat Tim Pembahasan Draf LAKIP Tahun 2024", "Thread-Index: AQH%s" % alnum(30),
            "Accept-Language: id-ID, en-US", "Content-Language: id-ID", "X-MS-Has-Attach:", "X-MS-TNEF-Correlator:"]
    c.subject = c.subject or PREFIX[c.lang][ps] + "Rapat Tim Pembahasan Draf LAKIP Tahun 2024"
    return hdrs, mid, ct, body, ""


def r_cal_google(c):
    ps = c.want["partstat"]
    ics = ical_reply(c, ps, "-//Google Inc//Google Calendar 70.9054//EN")
    verb = {"ACCEPTED": "menerima", "DECLINED": "menolak", "TENTATIVE": "mungkin menghadiri"}[ps]
    text = ("%s telah %s undangan ini.\n\nRapat Tim Pembahasan Draf LAKIP Tahun 2024\n"
            "Senin 27 Mei 2024 ⋅ 09.00 – 11.00 (Waktu Indonesia Barat - Jakarta)\n\n"
            "Undangan dari Google Kalender: https://calendar.google.com/calendar/\n\n"
            "Anda menerima email ini karena Anda adalah penyelenggara acara.\n") % (c.who.short, verb)
    if ps == "TENTATIVE":
        text = text.replace("telah mungkin menghadiri undangan ini", "telah menanggapi \"Mungkin\" untuk undangan ini")
    h = '<span itemscope itemtype="http://schema.org/InformAction"><div>%s</div></span>' % "<br>".join(esc(l) for l in text.split("\n"))
    alt = multipart("alternative", "000000000000" + hexid(12), [
        leaf('text/plain; charset="UTF-8"; format=flowed; delsp=yes', text, "base64"),
        leaf('text/html; charset="UTF-8"', h + "\n", "quoted-printable"),
        leaf('text/calendar; charset="UTF-8"; method=REPLY', ics, "7bit")])
    ct, body = multipart("mixed", "000000000000" + hexid(12), [
        mp_part(alt), leaf_bytes('application/ics; name="invite.ics"', ics.encode(), ['Content-Disposition: attachment; filename="invite.ics"'])])
    c.subject = c.subject or "%s%s @ Sen 27 Mei 2024 09.00 - 11.00 (WIB) (%s)" % (
        PREFIX["id"][ps], "Rapat Tim Pembahasan Draf LAKIP Tahun 2024", SEKRE[1])
    mid = "<calendar-%s-%s-%s-%s-%s@google.com>" % (hexid(8), hexid(4), hexid(4), hexid(4), hexid(12))
    return ["Sender: Google Calendar <calendar-notification@google.com>"], mid, ct, body, ""


def r_cal_apple(c):
    ps = c.want["partstat"]
    ics = ical_reply(c, ps, "-//Apple Inc.//iPhone OS 17.4.1//EN")
    c.subject = c.subject or PREFIX[c.lang][ps] + "Rapat Tim Pembahasan Draf LAKIP Tahun 2024"
    mid = "<%s-%s-%s-%s-%s@%s>" % (hexid(8).upper(), hexid(4).upper(), hexid(4).upper(), hexid(4).upper(), hexid(12).upper(), c.who.addr.split("@")[1])
    return ["X-Mailer: iPhone Mail (21E236)"], mid, None, leaf("text/calendar; method=REPLY; charset=utf-8", ics, "quoted-printable"), ""


def r_auto(c):
    kind = c.kw["auto"]
    text = c.new + "\n"
    if kind == "exchange_ooo":
        hdrs = ["Auto-Submitted: auto-generated", "X-Auto-Response-Suppress: All",
                "X-MS-Exchange-Inbox-Rules-Loop: " + c.who.addr, "Content-Language: id-ID", "Thread-Topic: " + c.a.subject]
        pre = "Automatic reply: " if c.lang == "en" else "Balasan Otomatis: "
        h = MSO_HEAD + mso_lines(c.new.split("\n")) + "</div></body></html>"
        ct, body = multipart("alternative", "_000_" + alnum(36, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + "_", [
            leaf('text/plain; charset="utf-8"', text, "base64"), leaf('text/html; charset="utf-8"', h + "\n", "base64")])
    elif kind == "rules_agent":
        hdrs = ["X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent",
                "X-MS-Exchange-Inbox-Rules-Loop: " + c.who.addr, "Content-Language: id-ID", "Thread-Topic: " + c.a.subject]
        if c.kw.get("suppress", True):
            hdrs.insert(1, "X-Auto-Response-Suppress: All")
        pre = "BLS: "
        h = MSO_HEAD + mso_lines(c.new.split("\n")) + "</div></body></html>"
        ct, body = multipart("alternative", "_000_" + alnum(36, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + "_", [
            leaf('text/plain; charset="utf-8"', text, "quoted-printable"), leaf('text/html; charset="utf-8"', h + "\n", "quoted-printable")])
    elif kind == "gmail_vacation":
        hdrs = ["Auto-Submitted: auto-replied"]
        pre = "Re: "
        ct, body = multipart("alternative", "000000000000" + hexid(12), [
            leaf('text/plain; charset="UTF-8"', text, "quoted-printable"),
            leaf('text/html; charset="UTF-8"', '<div dir="ltr">' + html_lines(c.new.split("\n")) + "</div>\n", "quoted-printable")])
    elif kind == "zimbra_vacation":
        hdrs = ["Auto-Submitted: auto-replied (zimbra; vacation)", "Precedence: bulk"]
        pre = "Re: "
        ct, body = None, leaf("text/plain; charset=utf-8", text, "7bit")
    mid = "<%s@%s>" % (alnum(32, "0123456789abcdef"), c.who.addr.split("@")[1])
    return hdrs, mid, ct, body, pre


def r_bounce(c):
    a = c.a
    rcpt = c.kw["rcpt"]
    if c.kw.get("mta") == "exchange":
        human = ("Pengiriman ke penerima berikut ini gagal:\n\n    %s\n\nKotak surat penerima penuh dan tidak dapat menerima pesan "
                 "saat ini. Silakan coba kirim ulang pesan Anda nanti, atau hubungi penerima secara langsung.\n\n"
                 "Informasi diagnostik untuk administrator:\n\nServer pembuat: BN8PR04MB1234.namprd04.prod.outlook.com\n\n"
                 "%s\nRemote Server returned '552 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException'\n") % (rcpt, rcpt)
        status, diag, perm = "5.2.2", "smtp; 552 5.2.2 mailbox full", True
        frm = "Microsoft Outlook <postmaster@%s>" % rcpt.split("@")[1]
        subject = "Tidak dapat dikirim: " + a.subject
    else:
        human = ("This is the mail system at host mail.%s.\n\nI'm sorry to have to inform you that your message could not\n"
                 "be delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\n"
                 "If you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n"
                 "                   The mail system\n\n<%s>: host mx.%s said: 550 5.1.1 <%s>: Recipient address\n"
                 "    rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)\n") % (DOM, rcpt, rcpt.split("@")[1], rcpt)
        status, diag, perm = "5.1.1", "smtp; 550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table" % rcpt, True
        frm = "MAILER-DAEMON@mail.%s (Mail Delivery System)" % DOM
        subject = "Undelivered Mail Returned to Sender"
    dsn = ("Reporting-MTA: dns; mail.%s\nArrival-Date: %s\n\nFinal-Recipient: rfc822; %s\nOriginal-Recipient: rfc822;%s\n"
           "Action: failed\nStatus: %s\nDiagnostic-Code: %s\n") % (DOM, rfc_date(a.when), rcpt, rcpt, status, diag)
    orig = ("From: %s <%s>\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <%s>\nAuto-Submitted: auto-generated\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n") % (a.frm[0], a.frm[1], rcpt, a.subject, rfc_date(a.when), a.msgid)
    ct, body = multipart("report", "%s.%d/mail.%s" % (hexid(10).upper(), int(c.when.timestamp()), DOM), [
        leaf("text/plain; charset=utf-8", human, "8bit" if c.kw.get("mta") != "exchange" else "quoted-printable", ["Content-Description: Notification"]),
        leaf("message/delivery-status", dsn, None, ["Content-Description: Delivery report"]),
        leaf("text/rfc822-headers", orig, None, ["Content-Description: Undelivered Message Headers"])])
    ct = ct.replace("multipart/report;", "multipart/report; report-type=delivery-status;")
    c.subject = subject
    c.from_override = frm
    c.thread = "bounce"
    mid = "<%s@mail.%s>" % (alnum(20, "0123456789ABCDEF"), DOM)
    return ["Auto-Submitted: auto-replied"], mid, ct, body, ""


def r_fwd(c):
    a = c.a
    top = top_lines(c, [])
    if c.kw.get("fwd") == "gmail":
        block = ["---------- %s ---------" % c.kw.get("banner", "Forwarded message"),
                 "Dari: %s <%s>" % a.frm, "Date: %s" % attribution_date_id(a.when, "gmail_web")[len("Pada tanggal "):],
                 "Subject: %s" % a.subject, "To: %s <%s>" % (c.kw["orig_to"].short, c.kw["orig_to"].addr), ""]
        pre = "Fwd: "
        mid = "<CAK%s=%s@mail.gmail.com>" % (alnum(28), alnum(14))
        hdrs = []
    else:
        block = ["Dari: %s <%s> " % a.frm, "Dikirim: %s" % attribution_date_id(a.when, "outlook"),
                 "Kepada: %s <%s>" % (c.kw["orig_to"].short, c.kw["orig_to"].addr), "Perihal: %s" % a.subject, ""]
        pre = "TRS: "
        mid = "<%s$%s$%s$@%s>" % (("0000" + hexid(8)), hexid(8), hexid(8), c.who.addr.split("@")[1])
        hdrs = ["X-Mailer: Microsoft Outlook 16.0", "Thread-Index: AQH%s" % alnum(30), "Content-Language: id"]
    plain = top + ["", ""] + block + orig_lines(c)
    if c.kw.get("fwd") == "gmail":
        h = '<div dir="ltr">%s<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">%s</div><br><br>%s</div></div>' % (
            html_lines(top), "<br>".join(esc(l) for l in block), "<br>".join(esc(l) for l in orig_lines(c)))
    else:
        h = MSO_HEAD + mso_lines(top) + ("<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n<div><div style='border:none;border-top:solid #E1E1E1 1.0pt;"
             "padding:3.0pt 0cm 0cm 0cm'>\r\n<p class=MsoNormal>%s<o:p></o:p></p></div></div>\r\n%s</div></body></html>" % (
                 "<br>\r\n".join("<b>%s</b>%s" % (esc(l.split(":", 1)[0] + ":"), esc(l.split(":", 1)[1])) for l in block if l),
                 mso_lines(orig_lines(c))))
    gm = c.kw.get("fwd") == "gmail"
    ct, body = multipart("alternative", "000000000000" + hexid(12) if gm else "----=_NextPart_000_%04X_01DA%s.%s" % (
        rnd.randint(0, 0xffff), hexid(4).upper(), hexid(8).upper()), [
        leaf('text/plain; charset="UTF-8"' if gm else 'text/plain; charset="utf-8"', "\n".join(plain) + "\n", "quoted-printable"),
        leaf('text/html; charset="UTF-8"' if gm else 'text/html; charset="utf-8"', h + "\n", "quoted-printable")])
    c.to_override = c.kw["fwd_to"]
    c.kw.setdefault("cc", "%s <%s>" % SEKRE)
    return hdrs, mid, ct, body, pre

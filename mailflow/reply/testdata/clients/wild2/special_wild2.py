"""wild2: calendar replies (Google, Outlook/Exchange, Apple), automatic replies (Exchange, Zimbra,
Gmail vacation), bounces (Postfix, Gmail, Exchange) and forwards (Gmail, Outlook)."""
from mime_wild2 import (OFFICE, OFFICE_NAME, DOMAIN, HARI3, BLN3, BULAN, HARI, MON_EN, DAY_EN, rfc_date,
                        b64, part, text_part, multipart, html_escape, html_lines, rnd_hex, rnd_alnum)
from gen_wild2 import base_headers, outlook_block, reply_time, attach_parts, quote_gt

PARTSTAT_SUBJ = {
    "google-id": {"ACCEPTED": "Diterima", "DECLINED": "Ditolak", "TENTATIVE": "Mungkin"},
    "google-en": {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentatively Accepted"},
    "outlook-id": {"ACCEPTED": "Diterima", "DECLINED": "Ditolak", "TENTATIVE": "Tentatif"},
    "outlook-en": {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentative"},
}


def ics_reply(c, o, run, prodid, rng, comment=None):
    p = c["who"]
    y, m, d, wd = run.meeting_day
    stamp = "%04d%02d%02dT%02d%02d%02dZ" % (o["day"][0], o["day"][1], o["day"][2], o["hh"], rng.randrange(60), rng.randrange(60))
    lines = ["BEGIN:VCALENDAR", "PRODID:" + prodid, "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:REPLY", "BEGIN:VEVENT",
             "DTSTART:%04d%02d%02dT020000Z" % (y, m, d), "DTEND:%04d%02d%02dT040000Z" % (y, m, d), "DTSTAMP:" + stamp,
             "ORGANIZER;CN=%s:mailto:%s" % (OFFICE_NAME, OFFICE), "UID:%s@%s" % (run.token, DOMAIN)]
    att = "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=%s" % c["partstat"]
    if c.get("delegate_email"):
        att += ';DELEGATED-TO="mailto:%s"' % c["delegate_email"]
    att += ";CN=%s:mailto:%s" % (p.name.split(",")[0], p.email)
    lines.append(att)
    if c.get("delegate_email"):
        lines.append('ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;DELEGATED-FROM="mailto:%s";CN=%s:mailto:%s'
                     % (p.email, c["delegate"], c["delegate_email"]))
    if comment:
        lines.append("COMMENT:" + comment.replace(",", "\\,"))
    lines += ["SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Rapat Tim Penyusunan LAKIP", "LOCATION:Ruang Rapat Sekretariat Lantai 2",
              "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    out = []
    for l in lines:  # fold at 75 octets
        while len(l) > 75:
            out.append(l[:75])
            l = " " + l[75:]
        out.append(l)
    return "\n".join(out) + "\n"


def cal_google(c, o, rng, run, lang):
    p = c["who"]
    y, m, d, wd = run.meeting_day
    verb = PARTSTAT_SUBJ["google-" + lang][c["partstat"]]
    when = ("%s %d %s %d 09.00 - 11.00 (WIB)" % (HARI3[wd], d, BLN3[m - 1], y)) if lang == "id" else \
        ("%s %s %d, %d 9am - 11am (WIB)" % (DAY_EN[wd], MON_EN[m - 1], d, y))
    subj = "%s: Rapat Tim Penyusunan LAKIP @ %s (%s)" % (verb, when, OFFICE)
    nm = p.name.split(",")[0]
    if lang == "id":
        txt = {"ACCEPTED": "%s telah menerima undangan ini.", "DECLINED": "%s telah menolak undangan ini.",
               "TENTATIVE": "%s telah menjawab \"Mungkin\" untuk undangan ini."}[c["partstat"]] % nm
    else:
        txt = {"ACCEPTED": "%s has accepted this invitation.", "DECLINED": "%s has declined this invitation.",
               "TENTATIVE": "%s has tentatively accepted this invitation."}[c["partstat"]] % nm
    if c.get("comment"):
        txt += ("\n\n%s menambahkan catatan:\n\n" if lang == "id" else "\n\n%s added a note:\n\n") % nm + c["comment"]
    txt += "\n\nRapat Tim Penyusunan LAKIP\n%s\nRuang Rapat Sekretariat Lantai 2\n\nUndangan dari Google Kalender: https://calendar.google.com/calendar/\n" % when
    ics = ics_reply(c, o, run, "-//Google Inc//Google Calendar 70.9054//EN", rng, c.get("comment"))
    alt = multipart("alternative", [text_part('text/plain; charset="UTF-8"; format=flowed; delsp=yes', txt, "b64"),
                                     text_part('text/html; charset="UTF-8"', "<html><body>%s</body></html>\n" % html_lines(txt), "qp"),
                                     part('text/calendar; charset="UTF-8"; method=REPLY', b64(ics), "base64")],
                    "000000000000" + rnd_hex(rng, 16))
    body = multipart("mixed", [alt, part('application/ics; name="invite.ics"', b64(ics), "base64",
                                         ['Content-Disposition: attachment; filename="invite.ics"'])], "000000000000" + rnd_hex(rng, 16))
    date = rfc_date(o["day"], o["hh"] + 1, rng.randrange(60), rng.randrange(60))
    h = base_headers(c, o, rng, date, subj, msgid="<calendar-%s-%s-%s@google.com>" % (rnd_hex(rng, 8), rnd_hex(rng, 4), rnd_hex(rng, 12)),
                     irt=False)
    h.insert(-1, "Reply-To: %s <%s>" % (nm, p.email))
    return "\n".join(h) + "\n" + body


def cal_outlook(c, o, rng, run, lang):
    p = c["who"]
    verb = PARTSTAT_SUBJ["outlook-" + lang][c["partstat"]]
    subj = "%s: %s" % (verb, o["subject"])
    txt = c.get("comment", "") + "\n"
    ics = ics_reply(c, o, run, "Microsoft Exchange Server 2010", rng)
    ics = ics.replace("CALSCALE:GREGORIAN\n", "")
    alt = multipart("alternative", [text_part('text/plain; charset="utf-8"', txt, "b64"),
                                     part('text/calendar; charset="utf-8"; method=REPLY', b64(ics), "base64")],
                    "_000_%s_" % rnd_alnum(rng, 30).upper())
    date = rfc_date(o["day"], o["hh"] + 2, rng.randrange(60), rng.randrange(60))
    h = base_headers(c, o, rng, date, subj, msgid="<%s@%s.apcprd04.prod.outlook.com>" % (rnd_alnum(rng, 40).upper(), rnd_alnum(rng, 12).upper()))
    h[-1:-1] = ["Thread-Topic: " + o["subject"], "Thread-Index: AQH" + rnd_alnum(rng, 29) + "==",
                "Content-Language: " + ("id-ID" if lang == "id" else "en-US"), "X-MS-Has-Attach:", "X-MS-TNEF-Correlator:"]
    return "\n".join(h) + "\n" + alt


def cal_apple(c, o, rng, run):
    p = c["who"]
    verb = {"ACCEPTED": "Diterima", "DECLINED": "Ditolak", "TENTATIVE": "Mungkin", "DELEGATED": "Didelegasikan"}[c["partstat"]]
    subj = "Undangan %s: Rapat Tim Penyusunan LAKIP" % verb.lower()
    ics = ics_reply(c, o, run, "-//Apple Inc.//iPhone OS 17.5.1//EN", rng).replace("CALSCALE:GREGORIAN\n", "")
    b = "Apple-Mail=_" + "-".join([rnd_alnum(rng, 8).upper(), rnd_alnum(rng, 4).upper(), rnd_alnum(rng, 4).upper()])
    body = multipart("mixed", [text_part("text/plain;\n\tcharset=us-ascii", "\n", "7bit"),
                               part("text/calendar;\n\tcharset=utf-8;\n\tmethod=REPLY;\n\tname=iCal-%s.ics" % rnd_hex(rng, 8), ics, "7bit",
                                    ["Content-Disposition: inline;\n\tfilename=iCal-reply.ics"])], b)
    date = rfc_date(o["day"], o["hh"] + 3, rng.randrange(60), rng.randrange(60))
    h = base_headers(c, o, rng, date, subj, mailer="X-Mailer: iPhone Mail (21F90)", irt=False,
                     msgid="<%s-%s@icloud.com>" % (rnd_alnum(rng, 8).upper(), rnd_alnum(rng, 12).upper()))
    return "\n".join(h) + "\n" + body


def oof(c, o, rng, run, style):
    p = c["who"]
    date = rfc_date(o["day"], o["hh"], min(59, o["mm"] + 1), rng.randrange(60))
    txt = c["body"]
    if style == "exchange-id":
        subj = "Balasan Otomatis: " + o["subject"]
        mid = "<%s@%s.apcprd04.prod.outlook.com>" % (rnd_alnum(rng, 40).upper(), rnd_alnum(rng, 12).upper())
        extra = ["Thread-Topic: " + o["subject"], "X-MS-Has-Attach:", "X-Auto-Response-Suppress: All",
                 "Auto-Submitted: auto-generated", "Content-Language: id-ID"]
        body = multipart("alternative", [text_part('text/plain; charset="utf-8"', txt + "\n", "b64"),
                                         text_part('text/html; charset="utf-8"', "<html><body>%s</body></html>\n" % html_lines(txt), "b64")],
                         "_000_%s_" % rnd_alnum(rng, 30).upper())
    elif style == "exchange-en":
        subj = "Automatic reply: " + o["subject"]
        mid = "<%s@%s.apcprd04.prod.outlook.com>" % (rnd_alnum(rng, 40).upper(), rnd_alnum(rng, 12).upper())
        extra = ["Thread-Topic: " + o["subject"], "X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: " + p.email]
        body = text_part('text/plain; charset="us-ascii"', txt + "\n", "qp")
    elif style == "zimbra":
        subj = c.get("subject", "Re: " + o["subject"])
        mid = "<%d.%d.JavaMail.zimbra@bangkatengahkab.go.id>" % (rng.randrange(10**8, 10**9), rng.randrange(10**12, 10**13))
        extra = ["Auto-Submitted: auto-replied (zimbra; vacation)", "Precedence: bulk"]
        body = text_part("text/plain; charset=utf-8", txt + "\n", "qp")
    else:  # gmail vacation responder
        subj = c.get("subject", "Re: " + o["subject"])
        mid = "<vacation.%s@mail.gmail.com>" % rnd_alnum(rng, 24)
        extra = ["Auto-Submitted: auto-replied"]
        body = multipart("alternative", [text_part('text/plain; charset="UTF-8"', txt + "\n", "qp"),
                                         text_part('text/html; charset="UTF-8"', '<div dir="ltr">%s</div>\n' % html_lines(txt), "qp")],
                         "000000000000" + rnd_hex(rng, 16))
    h = base_headers(c, o, rng, date, subj, msgid=mid)
    h[-1:-1] = extra
    return "\n".join(h) + "\n" + body


def bounce(c, o, rng, run, style):
    p = c["who"]
    date = rfc_date(o["day"], o["hh"], min(59, o["mm"] + 1), rng.randrange(60))
    orig_hdr = ("Date: %s\nFrom: %s <%s>\nTo: %s <%s>\nSubject: %s\nMessage-ID: %s\nMIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n"
                % (rfc_date(o["day"], o["hh"], o["mm"]), OFFICE_NAME, OFFICE, p.name.split(",")[0], c["bad_rcpt"], o["subject"], o["msgid"]))
    orig = orig_hdr + "\n" + o["text"]
    if style == "postfix":
        subj, frm = "Undelivered Mail Returned to Sender", "MAILER-DAEMON@mail.bangkatengahkab.go.id (Mail Delivery System)"
        expl = ("This is the mail system at host mail.bangkatengahkab.go.id.\n\nI'm sorry to have to inform you that your message could not\n"
                "be delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\n"
                "If you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n"
                "                   The mail system\n\n<%s>: host %s said: 550 5.1.1 <%s>:\n    Recipient address rejected: User unknown in virtual mailbox table\n"
                % (c["bad_rcpt"], "mx.example-desa.id", c["bad_rcpt"]))
        rfc = part("message/rfc822", orig, "8bit", ["Content-Description: Undelivered Message"])
    elif style == "gmail":
        subj, frm = "Delivery Status Notification (Failure)", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"
        expl = ("** Alamat tidak ditemukan **\n\nPesan Anda tidak terkirim ke %s karena alamat tidak ditemukan, atau tidak dapat menerima email.\n\n"
                "Respons dari server penerima adalah:\n550 5.1.1 The email account that you tried to reach does not exist.\n" % c["bad_rcpt"])
        rfc = part("text/rfc822-headers", orig_hdr, "7bit")
    else:  # exchange
        subj, frm = "Tidak terkirim: " + o["subject"], "postmaster@bangkatengahkab.onmicrosoft.com"
        expl = ("Pengiriman gagal ke penerima atau grup ini:\n\n%s\nKotak surat penerima penuh dan tidak dapat menerima pesan saat ini. "
                "Coba kirim ulang pesan nanti, atau hubungi penerima secara langsung.\n" % c["bad_rcpt"])
        rfc = part("message/rfc822", orig, "8bit")
    status = ("Reporting-MTA: dns; mail.bangkatengahkab.go.id\nArrival-Date: %s\n\nFinal-Recipient: rfc822; %s\nAction: failed\n"
              "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n" % (date, c["bad_rcpt"]))
    body = multipart("report", [text_part("text/plain; charset=utf-8", expl, "8bit"), part("message/delivery-status", status, "7bit"), rfc],
                     rnd_hex(rng, 12).upper() + ".%d/mail.bangkatengahkab.go.id" % rng.randrange(10**9), '; report-type=delivery-status')
    h = ["Return-Path: <>", "Date: " + date, "From: " + frm, "To: " + OFFICE, "Subject: " + subj,
         "Message-ID: <%s@mail.bangkatengahkab.go.id>" % rnd_hex(rng, 16), "Auto-Submitted: auto-replied", "MIME-Version: 1.0"]
    return "\n".join(h) + "\n" + body


def forward(c, o, rng, run, style):
    p = c["who"]
    y, m, d, wd = o["day"]
    hh, mm = reply_time(o, rng)
    to = "%s <%s>" % (c["fwd_to_name"], c["fwd_to"])
    if style == "gmail":
        blk = ("---------- Forwarded message ---------\nDari: %s <%s>\nDate: %s, %d %s %d pukul %02d.%02d\nSubject: %s\nTo: %s <%s>\n"
               % (OFFICE_NAME, OFFICE, HARI3[wd], d, BLN3[m - 1], y, o["hh"], o["mm"], o["subject"], p.name.split(",")[0], p.email))
        subj = "Fwd: " + o["subject"]
        plain = c["body"] + "\n\n" + blk + "\n\n" + o["text"]
        html = '<div dir="ltr">%s<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">%s</div><br><br>%s</div></div>' % (
            html_lines(c["body"]), "<br>".join(html_escape(l) for l in blk.split("\n")), html_lines(o["text"]))
        alt = multipart("alternative", [text_part('text/plain; charset="UTF-8"', plain, "qp"),
                                         text_part('text/html; charset="UTF-8"', html + "\n", "qp")], "000000000000" + rnd_hex(rng, 16))
        mid = "<CA%s+%s@mail.gmail.com>" % (rnd_alnum(rng, 10), rnd_alnum(rng, 30))
    else:
        blk = outlook_block(o, "id").replace("{to}", "%s <%s>" % (p.name.split(",")[0], p.email))
        subj = "TRS: " + o["subject"]
        plain = c["body"] + "\n\n" + blk + "\n" + o["text"]
        html = "<html><body>%s<hr>%s</body></html>" % (html_lines(c["body"]), html_lines(blk + "\n" + o["text"]))
        alt = multipart("alternative", [text_part('text/plain; charset="us-ascii"', plain, "qp"),
                                         text_part('text/html; charset="us-ascii"', html + "\n", "qp")], "_000_%s_" % rnd_alnum(rng, 30).upper())
        mid = "<%s@%s.apcprd04.prod.outlook.com>" % (rnd_alnum(rng, 40).upper(), rnd_alnum(rng, 12).upper())
    date = rfc_date(o["day"], hh, mm, rng.randrange(60))
    h = base_headers(c, o, rng, date, subj, msgid=mid, to=to)
    h.insert(5, "Cc: %s <%s>" % (OFFICE_NAME, OFFICE))
    return "\n".join(h) + "\n" + alt


def render(c, o, rng, run):
    cl = c["client"]
    if cl.startswith("gcal-"):
        return cal_google(c, o, rng, run, cl[5:])
    if cl.startswith("outlook-cal-"):
        return cal_outlook(c, o, rng, run, cl[12:])
    if cl == "apple-cal":
        return cal_apple(c, o, rng, run)
    if cl.startswith("oof-"):
        return oof(c, o, rng, run, cl[4:])
    if cl.startswith("bounce-"):
        return bounce(c, o, rng, run, cl[7:])
    if cl.startswith("fwd-"):
        return forward(c, o, rng, run, cl[4:])
    raise ValueError("unknown client " + cl)

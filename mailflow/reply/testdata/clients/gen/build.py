"""Assemble a whole message from a renderer's parts and write the fixtures."""
from special import *


RENDER = {
    "gmail_web": r_gmail, "gmail_android": lambda c: r_gmail(c, True),
    "outlook": r_outlook, "owa": r_owa, "outlook_android": lambda c: r_owa(c, "android"),
    "outlook_ios": lambda c: r_owa(c, "ios"), "yahoo_web": r_yahoo, "yahoo_android": lambda c: r_yahoo(c, True),
    "samsung": r_samsung, "iphone": r_apple, "applemail": lambda c: r_apple(c, False), "thunderbird": r_thunderbird,
    "zimbra": r_zimbra, "lotus": r_lotus, "cal_outlook": r_cal_outlook, "cal_google": r_cal_google,
    "cal_apple": r_cal_apple, "auto": r_auto, "bounce": r_bounce, "fwd": r_fwd,
}


def render(c):
    c.from_override = None
    c.to_override = None
    hdrs, mid, ct, body, pre = RENDER[c.style](c)
    a = c.a
    subject = subj(c, pre)
    frm = c.from_override or c.who.hdr()
    to = c.to_override.hdr() if c.to_override else "%s <%s>" % a.frm
    recv_host = {"gmail": "mail-pl1-f182.google.com (mail-pl1-f182.google.com [209.85.214.182])",
                 "yahoo": "sonic305-21.consmr.mail.sg3.yahoo.com (sonic305-21.consmr.mail.sg3.yahoo.com [106.10.241.147])",
                 "outlook": "SEYPR04CU001.outbound.protection.outlook.com (mail-koreacentralazon11013090.outbound.protection.outlook.com [52.101.128.90])"}
    host = recv_host["gmail"] if "gmail" in c.who.addr else recv_host["yahoo"] if "yahoo" in c.who.addr else \
        recv_host["outlook"] if c.style in ("owa", "outlook_android", "outlook_ios", "cal_outlook") else "mail.bangkatengah.go.id [103.31.204.18]"
    lines = ["Return-Path: <%s>" % (c.who.addr if c.thread != "bounce" else ""),
             "Received: from %s\r\n        by mail.%s (Postfix) with ESMTPS id 4VXk%s\r\n        for <%s>; %s" % (
                 host, DOM, alnum(6), SEKRE[1], rfc_date(c.when + dt.timedelta(seconds=3)))]
    lines += ["From: " + frm, "To: " + to]
    if c.kw.get("cc"):
        lines.append("Cc: " + c.kw["cc"])
    lines += ["Subject: " + subject, "Date: " + rfc_date(c.when), "Message-ID: " + mid]
    if c.thread in ("full", "irt"):
        lines.append("In-Reply-To: <%s>" % a.msgid)
        if c.thread == "full":
            lines.append("References: " + a.refs())
    lines += c.extra
    lines += hdrs
    lines.append("MIME-Version: 1.0" if c.style not in ("iphone", "applemail") else "Mime-Version: 1.0 (1.0)")
    if ct is None:
        head, rest = body.split("\r\n\r\n", 1)
        lines += head.split("\r\n")
        body = rest
    else:
        lines.append("Content-Type: " + ct)
    msg = "\r\n".join(lines) + "\r\n\r\n" + body
    if c.frame == "mbox":
        t = c.when
        msg = "From %s %s %s %2d %02d:%02d:%02d %d\r\n" % (c.who.addr, DAYS_EN[t.weekday()], MON_EN[t.month], t.day, t.hour, t.minute, t.second, t.year) + msg
    elif c.frame == "spaces":
        msg = "    \r\n" + msg
    return msg


def want_json(c):
    w = c.want
    out = {"kind": w.get("kind", "reply"), "command": w.get("command", "")}
    if "text" in w:
        if w["text"] is not None:
            out["text"] = w["text"]
    elif out["kind"] == "reply":
        out["text"] = c.new
    for k in ("notes", "partstat", "delegate"):
        if k in w:
            out[k] = w[k]
    if out["command"] != "approve":
        out["must_not_approve"] = True
    out["client"] = c.client
    out["note"] = w.get("note", "")
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def write(cases, root):
    seen = set()
    for c in cases:
        assert c.name not in seen, c.name
        seen.add(c.name)
        d = os.path.join(root, c.part)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, c.name + ".eml"), "wb") as f:
            f.write(render(c).encode("utf-8"))
        with open(os.path.join(d, c.name + ".want.json"), "w") as f:
            f.write(want_json(c))

#!/usr/bin/env python3
"""Score a mailflow binary on the client reply fixtures.

usage: python3 score.py BINARY [tune|heldout|all] [-v]

Runs `BINARY parse -json FILE.eml` for every fixture of the chosen part(s)
and compares the result with FILE.want.json. Prints, per part: cases, parse
errors (non-zero exit), kind right, command right, text exact and text
f1>=0.9 (where the fixture gives a text), notes, partstat and delegate right
(where given) and the UNSAFE APPROVALS (command approve where the fixture says
must_not_approve), by name. -v also lists every failing case per metric.
It is a report: the exit status is always 0.
"""
import collections
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PARTS = ("tune", "heldout")
HONORIFICS = re.compile(r"^(?:(?:sdr|sdri|saudara|saudari|bapak|bpk|pak|ibu|bu|mr|mrs|ms)\.?\s+)+", re.I)


def norm(s):
    """CRLF -> LF, NBSP -> space, trailing spaces dropped, blank-line runs collapsed, stripped."""
    s = (s or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    s = "\n".join(l.rstrip(" \t") for l in s.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", s).strip()


def tokens(s):
    return collections.Counter(re.findall(r"\w+", (s or "").lower()))


def f1(got, want):
    g, w = tokens(got), tokens(want)
    if not g and not w:
        return 1.0
    common = sum((g & w).values())
    if common == 0:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def same_name(got, want):
    clean = lambda s: re.sub(r"[\s.,]+$", "", HONORIFICS.sub("", (s or "").strip())).casefold()
    return clean(got) == clean(want)


def run(binary, eml):
    try:
        p = subprocess.run([binary, "parse", "-json", eml], capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if p.returncode != 0:
        return None, (p.stderr.decode("utf-8", "replace").strip() or "exit %d" % p.returncode)
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, "bad json: %s" % e


def score_part(binary, part, verbose):
    d = os.path.join(HERE, part)
    names = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".eml")) if os.path.isdir(d) else []
    # metric -> [right, of, failing names]
    m = collections.OrderedDict((k, [0, 0, []]) for k in (
        "kind right", "command right", "text exact", "text f1>=0.9", "notes right", "partstat right", "delegate right"))
    errors, unsafe = [], []

    def count(key, ok, name):
        m[key][1] += 1
        if ok:
            m[key][0] += 1
        else:
            m[key][2].append(name)

    for name in names:
        with open(os.path.join(d, name + ".want.json"), encoding="utf-8") as f:
            want = json.load(f)
        got, err = run(binary, os.path.join(d, name + ".eml"))
        if err is not None:
            errors.append("%s (%s)" % (name, err.splitlines()[-1][:120]))
            got = {}
        count("kind right", got.get("kind") == want["kind"], name)
        count("command right", (got.get("command") or "") == want["command"], name)
        if "text" in want:
            count("text exact", err is None and norm(got.get("text")) == norm(want["text"]), name)
            count("text f1>=0.9", err is None and f1(got.get("text"), want["text"]) >= 0.9, name)
        if "notes" in want:
            count("notes right", err is None and norm(got.get("notes")) == norm(want["notes"]), name)
        if "partstat" in want:
            count("partstat right", (got.get("partstat") or "") == want["partstat"], name)
        if "delegate" in want:
            count("delegate right", same_name(got.get("delegate"), want["delegate"]), name)
        if want.get("must_not_approve") and got.get("command") == "approve":
            unsafe.append(name)

    print("== %s (%d cases)" % (part, len(names)))
    print("  %-18s %d" % ("parse errors", len(errors)))
    for e in errors:
        print("      " + e)
    for k, (ok, of, bad) in m.items():
        pct = "%5.1f%%" % (100.0 * ok / of) if of else "    -"
        print("  %-18s %3d / %-3d %s" % (k, ok, of, pct))
        if verbose and bad:
            print("      fail: " + ", ".join(bad))
    print("  %-18s %d%s" % ("UNSAFE APPROVALS", len(unsafe), (": " + ", ".join(unsafe)) if unsafe else ""))
    return len(names)


def main(argv):
    args = [a for a in argv[1:] if a != "-v"]
    verbose = len(args) != len(argv) - 1
    if not args:
        print(__doc__.strip())
        return 0
    binary = os.path.abspath(args[0])
    which = args[1] if len(args) > 1 else "all"
    parts = PARTS if which == "all" else (which,)
    if which not in PARTS + ("all",):
        print("unknown part %r (want tune, heldout or all)" % which)
        return 0
    for p in parts:
        score_part(binary, p, verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

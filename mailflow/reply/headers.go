package reply

import (
	"bytes"
	"strings"

	"github.com/emersion/go-message/mail"
	gomail "net/mail"

	"github.com/bangkatengah/mailflow/mailflow/token"
)

// readHeaders fills the header fields of p.
func readHeaders(p *Parsed, h mail.Header, opts Options) {
	p.MessageID, _ = h.MessageID()
	if ids, _ := h.MsgIDList("In-Reply-To"); len(ids) > 0 {
		p.InReplyTo = ids[0]
	}
	p.References, _ = h.MsgIDList("References")
	if s, err := h.Subject(); err == nil {
		p.Subject = s
	} else {
		p.Subject = h.Get("Subject")
	}
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		p.From = strings.ToLower(from[0].Address)
		p.FromName = from[0].Name
	} else if raw := h.Get("From"); raw != "" {
		p.From = strings.ToLower(bareAddress(raw))
	}
	p.FromCount = countFrom(h.Values("From"))
	if d, err := h.Date(); err == nil {
		p.Date = d
	}
	p.Ours = h.Has(token.Header)
	p.Auth = authVerdict(&h, opts.TrustedAuthServID)
	p.Auth.align(p.From, p.FromCount)
}

// countFrom counts the addresses over every From field (RFC 5322 §3.6.2
// allows a list; §3.6 allows one field). A field the address parser
// refuses counts its '@'-bearing words, and at least one.
func countFrom(fields []string) int {
	n := 0
	for _, f := range fields {
		if list, err := gomail.ParseAddressList(f); err == nil {
			n += len(list)
			continue
		}
		if strings.TrimSpace(f) == "" {
			continue
		}
		k := 0
		for _, w := range strings.FieldsFunc(f, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' }) {
			if strings.Contains(w, "@") {
				k++
			}
		}
		n += max(k, 1)
	}
	return n
}

// bareAddress pulls an address out of a From header that the strict parser
// refused ("Name <a@b>" with broken quoting).
func bareAddress(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			return strings.TrimSpace(s[i+1 : i+j])
		}
	}
	for _, f := range strings.Fields(s) {
		if strings.Contains(f, "@") {
			return strings.Trim(f, "<>\"'(),;")
		}
	}
	return ""
}

// correlate lists the refs a message points at, best first: a bounce's
// returned Message-ID, In-Reply-To
// and References (newest first), the subject tag, the body reference line,
// then a plus-addressed recipient.
func correlate(p *Parsed, h mail.Header, plain string, html []byte) []token.Ref {
	var refs []token.Ref
	seen := map[token.Ref]bool{}
	add := func(r token.Ref, ok bool) {
		if ok && !seen[r] {
			seen[r] = true
			refs = append(refs, r)
		}
	}
	if p.Bounce != nil {
		// a bounce is about the message it returns
		add(token.FromMessageID(p.Bounce.OriginalMessageID))
	}
	add(token.FromMessageID(p.InReplyTo))
	for i := len(p.References) - 1; i >= 0; i-- {
		add(token.FromMessageID(p.References[i]))
	}
	add(token.FromText(p.Subject))
	add(refInBody(plain, html))
	for _, key := range []string{"To", "Cc", "Delivered-To", "X-Original-To"} {
		for _, v := range h.Values(key) {
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '<' || r == '>' }) {
				add(token.FromAddress(f))
			}
		}
	}
	return refs
}

// refInBody finds the body reference line ("Ref: MF-<token>-<step>") in
// the text plain + "\n" + html, without building that text and without
// running the token pattern over all of it: only around each "MF-" does it
// look.
func refInBody(plain string, html []byte) (token.Ref, bool) {
	if r, ok := refIn(plain, html, 0); ok {
		return r, true
	}
	return refIn(plain, html, len(plain)+1)
}

// refIn scans the part of plain + "\n" + html that starts at from (0:
// plain, len(plain)+1: html) for "MF-" (either case), in order.
func refIn(plain string, html []byte, from int) (token.Ref, bool) {
	partLen := len(plain)
	if from > 0 {
		partLen = len(html)
	}
	indexDash := func(off int) int {
		if from > 0 {
			return bytes.IndexByte(html[off:], '-')
		}
		return strings.IndexByte(plain[off:], '-')
	}
	n := len(plain) + 1 + len(html)
	at := func(k int) byte {
		switch {
		case k < len(plain):
			return plain[k]
		case k == len(plain):
			return '\n'
		}
		return html[k-len(plain)-1]
	}
	for off := 0; off < partLen; {
		j := indexDash(off)
		if j < 0 {
			break
		}
		off += j + 1
		i := from + off - 2 // the 'F' of "MF-"
		if i <= 0 || at(i) != 'f' && at(i) != 'F' || at(i-1) != 'm' && at(i-1) != 'M' {
			continue
		}
		start := max(i-2, 0)
		end := min(i+2+token.Len+6, n)
		if r, ok := token.FromText(window(plain, html, start, end)); ok {
			return r, true
		}
	}
	return token.Ref{}, false
}

// window returns (plain + "\n" + html)[start:end].
func window(plain string, html []byte, start, end int) string {
	switch p := len(plain); {
	case end <= p:
		return plain[start:end]
	case start > p:
		return string(html[start-p-1 : end-p-1])
	}
	return plain[start:] + "\n" + string(html[:end-len(plain)-1])
}

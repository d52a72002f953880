package mailserver

import (
	"bytes"
	"net/mail"
	"strings"
)

// stampAuth does what the office's own server does for mailflow's trust
// model (README, "Trust model"): it removes every Authentication-Results
// field that claims this server's authserv-id (RFC 8601 §5: a forged one
// must never reach the reader) and adds its own on top. A message
// submitted by a logged-in account whose one From is that account gets
// dmarc=pass for the From domain, which is what a submission server that
// refuses a sender-login mismatch vouches for; anything else gets
// dmarc=fail or none. It never changes the body.
func stampAuth(raw []byte, id, user string) []byte {
	end := headerEnd(raw)
	head := raw[:end]
	var kept bytes.Buffer
	var froms []string
	for _, f := range splitFields(head) {
		name, value, _ := strings.Cut(string(f), ":")
		switch {
		case strings.EqualFold(strings.TrimSpace(name), "Authentication-Results") && claims(value, id):
			continue
		case strings.EqualFold(strings.TrimSpace(name), "From"):
			froms = append(froms, value)
		}
		kept.Write(f)
	}
	from, one := "", false
	if len(froms) == 1 {
		if l, err := mail.ParseAddressList(unfold(froms[0])); err == nil && len(l) == 1 {
			from, one = strings.ToLower(l[0].Address), true
		}
	}
	domain := "none"
	if at := strings.LastIndexByte(from, '@'); at >= 0 {
		domain = from[at+1:]
	}
	var ar string
	switch {
	case user == "":
		ar = id + "; auth=none; dmarc=none header.from=" + domain
	case one && strings.EqualFold(from, user):
		ar = id + ";\r\n\tauth=pass smtp.auth=" + user + ";\r\n\tdmarc=pass (From is the authenticated account) header.from=" + domain
	default:
		ar = id + ";\r\n\tauth=pass smtp.auth=" + user + ";\r\n\tdmarc=fail (From is not the authenticated account) header.from=" + domain
	}
	var out bytes.Buffer
	out.Grow(len(raw) + len(ar) + 32)
	out.WriteString("Authentication-Results: " + ar + "\r\n")
	out.Write(kept.Bytes())
	out.Write(raw[end:])
	return out.Bytes()
}

// headerEnd is the offset of the blank line that ends the header (or the
// end of raw when there is none).
func headerEnd(raw []byte) int {
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			return len(raw)
		}
		line := raw[i : i+j+1]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return i
		}
		i += j + 1
	}
	return len(raw)
}

// splitFields cuts a header into its fields, each with its continuation
// lines and line ends.
func splitFields(head []byte) [][]byte {
	var out [][]byte
	for i := 0; i < len(head); {
		j := bytes.IndexByte(head[i:], '\n')
		next := len(head)
		if j >= 0 {
			next = i + j + 1
		}
		if (head[i] == ' ' || head[i] == '\t') && len(out) > 0 {
			last := out[len(out)-1]
			out[len(out)-1] = head[i-len(last) : next]
		} else {
			out = append(out, head[i:next])
		}
		i = next
	}
	return out
}

// claims reports whether an Authentication-Results value names id as its
// authserv-id (the first token, before any version or ';').
func claims(value, id string) bool {
	v := strings.TrimSpace(unfold(value))
	if i := strings.IndexAny(v, "; \t("); i >= 0 {
		v = v[:i]
	}
	return strings.EqualFold(v, id)
}

func unfold(s string) string {
	return strings.NewReplacer("\r\n", "", "\n", "", "\r", "").Replace(s)
}

package reply

import (
	"bufio"
	"io"
	"regexp"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// maxDSN bounds how much of a delivery-status part is read.
const maxDSN = 256 << 10

// deliveryStatus reads a message/delivery-status part (RFC 3464 §2): one
// block of per-message fields, then one block per recipient. The first
// failed recipient is reported.
func (w *walker) deliveryStatus(r io.Reader) {
	br := bufio.NewReader(io.LimitReader(r, maxDSN))
	b := w.bounce()
	for i := 0; i < 50; i++ {
		h, err := textproto.ReadHeader(br)
		if err != nil && h.Len() == 0 {
			break
		}
		if rcpt := h.Get("Final-Recipient"); rcpt != "" || h.Get("Status") != "" {
			action := strings.ToLower(strings.TrimSpace(h.Get("Action")))
			if b.Recipient != "" && action != "failed" {
				continue
			}
			b.Recipient = strings.ToLower(addrType(rcpt))
			if b.Recipient == "" {
				b.Recipient = strings.ToLower(addrType(h.Get("Original-Recipient")))
			}
			b.Status = strings.TrimSpace(firstField(h.Get("Status")))
			b.Diagnostic = strings.TrimSpace(h.Get("Diagnostic-Code"))
			// RFC 3463: class 5 is a permanent failure, 4 transient
			b.Permanent = strings.HasPrefix(b.Status, "5") || action == "failed" && !strings.HasPrefix(b.Status, "4")
			if action == "failed" {
				break
			}
		}
		if err != nil {
			break
		}
	}
	io.Copy(io.Discard, r)
}

// originalHeaders reads the returned message's header (message/rfc822 or
// text/rfc822-headers) for its Message-ID.
func (w *walker) originalHeaders(r io.Reader) {
	br := bufio.NewReader(io.LimitReader(r, maxDSN))
	h, _ := textproto.ReadHeader(br)
	if id := strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>"); id != "" {
		w.bounce().OriginalMessageID = id
	}
	io.Copy(io.Discard, r)
}

func (w *walker) bounce() *Bounce {
	if w.p.Bounce == nil {
		w.p.Bounce = &Bounce{}
	}
	return w.p.Bounce
}

// addrType strips the address type of a DSN address: "rfc822; a@b".
// Control characters (a bare CR inside the field) are dropped.
func addrType(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return strings.Trim(strings.TrimSpace(s), "<>")
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

var (
	textStatusRe = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)
	textMsgIDRe  = regexp.MustCompile(`(?im)^\s*Message-ID:\s*<([^>\s]+)>`)
)

// bounceFromText reads what it can from a bounce that is not a
// multipart/report (old MTAs send plain text).
func bounceFromText(s string) *Bounce {
	b := &Bounce{}
	if m := textStatusRe.FindString(s); m != "" {
		b.Status = m
		b.Permanent = strings.HasPrefix(m, "5")
	}
	if m := textMsgIDRe.FindStringSubmatch(s); m != nil {
		b.OriginalMessageID = m[1]
	}
	return b
}

// ReadDeliveryStatus reads a message/delivery-status body the way Parse
// does. It exists for the fuzz target and for tools.
func ReadDeliveryStatus(r io.Reader) Bounce {
	w := &walker{p: &Parsed{}}
	w.deliveryStatus(r)
	return *w.bounce()
}

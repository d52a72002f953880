package intake

import (
	"fmt"
	"io"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/reply"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// archiver copies an incoming message's raw bytes into the blob store while
// the parser reads them, so that the evidence is the message exactly as it
// arrived and is never held whole in memory.
type archiver struct {
	w *blob.Writer // nil: no blob store, nothing archived
	m *mailin.Message
}

// archive starts the copy of m; the caller parses a.body() instead of m.Body.
func (in *Intake) archive(m *mailin.Message) (*archiver, error) {
	a := &archiver{m: m}
	if in.Blobs == nil {
		return a, nil
	}
	w, err := in.Blobs.Create()
	if err != nil {
		return nil, fmt.Errorf("archive uid %d: %w", m.UID, err)
	}
	a.w = w
	return a, nil
}

func (a *archiver) body() io.Reader {
	if a.w == nil {
		return a.m.Body
	}
	return io.TeeReader(a.m.Body, a.w)
}

// finish reads what the parser left unread and stores the copy; the row
// goes into the marker's transaction (store.Inbound.Archive). An error is
// transient: the message is tried again.
func (a *archiver) finish(p *reply.Parsed) (*store.Message, error) {
	if a.w == nil {
		return nil, nil
	}
	if _, err := io.Copy(io.Discard, a.body()); err != nil {
		a.w.Abort()
		return nil, fmt.Errorf("read uid %d to archive it: %w", a.m.UID, err)
	}
	sum, size, err := a.w.Commit()
	if err != nil {
		return nil, fmt.Errorf("archive uid %d: %w", a.m.UID, err)
	}
	msg := &store.Message{Direction: store.MsgIn, SHA256: sum, Size: size, MessageID: a.m.Header.MessageID,
		From: a.m.Header.From, To: a.m.Header.To, Subject: a.m.Header.Subject}
	if p != nil {
		if p.MessageID != "" {
			msg.MessageID = p.MessageID
		}
		if p.From != "" {
			msg.From = p.From
		}
		if p.Subject != "" {
			msg.Subject = p.Subject
		}
		msg.Auth = AuthText(p.Auth)
	}
	return msg, nil
}

// abort drops the copy of a message that is not processed (quarantined).
func (a *archiver) abort() {
	if a.w != nil {
		a.w.Abort()
	}
}

// AuthText is the verdict of the trusted Authentication-Results as the
// console and the evidence show it: "dmarc=pass (aligned) dkim=pass
// (aligned, d=…) spf=pass", or why there is none.
func AuthText(v reply.AuthVerdict) string {
	if !v.Trusted {
		return "none (no Authentication-Results from the office server)"
	}
	var out []string
	res := func(name string, pass, aligned bool, extra string) {
		s := name + "=fail"
		if pass {
			s = name + "=pass"
			var det []string
			if aligned {
				det = append(det, "aligned")
			}
			if extra != "" {
				det = append(det, extra)
			}
			if len(det) > 0 {
				s += " (" + strings.Join(det, ", ") + ")"
			}
		}
		out = append(out, s)
	}
	res("dmarc", v.DMARC, v.DMARCAligned, "")
	d := ""
	if len(v.DKIMDomains) > 0 {
		d = "d=" + strings.Join(v.DKIMDomains, ",")
	}
	res("dkim", v.DKIM, v.DKIMAligned, d)
	res("spf", v.SPF, false, "")
	return strings.Join(out, " ")
}

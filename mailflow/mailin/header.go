package mailin

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode subjects in any charset
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// pass1Options fetches the envelope and the named header fields, never
// setting \Seen (RFC 3501 §6.4.5: BODY.PEEK).
func pass1Options(fields []string) *imap.FetchOptions {
	return &imap.FetchOptions{
		UID: true, Flags: true, RFC822Size: true, Envelope: true,
		BodySection: []*imap.FetchItemBodySection{{
			Peek: true, Specifier: imap.PartSpecifierHeader, HeaderFields: fields,
		}},
	}
}

// parseHeader builds a Header from pass-1 data, reading the header fields
// through br (reused across messages). Malformed fields fall back to their
// raw text or the envelope: deciding what they mean is the Handler's
// business, losing them is not ours. Addresses come from the envelope,
// which the server has parsed already; the header fields are parsed only
// when it has none.
func parseHeader(buf *imapclient.FetchMessageBuffer, br *bufio.Reader) Header {
	h := Header{UID: uint32(buf.UID), Flags: buf.Flags, Size: buf.RFC822Size, Envelope: buf.Envelope}
	var raw []byte
	for _, s := range buf.BodySection {
		raw = s.Bytes
	}
	br.Reset(bytes.NewReader(raw))
	th, err := textproto.ReadHeader(br)
	if err != nil && th.Len() == 0 {
		th = textproto.Header{}
	}
	mh := mail.Header{Header: message.Header{Header: th}}
	h.Raw = mh
	env := buf.Envelope

	if id, err := mh.MessageID(); err == nil && id != "" {
		h.MessageID = id
	} else {
		h.MessageID = trimID(mh.Get("Message-Id"))
	}
	if h.MessageID == "" && env != nil {
		h.MessageID = trimID(env.MessageID)
	}
	if v := mh.Get("In-Reply-To"); v != "" {
		if ids, err := mh.MsgIDList("In-Reply-To"); err == nil && len(ids) > 0 {
			h.InReplyTo = ids[0]
		} else {
			h.InReplyTo = trimID(v)
		}
	}
	if mh.Has("References") {
		if ids, err := mh.MsgIDList("References"); err == nil {
			h.References = ids
		}
	}
	if v := mh.Get("Subject"); !strings.Contains(v, "=?") {
		h.Subject = v // no encoded words: nothing to decode
	} else if s, err := mh.Subject(); err == nil {
		h.Subject = s
	} else if env != nil {
		h.Subject = env.Subject
	} else {
		h.Subject = v
	}
	if env != nil && len(env.From) > 0 && env.From[0].Addr() != "" {
		h.From = env.From[0].Addr()
	} else if l, err := mh.AddressList("From"); err == nil && len(l) > 0 {
		h.From = l[0].Address
	}
	if env != nil {
		for _, l := range [][]imap.Address{env.To, env.Cc} {
			for _, a := range l {
				if addr := a.Addr(); addr != "" { // not a group marker
					h.To = append(h.To, addr)
				}
			}
		}
	} else {
		for _, key := range []string{"To", "Cc"} {
			if l, err := mh.AddressList(key); err == nil {
				for _, a := range l {
					h.To = append(h.To, a.Address)
				}
			}
		}
	}
	h.AutoSubmitted = strings.TrimSpace(mh.Get("Auto-Submitted"))
	h.ContentType = strings.TrimSpace(mh.Get("Content-Type"))
	return h
}

func trimID(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(s, "<>")
}

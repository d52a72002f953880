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

// parseHeader builds a Header from pass-1 data. Malformed fields fall back
// to their raw text or the envelope: deciding what they mean is the
// Handler's business, losing them is not ours.
func parseHeader(buf *imapclient.FetchMessageBuffer) Header {
	h := Header{UID: uint32(buf.UID), Flags: buf.Flags, Size: buf.RFC822Size, Envelope: buf.Envelope}
	var raw []byte
	for _, s := range buf.BodySection {
		raw = s.Bytes
	}
	th, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil && th.Len() == 0 {
		th = textproto.Header{}
	}
	mh := mail.Header{Header: message.Header{Header: th}}
	h.Raw = mh

	if id, err := mh.MessageID(); err == nil && id != "" {
		h.MessageID = id
	} else {
		h.MessageID = trimID(mh.Get("Message-Id"))
	}
	if h.MessageID == "" && buf.Envelope != nil {
		h.MessageID = trimID(buf.Envelope.MessageID)
	}
	if ids, err := mh.MsgIDList("In-Reply-To"); err == nil && len(ids) > 0 {
		h.InReplyTo = ids[0]
	} else {
		h.InReplyTo = trimID(mh.Get("In-Reply-To"))
	}
	if ids, err := mh.MsgIDList("References"); err == nil {
		h.References = ids
	}
	if s, err := mh.Subject(); err == nil {
		h.Subject = s
	} else if buf.Envelope != nil {
		h.Subject = buf.Envelope.Subject
	} else {
		h.Subject = mh.Get("Subject")
	}
	if l, err := mh.AddressList("From"); err == nil && len(l) > 0 {
		h.From = l[0].Address
	} else if buf.Envelope != nil && len(buf.Envelope.From) > 0 {
		h.From = buf.Envelope.From[0].Addr()
	}
	for _, key := range []string{"To", "Cc"} {
		if l, err := mh.AddressList(key); err == nil {
			for _, a := range l {
				h.To = append(h.To, a.Address)
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

package mailin

import (
	"bufio"
	"io"
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

// Get returns the value of the header field key (the first one of that
// name), as Raw.Get would: from Raw when it is set, otherwise from the
// header fields pass 1 fetched, without parsing the rest of them.
func (h Header) Get(key string) string {
	if h.raw == "" && h.Raw.Len() > 0 {
		return h.Raw.Get(key)
	}
	return lookupField(h.raw, key)
}

// Fields returns the header fields pass 1 fetched, parsed: Raw when it is
// set, otherwise a new mail.Header (pass 1 leaves Raw empty, to parse the
// fields only when a Handler asks).
func (h Header) Fields() mail.Header {
	if h.raw == "" {
		return h.Raw
	}
	return parseFields(h.raw)
}

func parseFields(raw string) mail.Header {
	th, err := textproto.ReadHeader(bufio.NewReader(strings.NewReader(raw)))
	if err != nil && th.Len() == 0 {
		th = textproto.Header{}
	}
	return mail.Header{Header: message.Header{Header: th}}
}

// readPass1 reads one message of a pass-1 FETCH as it streams in, the
// header literal into scratch (reused across messages, so that each
// message costs one string of its header fields). section is false for an
// answer without the header fields.
func readPass1(msg *imapclient.FetchMessageData, scratch *[]byte) (h Header, section bool, err error) {
	var raw []byte
	for item := msg.Next(); item != nil; item = msg.Next() {
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			h.UID = uint32(item.UID)
		case imapclient.FetchItemDataFlags:
			h.Flags = item.Flags
		case imapclient.FetchItemDataRFC822Size:
			h.Size = item.Size
		case imapclient.FetchItemDataEnvelope:
			h.Envelope = item.Envelope
		case imapclient.FetchItemDataBodySection:
			section, raw = true, nil
			if item.Literal == nil {
				continue
			}
			n := item.Literal.Size()
			if n < 0 || n > 1<<20 {
				// Unusual: read it as it comes, no scratch kept.
				if raw, err = io.ReadAll(item.Literal); err != nil {
					drain(msg)
					return h, section, err
				}
				continue
			}
			if int64(cap(*scratch)) < n {
				*scratch = make([]byte, n)
			}
			raw = (*scratch)[:n]
			if _, err := io.ReadFull(item.Literal, raw); err != nil {
				drain(msg)
				return h, section, err
			}
		}
	}
	if cap(*scratch) > 1<<16 {
		*scratch = nil // a huge header: do not keep its buffer
	}
	h.raw = string(raw)
	return h, section, nil
}

// drain skips the rest of msg, as Collect does after an error.
func drain(msg *imapclient.FetchMessageData) {
	for msg.Next() != nil {
	}
}

// parseHeader fills in h's fields from its header fields (h.raw) and
// envelope. Malformed fields fall back to their raw text or the envelope:
// deciding what they mean is the Handler's business, losing them is not
// ours. Addresses come from the envelope, which the server has parsed
// already; the header fields are parsed only when it has none.
//
// The usual message (plain msg-ids, an envelope with a From address) is
// read straight from h.raw; anything else goes through go-message, with
// the same result (see TestParseHeaderFastSlow).
func parseHeader(h *Header) {
	if !parseHeaderFast(h) {
		parseHeaderSlow(h, parseFields(h.raw))
	}
}

func parseHeaderFast(h *Header) bool {
	env := h.Envelope
	if env == nil || len(env.From) == 0 || !firstFieldOK(h.raw) {
		return false
	}
	from := env.From[0].Addr()
	if from == "" {
		return false
	}
	// The first field of each name wins, as in textproto's Get.
	var msgID, irt, refs, subject, auto, ctype string
	var seen [6]bool
	hasRefs := false
	first := func(i int, dst *string, val string) {
		if !seen[i] {
			seen[i], *dst = true, val
		}
	}
	for raw := h.raw; ; {
		name, val, rest, ok := nextField(raw)
		if !ok {
			break
		}
		raw = rest
		switch {
		case strings.EqualFold(name, "Message-Id"):
			first(0, &msgID, val)
		case strings.EqualFold(name, "In-Reply-To"):
			first(1, &irt, val)
		case strings.EqualFold(name, "References"):
			first(2, &refs, val)
			hasRefs = true
		case strings.EqualFold(name, "Subject"):
			first(3, &subject, val)
		case strings.EqualFold(name, "Auto-Submitted"):
			first(4, &auto, val)
		case strings.EqualFold(name, "Content-Type"):
			first(5, &ctype, val)
		}
	}
	var ids, irtIDs [1]string // no allocation for one id
	id, ok := simpleMsgIDs(unfold(msgID), ids[:0])
	if !ok {
		return false
	}
	var inReplyTo string
	if v := unfold(irt); v != "" {
		l, ok := simpleMsgIDs(v, irtIDs[:0])
		if !ok || len(l) == 0 {
			return false
		}
		inReplyTo = l[0]
	}
	var references []string
	if hasRefs {
		if references, ok = simpleMsgIDs(unfold(refs), nil); !ok {
			return false
		}
	}
	if len(id) > 0 {
		h.MessageID = id[0]
	} else {
		h.MessageID = trimID(env.MessageID)
	}
	h.InReplyTo, h.References = inReplyTo, references
	h.Subject = decodeSubject(unfold(subject), env)
	h.From = from
	h.To = envelopeTo(env)
	h.AutoSubmitted = strings.TrimSpace(unfold(auto))
	h.ContentType = strings.TrimSpace(unfold(ctype))
	return true
}

func parseHeaderSlow(h *Header, mh mail.Header) {
	env := h.Envelope
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
	h.Subject = decodeSubject(mh.Get("Subject"), env)
	if env != nil && len(env.From) > 0 && env.From[0].Addr() != "" {
		h.From = env.From[0].Addr()
	} else if l, err := mh.AddressList("From"); err == nil && len(l) > 0 {
		h.From = l[0].Address
	}
	if env != nil {
		h.To = envelopeTo(env)
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
}

// decodeSubject decodes the Subject field's value v (RFC 2047), falling
// back to the envelope's, then to v.
func decodeSubject(v string, env *imap.Envelope) string {
	if !strings.Contains(v, "=?") {
		return v // no encoded words: nothing to decode
	}
	var mh mail.Header
	mh.Set("Subject", v)
	if s, err := mh.Subject(); err == nil {
		return s
	} else if env != nil {
		return env.Subject
	}
	return v
}

// envelopeTo lists the To and Cc addresses of env.
func envelopeTo(env *imap.Envelope) []string {
	var to []string
	for _, l := range [][]imap.Address{env.To, env.Cc} {
		for _, a := range l {
			if addr := a.Addr(); addr != "" { // not a group marker
				if to == nil {
					to = make([]string, 0, len(env.To)+len(env.Cc))
				}
				to = append(to, addr)
			}
		}
	}
	return to
}

func trimID(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(s, "<>")
}

package reply

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode every charset the clients use
	"github.com/emersion/go-message/mail"

	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
	"github.com/bangkatengah/mailflow/mailflow/reply/trim"
)

// Limits that keep a hostile message from taking the daemon's memory.
const (
	maxTextPart = 4 << 20 // bytes of one text body kept for trimming
	maxDepth    = 12      // nesting of multiparts
	maxParts    = 500
)

// Parse reads one message and understands it. Attachments are streamed
// (to opts.Blobs when set), never held whole in memory.
func Parse(r io.Reader, opts Options) (*Parsed, error) {
	e, err := message.Read(bufio.NewReaderSize(r, 32<<10))
	if err != nil && !lenient(err) {
		return nil, fmt.Errorf("read message header: %w", err)
	}
	p := &Parsed{}
	h := mail.Header{Header: e.Header}
	readHeaders(p, h, opts)
	w := &walker{opts: opts, p: p}
	if err := w.walk(e, 0); err != nil {
		return nil, err
	}
	finish(p, w, h, opts)
	return p, nil
}

// ParseText understands a bare body (no headers): kind is "text" or
// "html". It is what the reply corpus feeds to `mailflow parse`.
func ParseText(body string, isHTML bool, opts Options) *Parsed {
	p := &Parsed{}
	w := &walker{opts: opts, p: p}
	if isHTML {
		w.html = body
	} else {
		w.plain = body
	}
	finish(p, w, mail.Header{}, opts)
	return p
}

// lenient reports the errors go-message returns together with a readable
// entity (unknown charset or transfer encoding): use the part anyway.
func lenient(err error) bool {
	return message.IsUnknownCharset(err) || message.IsUnknownEncoding(err)
}

type walker struct {
	opts     Options
	p        *Parsed
	plain    string
	html     string
	parts    int
	isReport bool
	flowed   bool
	delSp    bool
}

func (w *walker) walk(e *message.Entity, depth int) error {
	w.parts++
	if w.parts > maxParts || depth > maxDepth {
		return nil
	}
	if mr := e.MultipartReader(); mr != nil {
		mt, params, _ := e.Header.ContentType()
		if mt == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
			w.isReport = true
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil && !lenient(err) {
				if part == nil {
					// a broken multipart: keep what was read so far
					return nil
				}
			}
			if err := w.walk(part, depth+1); err != nil {
				return err
			}
		}
	}
	return w.leaf(e)
}

func (w *walker) leaf(e *message.Entity) error {
	mt, params, _ := e.Header.ContentType()
	if mt == "" {
		mt = "text/plain"
	}
	disp, _, _ := e.Header.ContentDisposition()
	name := filename(e.Header)
	isAttachment := disp == "attachment" || name != ""
	switch {
	case mt == "text/calendar" || mt == "application/ics":
		w.calendar(e.Body)
		if disp != "attachment" {
			return nil
		}
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		w.deliveryStatus(e.Body)
		return nil
	case w.isReport && (mt == "message/rfc822" || mt == "text/rfc822-headers" || mt == "message/global-headers"):
		w.originalHeaders(e.Body)
		return nil
	case mt == "text/plain" && !isAttachment:
		if w.plain == "" {
			w.plain = readText(e.Body)
			w.flowed = strings.EqualFold(params["format"], "flowed")
			w.delSp = strings.EqualFold(params["delsp"], "yes")
		}
		return nil
	case mt == "text/html" && !isAttachment:
		if w.html == "" {
			w.html = readText(e.Body)
		}
		return nil
	}
	return w.attachment(e, mt, disp, name)
}

// readText reads a text body up to maxTextPart and drains the rest.
func readText(r io.Reader) string {
	var b strings.Builder
	n, _ := io.Copy(&b, io.LimitReader(r, maxTextPart))
	if n == maxTextPart {
		io.Copy(io.Discard, r)
	}
	return b.String()
}

// finish derives the text, command, meeting, kind and refs.
func finish(p *Parsed, w *walker, h mail.Header, opts Options) {
	plain := w.plain
	if w.flowed {
		plain = trim.Unflow(plain, w.delSp)
	}
	var full string
	switch {
	case strings.TrimSpace(plain) != "":
		full = plain
		p.Text = trim.Text(plain)
	case w.html != "":
		full = trim.HTMLToText(w.html)
		p.Text = trim.Text(full)
	}
	p.Command, p.Notes = grammar.Parse(p.Text)
	if meetingHint.MatchString(p.Text) {
		if m, err := ParseMeeting(p.Text, opts.Now, opts.Loc); err == nil {
			p.Meeting = m
		}
	}
	p.Refs = correlate(p, h, plain+"\n"+w.html)
	p.Kind, p.AutoReason = classify(p, &h, w, full)
}

// meetingHint: only look for a meeting where the text speaks of one.
var meetingHint = regexp.MustCompile(`(?i)\b(tanggal|hari|waktu|jam|pukul|pkl|tempat|rapat|besok|lusa)\b`)

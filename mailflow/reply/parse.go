package reply

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

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

// readers recycles the 32 KB buffered readers messages are read through.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 32<<10) }}

// Parse reads one message and understands it. Attachments are streamed
// (to opts.Blobs when set), never held whole in memory.
func Parse(r io.Reader, opts Options) (*Parsed, error) {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() {
		br.Reset(nil)
		readers.Put(br)
	}()
	e, err := message.Read(br)
	if err != nil && !lenient(err) {
		return nil, fmt.Errorf("read message header: %w", err)
	}
	p := &Parsed{}
	h := mail.Header{Header: e.Header}
	readHeaders(p, h, opts)
	w := &walker{opts: opts, p: p}
	defer w.release()
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
		w.html = []byte(body)
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
	html     []byte        // the HTML body, in htmlBuf when read from a message
	htmlBuf  *bytes.Buffer // back to textBufs after finish
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
		if len(w.html) == 0 {
			w.readHTML(e.Body)
		}
		return nil
	}
	return w.attachment(e, mt, disp, name)
}

// textBufs recycles the buffers text bodies are read into: a body is read
// straight into one (no intermediate copy buffer, no regrowing) and copied
// out once, at its size.
var textBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readText reads a text body up to maxTextPart and drains the rest.
func readText(r io.Reader) string {
	b := readBuf(r)
	s := b.String()
	putBuf(b)
	return s
}

// readHTML reads the HTML body into a recycled buffer: when there is a
// text/plain body, the HTML is only searched for a reference line, and
// never needs a string of its own.
func (w *walker) readHTML(r io.Reader) {
	w.release()
	w.htmlBuf = readBuf(r)
	w.html = w.htmlBuf.Bytes()
}

// release gives the HTML buffer back; w.html must not be used after.
func (w *walker) release() {
	if w.htmlBuf != nil {
		putBuf(w.htmlBuf)
		w.htmlBuf, w.html = nil, nil
	}
}

func readBuf(r io.Reader) *bytes.Buffer {
	b := textBufs.Get().(*bytes.Buffer)
	b.Reset()
	n, _ := b.ReadFrom(io.LimitReader(r, maxTextPart))
	if n == maxTextPart {
		io.Copy(io.Discard, r)
	}
	return b
}

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		textBufs.Put(b)
	}
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
	case len(w.html) > 0:
		full = trim.HTMLToText(string(w.html))
		p.Text = trim.Text(full)
	}
	p.Command, p.Notes = grammar.Parse(p.Text)
	if mayHoldMeeting(p.Text) && meetingHint.MatchString(p.Text) {
		if m, err := ParseMeeting(p.Text, opts.Now, opts.Loc); err == nil {
			p.Meeting = m
		}
	}
	p.Refs = correlate(p, h, plain, w.html)
	p.Kind, p.AutoReason = classify(p, &h, w, full)
}

// meetingHint: only look for a meeting where the text speaks of one.
var meetingHint = regexp.MustCompile(`(?i)\b(` + meetingWords + `)\b`)

const meetingWords = `tanggal|hari|waktu|jam|pukul|pkl|tempat|rapat|besok|lusa`

var meetingWordList = strings.Split(meetingWords, "|")

// mayHoldMeeting is a cheap necessary condition for meetingHint: one of
// its words, in any case, is in s.
func mayHoldMeeting(s string) bool {
	for _, w := range meetingWordList {
		if trim.ContainsFold(s, w) {
			return true
		}
	}
	return false
}

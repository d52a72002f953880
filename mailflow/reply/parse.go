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
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// Limits that keep a hostile message from taking the daemon's memory.
const (
	maxTextPart = 4 << 20 // bytes of one text body kept for trimming
	maxDepth    = 12      // nesting of multiparts
	maxParts    = 500
)

// parser holds what one Parse reuses: the 32 KB buffered reader the
// message is read through, a small one for the header block, and the
// header block itself.
type parser struct {
	br    *bufio.Reader
	hr    *bufio.Reader
	block bytes.Buffer
	src   srcReader
}

var parsers = sync.Pool{New: func() any {
	return &parser{br: bufio.NewReaderSize(nil, 32<<10), hr: bufio.NewReaderSize(nil, 4<<10)}
}}

// Parse reads one message and understands it. Attachments are streamed
// (to opts.Blobs when set), never held whole in memory.
//
// Real mail is read as leniently as Python's email package: an mbox "From "
// line, lines of spaces, fields go-message refuses and oversized headers
// are cleaned away (see cleanHeader); a message without any header field
// is read as text. An attachment that does not decode is listed in
// Rejected and the rest of the message is still read. Errors: one wrapping
// ErrMalformed when nothing can be understood (see ErrMalformed); any
// other error (reading r, storing a blob) is transient. On error, the blob
// store holds no partial file: only complete, content-addressed blobs of
// the attachments stored before the failure, which are harmless and are
// stored again, identically, by a retry.
func Parse(r io.Reader, opts Options) (*Parsed, error) {
	ps := parsers.Get().(*parser)
	ps.src = srcReader{r: r}
	ps.br.Reset(&ps.src)
	ps.block.Reset()
	defer func() {
		ps.br.Reset(nil)
		ps.hr.Reset(nil)
		ps.src = srcReader{}
		if ps.block.Cap() <= 64<<10 {
			parsers.Put(ps)
		}
	}()
	ended := readHeaderBlock(ps.br, &ps.block)
	if err := ps.src.err; err != nil {
		return nil, fmt.Errorf("read message header: %w", err)
	}
	block := ps.block.Bytes()
	h, tail, ok := readHeader(block, ps.hr)
	body := io.Reader(ps.br)
	switch {
	case !ok && notMail(block):
		return nil, malformed("no header field, and binary data where the header should be")
	case !ok:
		tail = block // no field at all: the whole message is text
	}
	if tail != nil {
		sep := ""
		if ended {
			sep = "\r\n"
		}
		body = io.MultiReader(bytes.NewReader(tail), strings.NewReader(sep), ps.br)
	}
	e, err := message.New(h, body)
	if err != nil && !lenient(err) {
		return nil, malformed("read message: %v", err)
	}
	p := &Parsed{}
	mh := mail.Header{Header: e.Header}
	readHeaders(p, mh, opts)
	w := &walker{opts: opts, p: p, src: &ps.src}
	defer w.release()
	if err := w.walk(e, 0); err != nil {
		return nil, err
	}
	if err := ps.src.err; err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	if e.Header.Len() == 0 && strings.TrimSpace(w.plain) == "" && len(w.html) == 0 && w.parts <= 1 {
		return nil, malformed("empty message")
	}
	finish(p, w, mh, opts)
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
	src      *srcReader // nil for ParseText
	plain    string
	html     []byte        // the HTML body, in htmlBuf when read from a message
	htmlBuf  *bytes.Buffer // back to textBufs after finish
	parts    int
	over     int  // parts past maxParts, not read
	deep     int  // parts nested deeper than maxDepth, not read
	calReply bool // a calendar part answered (METHOD:REPLY with a PARTSTAT)
	head     [sniffLen]byte
	isReport bool
	flowed   bool
	delSp    bool
}

func (w *walker) walk(e *message.Entity, depth int) error {
	w.parts++
	if w.parts > maxParts {
		w.over++
		return nil
	}
	if depth > maxDepth {
		w.deep++
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
	case mt == "text/calendar" || mt == "application/ics" || strings.HasSuffix(strings.ToLower(name), ".ics"):
		// never an attachment: Google repeats the iTIP part as invite.ics
		w.calendar(e.Body)
		return nil
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
	sender := p.FromName // a last line that is only this name is the signature
	if sender == "" {
		sender = p.From
	}
	hasPlain := strings.TrimSpace(plain) != ""
	if hasPlain {
		full = plain
		p.Text = trim.TextFrom(plain, sender)
	}
	if strings.TrimSpace(p.Text) == "" && len(w.html) > 0 {
		// no text/plain part, or one that holds only the quote (OWA
		// does so): the new text is in the HTML, and only there
		hasPlain = false
		full = trim.HTMLToText(string(w.html))
		p.Text = trim.TextFrom(full, sender)
	}
	if hasPlain {
		p.Text = cutPastedLetter(p.Text, plain)
	}
	if strings.TrimSpace(p.Text) == "" {
		// nothing typed in the body: a phone user may have typed the
		// answer in the Subject, before the client's "Re:"
		if typed := subjectTyped(p.Subject); typed != "" {
			p.Text, p.FromSubject = typed, true
		}
	}
	var why string
	p.Command, p.Notes, why = grammar.ParseExplained(p.Text)
	if p.Command == grammar.Unclear {
		p.UnclearWhy = "the text mixes an approval with a negation, a hedge or a rejection"
		if why != "" {
			p.UnclearWhy = why
		}
	} else if hasPlain && len(w.html) > 0 {
		crossCheck(p, w.html)
	}
	if p.Command == grammar.Approve && hasPlain {
		// nothing written after a sign-off or a mobile footer may take the
		// approval back ("Salam, Budi / NB: batal, tidak setuju")
		if c := tailCommand(trim.SignatureTail(plain, sender)); c != grammar.None {
			p.Command, p.UnclearWhy = grammar.Unclear, "the text after the signature reads "+cmdName(c)
		}
	}
	if p.Command == grammar.Approve && len(w.html) > 0 && trim.HidesText(string(visibleRegion(w.html))) {
		// an approval next to text the HTML hides (or may hide in ways not
		// read here) is not trusted: what the reader sees may differ
		p.Command, p.UnclearWhy = grammar.Unclear, "the HTML hides some of its text"
	}
	if p.Command == grammar.None {
		p.Send, p.SendNotes = readSend(p, plain, sender, hasPlain, w.html)
	}
	if mayHoldMeeting(p.Text) && meetingHint.MatchString(p.Text) {
		if m, err := ParseMeeting(p.Text, opts.Now, opts.Loc); err == nil {
			p.Meeting = m
		}
	}
	p.Refs = correlate(p, h, plain, w.html)
	p.Kind, p.AutoReason = classify(p, &h, w, full, opts.Tags)
	switch p.Kind {
	case KindAutoReply, KindBounce, KindCalendarReply, KindForward:
		// written by a machine (a calendar reply's body is the calendar's
		// template: "… telah menolak undangan ini"), or, for a forward,
		// written to its new recipient ("Pak Teguh, mohon dicek … sebelum
		// diparaf"): no decision of the sender's to us
		p.Command, p.Notes, p.UnclearWhy = CmdNone, "", ""
		p.Send, p.SendNotes = CmdNone, ""
	case KindReply:
		if p.PartStat == "" {
			p.PartStat, p.Delegate = grammar.RSVP(p.Text)
		}
	}
	if w.over > 0 {
		p.Rejected = append(p.Rejected, RejectedAttachment{
			Reason: fmt.Sprintf("%d parts over the limit of %d were not read", w.over, maxParts)})
	}
	if w.deep > 0 {
		p.Rejected = append(p.Rejected, RejectedAttachment{
			Reason: fmt.Sprintf("%d parts nested deeper than %d levels were not read", w.deep, maxDepth)})
	}
}

// crossCheck reads the command of the HTML alternative too: a client shows
// the HTML, so when it says something else than the text/plain part (or a
// forger hid a different command in one of them), the reply is unclear.
// An HTML part that shows no new text while the text/plain part commands
// is unclear as well: the command is in what nobody sees.
//
// Speed: the quoted history is most of a reply's HTML. When every visible
// thing after the first quote marker is inside a blockquote (no text after
// the last one) and no <style> comes after the cut, the part above the
// marker is all a reader sees as new text, and only it is read.
func crossCheck(p *Parsed, html []byte) {
	if cut := quoteStart(html); cut > 0 && !hasFold(html[cut:], "<style") && !textAfterQuotes(html[cut:]) {
		text := trim.Text(trim.HTMLToText(string(html[:cut])))
		if strings.TrimSpace(text) != "" {
			if c, _ := grammar.Parse(text); c == p.Command {
				return
			}
		}
	}
	text := trim.Text(trim.HTMLToText(string(html)))
	c := grammar.None
	if strings.TrimSpace(text) != "" {
		c, _ = grammar.Parse(text)
	}
	if c != p.Command {
		p.UnclearWhy = fmt.Sprintf("the text/plain part reads %q but the HTML part reads %q", cmdName(p.Command), cmdName(c))
		p.Command = grammar.Unclear
	}
}

// readSend reads KIRIM as an approval would be read: the HTML alternative
// must say the same, nothing after the signature may take it back, and an
// HTML part that hides text makes it unclear.
func readSend(p *Parsed, plain, sender string, hasPlain bool, html []byte) (Command, string) {
	c, notes, ok := grammar.Send(p.Text)
	if !ok {
		return CmdNone, ""
	}
	if c != grammar.Approve {
		return c, notes
	}
	if hasPlain && len(html) > 0 {
		if h, _, _ := grammar.Send(trim.Text(trim.HTMLToText(string(html)))); h != c {
			return grammar.Unclear, notes
		}
	}
	if hasPlain && tailCommand(trim.SignatureTail(plain, sender)) != grammar.None {
		return grammar.Unclear, notes
	}
	if len(html) > 0 && trim.HidesText(string(visibleRegion(html))) {
		return grammar.Unclear, notes
	}
	return c, notes
}

// postscriptRe is a postscript label that opens a line after a signature.
var postscriptRe = regexp.MustCompile(`(?i)^\s*(nb|ps|p\.s\.|catatan|note|ralat)\s*[:.]\s*`)

// tailCommand reads each line cut as signature on its own: a rejection or
// an unclear line there ("NB: batal, tidak setuju") takes the reply back.
func tailCommand(tail string) Command {
	for _, l := range strings.Split(tail, "\n") {
		if c, _ := grammar.Parse(postscriptRe.ReplaceAllString(l, "")); c == grammar.Reject || c == grammar.Unclear {
			return c
		}
	}
	return grammar.None
}

// visibleRegion is the part of an HTML body a reader sees as the reply:
// above the first quote marker (the <head> and its <style> included) and
// after the last blockquote; all of it when there is no quote.
func visibleRegion(html []byte) []byte {
	cut := quoteStart(html)
	if cut <= 0 {
		return html
	}
	out := html[:cut:cut]
	if i := lastIndexFold(html[cut:], "</blockquote"); i >= 0 {
		out = append(out, html[cut+i:]...)
	}
	return out
}

// textAfterQuotes reports whether b may show text after its last
// </blockquote> (or has none): anything but tags, spaces and &nbsp; there.
func textAfterQuotes(b []byte) bool {
	i := lastIndexFold(b, "</blockquote")
	if i < 0 {
		return true
	}
	inTag := false
	for j := i; j < len(b); j++ {
		switch c := b[j]; {
		case inTag:
			inTag = c != '>'
		case c == '<':
			inTag = true
		case c == '&' && hasPrefixFold(b[j:], "&nbsp;"):
			j += len("&nbsp;") - 1
		case c != ' ' && c != '\t' && c != '\r' && c != '\n':
			return true
		}
	}
	return false
}

// lastIndexFold is the offset of the last w (ASCII) in b, any case; -1 if none.
func lastIndexFold(b []byte, w string) int {
	for i := len(b) - len(w); i >= 0; i-- {
		if (b[i] == w[0] || b[i]|0x20 == w[0]) && equalFoldASCII(b[i:i+len(w)], w) {
			return i
		}
	}
	return -1
}

func hasPrefixFold(b []byte, w string) bool { return len(b) >= len(w) && equalFoldASCII(b[:len(w)], w) }

// quoteMarkers start the quoted history in the HTML of the common clients
// (the same blocks trim.HTMLToText replaces with a ">" line).
var quoteMarkers = []string{"<blockquote", "gmail_quote", "divrplyfwdmsg", "yahoo_quoted", "moz-cite-prefix",
	"appendonsend", "applequote", "protonmail_quote", "zmail_extra", "mail-editor-reference-message-container"}

// quoteStart is the offset of the tag that holds the first quote marker,
// or -1.
func quoteStart(html []byte) int {
	best := -1
	for _, m := range quoteMarkers {
		lim := html
		if best >= 0 {
			lim = html[:best]
		}
		if i := indexFold(lim, m); i >= 0 {
			if j := bytes.LastIndexByte(html[:i+1], '<'); j >= 0 {
				best = j
			}
		}
	}
	return best
}

// indexFold is the offset of the lower-case ASCII word w in b, in any
// case. It scans for w's rarest letter ('<' and 'e' are everywhere in
// HTML; 'q' and 'y' are not).
func indexFold(b []byte, w string) int {
	k := 0
	if i := strings.IndexAny(w, "qjzxykvw"); i >= 0 {
		k = i
	}
	lo, up := w[k], w[k]
	if lo >= 'a' && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	nextLo, nextUp := -2, -2 // the next offsets of lo and up at or after i; -1: none
	for i := k; i < len(b); {
		if nextLo != -1 && nextLo < i {
			if nextLo = bytes.IndexByte(b[i:], lo); nextLo >= 0 {
				nextLo += i
			}
		}
		if up == lo {
			nextUp = -1
		} else if nextUp != -1 && nextUp < i {
			if nextUp = bytes.IndexByte(b[i:], up); nextUp >= 0 {
				nextUp += i
			}
		}
		p := nextLo
		if p < 0 || nextUp >= 0 && nextUp < p {
			p = nextUp
		}
		if p < 0 {
			return -1
		}
		if at := p - k; at+len(w) <= len(b) && equalFoldASCII(b[at:at+len(w)], w) {
			return at
		}
		i = p + 1
	}
	return -1
}

func hasFold(b []byte, w string) bool { return indexFold(b, w) >= 0 }

// equalFoldASCII compares b with the lower-case ASCII w, ignoring case.
func equalFoldASCII(b []byte, w string) bool {
	for k := range len(w) {
		c := b[k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[k] {
			return false
		}
	}
	return true
}

func cmdName(c Command) string {
	if c == CmdNone {
		return "none"
	}
	return string(c)
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

// replyPrefixRe finds a client's reply prefix in a Subject.
var replyPrefixRe = regexp.MustCompile(`(?i)(^|\s)(re|aw|sv|antw|odp|bls|balas|balasan|rép|ref)\s*(\[\d+\])?\s*:`)

// subjectTyped returns what the sender typed before the client's reply
// prefix ("SETUJU Re: [LAKIP 2025 - Langkah 8] …" → "SETUJU"), or "".
// Only text before the first prefix counts: text after it is the
// subject of the mail being answered, which may itself hold a
// colleague's answer ("Re: SETUJU Re: …").
func subjectTyped(subject string) string {
	loc := replyPrefixRe.FindStringIndex(subject)
	if loc == nil || loc[0] == 0 {
		return ""
	}
	return strings.TrimSpace(subject[:loc[0]])
}

// cutPastedLetter handles a client that pasted the answered mail under the
// answer with no quote marks and no header. The reference line of the
// office's own mail then stands unquoted in the body, and the letter it
// ends begins at its salutation: a "Yth. …" line with "Dengan hormat,"
// within a few lines (every mail the office sends opens so). The answer
// is what stands above the last such salutation; with nothing above it
// (an official who opens formally, or an empty answer) text is kept as it
// is and read as it is.
func cutPastedLetter(text, plain string) string {
	if !unquotedRef(plain) {
		return text
	}
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i > 0; i-- {
		if !salutation(lines[i]) {
			continue
		}
		opens := false
		for _, l := range lines[i+1 : min(i+7, len(lines))] {
			t := strings.ToLower(strings.TrimSpace(l))
			opens = opens || strings.TrimRight(t, ",.") == "dengan hormat"
		}
		above := strings.TrimSpace(strings.Join(lines[:i], "\n"))
		if opens && above != "" {
			return above
		}
	}
	return text
}

func salutation(l string) bool {
	t := strings.TrimSpace(l)
	return len(t) > 4 && strings.EqualFold(t[:4], "yth.")
}

// unquotedRef reports whether a line of plain that is not quoted holds the
// office's reference line ("Ref: MF-<token>-<step>").
func unquotedRef(plain string) bool {
	if !strings.Contains(plain, "MF-") && !strings.Contains(plain, "mf-") {
		return false // most replies: no line to look at
	}
	for l := range strings.Lines(plain) {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, ">") || !strings.Contains(t, "MF-") && !strings.Contains(t, "mf-") {
			continue
		}
		if _, ok := token.FromText(t); ok {
			return true
		}
	}
	return false
}

package reply

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// ErrMalformed is wrapped by every Parse error about the message itself:
// it cannot be understood even after the fallbacks (an empty message, or
// bytes that are not mail at all). Retrying cannot help; intake
// quarantines such a message at once. Any other Parse error (reading the
// source, the blob store, a full disk) is transient.
var ErrMalformed = errors.New("malformed message")

// maxHeaderBlock bounds the header block kept in memory. go-message refuses
// a header over 1 MB; we keep the first 1 MB and skip the rest of an
// oversized header (streamed, never held).
const maxHeaderBlock = 1 << 20

// srcReader is the message source; it remembers the first read error that
// is not io.EOF, so that a failed read of the source (a dropped IMAP
// connection: transient) is told apart from a part that does not decode
// (bad base64: the message's fault).
type srcReader struct {
	r   io.Reader
	err error
}

func (s *srcReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// readHeaderBlock reads the header block, up to and without the blank line
// that ends it, into b (at most maxHeaderBlock bytes; the rest of a longer
// block is read and dropped). ended is false when the input ended first.
func readHeaderBlock(br *bufio.Reader, b *bytes.Buffer) (ended bool) {
	midLine := false // the last read stopped inside a long line
	full := false
	for {
		line, err := br.ReadSlice('\n')
		if !midLine && isBlank(line) {
			return true
		}
		if full = full || b.Len()+len(line) > maxHeaderBlock; !full {
			b.Write(line)
		}
		midLine = err == bufio.ErrBufferFull
		if err != nil && !midLine {
			return false
		}
	}
}

// isBlank reports a line with nothing before its line break ("\n" or
// "\r\n"): the end of the header block. A line of spaces is not blank: it
// continues the field above (RFC 5322 obs-FWS).
func isBlank(line []byte) bool {
	return len(line) == 1 && line[0] == '\n' || len(line) == 2 && line[0] == '\r' && line[1] == '\n'
}

// readHeader parses a header block. When go-message refuses it, the block
// is cleaned the way Python's email package and enmime read such mail
// (cleanHeader) and parsed again. body is what follows the header: a
// cleaned block may end early and give its tail back to the body.
// ok is false when no header field at all could be read; the caller then
// treats the whole message as text.
func readHeader(block []byte, hr *bufio.Reader) (h message.Header, body []byte, ok bool) {
	hr.Reset(bytes.NewReader(block))
	th, err := textproto.ReadHeader(hr)
	if err == nil || err == io.EOF {
		return message.Header{Header: th}, nil, true
	}
	clean, body := cleanHeader(block)
	if len(clean) == 0 {
		return message.Header{}, nil, false
	}
	hr.Reset(bytes.NewReader(clean))
	th, err = textproto.ReadHeader(hr)
	if err != nil && err != io.EOF || th.Len() == 0 {
		return message.Header{}, nil, false
	}
	return message.Header{Header: th}, body, true
}

// cleanHeader keeps the fields of a header block that go-message refused:
// an mbox "From " separator and lines of spaces before the first field are
// skipped; a line that is neither a field nor a continuation is dropped
// when a field follows it or when it is shaped like a field (brokenField),
// and otherwise ends the header (Python's email does the same: the rest is
// body, as when a client forgot the blank line). clean holds the kept fields; body is
// the tail of block given back to the body (nil when none). clean is nil
// when no field was found.
func cleanHeader(block []byte) (clean, body []byte) {
	var out bytes.Buffer
	pos := 0
	next := func() []byte {
		i := bytes.IndexByte(block[pos:], '\n')
		if i < 0 {
			i = len(block) - pos - 1
		}
		l := block[pos : pos+i+1]
		pos += i + 1
		return l
	}
	for pos < len(block) {
		start := pos
		if l := next(); !isSpaceLine(l) && !bytes.HasPrefix(l, []byte("From ")) && !bytes.HasPrefix(l, []byte(">From ")) {
			pos = start
			break
		}
	}
	keep := false // the last field was kept: so are its continuations
	for pos < len(block) {
		start := pos
		l := next()
		switch {
		case l[0] == ' ' || l[0] == '\t':
			if keep {
				out.Write(l)
			}
		case isField(l):
			out.Write(l)
			keep = true
		case fieldFollows(block[pos:]) || brokenField(l):
			keep = false
		default:
			if out.Len() == 0 {
				return nil, nil
			}
			return endLine(out.Bytes()), block[start:]
		}
	}
	if out.Len() == 0 {
		return nil, nil
	}
	return endLine(out.Bytes()), nil
}

// endLine makes sure a cleaned block ends with a line break.
func endLine(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\r', '\n')
	}
	return b
}

// fieldFollows reports whether the next line of rest that does not
// continue a field is a field.
func fieldFollows(rest []byte) bool {
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest) - 1
		}
		l := rest[:i+1]
		rest = rest[i+1:]
		if l[0] == ' ' || l[0] == '\t' {
			continue
		}
		return isField(l)
	}
	return false
}

// brokenField reports a line shaped like a field whose name go-message
// refuses ("Bad Key: y"): a short name of at most three words before a
// colon. It is dropped, not read as the start of the body.
func brokenField(l []byte) bool {
	i := bytes.IndexByte(l, ':')
	if i <= 0 || i > 40 {
		return false
	}
	name := bytes.TrimSpace(l[:i])
	return len(name) > 0 && len(bytes.Fields(name)) <= 3 && !bytes.ContainsAny(name, ".,;!?<>\"")
}

// isField reports a "Name: value" line whose name go-message accepts
// (RFC 5322 §2.2: printable ASCII but ':'; trailing spaces are tolerated).
func isField(l []byte) bool {
	i := bytes.IndexByte(l, ':')
	if i <= 0 {
		return false
	}
	name := bytes.TrimRight(l[:i], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

func isSpaceLine(l []byte) bool {
	return len(bytes.Trim(l, " \t\r\n")) == 0
}

// notMail reports a block that cannot be the start of a message: it holds
// NUL bytes (a binary file, not RFC 5322 text).
func notMail(block []byte) bool {
	return bytes.IndexByte(block, 0) >= 0
}

// malformed wraps ErrMalformed with what was wrong.
func malformed(format string, a ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, a...), ErrMalformed)
}

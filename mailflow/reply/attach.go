package reply

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
	"unicode"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"

	"github.com/bangkatengah/mailflow/mailflow/blob"
)

// maxFilename bounds a kept filename, in runes.
const maxFilename = 200

var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeSubject decodes RFC 2047 words; on failure the raw value is kept.
func decodeSubject(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// filename returns the sanitised original name of a part: RFC 2231
// parameters (decoded by mime.ParseMediaType) or RFC 2047 words, with path
// parts and control characters removed. "" when the part has none.
func filename(h message.Header) string {
	_, dp, _ := h.ContentDisposition()
	name := dp["filename"]
	if name == "" {
		_, cp, _ := h.ContentType()
		name = cp["name"]
	}
	if name == "" {
		return ""
	}
	return SanitizeFilename(decodeSubject(name))
}

// SanitizeFilename keeps a filename as metadata only: it drops every path
// part ("../../etc/passwd" becomes "passwd"), control and format
// characters, and leading dots, and bounds the length.
func SanitizeFilename(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(path.Clean("/" + name))
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if name == "/" || name == "" {
		return ""
	}
	if r := []rune(name); len(r) > maxFilename {
		ext := path.Ext(name)
		if len([]rune(ext)) > 20 {
			ext = ""
		}
		name = string(r[:maxFilename-len([]rune(ext))]) + ext
	}
	return name
}

// attachment streams one non-text part to the blob store (or only hashes
// it). Its first bytes are sniffed (Sniff) before anything is stored:
// executables are refused however labelled, and the allow list is checked
// against what the bytes are. A part that does not decode (bad base64) is
// refused alone; a failure of the source or of the store is returned.
func (w *walker) attachment(e *message.Entity, mt, disp, name string) error {
	inlineImage := strings.HasPrefix(mt, "image/") && e.Header.Get("Content-Id") != "" && disp != "attachment"
	if name == "" && !inlineImage && disp != "attachment" && disp != "inline" {
		// an unnamed part of no known use (e.g. an empty alternative)
		if strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "multipart/") {
			io.Copy(io.Discard, e.Body)
			return nil
		}
	}
	body := &srcReader{r: e.Body}
	n, _ := io.ReadFull(body, w.head[:])
	head := w.head[:n]
	reject := func(size int64, reason string) error {
		if body.err == nil {
			m, _ := io.Copy(io.Discard, body)
			size += m
		}
		if err := w.sourceErr(); err != nil {
			return fmt.Errorf("read attachment %q: %w", name, err)
		}
		w.p.Rejected = append(w.p.Rejected, RejectedAttachment{Filename: name, ContentType: mt, Size: size, Reason: reason})
		return nil
	}
	if body.err != nil {
		return reject(int64(n), undecodable(body.err))
	}
	typ, refuse := Sniff(head, mt, name)
	if refuse != "" {
		return reject(int64(n), "refused: "+refuse)
	}
	if inlineImage && (!strings.HasPrefix(typ, "image/") || typ == "image/svg+xml") {
		inlineImage = false // not an image whatever its label: an attachment like any other
	}
	if !inlineImage && !w.allowed(typ) {
		why := fmt.Sprintf("type %s is not allowed", typ)
		if typ != typeOf(mt, name) {
			why = fmt.Sprintf("labelled %s, but the content is %s, which is not allowed", typeOf(mt, name), typ)
		}
		return reject(int64(n), why)
	}
	sum, size, err := w.store(io.MultiReader(bytes.NewReader(head), body))
	switch {
	case body.err != nil:
		return reject(size, undecodable(body.err))
	case errors.Is(err, blob.ErrTooLarge):
		return reject(size, fmt.Sprintf("larger than the limit of %d bytes", w.opts.MaxAttachment))
	case err != nil:
		return fmt.Errorf("store attachment %q: %w", name, err)
	}
	a := Attachment{Filename: name, ContentType: typ, Size: size, SHA256: sum, Inline: disp == "inline"}
	if inlineImage {
		w.p.InlineImages = append(w.p.InlineImages, a)
		return nil
	}
	w.p.Attachments = append(w.p.Attachments, a)
	return nil
}

// sourceErr is the error reading the message itself failed with, if any:
// then a part's read error is the connection's, not the part's.
func (w *walker) sourceErr() error {
	if w.src == nil {
		return nil
	}
	return w.src.err
}

// undecodable is the reason a part that does not decode is refused.
func undecodable(err error) string {
	return fmt.Sprintf("the attachment does not decode (%v)", err)
}

// store writes r to the blob store, or only hashes it when there is none.
func (w *walker) store(r io.Reader) (string, int64, error) {
	if w.opts.Blobs != nil {
		sum, size, err := w.opts.Blobs.Put(r, w.opts.MaxAttachment)
		if errors.Is(err, blob.ErrTooLarge) {
			return "", w.opts.MaxAttachment + 1, err
		}
		return sum, size, err
	}
	h := sha256.New()
	src := r
	if w.opts.MaxAttachment > 0 {
		src = io.LimitReader(r, w.opts.MaxAttachment+1)
	}
	size, err := io.Copy(h, src)
	if err != nil {
		return "", size, fmt.Errorf("read attachment: %w", err)
	}
	if w.opts.MaxAttachment > 0 && size > w.opts.MaxAttachment {
		return "", size, blob.ErrTooLarge
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// typeOf is the type used for the allow list: the declared one, or the
// one the extension names when the client sent application/octet-stream.
func typeOf(mt, name string) string {
	if mt == "application/octet-stream" || mt == "" {
		if t := mime.TypeByExtension(strings.ToLower(path.Ext(name))); t != "" {
			if m, _, err := mime.ParseMediaType(t); err == nil {
				return m
			}
		}
	}
	return mt
}

// allowed checks a (sniffed) type against Options.AllowedTypes; a
// pattern ending in "*" matches by prefix. SVG is never an image here: it
// passes only when listed exactly.
func (w *walker) allowed(t string) bool {
	if len(w.opts.AllowedTypes) == 0 {
		return true
	}
	for _, pat := range w.opts.AllowedTypes {
		pat = strings.ToLower(strings.TrimSpace(pat))
		if pat == t || strings.HasSuffix(pat, "*") && t != "image/svg+xml" && strings.HasPrefix(t, strings.TrimSuffix(pat, "*")) {
			return true
		}
	}
	return false
}

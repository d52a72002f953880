package reply

import (
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
// it), enforcing the allowed types and the size limit.
func (w *walker) attachment(e *message.Entity, mt, disp, name string) error {
	inlineImage := strings.HasPrefix(mt, "image/") && e.Header.Get("Content-Id") != "" && disp != "attachment"
	if name == "" && !inlineImage && disp != "attachment" && disp != "inline" {
		// an unnamed part of no known use (e.g. an empty alternative)
		if strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "multipart/") {
			io.Copy(io.Discard, e.Body)
			return nil
		}
	}
	a := Attachment{Filename: name, ContentType: mt, Inline: disp == "inline"}
	if !inlineImage && !w.allowed(mt, name) {
		n, _ := io.Copy(io.Discard, e.Body)
		w.p.Rejected = append(w.p.Rejected, RejectedAttachment{Filename: name, ContentType: mt, Size: n,
			Reason: fmt.Sprintf("type %s is not allowed", typeOf(mt, name))})
		return nil
	}
	sum, size, err := w.store(e.Body)
	if errors.Is(err, blob.ErrTooLarge) {
		io.Copy(io.Discard, e.Body)
		w.p.Rejected = append(w.p.Rejected, RejectedAttachment{Filename: name, ContentType: mt, Size: size,
			Reason: fmt.Sprintf("larger than the limit of %d bytes", w.opts.MaxAttachment)})
		return nil
	}
	if err != nil {
		return fmt.Errorf("store attachment %q: %w", name, err)
	}
	a.Size, a.SHA256 = size, sum
	if inlineImage {
		w.p.InlineImages = append(w.p.InlineImages, a)
		return nil
	}
	w.p.Attachments = append(w.p.Attachments, a)
	return nil
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

// allowed checks the type against Options.AllowedTypes; a pattern ending
// in "*" matches by prefix.
func (w *walker) allowed(mt, name string) bool {
	if len(w.opts.AllowedTypes) == 0 {
		return true
	}
	t := typeOf(mt, name)
	for _, pat := range w.opts.AllowedTypes {
		pat = strings.ToLower(strings.TrimSpace(pat))
		if strings.HasSuffix(pat, "*") && strings.HasPrefix(t, strings.TrimSuffix(pat, "*")) || pat == t {
			return true
		}
	}
	return false
}

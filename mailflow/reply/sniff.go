package reply

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"strings"
)

// sniffLen is how many leading bytes of an attachment are looked at; the
// rest is streamed, never buffered.
const sniffLen = 512

// execExts are names that Windows (or a browser) runs when opened.
var execExts = map[string]bool{
	".exe": true, ".bat": true, ".cmd": true, ".com": true, ".js": true, ".jse": true, ".vbs": true,
	".vbe": true, ".ps1": true, ".scr": true, ".jar": true, ".msi": true, ".hta": true, ".pif": true,
	".wsf": true, ".lnk": true, ".dll": true, ".cpl": true, ".reg": true, ".sh": true, ".apk": true,
}

// strongTypes are the types whose bytes we can check: a file labelled so
// must start with their magic, or it is not what it claims.
func strongType(t string) bool {
	switch {
	case t == "application/pdf", t == "image/png", t == "image/jpeg", t == "image/gif",
		strings.HasPrefix(t, "application/vnd.openxmlformats-officedocument."),
		t == "application/msword", t == "application/vnd.ms-excel", t == "application/vnd.ms-powerpoint":
		return true
	}
	return false
}

// Sniff decides what an attachment is from its first bytes (up to 512),
// its declared type and its name: the type is what the bytes are, not
// what the header says. refuse is set (an English reason) for executables
// and scripts, however they are labelled. typ is the type the allow list
// is checked against: the sniffed type when the bytes have a known magic,
// "application/octet-stream" when the label names such a type and the
// bytes don't match it, else the declared (or extension's) type.
func Sniff(head []byte, declared, name string) (typ, refuse string) {
	ext := strings.ToLower(path.Ext(name))
	if execExts[ext] {
		return "", "an executable or script file name (" + ext + ")"
	}
	if k := execMagic(head); k != "" {
		return "", "the content is " + k
	}
	label := typeOf(strings.ToLower(declared), name)
	switch {
	case bytes.Contains(head[:min(len(head), 64)], []byte("%PDF-")):
		return "application/pdf", ""
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return zipType(head, label, ext)
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		switch {
		case label == "application/msword", label == "application/vnd.ms-excel", label == "application/vnd.ms-powerpoint":
			return label, ""
		}
		return "application/x-ole-storage", ""
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", ""
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return "image/jpeg", ""
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "image/gif", ""
	case isSVG(head, label, ext):
		return "image/svg+xml", ""
	case strongType(label):
		return "application/octet-stream", ""
	}
	if strings.HasPrefix(label, "image/") && len(head) > 0 {
		// an image type we have no magic for: believe the bytes
		if t, _, _ := mime.ParseMediaType(http.DetectContentType(head)); t != "" {
			return t, ""
		}
	}
	return label, ""
}

// execMagic names the executable formats by their magic: Windows PE,
// ELF, Mach-O (and Java class files, which share 0xCAFEBABE with fat
// Mach-O), and "#!" scripts.
func execMagic(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("MZ")):
		return "a Windows executable"
	case bytes.HasPrefix(b, []byte("\x7FELF")):
		return "an ELF executable"
	case bytes.HasPrefix(b, []byte("\xFE\xED\xFA\xCE")), bytes.HasPrefix(b, []byte("\xFE\xED\xFA\xCF")),
		bytes.HasPrefix(b, []byte("\xCE\xFA\xED\xFE")), bytes.HasPrefix(b, []byte("\xCF\xFA\xED\xFE")),
		bytes.HasPrefix(b, []byte("\xCA\xFE\xBA\xBE")):
		return "a Mach-O executable or Java class"
	case bytes.HasPrefix(b, []byte("#!")):
		return "a script"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")) && bytes.Contains(b, []byte("META-INF/MANIFEST.MF")):
		return "a Java archive"
	}
	return ""
}

// zipType tells Office Open XML (its first entries are [Content_Types].xml,
// _rels/ or the document's folder) and OpenDocument from a plain zip.
func zipType(head []byte, label, ext string) (string, string) {
	const ooxml = "application/vnd.openxmlformats-officedocument."
	if bytes.Contains(head, []byte("[Content_Types].xml")) || bytes.Contains(head, []byte("_rels/.rels")) ||
		bytes.Contains(head, []byte("docProps/")) || bytes.Contains(head, []byte("word/")) ||
		bytes.Contains(head, []byte("xl/")) || bytes.Contains(head, []byte("ppt/")) {
		switch {
		case strings.HasPrefix(label, ooxml):
			return label, ""
		case bytes.Contains(head, []byte("word/")) || ext == ".docx":
			return ooxml + "wordprocessingml.document", ""
		case bytes.Contains(head, []byte("xl/")) || ext == ".xlsx":
			return ooxml + "spreadsheetml.sheet", ""
		case bytes.Contains(head, []byte("ppt/")) || ext == ".pptx":
			return ooxml + "presentationml.presentation", ""
		}
		return ooxml + "wordprocessingml.document", ""
	}
	// RFC-less but stable: an OpenDocument zip starts with an uncompressed
	// "mimetype" entry holding its type.
	if i := bytes.Index(head, []byte("mimetypeapplication/vnd.oasis.opendocument.")); i >= 0 {
		t := head[i+len("mimetype"):]
		end := bytes.IndexFunc(t, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '/' || r == '-' || r == '+')
		})
		if end < 0 {
			end = len(t)
		}
		return string(t[:end]), ""
	}
	return "application/zip", ""
}

// isSVG: SVG is XML text that a browser runs scripts in; it is never an
// image for the allow list.
func isSVG(head []byte, label, ext string) bool {
	if label == "image/svg+xml" || ext == ".svg" || ext == ".svgz" {
		return true
	}
	t := bytes.TrimLeft(head, " \t\r\n\xEF\xBB\xBF")
	return len(t) > 0 && t[0] == '<' && bytes.Contains(bytes.ToLower(head), []byte("<svg"))
}

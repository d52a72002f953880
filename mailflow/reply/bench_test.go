package reply

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
)

// typicalReply builds a Gmail-style multipart/alternative reply of about
// 40 KB: a short answer above a long quoted history, in text and HTML.
func typicalReply() []byte {
	var hist strings.Builder
	for i := 0; hist.Len() < 12<<10; i++ {
		fmt.Fprintf(&hist, "Mohon periksa bagian %d dari Draft LAKIP; Balas SETUJU atau TOLAK <alasan>.\n", i)
	}
	plain := "SETUJU\nCatatan: lanjutkan ke Kepala Dinas.\n\nPada tanggal Sen, 13 Mei 2024 pukul 08.00 mailflow <\nmailflow@dinsos.bangkatengahkab.go.id> menulis:\n\n> " +
		strings.ReplaceAll(hist.String(), "\n", "\n> ")
	html := `<div dir="ltr">SETUJU<div>Catatan: lanjutkan ke Kepala Dinas.</div></div><br><div class="gmail_quote"><div class="gmail_attr">Pada tanggal Sen, 13 Mei 2024 pukul 08.00 mailflow menulis:</div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">` +
		strings.ReplaceAll(strings.ReplaceAll(hist.String(), "<", "&lt;"), "\n", "<br>\n") + strings.Repeat(`<div style="font-family:arial">&nbsp;</div>`, 100) + `</blockquote></div>`
	var b bytes.Buffer
	b.WriteString("From: Sekretaris <sekretaris@dinsos.bangkatengahkab.go.id>\r\nTo: mailflow@dinsos.bangkatengahkab.go.id\r\n" +
		"Subject: Re: [MF-abcdefghijklmnopqrst-8] Periksa Draft LAKIP\r\nMessage-ID: <x@y>\r\n" +
		"In-Reply-To: <mf.abcdefghijklmnopqrst.s8.3@dinsos.bangkatengahkab.go.id>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n")
	b.WriteString(plain)
	b.WriteString("\r\n--b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n")
	b.WriteString(html)
	b.WriteString("\r\n--b--\r\n")
	return b.Bytes()
}

// BenchmarkParseTypical: goal ≥ 5,000 replies/s per core.
func BenchmarkParseTypical(b *testing.B) {
	msg := typicalReply()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Parse(bytes.NewReader(msg), Options{})
		if err != nil || p.Command != CmdApprove {
			b.Fatalf("parse: %v %q", err, p.Command)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkParseHTMLOnly measures the HTML path alone.
func BenchmarkParseHTMLOnly(b *testing.B) {
	msg := typicalReply()
	i := bytes.Index(msg, []byte("--b\r\nContent-Type: text/html"))
	html := string(msg[i:])
	b.SetBytes(int64(len(html)))
	for b.Loop() {
		ParseText(html, true, Options{})
	}
}

// bigMessage streams a message with a size-byte PDF attachment, base64
// encoded on the fly, so that the test itself holds little memory.
func bigMessage(size int64) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		io.WriteString(pw, "From: a@b.id\r\nSubject: Re: LAKIP\r\nMIME-Version: 1.0\r\n"+
			"Content-Type: multipart/mixed; boundary=\"z\"\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nSELESAI\r\n"+
			"--z\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"draft.pdf\"\r\n"+
			"Content-Transfer-Encoding: base64\r\n\r\n")
		bw := bufio.NewWriterSize(pw, 64<<10)
		enc := base64.NewEncoder(base64.StdEncoding, &lineWriter{w: bw})
		chunk := bytes.Repeat([]byte("%PDF-1.4 LAKIP "), 4096)
		for n := int64(0); n < size; {
			c := chunk
			if rem := size - n; rem < int64(len(c)) {
				c = c[:rem]
			}
			enc.Write(c)
			n += int64(len(c))
		}
		enc.Close()
		bw.Flush()
		io.WriteString(pw, "\r\n--z--\r\n")
		pw.Close()
	}()
	return pr
}

// lineWriter breaks base64 into 76-character lines (RFC 2045 §6.8).
type lineWriter struct {
	w   io.Writer
	col int
}

func (l *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if l.col == 76 {
			if _, err := l.w.Write([]byte("\r\n")); err != nil {
				return 0, err
			}
			l.col = 0
		}
		c := min(76-l.col, len(p))
		if _, err := l.w.Write(p[:c]); err != nil {
			return 0, err
		}
		l.col += c
		p = p[c:]
	}
	return n, nil
}

// TestLargeAttachmentMemory parses a 25 MB attachment into a blob store
// and checks the peak heap growth (goal ≤ 16 MB): attachments stream.
func TestLargeAttachmentMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	st, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	const size = 25 << 20
	p, err := Parse(bigMessage(size), Options{Blobs: st, MaxAttachment: 30 << 20})
	close(done)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].Size != size {
		t.Fatalf("attachments = %+v", p.Attachments)
	}
	growth := int64(peak.Load()) - int64(base)
	t.Logf("25 MB attachment: peak heap-in-use growth %.1f MB", float64(growth)/(1<<20))
	if growth > 16<<20 {
		t.Errorf("heap grew by %d bytes, want ≤ 16 MB", growth)
	}
}

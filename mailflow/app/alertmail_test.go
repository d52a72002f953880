package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/testmail"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// poisoner makes every message whose Message-ID starts with "racun"
// impossible to process, as bad base64 once was.
type poisoner struct{ mailin.Handler }

func (p poisoner) Process(ctx context.Context, m *mailin.Message) error {
	if strings.HasPrefix(m.Header.MessageID, "racun") {
		return mailin.Permanent(errors.New("parse: attachment 2: illegal base64 data at input byte 4"))
	}
	return p.Handler.Process(ctx, m)
}

type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// TestQuarantineAlertMailed: over the embedded servers, a quarantined
// message puts exactly one alert mail in the admin's mailbox, at once on
// a Saturday night; a second quarantine within the hour sends nothing
// until the hour's summary, which names it. The hostile Subject (a forged
// header line, markup, a bidi override) arrives inert.
func TestQuarantineAlertMailed(t *testing.T) {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mail.Mode != "embedded" || cfg.Office.Admin == "" {
		t.Skip("the sample config is not in embedded mode or has no admin")
	}
	cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP = "127.0.0.1:0", "127.0.0.1:0"
	// Saturday 8 June 2024, 22:00 WIB: outside working hours.
	clk := &fixedClock{t: time.Date(2024, 6, 8, 22, 0, 0, 0, cfg.Calendar.Loc)}
	a, err := Build(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{DataDir: filepath.Join(t.TempDir(), "data"),
		Now: clk.Now, PollInterval: 200 * time.Millisecond, MaxWait: 200 * time.Millisecond,
		WrapHandler: func(h mailin.Handler) mailin.Handler { return poisoner{h} }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	timers := make(chan func(), 4)
	a.alerts.afterFunc = func(_ time.Duration, f func()) { timers <- f }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() { cancel(); <-done }()

	env := &testmail.Env{IMAPAddr: a.Server.IMAPAddr(), SMTPAddr: a.Server.SMTPAddr(), Timeout: 20 * time.Second}
	office := testmail.Account{Address: cfg.Office.Mailbox, Password: a.password(cfg.Office.Mailbox)}
	admin := testmail.Account{Address: cfg.Office.Admin, Password: a.password(cfg.Office.Admin)}
	poison := func(id, subject string) []byte {
		return []byte(fmt.Sprintf("From: Sekretaris <sekretaris@dinsospmd.bangkatengahkab.go.id>\r\nTo: %s\r\nSubject: %s\r\n"+
			"Message-ID: <%s@mail.example>\r\nDate: Sat, 08 Jun 2024 21:59:00 +0700\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nSETUJU\r\n",
			cfg.Office.Mailbox, subject, id))
	}
	// "LAKIP <b>SETUJU</b>\r\nBcc: semua@x \u202eexe.pdf", as an encoded-word.
	env.Append(t, office, "INBOX", nil, poison("racun1", "=?UTF-8?Q?LAKIP_<b>SETUJU</b>=0D=0ABcc:_semua@x_=E2=80=AEfdp.exe?="))

	got := env.WaitMessages(t, admin, "INBOX", 1)
	subj, text, html, hdr := readAlert(t, got[0].Raw)
	if subj != "[mailflow] Peringatan: 1 surel masuk dikarantina" {
		t.Errorf("subject %q", subj)
	}
	if id, _ := hdr.MessageID(); hdr.Get("Auto-Submitted") != "auto-generated" || hdr.Get("X-Mailflow") != "kind="+flow.TplQuarantine ||
		!strings.HasPrefix(id, "mf-admin.") {
		t.Errorf("headers: Auto-Submitted %q, X-Mailflow %q, Message-Id %q", hdr.Get("Auto-Submitted"), hdr.Get("X-Mailflow"), id)
	}
	for _, want := range []string{"UID          : 1 (INBOX)", "sekretaris@dinsospmd.bangkatengahkab.go.id", "illegal base64", "Sabtu, 8 Juni 2024 pukul 22.00 WIB",
		"Percobaan    : 1 kali (galat tetap)", "LAKIP <b>SETUJU</b> Bcc: semua@x \uFFFDfdp.exe"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(html, "<b>SETUJU") || !strings.Contains(html, "&lt;b&gt;SETUJU&lt;/b&gt;") || strings.ContainsRune(text+html, '\u202e') {
		t.Errorf("hostile subject not escaped in html:\n%s", html)
	}

	// A second poison within the hour: quarantined, no mail, a summary due.
	clk.Add(10 * time.Minute)
	env.Append(t, office, "INBOX", nil, poison("racun2", "LAKIP lagi"))
	var summary func()
	select {
	case summary = <-timers:
	case <-time.After(20 * time.Second):
		t.Fatal("the second quarantine scheduled no summary")
	}
	if n := adminRows(t, a); n != 1 {
		t.Fatalf("%d alert mails queued after the second quarantine, want 1", n)
	}
	if got := env.WaitMessages(t, admin, "INBOX", 1); len(got) != 1 {
		t.Fatalf("admin mailbox holds %d messages before the summary", len(got))
	}
	clk.Add(50 * time.Minute)
	summary()
	got = env.WaitMessages(t, admin, "INBOX", 2)
	if len(got) != 2 || adminRows(t, a) != 2 {
		t.Fatalf("after the summary: %d messages", len(got))
	}
	_, text, _, _ = readAlert(t, got[1].Raw)
	if !strings.Contains(text, "UID          : 2 (INBOX)") || strings.Contains(text, "UID          : 1 ") || !strings.Contains(text, "LAKIP lagi") {
		t.Errorf("the summary names the wrong messages:\n%s", text)
	}
}

func adminRows(t *testing.T, a *App) int {
	t.Helper()
	var rows []store.OutboxRow
	if err := a.Store.View(context.Background(), func(tx *store.Tx) (err error) { rows, err = tx.AdminOutbox(10); return err }); err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// readAlert decodes a received alert: its subject, text and HTML bodies.
func readAlert(t *testing.T, raw []byte) (subject, text, html string, hdr gomail.Header) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	hdr = r.Header
	subject, _ = r.Header.Subject()
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		if h, ok := p.Header.(*gomail.InlineHeader); ok {
			switch ct, _, _ := h.ContentType(); ct {
			case "text/plain":
				text = string(b)
			case "text/html":
				html = string(b)
			}
		}
	}
	return subject, strings.ReplaceAll(text, "\r\n", "\n"), html, hdr
}

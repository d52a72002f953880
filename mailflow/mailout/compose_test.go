package mailout_test

import (
	"bytes"
	"image"
	pngenc "image/png"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// Every token carrier of a composed mail names the same ref, round
// included: a reply is traced to the same assignment round whichever of
// Message-ID, plus-address or body Ref line the official's client kept.
func TestCarriersAgreeOnRound(t *testing.T) {
	fenv, _, err := samples.Env("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	rend, err := render.New(render.Options{Office: fenv.Office, DayMinutes: fenv.Cal.MinutesPerDay()})
	if err != nil {
		t.Fatal(err)
	}
	mails, err := samples.Mails("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	c := &mailout.Composer{Renderer: rend, Loc: fenv.Cal.Loc, Blobs: nil,
		Office: mailout.Office{Name: fenv.Office.Name, Mailbox: fenv.Office.Mailbox, PlusAddressing: true}}
	seenRound2 := false
	for _, s := range mails {
		m := *s.Mail
		m.Attachments = nil // no blob store here: the headers are what is tested
		msg, err := c.Compose(&m, time.Date(2024, 6, 3, 9, 0, 0, 0, fenv.Cal.Loc))
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		var buf bytes.Buffer
		if _, err := msg.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		parsed, err := mail.ReadMessage(&buf)
		if err != nil {
			t.Fatal(err)
		}
		idRef, ok := token.FromMessageID(parsed.Header.Get("Message-ID"))
		if !ok {
			t.Fatalf("%s: Message-ID %q has no token", s.Name, parsed.Header.Get("Message-ID"))
		}
		seenRound2 = seenRound2 || idRef.Round == 2
		plusRef, ok := token.FromAddress(parsed.Header.Get("Reply-To"))
		if !ok || plusRef != idRef {
			t.Errorf("%s: Reply-To %q reads %+v, Message-ID %+v", s.Name, parsed.Header.Get("Reply-To"), plusRef, idRef)
		}
		if textRef, ok := token.FromText(m.Data.Ref); !ok || textRef != idRef {
			t.Errorf("%s: Ref line %q reads %+v, Message-ID %+v", s.Name, m.Data.Ref, textRef, idRef)
		}
		if h := parsed.Header.Get(token.Header); !strings.Contains(h, "round=") {
			t.Errorf("%s: %s %q lacks the round", s.Name, token.Header, h)
		}
	}
	if !seenRound2 {
		t.Error("no sample mail of a second round")
	}
}

// A kop logo in the config is embedded and shown by the HTML part.
func TestKopLogo(t *testing.T) {
	fenv, _, err := samples.Env("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	office := *fenv.Office
	logo := filepath.Join(t.TempDir(), "lambang.png")
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logo, png.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	office.Naskah.Kop.Logo = logo
	rend, err := render.New(render.Options{Office: &office, DayMinutes: fenv.Cal.MinutesPerDay()})
	if err != nil {
		t.Fatal(err)
	}
	mails, err := samples.Mails("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	c := &mailout.Composer{Renderer: rend, Loc: fenv.Cal.Loc, Office: mailout.Office{Name: "Dinsos PMD", Mailbox: office.Mailbox}}
	m := *mails[0].Mail
	m.Attachments = nil
	msg, err := c.Compose(&m, time.Date(2024, 6, 3, 9, 0, 0, 0, fenv.Cal.Loc))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.Contains(strings.ToLower(raw), "content-id: <kop-logo>") || !strings.Contains(raw, "image/png") {
		t.Errorf("logo not embedded:\n%s", contentLines(raw))
	}
	if !strings.Contains(raw, "cid:kop-logo") && !strings.Contains(raw, "cid:kop=\r\n-logo") {
		t.Errorf("HTML does not show the logo")
	}
}

func contentLines(raw string) string {
	var out []string
	for _, l := range strings.Split(raw, "\r\n") {
		if strings.HasPrefix(strings.ToLower(l), "content-") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

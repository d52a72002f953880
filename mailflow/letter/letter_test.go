package letter_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/letter"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

const configPath = "../../config.toml"

type fixture struct {
	is    *letter.Issuer
	st    *store.Store
	mails map[string]*flow.Mail
	loc   *time.Location
}

func setup(t *testing.T) *fixture {
	t.Helper()
	env, _, err := samples.Env(configPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	all, err := samples.Mails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{is: &letter.Issuer{Office: env.Office, Numbers: st, Loc: env.Cal.Loc}, st: st, mails: map[string]*flow.Mail{}, loc: env.Cal.Loc}
	for _, s := range all {
		f.mails[s.Name] = s.Mail
	}
	for _, n := range []string{"invitation", "invitation_update", "invitation_cancel"} {
		if f.mails[n] == nil {
			t.Fatalf("no sample %s", n)
		}
	}
	return f
}

func (f *fixture) issue(t *testing.T, name string, at time.Time) *letter.Letter {
	t.Helper()
	l, ok, err := f.is.ForMail(context.Background(), f.mails[name], at)
	if err != nil || !ok {
		t.Fatalf("letter for %s: %v %v", name, ok, err)
	}
	return l
}

// The invitation, its rescheduling and its cancellation each get a letter
// with the next number; issuing one again gives the same number and bytes.
func TestLetters(t *testing.T) {
	f := setup(t)
	at := f.mails["invitation"].Invite.Start.AddDate(0, 0, -3)
	inv := f.issue(t, "invitation", at)
	if inv.Nomor != "005/1/DINSOSPMD/"+strconv.Itoa(at.Year()) || inv.Kind != letter.KindUndangan {
		t.Fatalf("first letter: %s %s", inv.Nomor, inv.Kind)
	}
	again := f.issue(t, "invitation", at.Add(48*time.Hour)) // a retry, days later
	if again.Nomor != inv.Nomor || !bytes.Equal(again.PDF, inv.PDF) {
		t.Fatalf("re-issued letter differs: %s vs %s", again.Nomor, inv.Nomor)
	}
	upd := f.issue(t, "invitation_update", at.Add(24*time.Hour))
	cnl := f.issue(t, "invitation_cancel", at.Add(30*time.Hour))
	if upd.Nomor != "005/2/DINSOSPMD/2024" || cnl.Nomor != "005/3/DINSOSPMD/2024" {
		t.Fatalf("numbers %s, %s", upd.Nomor, cnl.Nomor)
	}
	signer := "Rina Marlina, S.Sos., M.M."
	prev := f.mails["invitation"].Invite.Start.In(f.loc)
	for _, c := range []struct {
		l    *letter.Letter
		want []string
	}{
		{inv, []string{"Undangan Rapat Tim Penyusunan LAKIP", "Hari/tanggal", workcal.Tanggal(prev), "s.d. selesai", "Kehadiran Bapak/Ibu sangat diharapkan",
			"1 (satu) berkas", "Kepala Sub Bagian Keuangan"}},
		{upd, []string{"Perubahan Jadwal Rapat Tim", "semula", "menjadi", workcal.Tanggal(prev), "Nomor " + inv.Nomor,
			workcal.Tanggal(f.mails["invitation_update"].Invite.Start.In(f.loc))}},
		{cnl, []string{"Pembatalan Rapat Tim", "DIBATALKAN", "Jadwal pengganti akan kami sampaikan kemudian", "Lampiran", ": -"}},
	} {
		t.Run(c.l.Kind, func(t *testing.T) {
			text, pages := read(t, c.l)
			if pages != 1 {
				t.Errorf("%d pages, want 1", pages)
			}
			flat := strings.Join(strings.Fields(text), " ")
			for _, w := range append(c.want, c.l.Nomor, "Koba, ", "a.n. KEPALA DINAS", "SEKRETARIS DINAS,", signer, "NIP. 197505122000032002",
				"PEMERINTAH KABUPATEN BANGKA TENGAH", "Tembusan:") {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) && !strings.Contains(strings.ToLower(flat), strings.ToLower(w)) {
					t.Errorf("pdftotext lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(flat, "Yth. 1. Kepala Dinas") || strings.Contains(flat, "2. Sekretaris Dinas") {
				t.Errorf("the Yth. list names the signer or the head signed for:\n%s", text)
			}
		})
	}
}

// read checks the PDF with poppler: pdfinfo's page count, pdftotext's
// text, the nomor's position from pdftotext -bbox, and ink at that place in
// pdftoppm's PNG.
func read(t *testing.T, l *letter.Letter) (string, int) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s missing in CI (.ci/letter.sh installs poppler-utils)", tool)
			}
			t.Skipf("%s not installed (apt-get install poppler-utils)", tool)
		}
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "l.pdf")
	if err := os.WriteFile(pdf, l.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		return string(out)
	}
	info := run("pdfinfo", pdf)
	pages := 0
	for _, ln := range strings.Split(info, "\n") {
		if f := strings.Fields(ln); len(f) == 2 && f[0] == "Pages:" {
			pages, _ = strconv.Atoi(f[1])
		}
	}
	text := run("pdftotext", "-layout", pdf, "-")

	// The nomor: the first word of it on the Nomor line, right of the labels.
	bbox := run("pdftotext", "-bbox", pdf, "-")
	first := strings.SplitN(l.Nomor, "/", 2)[0]
	var x, y float64
	for _, ln := range strings.Split(bbox, "\n") {
		if strings.Contains(ln, ">"+l.Nomor+"<") || strings.Contains(ln, ">"+first) {
			x, y = attr(ln, "xMin"), attr(ln, "yMin")
			break
		}
	}
	const pt = 25.4 / 72
	xmm, ymm := x*pt, y*pt
	if xmm < 45 || xmm > 60 || ymm < letter.NomorTop-1 || ymm > letter.NomorTop+6 {
		t.Errorf("nomor at (%.1f, %.1f) mm, want about (53, %.0f) under the kop, right of the labels", xmm, ymm, letter.NomorTop)
	}
	// pdftoppm: one PNG per page, ink where the nomor is, none above it in the margin.
	run("pdftoppm", "-r", "72", "-png", pdf, filepath.Join(dir, "p"))
	pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	if len(pngs) != pages {
		t.Errorf("pdftoppm made %d pages, pdfinfo says %d", len(pngs), pages)
	}
	if len(pngs) > 0 {
		img := decode(t, pngs[0])
		px := func(mm float64) int { return int(mm / pt) }
		if n := ink(img, image.Rect(px(xmm), px(ymm), px(xmm+40), px(ymm+4))); n < 20 {
			t.Errorf("no ink where the nomor is (%d dark pixels)", n)
		}
		if n := ink(img, image.Rect(px(xmm), px(ymm-9), px(xmm+40), px(ymm-6))); n > 0 {
			t.Errorf("ink above the nomor where the layout keeps space (%d dark pixels)", n)
		}
	}
	return text, pages
}

func attr(line, name string) float64 {
	i := strings.Index(line, name+`="`)
	if i < 0 {
		return 0
	}
	rest := line[i+len(name)+2:]
	v, _ := strconv.ParseFloat(rest[:strings.IndexByte(rest, '"')], 64)
	return v
}

func decode(t *testing.T, path string) image.Image {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func ink(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x8000 {
				n++
			}
		}
	}
	return n
}

// A long Yth. list moves to a lampiran page: "Yth. (daftar terlampir)".
func TestLongList(t *testing.T) {
	f := setup(t)
	f.is.Office.Naskah.Letter.MaxYth = 2
	l := f.issue(t, "invitation", f.mails["invitation"].Invite.Start.AddDate(0, 0, -3))
	text, pages := read(t, l)
	if pages != 2 || !strings.Contains(text, "Yth. (daftar terlampir)") || !strings.Contains(text, "DAFTAR UNDANGAN") ||
		!strings.Contains(text, "2 (dua) berkas") {
		t.Errorf("long list: %d pages\n%s", pages, text)
	}
}

// A kop logo from the config is drawn on the letter.
func TestKopLogo(t *testing.T) {
	f := setup(t)
	logo := filepath.Join(t.TempDir(), "lambang.png")
	img := image.NewRGBA(image.Rect(0, 0, 40, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, color.RGBA{R: 200, G: 30, B: 30, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logo, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f.is.Office.Naskah.Kop.Logo = logo
	l := f.issue(t, "invitation", f.mails["invitation"].Invite.Start.AddDate(0, 0, -3))
	if !bytes.Contains(l.PDF, []byte("/Subtype /Image")) {
		t.Fatal("no image in the letter")
	}
	text, pages := read(t, l)
	if pages != 1 || !strings.Contains(text, l.Nomor) {
		t.Errorf("with a logo: %d pages\n%s", pages, text)
	}
	// A logo gone since the config was checked: the letter goes without it.
	f.is.Office.Naskah.Kop.Logo = filepath.Join(t.TempDir(), "gone.png")
	l2, _, err := f.is.ForMail(context.Background(), f.mails["invitation_update"], time.Now())
	if err != nil || bytes.Contains(l2.PDF, []byte("/Subtype /Image")) {
		t.Errorf("missing logo: %v", err)
	}
	// A file that is no image cannot be drawn: a permanent error.
	if err := os.WriteFile(logo, []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.is.Office.Naskah.Kop.Logo = logo
	if _, _, err := f.is.ForMail(context.Background(), f.mails["invitation_cancel"], time.Now()); !errors.Is(err, letter.ErrRender) {
		t.Errorf("bad logo: %v, want ErrRender", err)
	}
}

// BenchmarkLetter: one letter composed again (number found in the store,
// PDF drawn), as every retry of an invitation does.
func BenchmarkLetter(b *testing.B) {
	env, _, err := samples.Env(configPath)
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(filepath.Join(b.TempDir(), "l.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	all, err := samples.Mails(configPath)
	if err != nil {
		b.Fatal(err)
	}
	is := &letter.Issuer{Office: env.Office, Numbers: st, Loc: env.Cal.Loc}
	var m *flow.Mail
	for _, s := range all {
		if s.Name == "invitation" {
			m = s.Mail
		}
	}
	at := m.Invite.Start.AddDate(0, 0, -3)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := is.ForMail(context.Background(), m, at); err != nil {
			b.Fatal(err)
		}
	}
}

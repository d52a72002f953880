package sop

import (
	"strconv"
	"strings"
	"time"
)

// Naskah is how the office writes to its officials and issues letters
// (Tata Naskah Dinas, Permendagri 1/2023): the kop, who signs which kind of
// mail, and the letter number pattern. The config fills it with the
// defaults of ../shared/NASKAH.md.
type Naskah struct {
	// ShortName is the office as the sender's display name ("Dinsos PMD
	// Bangka Tengah").
	ShortName string
	Kop       Kop
	// Signers are tried in order: the first rule naming the kind of mail
	// (a template name, or "letter" for the Undangan PDF) wins, else the
	// first rule with kind "*".
	Signers []SignerRule
	Letter  LetterStyle
}

// Kop is the letterhead.
type Kop struct {
	Lines   []string // "PEMERINTAH KABUPATEN BANGKA TENGAH", "DINAS SOSIAL, ..."
	Address string
	Contact string // telephone, website and mail on one line
	Logo    string // a PNG or JPEG file; "" for none
	City    string // the place in the date line: "Koba, 21 Mei 2024"
}

// SignerRule says which role signs which kinds of mail, and for whom.
type SignerRule struct {
	Kinds      []string
	Role       string
	OnBehalfOf string // a role: "a.n. <its name>" above the signer's jabatan
}

// LetterStyle is the office's letter numbering and fixed letter parts.
type LetterStyle struct {
	// Nomor is the number pattern: {kode} the classification code, {seq}
	// the running number, {year} the year, {month} the month in Roman
	// numerals, e.g. "{kode}/{seq}/DINSOSPMD/{year}".
	Nomor    string
	Kode     string // archive classification code, e.g. "005"
	Sifat    string // "Biasa" or "Segera"
	Tembusan []string
	// MaxYth is how many invitees the Yth. list holds; more go to a
	// lampiran page ("Yth. (daftar terlampir)").
	MaxYth int
}

// KindLetter is the signer kind of the Undangan PDF.
const KindLetter = "letter"

// Signer is who signs a mail or letter, resolved for a moment.
type Signer struct {
	Role    string // the role ID
	Email   string
	Name    string
	NIP     string
	Jabatan string // the role's name when acting
	Acting  string // "Plh."/"Plt." when acting for the holder
	// OnBehalf is the name of the role signed for ("Kepala Dinas"); "" when
	// the signer signs in their own right.
	OnBehalf string
}

// SignerFor resolves the signer of kind at t. ok is false when no rule
// applies or nobody holds the role.
func (o *Office) SignerFor(kind string, t time.Time) (Signer, bool) {
	var rule *SignerRule
	for _, want := range []string{kind, "*"} {
		for i := range o.Naskah.Signers {
			if rule == nil && contains(o.Naskah.Signers[i].Kinds, want) {
				rule = &o.Naskah.Signers[i]
			}
		}
	}
	if rule == nil {
		return Signer{}, false
	}
	hs := o.Holders(rule.Role, t)
	if len(hs) == 0 {
		return Signer{}, false
	}
	h := hs[0]
	s := Signer{Role: rule.Role, Email: h.Person.Email, Name: h.Person.Name, NIP: h.Person.NIP, Jabatan: h.Person.Jabatan, Acting: h.Acting}
	if r, ok := o.Role(rule.Role); ok && (h.Acting != "" || s.Jabatan == "") {
		s.Jabatan = r.Name
	}
	if r, ok := o.Role(rule.OnBehalfOf); ok {
		s.OnBehalf = r.Name
	}
	return s, true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Above reports whether role a is above role b in the superior chain (a is
// b's superior, or the superior of b's superior, ...).
func (o *Office) Above(a, b string) bool {
	seen := map[string]bool{}
	for cur := b; cur != "" && !seen[cur]; {
		seen[cur] = true
		r, ok := o.Role(cur)
		if !ok {
			return false
		}
		if r.Superior == a && a != "" {
			return true
		}
		cur = r.Superior
	}
	return false
}

// Direction is how a mail goes between two officials.
type Direction string

const (
	Upward   Direction = "atas"  // to a superior: ask, do not assign
	Downward Direction = "bawah" // to a subordinate, a peer, or the team
)

// DirectionOf says how mail from role from reads to someone holding any of
// the roles to: upward when one of them is above from.
func (o *Office) DirectionOf(from string, to []string) Direction {
	for _, r := range to {
		if o.Above(r, from) {
			return Upward
		}
	}
	return Downward
}

var roman = [...]string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// FormatNomor fills the number pattern for running number seq issued at t.
func (l LetterStyle) FormatNomor(seq int, t time.Time) string {
	r := strings.NewReplacer("{kode}", l.Kode, "{seq}", strconv.Itoa(seq), "{year}", strconv.Itoa(t.Year()),
		"{month}", roman[t.Month()])
	return r.Replace(l.Nomor)
}

package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// The [office.kop], [[office.signer]] and [office.letter] keys: how the
// office writes (see ../shared/NASKAH.md). Every key is optional; the
// defaults are derived from the rest of the config, never from role names.

type fileKop struct {
	Lines   []string `toml:"lines"`   // default: the office name in capitals
	Address string   `toml:"address"` // default: office.address
	Contact string   `toml:"contact"` // default: the website (office.domain) and office.mailbox
	Logo    string   `toml:"logo"`    // PNG or JPEG; a relative path is read from the working directory, like data_dir
	City    string   `toml:"city"`    // the place in the date line
}

type fileSigner struct {
	Kinds      []string `toml:"kinds"` // template names, "letter" (the Undangan PDF), or "*"
	Role       string   `toml:"role"`
	OnBehalfOf string   `toml:"on_behalf_of"`
}

type fileLetter struct {
	Nomor    string   `toml:"nomor"`
	Kode     string   `toml:"kode"`
	Sifat    string   `toml:"sifat"`
	Tembusan []string `toml:"tembusan"`
	MaxYth   int      `toml:"max_yth"`
}

// DefaultKode is the classification code of an Undangan when none is set.
const DefaultKode = "000.1.5"

var placeholderRe = regexp.MustCompile(`\{[^}]*\}`)

// naskah builds o.Naskah; call it after roles, people and SOPs are built.
func (v *validator) naskah(f *fileOffice, short string, o *sop.Office) sop.Naskah {
	n := sop.Naskah{ShortName: short}
	k := f.Kop
	n.Kop = sop.Kop{Lines: k.Lines, Address: k.Address, Contact: k.Contact, Logo: k.Logo, City: strings.TrimSpace(k.City)}
	if len(n.Kop.Lines) == 0 {
		n.Kop.Lines = []string{strings.ToUpper(o.Name)}
	}
	if n.Kop.Address == "" {
		n.Kop.Address = o.Address
	}
	if n.Kop.Contact == "" && o.Domain != "" {
		n.Kop.Contact = "Laman: " + o.Domain
		if o.Mailbox != "" {
			n.Kop.Contact += " · Surel: " + o.Mailbox
		}
	}
	if n.Kop.Logo != "" {
		ext := strings.ToLower(filepath.Ext(n.Kop.Logo))
		if ext != ".png" && ext != ".jpg" && ext != ".jpeg" {
			v.errf("office.kop.logo", q(k.Logo), "not a PNG or JPEG file name", "the regional emblem as .png or .jpg")
		} else if st, err := os.Stat(n.Kop.Logo); err != nil || st.IsDir() {
			v.errf("office.kop.logo", q(k.Logo), "file not found", "a path to the emblem, relative to the config file, or remove the key")
		}
	}

	for i, s := range f.Signer {
		key := fmt.Sprintf("office.signer[%d]", i)
		if len(s.Kinds) == 0 {
			v.errf(key+".kinds", "", "missing", "the kinds of mail this official signs: template names such as \"invitation\", \"letter\" for the Undangan PDF, or \"*\" for every other mail")
		}
		if _, ok := o.Role(s.Role); !ok {
			v.errf(key+".role", q(s.Role), "unknown role", "a role defined under [roles]")
		} else if !held(o, s.Role) {
			v.warnf(key+".role", q(s.Role), "nobody holds this role", "give the role to someone under [[people]]; until then this mail is signed by the Sekretariat")
		}
		if s.OnBehalfOf != "" {
			if _, ok := o.Role(s.OnBehalfOf); !ok {
				v.errf(key+".on_behalf_of", q(s.OnBehalfOf), "unknown role", "the role the signer signs for (a.n.), defined under [roles]")
			} else if !o.Above(s.OnBehalfOf, s.Role) {
				v.errf(key+".on_behalf_of", q(s.OnBehalfOf), "not above the signer's role", "a.n. is signed for a superior: name a role above "+s.Role+" in the superior chain")
			}
		}
		n.Signers = append(n.Signers, sop.SignerRule{Kinds: s.Kinds, Role: s.Role, OnBehalfOf: s.OnBehalfOf})
	}
	if len(f.Signer) == 0 {
		n.Signers = defaultSigners(o)
	}

	l := f.Letter
	n.Letter = sop.LetterStyle{Nomor: l.Nomor, Kode: l.Kode, Sifat: l.Sifat, Tembusan: l.Tembusan, MaxYth: l.MaxYth}
	if n.Letter.Kode == "" {
		n.Letter.Kode = DefaultKode
	}
	if n.Letter.Nomor == "" {
		unit := strings.ToUpper(strings.Split(o.Domain, ".")[0])
		n.Letter.Nomor = "{kode}/{seq}/" + unit + "/{year}"
	}
	if !strings.Contains(n.Letter.Nomor, "{seq}") {
		v.errf("office.letter.nomor", q(l.Nomor), "lacks {seq}", "the running number must be in the nomor, e.g. \"{kode}/{seq}/DINSOSPMD/{year}\"")
	}
	for _, ph := range placeholderRe.FindAllString(n.Letter.Nomor, -1) {
		switch ph {
		case "{kode}", "{seq}", "{year}", "{month}":
		default:
			v.errf("office.letter.nomor", q(l.Nomor), "unknown placeholder "+ph, "use {kode}, {seq}, {year} and {month} (Roman numerals)")
		}
	}
	if n.Letter.Sifat == "" {
		n.Letter.Sifat = "Biasa"
	}
	if n.Letter.MaxYth == 0 {
		n.Letter.MaxYth = 10
	} else if n.Letter.MaxYth < 1 {
		v.errf("office.letter.max_yth", fmt.Sprint(l.MaxYth), "must be at least 1", "how many invitees the Yth. list holds before it moves to a lampiran page")
	}
	if l.Tembusan == nil {
		for _, r := range n.Signers {
			if contains(r.Kinds, sop.KindLetter) && r.OnBehalfOf != "" {
				if role, ok := o.Role(r.OnBehalfOf); ok {
					n.Letter.Tembusan = []string{role.Name + " (sebagai laporan)"}
				}
			}
		}
	}
	return n
}

// defaultSigners: the process owner (the role with the most steps) signs
// every mail; the letter and its covering mail are signed by the owner's
// superior for the superior's superior (a.n.), as an office's Sekretaris
// signs for its head.
func defaultSigners(o *sop.Office) []sop.SignerRule {
	count := map[string]int{}
	owner, best := "", 0
	for _, s := range o.SOPs {
		for _, st := range s.Steps {
			count[st.Role]++
			if count[st.Role] > best {
				owner, best = st.Role, count[st.Role]
			}
		}
	}
	if owner == "" {
		return nil
	}
	rules := []sop.SignerRule{{Kinds: []string{"*"}, Role: owner}}
	if r, ok := o.Role(owner); ok && r.Superior != "" {
		// The letter and the mail that carries it (flow.TplInvitation, flow.TplCancel).
		letter := sop.SignerRule{Kinds: []string{sop.KindLetter, "invitation", "invitation_cancel"}, Role: r.Superior}
		if sr, ok := o.Role(r.Superior); ok {
			letter.OnBehalfOf = sr.Superior
		}
		rules = append([]sop.SignerRule{letter}, rules...)
	}
	return rules
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func held(o *sop.Office, role string) bool {
	for _, p := range o.People {
		if contains(p.Roles, role) {
			return true
		}
	}
	for _, a := range o.Acting {
		if a.Role == role {
			return true
		}
	}
	return false
}

package config_test

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// Without [office.kop], [[office.signer]] and [office.letter] the defaults
// come from the rest of the config, through the superior chain: the role
// with the most steps signs mail, its superior signs the letter a.n. the
// next one up, who gets the Tembusan.
func TestNaskahDefaults(t *testing.T) {
	src, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	// The shipped config without the naskah keys.
	s := string(src)
	from, to := strings.Index(s, "[office.kop]"), strings.Index(s, "\n[mail]\n")
	if from < 0 || to < from {
		t.Fatal("config.toml has no [office.kop] before [mail]")
	}
	c, err := config.Parse(s[:from]+s[to:], config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	n := c.Office.Naskah
	if n.Kop.Lines[0] != strings.ToUpper(c.Office.Name) || n.Kop.Contact == "" || n.ShortName == "" || n.Kop.Address != c.Office.Address {
		t.Errorf("kop %+v, short name %q", n.Kop, n.ShortName)
	}
	if n.Letter.Nomor != "{kode}/{seq}/DINSOSPMD/{year}" || n.Letter.Kode != config.DefaultKode || n.Letter.Sifat != "Biasa" || n.Letter.MaxYth != 10 {
		t.Errorf("letter %+v", n.Letter)
	}
	if got := n.Letter.FormatNomor(12, time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC)); got != "000.1.5/12/DINSOSPMD/2024" {
		t.Errorf("nomor %q", got)
	}
	var owner string
	for _, r := range n.Signers {
		if reflect.DeepEqual(r.Kinds, []string{"*"}) {
			owner = r.Role
		}
	}
	ro, ok := c.Office.Role(owner)
	if !ok {
		t.Fatalf("no default signer: %+v", n.Signers)
	}
	sg, ok := c.Office.SignerFor(sop.KindLetter, time.Now())
	if !ok || sg.Role != ro.Superior || sg.OnBehalf == "" || len(n.Letter.Tembusan) != 1 {
		t.Errorf("letter signer %+v (owner %s), tembusan %v", sg, owner, n.Letter.Tembusan)
	}
	if c.Office.DirectionOf(owner, []string{ro.Superior}) != sop.Upward || c.Office.DirectionOf(ro.Superior, []string{owner}) != sop.Downward {
		t.Error("direction does not follow the superior chain")
	}
}

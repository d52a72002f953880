package sop

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

// Property: on any forest of roles (cycles included, as a bad config may
// have), Above is irreflexive and antisymmetric, and mail one way up is
// the other way down.
func TestDirectionProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for n := 0; n < 300; n++ {
		o := &Office{}
		k := 1 + rng.Intn(6)
		for i := 0; i < k; i++ {
			r := Role{ID: fmt.Sprint("r", i), Name: fmt.Sprint("Peran ", i)}
			if j := rng.Intn(k + 1); j < k && (j < i || rng.Intn(8) == 0) {
				r.Superior = fmt.Sprint("r", j)
			}
			o.Roles = append(o.Roles, r)
		}
		cyclic := false
		for _, a := range o.Roles {
			if o.Above(a.ID, a.ID) {
				cyclic = true
			}
		}
		for _, a := range o.Roles {
			for _, b := range o.Roles {
				ab, ba := o.Above(a.ID, b.ID), o.Above(b.ID, a.ID)
				if !cyclic && (a.ID == b.ID && ab || ab && ba) {
					t.Fatalf("roles %+v: Above(%s,%s)=%v Above(%s,%s)=%v", o.Roles, a.ID, b.ID, ab, b.ID, a.ID, ba)
				}
				if !cyclic && ab && (o.DirectionOf(b.ID, []string{a.ID}) != Upward || o.DirectionOf(a.ID, []string{b.ID}) != Downward) {
					t.Fatalf("roles %+v: %s above %s but directions disagree", o.Roles, a.ID, b.ID)
				}
			}
		}
	}
}

func TestSignerFor(t *testing.T) {
	o := &Office{
		Roles: []Role{{ID: "kd", Name: "Kepala Dinas"}, {ID: "sek", Name: "Sekretaris Dinas", Superior: "kd"}, {ID: "kp", Name: "Kasubag", Superior: "sek"}},
		People: []Person{{Email: "a@x", Name: "A", Jabatan: "Kepala Dinas", Roles: []string{"kd"}, NIP: "1"},
			{Email: "b@x", Name: "B", Jabatan: "Sekretaris Dinas", Roles: []string{"sek"}, NIP: "2"},
			{Email: "c@x", Name: "C", Jabatan: "Kasubag", Roles: []string{"kp"}, NIP: "3"}},
		Acting: []Acting{{Person: "c@x", Role: "sek", Title: "Plh.", From: time.Date(2024, 7, 15, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 7, 19, 0, 0, 0, 0, time.UTC)}},
		Naskah: Naskah{Signers: []SignerRule{{Kinds: []string{"*"}, Role: "kp"}, {Kinds: []string{"letter"}, Role: "sek", OnBehalfOf: "kd"}}},
	}
	may := time.Date(2024, 5, 20, 9, 0, 0, 0, time.UTC)
	if s, ok := o.SignerFor("letter", may); !ok || s.Name != "B" || s.OnBehalf != "Kepala Dinas" || s.NIP != "2" {
		t.Errorf("letter: %+v", s)
	}
	if s, ok := o.SignerFor("assign_task", may); !ok || s.Name != "C" || s.OnBehalf != "" {
		t.Errorf("mail: %+v (the '*' rule, even listed first, loses to an exact kind only)", s)
	}
	if s, _ := o.SignerFor("letter", time.Date(2024, 7, 16, 9, 0, 0, 0, time.UTC)); s.Name != "C" || s.Acting != "Plh." || s.Jabatan != "Sekretaris Dinas" {
		t.Errorf("acting: %+v", s)
	}
	o.Naskah.Signers = nil
	if _, ok := o.SignerFor("letter", may); ok {
		t.Error("a signer without rules")
	}
}

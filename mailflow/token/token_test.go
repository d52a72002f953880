package token

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestRoundTrips(t *testing.T) {
	tok := New()
	if !Valid(tok) || len(tok) != Len {
		t.Fatalf("New() = %q", tok)
	}
	if New() == tok {
		t.Fatal("two tokens are equal")
	}
	for _, ref := range []Ref{{Token: tok, Step: 11}, {Token: tok, Step: 8, Round: 2}, {Token: tok, Step: 0}} {
		if r, ok := FromMessageID("<" + MessageID(ref, 7, "x.go.id") + ">"); !ok || r != ref {
			t.Errorf("FromMessageID(%v): %v %v", ref, r, ok)
		}
		if r, ok := FromText("Balasan\n> " + RefLine(ref) + "\n"); !ok || r != ref {
			t.Errorf("FromText(%v): %v %v", ref, r, ok)
		}
		if r, ok := FromAddress(PlusAddress("tu@x.go.id", ref)); !ok || r != ref {
			t.Errorf("FromAddress(%v): %v %v", ref, r, ok)
		}
	}
	for _, bad := range []string{"<abc@gmail.com>", "mf.short.s1.1@x", "mf." + tok[:19] + "1.s2.3@x", "mf." + tok + ".s2r.3@x", "mf." + tok + ".sr2.3@x"} {
		if _, ok := FromMessageID(bad); ok {
			t.Errorf("FromMessageID(%q) matched", bad)
		}
	}
}

// The forms mail sent before rounds were carried still parse, as round 0.
func TestOldFormsAreRoundZero(t *testing.T) {
	tok := "abcdefghijklmnopqrst"
	want := Ref{Token: tok, Step: 8}
	for name, got := range map[string]func() (Ref, bool){
		"message-id": func() (Ref, bool) { return FromMessageID("<mf." + tok + ".s8.12@dinsospmd.go.id>") },
		"ref line":   func() (Ref, bool) { return FromText("> Ref: MF-" + tok + "-8\n") },
		"plus":       func() (Ref, bool) { return FromAddress("sekretariat+" + tok + "-8@dinsospmd.go.id") },
		"upper":      func() (Ref, bool) { return FromText("REF: MF-" + strings.ToUpper(tok) + "-8.") },
	} {
		if r, ok := got(); !ok || r != want {
			t.Errorf("%s: %+v %v, want %+v", name, r, ok, want)
		}
	}
	// The thread root names no round: a step is one thread across rounds.
	if r, ok := FromMessageID(ThreadRoot(Ref{Token: tok, Step: 8, Round: 3}, "d.go.id")); !ok || r != want {
		t.Errorf("thread root: %+v %v", r, ok)
	}
}

// New forms: the round is written as r<n> after the step, and read back.
func TestRoundForms(t *testing.T) {
	tok := "abcdefghijklmnopqrst"
	ref := Ref{Token: tok, Step: 8, Round: 2}
	if got, want := MessageID(ref, 5, "d.go.id"), "mf."+tok+".s8r2.5@d.go.id"; got != want {
		t.Errorf("MessageID = %q, want %q", got, want)
	}
	if got, want := RefLine(ref), "Ref: MF-"+tok+"-8r2"; got != want {
		t.Errorf("RefLine = %q, want %q", got, want)
	}
	if got, want := PlusAddress("tu@d.go.id", ref), "tu+"+tok+"-8r2@d.go.id"; got != want {
		t.Errorf("PlusAddress = %q, want %q", got, want)
	}
	// A round must be whole: a word glued to the step is not a ref at all,
	// and a cut-off "r" never reads as some other round.
	for _, s := range []string{"MF-" + tok + "-8rapat", "MF-" + tok + "-8r", "MF-" + tok + "-8r2x"} {
		if r, ok := FromText(s); ok {
			t.Errorf("FromText(%q) = %+v", s, r)
		}
	}
	if r, ok := FromText("MF-" + tok + "-8r2."); !ok || r != ref {
		t.Errorf("sentence end: %+v %v", r, ok)
	}
	// Unicode letters that case-fold to ASCII ones are not token characters.
	for _, odd := range []string{"\u017f", "\u212a"} {
		for _, s := range []string{"MF-" + odd + tok[1:] + "-1", "mf." + odd + tok[1:] + ".s1.2@x", "a+" + odd + tok[1:] + "-1@x"} {
			_, ok1 := FromText(s)
			_, ok2 := FromMessageID(s)
			_, ok3 := FromAddress(s)
			if ok1 || ok2 || ok3 {
				t.Errorf("%q read as a ref", s)
			}
		}
	}
}

// Every carrier round-trips every ref, and the carriers of one ref never
// read as another's: random steps and rounds over the whole range.
func TestCarriersRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		ref := Ref{Token: New(), Step: rng.IntN(10000), Round: rng.IntN(10000)}
		if i%3 == 0 {
			ref.Round = 0
		}
		n := rng.Int64N(1 << 40)
		if r, ok := FromMessageID(MessageID(ref, n, "x.go.id")); !ok || r != ref {
			t.Fatalf("MessageID %v: %v %v", ref, r, ok)
		}
		if r, ok := FromText("x " + RefLine(ref) + " y"); !ok || r != ref {
			t.Fatalf("RefLine %v: %v %v", ref, r, ok)
		}
		if r, ok := FromAddress("<" + PlusAddress("a.b@x.go.id", ref) + ">"); !ok || r != ref {
			t.Fatalf("PlusAddress %v: %v %v", ref, r, ok)
		}
	}
}

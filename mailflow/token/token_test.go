package token

import "testing"

func TestRoundTrips(t *testing.T) {
	tok := New()
	if !Valid(tok) || len(tok) != Len {
		t.Fatalf("New() = %q", tok)
	}
	if New() == tok {
		t.Fatal("two tokens are equal")
	}
	ref := Ref{Token: tok, Step: 11}
	if r, ok := FromMessageID("<" + MessageID(ref, 7, "x.go.id") + ">"); !ok || r != ref {
		t.Errorf("FromMessageID: %v %v", r, ok)
	}
	if r, ok := FromText("Balasan\n> " + RefLine(ref) + "\n"); !ok || r != ref {
		t.Errorf("FromText: %v %v", r, ok)
	}
	if r, ok := FromAddress(PlusAddress("tu@x.go.id", ref)); !ok || r != ref {
		t.Errorf("FromAddress: %v %v", r, ok)
	}
	for _, bad := range []string{"<abc@gmail.com>", "mf.short.s1.1@x", "mf." + tok[:19] + "1.s2.3@x"} {
		if _, ok := FromMessageID(bad); ok {
			t.Errorf("FromMessageID(%q) matched", bad)
		}
	}
}

package token

import (
	"strings"
	"testing"
)

// FuzzReaders: whatever the text, a reader returns a Ref only where its
// carrier's form stands in the text (MF-<token>- for FromText, mf.<token>.s
// for FromMessageID, +<token>- for FromAddress), with a valid lower-case
// token, a step and round of at most four digits; and the Ref read, written
// back by the matching writer, reads the same.
func FuzzReaders(f *testing.F) {
	tok := "abcdefghijklmnopqrst"
	for _, s := range []string{
		"Ref: MF-" + tok + "-3", "Ref: MF-" + tok + "-3r2", "ref: mf-" + strings.ToUpper(tok) + "-0012r0003.",
		"<mf." + tok + ".s4r2.17@dinsos.go.id>", "mf." + tok + ".s4.0@x", "sekretariat+" + tok + "-5r1@dinsos.go.id",
		"MF-" + tok + "-", "MF-" + tok[:19] + "-1", "xMF-" + tok + "-1", "MF-" + tok + "-12345", "+" + tok + "-1r@x",
		"Re: [LAKIP] SETUJU", "", "MF-\u0130" + tok[1:] + "-1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lower := strings.ToLower(s)
		check := func(name string, ref Ref, form string, write func(Ref) string, read func(string) (Ref, bool)) {
			if !Valid(ref.Token) || ref.Step < 0 || ref.Step > 9999 || ref.Round < 0 || ref.Round > 9999 {
				t.Fatalf("%s(%q) = %+v", name, s, ref)
			}
			if !strings.Contains(lower, form+ref.Token) {
				t.Fatalf("%s(%q) = %+v without %q in the text", name, s, ref, form+ref.Token)
			}
			if back, ok := read(write(ref)); !ok || back != ref {
				t.Fatalf("%s: %+v written as %q reads %+v, %v", name, ref, write(ref), back, ok)
			}
		}
		if ref, ok := FromText(s); ok {
			check("FromText", ref, "mf-", RefLine, FromText)
		}
		if ref, ok := FromMessageID(s); ok {
			check("FromMessageID", ref, "mf.", func(r Ref) string { return MessageID(r, 1, "x.go.id") }, FromMessageID)
		}
		if ref, ok := FromAddress(s); ok {
			check("FromAddress", ref, "+", func(r Ref) string { return PlusAddress("tu@x.go.id", r) }, FromAddress)
		}
		if !strings.Contains(lower, "mf-") {
			if _, ok := FromText(s); ok {
				t.Fatalf("FromText(%q) found a Ref without the MF- form", s)
			}
		}
	})
}

// FuzzRoundTrip: every carrier written for any token, step, round and
// mail number reads back as the same Ref, when it stands in text that
// carries no other ref before it.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("0123456789abcdefghij"), uint16(3), uint16(2), uint32(17), "Yth. Bapak,", "terima kasih", "tu", "dinsos.go.id")
	f.Add([]byte{}, uint16(0), uint16(0), uint32(0), "", "", "a", "b")
	f.Add([]byte("zz"), uint16(9999), uint16(9999), uint32(1<<31), "MF-", "r5", "tu.sekre", "x")
	f.Fuzz(func(t *testing.T, raw []byte, step, round uint16, n uint32, prefix, suffix, local, domain string) {
		const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
		var b strings.Builder
		for i := 0; i < Len; i++ {
			c := byte(i)
			if i < len(raw) {
				c = raw[i]
			}
			b.WriteByte(alphabet[int(c)%len(alphabet)])
		}
		ref := Ref{Token: b.String(), Step: int(step) % 10000, Round: int(round) % 10000}

		// The Ref line in a body: found when nothing before it is a ref.
		if _, ok := FromText(prefix + " "); !ok {
			text := prefix + " " + RefLine(ref) + " " + suffix
			if got, ok := FromText(text); !ok || got != ref {
				t.Fatalf("FromText(%q) = %+v, %v; want %+v", text, got, ok, ref)
			}
		}
		if got, ok := FromMessageID("<" + MessageID(ref, int64(n), domain) + ">"); !ok || got != ref {
			t.Fatalf("Message-ID %q reads %+v, %v", MessageID(ref, int64(n), domain), got, ok)
		}
		if got, ok := FromMessageID(ThreadRoot(ref, domain)); !ok || got != (Ref{Token: ref.Token, Step: ref.Step}) {
			t.Fatalf("thread root %q reads %+v, %v", ThreadRoot(ref, domain), got, ok)
		}
		if !strings.Contains(local, "@") && !strings.Contains(domain, "@") {
			addr := PlusAddress(local+"@"+domain, ref)
			if _, early := FromAddress(local + "@"); !early {
				if got, ok := FromAddress(addr); !ok || got != ref {
					t.Fatalf("plus-address %q reads %+v, %v", addr, got, ok)
				}
			}
		}
	})
}

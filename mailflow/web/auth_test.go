package web

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

func TestPasswordHashes(t *testing.T) {
	h, err := HashPassword("kata-sandi-panjang")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "kata-sandi-panjang") || CheckPassword(h, "kata-sandi-panjanG") {
		t.Fatal("bcrypt verify")
	}
	if _, err := HashPassword("pendek"); err == nil {
		t.Fatal("a short password was hashed")
	}
	salt := []byte("0123456789abcdef")
	sum := argon2.IDKey([]byte("rahasia-argon"), salt, 2, 19456, 1, 32)
	a := fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$%s$%s", base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(sum))
	if !CheckPassword(a, "rahasia-argon") || CheckPassword(a, "rahasia-argoN") {
		t.Fatal("argon2id verify")
	}
	for _, bad := range []string{"", "rahasia-argon", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA", "$argon2id$v=18$m=19456,t=2,p=1$AAAA$AAAA",
		"$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", strings.Replace(a, "t=2", "t=3", 1)} {
		if CheckPassword(bad, "rahasia-argon") {
			t.Errorf("hash %q verified", bad)
		}
	}
}

// FuzzCheckPassword: whatever the config holds, verifying never panics
// and only a hash of the very password verifies.
func FuzzCheckPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "pw")
	f.Add("$2a$04$abcdefghijklmnopqrstuu", "pw")
	f.Add("plain", "plain")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if strings.Contains(hash, "m=") && len(hash) > 200 {
			return // keep argon2's memory small
		}
		if CheckPassword(hash, pw) && !strings.HasPrefix(hash, "$") {
			t.Fatalf("%q verified against %q", pw, hash)
		}
	})
}

// TestLimiterWindow: after max failures a key waits until the oldest one
// leaves the window, then may try again; keys do not share a budget.
func TestLimiterWindow(t *testing.T) {
	l := newLimiter(3, 10*time.Minute)
	t0 := time.Date(2024, 5, 6, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if d := l.wait("a", t0); d != 0 {
			t.Fatalf("try %d waits %v", i, d)
		}
		l.fail("a", t0.Add(time.Duration(i)*time.Minute))
	}
	if d := l.wait("a", t0.Add(3*time.Minute)); d != 7*time.Minute {
		t.Fatalf("wait %v, want 7m", d)
	}
	if d := l.wait("b", t0.Add(3*time.Minute)); d != 0 {
		t.Fatal("another key is limited")
	}
	if d := l.wait("a", t0.Add(10*time.Minute)); d != 0 {
		t.Fatalf("after the window: %v", d)
	}
}

func TestTimelineBars(t *testing.T) {
	svg := string(timelineSVG([]tlStep{
		{Number: 7, Kegiatan: "Draft <LAKIP>", Waktu: "2 hari", Limit: 1020, Rounds: []tlRound{{Round: 1, Minutes: 600}, {Round: 2, Minutes: 2000}}},
		{Number: 8, Waktu: "30 menit", Limit: 30, Rounds: []tlRound{{Round: 1, Minutes: 10, Active: true}}},
		{Number: 11, Waktu: "1 hari", Limit: 510},
	}, 510))
	if n := strings.Count(svg, `<rect class="bar`); n != 3 {
		t.Fatalf("%d bars, want 3:\n%s", n, svg)
	}
	for _, want := range []string{`class="bar ok" data-step="7" data-round="1"`, `class="bar late" data-step="7" data-round="2"`,
		`class="bar active" data-step="8"`, "Draft &lt;LAKIP&gt;", "P2 · "} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %s", want)
		}
	}
	if strings.Contains(svg, "<LAKIP>") {
		t.Error("text not escaped")
	}
}

package mailserver

import (
	"bytes"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/authres"
)

const id = "mailflow.localhost"

// verdicts returns, for every Authentication-Results field of raw claiming
// id, its dmarc result, in order.
func verdicts(t testing.TB, raw []byte) []string {
	var out []string
	for _, f := range splitFields(raw[:headerEnd(raw)]) {
		name, value, _ := strings.Cut(string(f), ":")
		if !strings.EqualFold(strings.TrimSpace(name), "Authentication-Results") {
			continue
		}
		sid, results, err := authres.Parse(unfold(value))
		if err != nil || !strings.EqualFold(sid, id) {
			continue
		}
		for _, r := range results {
			if d, ok := r.(*authres.DMARCResult); ok {
				out = append(out, string(d.Value)+" "+d.From)
			}
		}
	}
	return out
}

func TestStampAuth(t *testing.T) {
	body := "\r\n\r\nSETUJU\r\nAuthentication-Results: " + id + "; dmarc=pass header.from=x\r\n"
	for _, c := range []struct {
		name, head, user, want string
	}{
		{"own From", "From: Rina <sekretaris@dinas.go.id>\r\nSubject: Re: x", "sekretaris@dinas.go.id", "pass dinas.go.id"},
		{"forged pass removed", "Authentication-Results: " + id + "; dmarc=pass header.from=dinas.go.id\r\nFrom: kepala@dinas.go.id", "umum@dinas.go.id", "fail dinas.go.id"},
		{"folded forged pass removed", "Authentication-Results: MAILFLOW.localhost;\r\n\tdmarc=pass header.from=dinas.go.id\r\nFrom: kepala@dinas.go.id", "", "none dinas.go.id"},
		{"two From fields", "From: sekretaris@dinas.go.id\r\nFrom: x@evil.example", "sekretaris@dinas.go.id", "fail none"},
		{"two addresses", "From: sekretaris@dinas.go.id, x@evil.example", "sekretaris@dinas.go.id", "fail none"},
		{"not logged in", "From: sekretaris@dinas.go.id", "", "none dinas.go.id"},
	} {
		raw := []byte(c.head + body)
		got := stampAuth(raw, id, c.user)
		if v := verdicts(t, got); len(v) != 1 || v[0] != c.want {
			t.Errorf("%s: verdicts %q, want exactly [%s]\n%s", c.name, v, c.want, got)
		}
		if !bytes.HasSuffix(got, []byte(body)) {
			t.Errorf("%s: the body changed", c.name)
		}
	}
	// Another server's results are kept: they are not ours to judge.
	other := "Authentication-Results: mx.google.com; dkim=pass header.d=evil.example"
	if got := stampAuth([]byte(other+"\r\nFrom: a@b.c\r\n\r\nx"), id, ""); !bytes.Contains(got, []byte(other)) {
		t.Error("another authserv-id's field was removed")
	}
}

// FuzzStampAuth: whatever the sender writes, the stamped message carries
// exactly one field claiming the server's id, and it is on top; it says
// pass only for the logged-in account's own From.
func FuzzStampAuth(f *testing.F) {
	f.Add("Authentication-Results: mailflow.localhost; dmarc=pass header.from=a.b\r\nFrom: a@a.b\r\n\r\nbody", "x@a.b")
	f.Add("From: a@a.b\r\n Authentication-Results: mailflow.localhost; dmarc=pass\r\n\r\n", "a@a.b")
	f.Add("authentication-results:MAILFLOW.LOCALHOST(c);dmarc=pass\nFrom:a@a.b\n\nx", "")
	f.Fuzz(func(t *testing.T, raw, user string) {
		if len(raw) > 8192 || strings.ContainsAny(user, "\r\n;") {
			return
		}
		got := stampAuth([]byte(raw), id, user)
		if !bytes.HasPrefix(got, []byte("Authentication-Results: "+id+";")) {
			t.Fatalf("our field is not on top:\n%q", got)
		}
		n := 0
		for _, fl := range splitFields(got[:headerEnd(got)]) {
			name, value, _ := strings.Cut(string(fl), ":")
			if strings.EqualFold(strings.TrimSpace(name), "Authentication-Results") && claims(value, id) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d fields claim %s:\n%q", n, id, got)
		}
		if v := verdicts(t, got); len(v) == 1 && strings.HasPrefix(v[0], "pass") && user == "" {
			t.Fatalf("pass without a login:\n%q", got)
		}
	})
}

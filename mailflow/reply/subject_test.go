package reply

import (
	"math/rand"
	"strings"
	"testing"
)

// subjectMsg is a reply from a phone with the given Subject and body.
func subjectMsg(subject, body string) string {
	return "From: Yulianti <yulianti@dinsospmd.bangkatengahkab.go.id>\r\n" +
		"To: sekretariat@dinsospmd.bangkatengahkab.go.id\r\n" +
		"Subject: " + subject + "\r\n" +
		"In-Reply-To: <mf.ipxvinuv6rdz3semwio7.s8r1.3@dinsospmd.bangkatengahkab.go.id>\r\n" +
		"Message-ID: <s1@x.id>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
}

const quotedAssignment = "\r\n\r\nDikirim dari iPhone saya\r\n\r\n> Pada 10 Mar 2025, pukul 09.56, Sekretariat <sekretariat@dinsospmd.bangkatengahkab.go.id> menulis:\r\n>\r\n> Mohon balas SETUJU atau TOLAK <alasan>.\r\n"

// TestCommandTypedInTheSubject: with nothing new in the body, what the
// sender typed before the client's "Re:" is the answer, read with the same
// rules; text after the prefix (the answered mail's subject, which may
// hold a colleague's answer) never is, nor is the subject when the body
// says something.
func TestCommandTypedInTheSubject(t *testing.T) {
	const subj = "Re: [LAKIP 2025 - Langkah 8] Mohon paraf: Memeriksa draft LAKIP"
	for _, c := range []struct {
		name, subject, body string
		want                Command
		fromSubject         bool
	}{
		{"approval", "SETUJU " + subj, quotedAssignment, CmdApprove, true},
		{"rejection with its reason", "TOLAK tabel 3 salah " + subj, quotedAssignment, CmdReject, true},
		{"hedged", "Setuju tapi tunggu Kadis " + subj, quotedAssignment, CmdUnclear, true},
		{"negated", "Tidak setuju " + subj, quotedAssignment, CmdReject, true},
		{"a colleague's answer in the answered subject", "Re: SETUJU " + subj, quotedAssignment, CmdNone, false},
		{"nothing typed", subj, quotedAssignment, CmdNone, false},
		{"the body speaks", "SETUJU " + subj, "Belum, saya cek dulu." + quotedAssignment, CmdNone, false},
		{"the body hedges", "SETUJU " + subj, "Nanti dulu ya" + quotedAssignment, CmdNone, false},
		{"an empty body", "SETUJU " + subj, "", CmdApprove, true},
		{"a retraction under a sign-off is text of the body", "SETUJU " + subj, "\r\n\r\nSalam,\r\nBudi\r\nNB: batal, tidak setuju" + quotedAssignment, CmdNone, false},
	} {
		p, err := Parse(strings.NewReader(subjectMsg(c.subject, c.body)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Command != c.want || p.FromSubject != c.fromSubject {
			t.Errorf("%s: command %q from subject %v (text %q), want %q %v", c.name, p.Command, p.FromSubject, p.Text, c.want, c.fromSubject)
		}
	}
}

// TestSubjectAnswerAndHiddenHTML: an answer typed in the Subject goes
// through an approval's checks like any other: an HTML part that hides
// text makes it unclear, and an HTML part whose visible text says
// otherwise does too.
func TestSubjectAnswerAndHiddenHTML(t *testing.T) {
	quote := `<div class="gmail_quote"><blockquote>Mohon balas SETUJU atau TOLAK</blockquote></div>`
	for _, c := range []struct {
		name, html string
		want       Command
	}{
		{"nothing in the body", quote, CmdApprove},
		{"hidden text", `<div style="display:none">tidak setuju</div>` + quote, CmdUnclear},
		{"visible text says otherwise", `<div dir="ltr">Belum, tunggu Kadis</div>` + quote, CmdNone},
	} {
		msg := strings.Replace(altMsg("> Mohon balas SETUJU atau TOLAK", c.html), "Subject: ", "Subject: SETUJU Re: ", 1)
		if !strings.Contains(msg, "Subject: SETUJU Re: ") {
			t.Fatal("the test message has no Subject to type into")
		}
		p, err := Parse(strings.NewReader(msg), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Command != c.want {
			t.Errorf("%s: command %q (text %q, from subject %v), want %q", c.name, p.Command, p.Text, p.FromSubject, c.want)
		}
	}
}

// TestSubjectTypedNeverReadsPastThePrefix: whatever the subject, the text
// taken from it is a prefix of it that holds no reply prefix, so nothing
// of the answered mail's subject is ever read as the sender's answer.
func TestSubjectTypedNeverReadsPastThePrefix(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	parts := []string{"SETUJU", "Re:", "RE:", "Bls:", "AW:", "Balas:", "[LAKIP 2025]", "tolak", "Fwd:", " ", "re", "Re :", "Re[2]:", "setuju re:", "x"}
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := r.Intn(6); k >= 0; k-- {
			b.WriteString(parts[r.Intn(len(parts))])
			if r.Intn(2) == 0 {
				b.WriteByte(' ')
			}
		}
		s := b.String()
		got := subjectTyped(s)
		if got == "" {
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(s), got) || replyPrefixRe.MatchString(got) {
			t.Fatalf("subjectTyped(%q) = %q", s, got)
		}
	}
}

package web_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/bundle"
)

// TestEvidence: the Run page lists the archived mail with its
// Authentication-Results verdict and serves each .eml as received; its
// two buttons give the monitoring form (a PDF) and an evidence bundle
// that "mailflow verify" accepts.
func TestEvidence(t *testing.T) {
	c := startConsole(t, true)
	hc := client(t)
	login(t, hc, c.URL, testAccount, testPassword)
	st, body := get(t, hc, c.URL+"/run/"+c.Run)
	if st != http.StatusOK || !strings.Contains(body, "dmarc=pass") {
		t.Fatalf("run page (%d) shows no Authentication-Results verdict", st)
	}
	m := regexp.MustCompile(`href="(/run/[^/]+/eml/msg/\d+)"`).FindAllStringSubmatch(body, -1)
	if len(m) < 10 {
		t.Fatalf("only %d archived messages linked", len(m))
	}
	st, eml := get(t, hc, c.URL+m[len(m)-1][1])
	if st != http.StatusOK || !strings.Contains(eml, "Message-ID:") || !strings.Contains(eml, "\r\n\r\n") {
		t.Fatalf(".eml view: %d\n%.300s", st, eml)
	}
	for _, l := range []string{"laporan.pdf", "bundle.zip"} {
		if !strings.Contains(body, `/run/`+c.Run+`/`+l) {
			t.Errorf("the run page has no %s button", l)
		}
	}
	st, pdf := get(t, hc, c.URL+"/run/"+c.Run+"/laporan.pdf")
	if st != http.StatusOK || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("laporan.pdf: %d %.20q", st, pdf)
	}
	st, zip := get(t, hc, c.URL+"/run/"+c.Run+"/bundle.zip")
	if st != http.StatusOK {
		t.Fatalf("bundle.zip: %d", st)
	}
	man, err := bundle.Verify(bytes.NewReader([]byte(zip)), int64(len(zip)))
	if err != nil || man.RunID != c.Run {
		t.Fatalf("the bundle does not verify: %v", err)
	}
	if st, _ := get(t, client(t), c.URL+"/run/"+c.Run+"/bundle.zip"); st != http.StatusSeeOther {
		t.Fatalf("bundle without a login: %d", st)
	}
}

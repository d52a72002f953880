package web_test

import (
	"net/http"
	"testing"
)

// BenchmarkRunPage: the demo's finished run page (timeline, 60+ mails,
// history) rendered over HTTP with a session.
func BenchmarkRunPage(b *testing.B) {
	t := &testing.T{}
	c := startConsole(t, true)
	hc := client(t)
	login(t, hc, c.URL, testAccount, testPassword)
	b.ResetTimer()
	for b.Loop() {
		if st, _ := get(t, hc, c.URL+"/run/"+c.Run); st != http.StatusOK {
			b.Fatalf("status %d", st)
		}
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
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

// BenchmarkOffices: Daftar Kantor of a regency's deployment (40 OPD, two
// open runs each) for an account granted all of them, over HTTP.
func BenchmarkOffices(b *testing.B) {
	ids := make([]string, 40)
	for i := range ids {
		ids[i] = fmt.Sprintf("opd%02d", i+1)
	}
	dep := startDeployment(b, ids, map[string][]string{"kominfo": {"*"}}, "", false)
	for _, a := range dep.Offices {
		for range 2 {
			if _, err := a.Engine.Start(context.Background(), "lakip", "LAKIP", "uji", "", nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	hc := client(b)
	login(b, hc, dep.URL, "kominfo", testPassword)
	b.ResetTimer()
	for b.Loop() {
		st, body := get(b, hc, dep.URL+"/")
		if st != http.StatusOK || strings.Count(body, "data-office=") != len(ids) {
			b.Fatalf("status %d", st)
		}
	}
}

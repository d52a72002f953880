package mailin

import (
	"reflect"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// headerCorpus are header blocks as pass 1 may fetch them, odd ones too.
var headerCorpus = []string{
	"Message-ID: <a.1@example.org>\r\nSubject: hello\r\nFrom: a@example.org\r\n\r\n",
	"Message-Id: <a@b>\r\nIn-Reply-To: <x@y>\r\nReferences: <r1@h> <r2@h>\r\n\t<r3@h>\r\n\r\n",
	"message-id:   <a@b>  \r\nSUBJECT: =?utf-8?q?caf=C3=A9?=\r\nAuto-Submitted: auto-replied \r\nContent-Type: multipart/report;\r\n report-type=delivery-status\r\n\r\n",
	"Subject: =?bogus?q?x?=\r\nReferences:\r\nIn-Reply-To: not an id\r\n\r\n",
	"Message-ID: <a@b> (comment)\r\nIn-Reply-To: (c) <x@y>\r\n\r\n",
	"Message-ID: a@b\r\nReferences: <r1@h> junk\r\n\r\n",
	"Message-ID: <a b@c>\r\n\r\n",
	"Message-ID: <a@[1.2.3.4]>\r\nSubject: x\r\n\r\n",
	"Message-ID: <ü@b>\r\nSubject: Grüße\r\n\r\n",
	"Subject: one\r\nSubject: two\r\nMessage-ID: <1@a>\r\nMessage-ID: <2@a>\r\n\r\n",
	" leading: space\r\nSubject: x\r\n\r\n",
	"Subject: x\r\nno colon here\r\nMessage-ID: <late@a>\r\n\r\n",
	"Subject: x\r\nBad Key: y\r\nMessage-ID: <late@a>\r\n\r\n",
	": empty key\r\nSubject: y\r\n\r\n",
	"Subject: a\nMessage-ID: <lf@only>\n\n",
	"Subject: cr at end\r",
	"Subject: no end",
	"Subject: x\r\r\nMessage-ID: <a@b>\r\n",
	"Subject: folded\r\n   \r\n\tmore  \r\nX-Mailflow: tok\r\n\r\n",
	"Subject: \r\n\r\n",
	"References: <a@b><c@d>\r\nIn-Reply-To: <@b>\r\n\r\n",
	"In-Reply-To: <a@>\r\nReferences: <a@b@c>\r\n\r\n",
	"",
	"\r\n",
	"Message-ID: <a..b.@c.>\r\nReferences: <a@b> (x)\r\n\r\n",
}

var envCorpus = []*imap.Envelope{
	nil,
	{MessageID: "env@id", Subject: "env subject", From: []imap.Address{{Mailbox: "f", Host: "example.org"}},
		To: []imap.Address{{Mailbox: "t", Host: "example.org"}, {Mailbox: "group"}}, Cc: []imap.Address{{Mailbox: "c", Host: "example.org"}}},
	{From: []imap.Address{{Mailbox: "f", Host: "example.org"}}},
	{MessageID: "<env@id>", From: []imap.Address{{Mailbox: "group"}}},
}

func TestParseHeaderFastSlow(t *testing.T) {
	fast := 0
	for _, raw := range headerCorpus {
		for _, env := range envCorpus {
			if checkParseHeader(t, raw, env) {
				fast++
			}
		}
	}
	if fast < len(headerCorpus) { // the plain blocks must take the fast path
		t.Errorf("fast path taken %d times", fast)
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, raw := range headerCorpus {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, env := range envCorpus {
			checkParseHeader(t, raw, env)
		}
	})
}

// checkParseHeader compares the fast path with go-message's reading, and
// Get with mail.Header's.
func checkParseHeader(t *testing.T, raw string, env *imap.Envelope) bool {
	t.Helper()
	want := Header{UID: 7, Envelope: env, raw: raw}
	mh := parseFields(raw)
	parseHeaderSlow(&want, mh)
	got := Header{UID: 7, Envelope: env, raw: raw}
	ok := parseHeaderFast(&got)
	if ok && !reflect.DeepEqual(got, want) {
		t.Errorf("header %q, envelope %+v:\nfast %+v\nslow %+v", raw, env, got, want)
	}
	keys := []string{"Subject", "message-id", "MESSAGE-ID", "References", "X-Mailflow", "Bad Key", "Missing", ""}
	for fs := mh.Fields(); fs.Next(); {
		keys = append(keys, fs.Key())
	}
	for _, k := range keys {
		if g, w := got.Get(k), mh.Get(k); g != w && !strings.ContainsAny(k, " ") {
			t.Errorf("header %q: Get(%q) = %q, mail.Header says %q", raw, k, g, w)
		}
	}
	if raw != "" && !reflect.DeepEqual(got.Fields(), mh) {
		t.Errorf("header %q: Fields differ", raw)
	}
	viaRaw := Header{Raw: mh}
	if g, w := viaRaw.Get("Subject"), mh.Get("Subject"); g != w {
		t.Errorf("Get through Raw = %q, want %q", g, w)
	}
	return ok
}

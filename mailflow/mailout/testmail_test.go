package mailout_test

import (
	"net"
	"strconv"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/testmail"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

func hostPort(t *testing.T, addr string) (string, int) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return h, n
}

// TestThroughMailServer submits an assignment and the invitation through
// the shared test mail servers (the embedded one, or Postfix and Dovecot
// with MAILFLOW_TEST_REAL=1), authenticated, and finds them in the
// recipient's INBOX with their MIME structure intact, plus a copy in the
// office's Sent folder.
func TestThroughMailServer(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		tm := testmail.Start(t)
		office, rcpt := tm.NewAccount(t, "sekretariat"), tm.NewAccount(t, "sekretaris")
		e := newEnv(t)
		opt := e.options()
		host, port := hostPort(t, tm.SMTPAddr)
		opt.SMTP = config.SMTP{Server: config.Server{Host: host, Port: port, TLS: "none", Username: office.Address,
			Password: config.Secret(office.Password)}}
		ihost, iport := hostPort(t, tm.IMAPAddr)
		opt.SMTP.SentFolder = "Sent"
		opt.SentIMAP = &config.IMAP{Server: config.Server{Host: ihost, Port: iport, TLS: "none", Username: office.Address,
			Password: config.Secret(office.Password)}}
		opt.Office.Mailbox = office.Address
		var ms []*flow.Mail
		for _, tpl := range []string{flow.TplApproval, flow.TplInvitation} {
			m := *sample(t, tpl)
			m.To = []flow.Recipient{{Email: rcpt.Address, Name: m.To[0].Name}}
			for _, a := range m.Attachments {
				if !e.blobs.Has(a.SHA256) {
					e.putBlob(a)
				}
			}
			ms = append(ms, &m)
		}
		e.enqueue(ms...)
		w := e.worker(opt)
		e.drain(w)
		for _, r := range e.outbox() {
			if r.Status != store.OutSent {
				t.Fatalf("%s: %s %s", r.Template, r.Status, r.LastError)
			}
		}
		got := tm.WaitMessages(t, rcpt, "INBOX", 2)
		trees := map[string]string{}
		for _, g := range got {
			_, root := parseMsg(t, g.Raw)
			trees[msgID(t, g.Raw)] = root.tree()
		}
		if want := "multipart/mixed[multipart/alternative[text/plain,text/html],application/pdf]"; trees[ms[0].MessageID] != want {
			t.Errorf("approval: %s", trees[ms[0].MessageID])
		}
		// The draft, the Undangan letter and the invite.ics copy.
		if want := "multipart/mixed[multipart/alternative[text/plain,text/html,text/calendar],application/pdf,application/pdf,application/ics]"; trees[ms[1].MessageID] != want {
			t.Errorf("invitation: %s", trees[ms[1].MessageID])
		}
		if !tm.Real {
			if sent := tm.WaitMessages(t, office, "Sent", 2); len(sent) != 2 {
				t.Errorf("Sent holds %d", len(sent))
			}
		}
	})
}

package doctor

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// clock compares this machine's clock with the IMAP server's: the
// INTERNALDATE a server gives an APPENDed message is its own time of
// arrival (RFC 3501 §6.3.11). The probe lives in a folder of its own,
// deleted at once, so that nothing touches the office's mail.
func (d *doctor) clock(c *imapclient.Client) {
	const name = "clock"
	var b [6]byte
	rand.Read(b[:])
	box := "mailflow-doctor-" + hex.EncodeToString(b[:])
	if err := c.Create(box, nil).Wait(); err != nil {
		d.warn(name, fmt.Sprintf("could not create a probe folder %q: %v", box, err), "compare by hand: date -u here and on the server; enable time sync (timedatectl set-ntp true)")
		return
	}
	defer func() { c.Delete(box).Wait() }()
	msg := []byte("From: mailflow doctor <doctor@localhost>\r\nSubject: mailflow doctor clock probe\r\n\r\nclock probe\r\n")
	before := d.opt.Now()
	cmd := c.Append(box, int64(len(msg)), nil)
	cmd.Write(msg)
	cmd.Close()
	_, err := cmd.Wait()
	after := d.opt.Now()
	if err != nil {
		d.warn(name, "APPEND of the probe failed: "+err.Error(), "compare by hand: date -u here and on the server")
		return
	}
	if _, err := c.Select(box, nil).Wait(); err != nil {
		d.warn(name, "SELECT of the probe folder failed: "+err.Error(), "compare by hand: date -u here and on the server")
		return
	}
	msgs, err := c.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{InternalDate: true}).Collect()
	c.Select(d.opt.IMAP.Mailbox, nil).Wait() // leave the probe folder before deleting it
	if err != nil || len(msgs) != 1 {
		d.warn(name, fmt.Sprintf("FETCH INTERNALDATE failed: %v", err), "compare by hand: date -u here and on the server")
		return
	}
	server := msgs[0].InternalDate
	// INTERNALDATE has whole seconds: allow the round trip and a second.
	slack := after.Sub(before) + time.Second
	var skew time.Duration
	switch {
	case server.Before(before.Add(-slack)):
		skew = server.Sub(before)
	case server.After(after.Add(slack)):
		skew = server.Sub(after)
	}
	detail := fmt.Sprintf("server %s, here %s", server.UTC().Format(time.TimeOnly), before.UTC().Format(time.TimeOnly))
	fix := "turn on time sync on this machine (timedatectl set-ntp true; or chrony); if this machine is right, tell the mail server's admin"
	switch abs := max(skew, -skew); {
	case abs > 2*time.Minute:
		d.fail(name, fmt.Sprintf("this machine's clock is %s off the mail server's (%s)", abs.Round(time.Second), detail), fix+"; deadlines, reminders and TLS checks depend on it")
	case abs > 30*time.Second:
		d.warn(name, fmt.Sprintf("this machine's clock is %s off the mail server's (%s)", abs.Round(time.Second), detail), fix)
	default:
		d.ok(name, "within a second or two of the mail server's ("+detail+")")
	}
}

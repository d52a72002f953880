package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/mailserver"
)

// writeMailboxes saves every account's INBOX and Sent as .eml files under
// dir/<address>/<mailbox>/, read back over IMAP like any client would.
func writeMailboxes(srv *mailserver.Server, accounts []mailserver.Account, dir string) error {
	for _, acc := range accounts {
		c, err := imapclient.DialInsecure(srv.IMAPAddr(), nil)
		if err != nil {
			return fmt.Errorf("write mailboxes: %w", err)
		}
		if err := c.Login(acc.Address, acc.Password).Wait(); err != nil {
			c.Close()
			return fmt.Errorf("write mailboxes: login %s: %w", acc.Address, err)
		}
		for _, mbox := range []string{mailserver.Inbox, mailserver.Sent} {
			sel, err := c.Select(mbox, &imap.SelectOptions{ReadOnly: true}).Wait()
			if err != nil || sel.NumMessages == 0 {
				continue
			}
			bs := &imap.FetchItemBodySection{Peek: true}
			msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{bs}}).Collect()
			if err != nil {
				c.Close()
				return fmt.Errorf("write mailboxes: fetch %s %s: %w", acc.Address, mbox, err)
			}
			out := filepath.Join(dir, acc.Address, strings.ToLower(mbox))
			if err := os.MkdirAll(out, 0o755); err != nil {
				c.Close()
				return err
			}
			for _, m := range msgs {
				name := filepath.Join(out, fmt.Sprintf("%04d.eml", m.UID))
				if err := os.WriteFile(name, m.FindBodySection(bs), 0o644); err != nil {
					c.Close()
					return err
				}
			}
		}
		c.Close()
	}
	return nil
}

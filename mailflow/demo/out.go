package demo

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/bundle"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/report"
	"github.com/bangkatengah/mailflow/mailflow/store"
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

// WriteEvidence writes the run's Formulir Monitoring (laporan.pdf) and its
// evidence bundle (bundle.zip) into dir, from the store the demo left in
// dataDir, and checks the bundle as "mailflow verify" would.
func WriteEvidence(cfg *config.Config, dataDir, runID, dir string) error {
	st, err := store.Open(filepath.Join(dataDir, "mailflow.db"), store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	blobs, err := blob.Open(filepath.Join(dataDir, "attachments"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	src := report.FromConfig(cfg, st)
	var pdf, zb bytes.Buffer
	if err := report.Form(context.Background(), &pdf, src, runID); err != nil {
		return fmt.Errorf("laporan.pdf: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "laporan.pdf"), pdf.Bytes(), 0o644); err != nil {
		return err
	}
	if _, err := bundle.Export(context.Background(), &zb, src, blobs, runID); err != nil {
		return fmt.Errorf("bundle.zip: %w", err)
	}
	if _, err := bundle.Verify(bytes.NewReader(zb.Bytes()), int64(zb.Len())); err != nil {
		return fmt.Errorf("bundle.zip does not verify: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "bundle.zip"), zb.Bytes(), 0o644)
}

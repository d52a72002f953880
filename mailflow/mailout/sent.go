package mailout

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/wneessen/go-mail"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// SentFolder keeps a copy of what we sent in the office mailbox's Sent
// folder, as a mail client would.
type SentFolder struct {
	IMAP   config.IMAP
	Folder string
}

// Append stores msg, marked \Seen. The message goes through a temporary
// file: APPEND needs its size first, and a large attachment should not sit
// in memory.
func (s *SentFolder) Append(ctx context.Context, msg *mail.Msg, at time.Time) error {
	f, err := os.CreateTemp("", "mailflow-sent-*.eml")
	if err != nil {
		return fmt.Errorf("temp file for the Sent copy: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	size, err := msg.WriteTo(f)
	if err != nil {
		return fmt.Errorf("write the Sent copy: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	c, err := s.dial()
	if err != nil {
		return fmt.Errorf("connect to imap %s: %w", s.IMAP.Addr(), err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := imapLogin(c, s.IMAP.Server); err != nil {
		return fmt.Errorf("imap login as %s: %w (check [mail.imap] username and password)", s.IMAP.Username, err)
	}
	cmd := c.Append(s.Folder, size, &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}, Time: at})
	if _, err := io.Copy(cmd, f); err != nil {
		cmd.Close()
		return fmt.Errorf("append to %s: %w", s.Folder, err)
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("append to %s: %w", s.Folder, err)
	}
	if _, err := cmd.Wait(); err != nil {
		return fmt.Errorf("append to %s: %w (does the folder exist? set [mail.smtp] sent_folder)", s.Folder, err)
	}
	return c.Logout().Wait()
}

func (s *SentFolder) dial() (*imapclient.Client, error) {
	switch s.IMAP.TLS {
	case "implicit":
		return imapclient.DialTLS(s.IMAP.Addr(), nil)
	case "starttls":
		return imapclient.DialStartTLS(s.IMAP.Addr(), nil)
	}
	if !IsLoopback(s.IMAP.Host) {
		return nil, fmt.Errorf("plain IMAP is allowed only to a loopback host, not %s", s.IMAP.Host)
	}
	return imapclient.DialInsecure(s.IMAP.Addr(), nil)
}

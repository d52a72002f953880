package mailserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// disk keeps every mailbox under a directory, so that mail survives a
// restart with the same UIDVALIDITY and UIDs (RFC 3501 §2.3.1.1): a mail
// client, and mailflow's own cursor, go on where they were.
//
//	<dir>/<address>/<mailbox>/index.json   UIDVALIDITY, UIDNEXT, each UID's flags and date
//	<dir>/<address>/<mailbox>/<uid>.eml    the message, as received
//
// Names are URL path-escaped. Files are written to a temporary name and
// renamed, and a message is on disk before its delivery is acknowledged,
// so a crash at any point leaves the previous or the next state. The
// in-memory imapmemserver stays the live copy; after each change the
// mailbox's index is read back from it and rewritten.
type disk struct {
	dir string
	mu  sync.Mutex // one change (and its write) at a time
}

type diskIndex struct {
	UIDValidity uint32     `json:"uidvalidity"`
	UIDNext     uint32     `json:"uidnext"`
	Messages    []diskMeta `json:"messages"`
}

type diskMeta struct {
	UID   imap.UID    `json:"uid"`
	Date  time.Time   `json:"date"`
	Flags []imap.Flag `json:"flags,omitempty"`
}

func (d *disk) boxDir(user, mailbox string) string {
	return filepath.Join(d.dir, url.PathEscape(strings.ToLower(user)), url.PathEscape(mailbox))
}

func msgFile(dir string, uid imap.UID) string {
	return filepath.Join(dir, strconv.FormatUint(uint64(uid), 10)+".eml")
}

// writeFile writes atomically: a crash leaves the old file or the new one.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readIndex(dir string) (diskIndex, error) {
	var ix diskIndex
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return ix, err
	}
	if err := json.Unmarshal(b, &ix); err != nil {
		return ix, fmt.Errorf("%s: %w", filepath.Join(dir, "index.json"), err)
	}
	return ix, nil
}

// saveMessage stores one message's bytes; the index follows in sync.
func (d *disk) saveMessage(user, mailbox string, uid imap.UID, data []byte) error {
	return writeFile(msgFile(d.boxDir(user, mailbox), uid), data)
}

// sync rewrites the index of one mailbox from the live copy: which UIDs
// exist and their flags (read with SEARCH, since imapmemserver keeps its
// messages private). dates gives the date of new UIDs that are not yet in
// the index; files of expunged UIDs are removed.
func (d *disk) sync(u *imapmemserver.User, user, mailbox string, dates map[imap.UID]time.Time) error {
	sess := imapmemserver.NewUserSession(u)
	sel, err := sess.Select(mailbox, nil)
	if err != nil {
		return fmt.Errorf("sync %s of %s: %w", mailbox, user, err)
	}
	defer sess.Close()
	search := func(c *imap.SearchCriteria) ([]imap.UID, error) {
		res, err := sess.Search(imapserver.NumKindUID, c, &imap.SearchOptions{})
		if err != nil {
			return nil, err
		}
		return res.AllUIDs(), nil
	}
	uids, err := search(&imap.SearchCriteria{})
	if err != nil {
		return err
	}
	flags := map[imap.UID][]imap.Flag{}
	for _, f := range sel.Flags {
		with, err := search(&imap.SearchCriteria{Flag: []imap.Flag{f}})
		if err != nil {
			return err
		}
		for _, uid := range with {
			flags[uid] = append(flags[uid], f)
		}
	}
	dir := d.boxDir(user, mailbox)
	old := map[imap.UID]time.Time{}
	if ix, err := readIndex(dir); err == nil {
		for _, m := range ix.Messages {
			old[m.UID] = m.Date
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	ix := diskIndex{UIDValidity: sel.UIDValidity, UIDNext: uint32(sel.UIDNext)}
	keep := map[imap.UID]bool{}
	for _, uid := range uids {
		date, ok := dates[uid]
		if !ok {
			date = old[uid]
		}
		ix.Messages = append(ix.Messages, diskMeta{UID: uid, Date: date, Flags: flags[uid]})
		keep[uid] = true
	}
	b, err := json.Marshal(ix)
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "index.json"), b); err != nil {
		return fmt.Errorf("sync %s of %s: %w", mailbox, user, err)
	}
	for uid := range old {
		if !keep[uid] {
			os.Remove(msgFile(dir, uid))
		}
	}
	return nil
}

// remove forgets a deleted mailbox.
func (d *disk) remove(user, mailbox string) error {
	return os.RemoveAll(d.boxDir(user, mailbox))
}

// rename moves a mailbox, and those below it in the hierarchy.
func (d *disk) rename(user, from, to string) error {
	base := filepath.Join(d.dir, url.PathEscape(strings.ToLower(user)))
	ents, err := os.ReadDir(base)
	if err != nil {
		return err
	}
	for _, e := range ents {
		name, err := url.PathUnescape(e.Name())
		if err != nil {
			continue
		}
		if name == from || strings.HasPrefix(name, from+"/") {
			if err := os.Rename(filepath.Join(base, e.Name()), d.boxDir(user, to+name[len(from):])); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyMessages copies the files of src UIDs to dst UIDs (COPY, MOVE) and
// returns the dates of the new UIDs for sync.
func (d *disk) copyMessages(user, from, to string, src, dst []imap.UID) (map[imap.UID]time.Time, error) {
	dates := map[imap.UID]time.Time{}
	ix, _ := readIndex(d.boxDir(user, from))
	byUID := map[imap.UID]time.Time{}
	for _, m := range ix.Messages {
		byUID[m.UID] = m.Date
	}
	for i := range min(len(src), len(dst)) {
		b, err := os.ReadFile(msgFile(d.boxDir(user, from), src[i]))
		if err != nil {
			return nil, err
		}
		if err := d.saveMessage(user, to, dst[i], b); err != nil {
			return nil, err
		}
		dates[dst[i]] = byUID[src[i]]
	}
	return dates, nil
}

// placeholder fills a UID that was expunged before the restart: appended
// with \Deleted and expunged at once, so the next UID is the right one.
var placeholder = []byte("Subject: expunged\r\n\r\n")

// restore rebuilds an account's mailboxes from disk into u: in order of
// UIDVALIDITY, each mailbox gets its old UIDVALIDITY (imapmemserver gives
// each new mailbox its counter plus one), its messages their old UIDs, and
// UIDNEXT its old value. It returns the mailboxes restored.
func (d *disk) restore(u *imapmemserver.User, user string) ([]string, error) {
	base := filepath.Join(d.dir, url.PathEscape(strings.ToLower(user)))
	ents, err := os.ReadDir(base)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	type box struct {
		name string
		ix   diskIndex
	}
	var boxes []box
	for _, e := range ents {
		name, err := url.PathUnescape(e.Name())
		if err != nil || !e.IsDir() {
			continue
		}
		ix, err := readIndex(filepath.Join(base, e.Name()))
		if errors.Is(err, os.ErrNotExist) {
			continue // created, never written: nothing to keep
		}
		if err != nil {
			return nil, err
		}
		boxes = append(boxes, box{name, ix})
	}
	sort.Slice(boxes, func(i, j int) bool { return boxes[i].ix.UIDValidity < boxes[j].ix.UIDValidity })
	var names []string
	var counter uint32
	for _, b := range boxes {
		if b.ix.UIDValidity <= counter {
			return nil, fmt.Errorf("restore %s of %s: UIDVALIDITY %d is not above %d", b.name, user, b.ix.UIDValidity, counter)
		}
		if err := skipUIDValidity(u, b.ix.UIDValidity-1-counter); err != nil {
			return nil, err
		}
		if err := u.Create(b.name, nil); err != nil {
			return nil, fmt.Errorf("restore %s of %s: %w", b.name, user, err)
		}
		counter = b.ix.UIDValidity
		u.Subscribe(b.name)
		if err := d.refill(u, user, b.name, b.ix); err != nil {
			return nil, err
		}
		names = append(names, b.name)
	}
	return names, nil
}

// refill appends a restored mailbox's messages with their UIDs.
func (d *disk) refill(u *imapmemserver.User, user, name string, ix diskIndex) error {
	dir := d.boxDir(user, name)
	var gaps imap.UIDSet
	next := imap.UID(1)
	fill := func(upTo imap.UID) error {
		for ; next < upTo; next++ {
			if _, err := u.Append(name, bytes.NewReader(placeholder), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagDeleted}}); err != nil {
				return err
			}
			gaps.AddNum(next)
		}
		return nil
	}
	sort.Slice(ix.Messages, func(i, j int) bool { return ix.Messages[i].UID < ix.Messages[j].UID })
	for _, m := range ix.Messages {
		if err := fill(m.UID); err != nil {
			return err
		}
		data, err := os.ReadFile(msgFile(dir, m.UID))
		if err != nil {
			return fmt.Errorf("restore %s of %s: %w", name, user, err)
		}
		res, err := u.Append(name, bytes.NewReader(data), &imap.AppendOptions{Flags: m.Flags, Time: m.Date})
		if err != nil {
			return err
		}
		if res.UID != m.UID || res.UIDValidity != ix.UIDValidity {
			return fmt.Errorf("restore %s of %s: got UID %d/%d, want %d/%d", name, user, res.UIDValidity, res.UID, ix.UIDValidity, m.UID)
		}
		next = m.UID + 1
	}
	if err := fill(imap.UID(ix.UIDNext)); err != nil {
		return err
	}
	if len(gaps) == 0 {
		return nil
	}
	sess := imapmemserver.NewUserSession(u)
	defer sess.Close()
	if _, err := sess.Select(name, nil); err != nil {
		return err
	}
	return sess.Expunge(nil, &gaps)
}

package mailserver

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/emersion/go-smtp"
)

// Faults makes the server fail on demand, for tests of the clients. Each
// fault is armed for the next n occurrences and then disarms itself. The
// zero value injects nothing. Safe for concurrent use.
type Faults struct {
	mu       sync.Mutex
	smtp     []smtpFault
	imapDrop []imapDrop
	counts   FaultCounts
}

// SMTPStage is where an SMTP fault strikes.
type SMTPStage int

const (
	// AtData answers the end of DATA (after the message was read); the
	// message is not delivered. This is the default.
	AtData SMTPStage = iota
	// AtMail answers MAIL FROM.
	AtMail
	// AtRcpt answers RCPT TO.
	AtRcpt
)

func (st SMTPStage) String() string {
	switch st {
	case AtMail:
		return "MAIL"
	case AtRcpt:
		return "RCPT"
	default:
		return "DATA"
	}
}

type smtpFault struct {
	stage   SMTPStage
	code    int  // 0 with drop
	dropMid bool // drop the connection in the middle of DATA
	left    int
}

type imapDrop struct {
	match []byte
	left  int
}

// FaultCounts says how many faults have struck so far.
type FaultCounts struct {
	SMTPReplies int
	SMTPDrops   int
	IMAPDrops   int
}

// FailSMTP makes the next n SMTP transactions fail with code at DATA: 421
// (and the connection is then closed, as RFC 5321 §3.8 says), 451, 452, 550,
// 554 or any other 4xx/5xx.
func (f *Faults) FailSMTP(code, n int) { f.FailSMTPAt(AtData, code, n) }

// FailSMTPAt is FailSMTP at another stage of the transaction.
func (f *Faults) FailSMTPAt(stage SMTPStage, code, n int) {
	if code < 400 || code > 599 {
		panic(fmt.Sprintf("mailserver: FailSMTP code %d is not a 4xx or 5xx", code))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.smtp = append(f.smtp, smtpFault{stage: stage, code: code, left: n})
}

// DropSMTPMidData makes the next n transactions lose their connection in
// the middle of DATA: the server reads part of the message, then closes the
// socket without a reply. Nothing is delivered.
func (f *Faults) DropSMTPMidData(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.smtp = append(f.smtp, smtpFault{stage: AtData, dropMid: true, left: n})
}

// DropIMAPOn closes the next n IMAP connections whose server output contains
// match (case-sensitive, within one write), after writing only the first half
// of the match. For example "FETCH (" drops mid-FETCH, "+ idling" drops
// right after IDLE starts, "* 1 EXISTS" drops while telling of new mail.
func (f *Faults) DropIMAPOn(match string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.imapDrop = append(f.imapDrop, imapDrop{match: []byte(match), left: n})
}

// Reset disarms every fault; the counts are kept.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.smtp, f.imapDrop = nil, nil
}

// Counts says how many faults struck so far.
func (f *Faults) Counts() FaultCounts {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts
}

// takeSMTP consumes the first armed SMTP fault for stage, if any.
func (f *Faults) takeSMTP(stage SMTPStage) (smtpFault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.smtp {
		ft := &f.smtp[i]
		if ft.stage != stage || ft.left <= 0 {
			continue
		}
		ft.left--
		got := *ft
		if ft.left == 0 {
			f.smtp = append(f.smtp[:i], f.smtp[i+1:]...)
		}
		if got.dropMid {
			f.counts.SMTPDrops++
		} else {
			f.counts.SMTPReplies++
		}
		return got, true
	}
	return smtpFault{}, false
}

// imapWrite is the IMAP listener's write hook.
func (f *Faults) imapWrite(p []byte) (keep int, drop bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.imapDrop {
		d := &f.imapDrop[i]
		idx := bytes.Index(p, d.match)
		if idx < 0 {
			continue
		}
		d.left--
		if d.left <= 0 {
			f.imapDrop = append(f.imapDrop[:i], f.imapDrop[i+1:]...)
		}
		f.counts.IMAPDrops++
		return idx + len(d.match)/2, true
	}
	return 0, false
}

func smtpFaultError(code int) *smtp.SMTPError {
	enh := smtp.EnhancedCode{code / 100, 0, 0}
	text := "injected failure"
	switch code {
	case 421:
		enh, text = smtp.EnhancedCode{4, 3, 2}, "service not available, closing channel (injected)"
	case 451:
		enh, text = smtp.EnhancedCode{4, 3, 0}, "local error in processing, try again later (injected)"
	case 452:
		enh, text = smtp.EnhancedCode{4, 3, 1}, "insufficient storage (injected)"
	case 550:
		enh, text = smtp.EnhancedCode{5, 1, 1}, "mailbox unavailable (injected)"
	case 554:
		enh, text = smtp.EnhancedCode{5, 7, 1}, "transaction failed (injected)"
	}
	return &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: text}
}

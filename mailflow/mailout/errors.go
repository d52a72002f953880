package mailout

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"regexp"
	"syscall"
)

// Error is a failed SMTP submission, classified at the boundary: 4xx,
// timeouts and lost connections are transient (retry later), 5xx replies
// to our transaction are permanent (maddy and mox do the same).
type Error struct {
	Permanent bool
	Code      int    // the SMTP reply code; 0 when the server never answered
	Enhanced  string // RFC 3463 status, e.g. "5.1.1", when given
	Stage     string // "connect", "MAIL", "RCPT", "DATA"
	Recipient string // for RCPT failures
	Msg       string // the server's text
	Err       error
}

func (e *Error) Error() string {
	s := "smtp " + e.Stage
	if e.Recipient != "" {
		s += " " + e.Recipient
	}
	if e.Code != 0 {
		s += fmt.Sprintf(": %d %s", e.Code, e.Msg)
	} else if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Permanent {
		return s + " (permanent)"
	}
	return s + " (temporary; will retry)"
}

func (e *Error) Unwrap() error { return e.Err }

// Reason is the short text stored in the outbox and shown in alerts.
func (e *Error) Reason() string {
	if e.Code != 0 {
		return fmt.Sprintf("%d %s", e.Code, e.Msg)
	}
	return e.Error()
}

var enhancedRe = regexp.MustCompile(`^([245]\.\d{1,3}\.\d{1,3})\s*`)

// classify wraps err from stage: a server reply keeps its code (5xx
// permanent, except while connecting: a refused login or certificate is a
// configuration problem of ours, not a reason to drop the mail); every
// other error (network, timeout, EOF) is transient.
func classify(stage, rcpt string, err error) *Error {
	if err == nil {
		return nil
	}
	var me *Error
	if errors.As(err, &me) {
		return me
	}
	e := &Error{Stage: stage, Recipient: rcpt, Err: err}
	var te *textproto.Error
	if errors.As(err, &te) {
		e.Code, e.Msg = te.Code, te.Msg
		if m := enhancedRe.FindStringSubmatch(te.Msg); m != nil {
			e.Enhanced, e.Msg = m[1], te.Msg[len(m[0]):]
			e.Msg = m[1] + " " + e.Msg
		}
		e.Permanent = te.Code >= 500 && stage != "connect"
		return e
	}
	if untrusted(err) {
		e.Msg = "certificate not trusted: fix the server certificate or [mail.smtp] host; will retry"
		return e
	}
	return e // EOF, resets, timeouts, refused connections: transient
}

func untrusted(err error) bool {
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	return errors.As(err, &ue) || errors.As(err, &he) || errors.As(err, &ce)
}

// IsPermanent reports whether err says trying again cannot help.
func IsPermanent(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Permanent
	}
	return errors.Is(err, ErrCompose)
}

// Unreachable reports whether err says the submission server could not be
// reached or would not take mail at all right now (RFC 5321 §3.8 421
// "service not available", 454 "temporary authentication failure", a
// refused or timed-out connection), as opposed to a problem with one
// mail. Such a failure holds every mail back until the server answers.
func Unreachable(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Permanent || untrusted(err) {
		return false // a certificate to fix is no outage to wait out
	}
	switch {
	case e.Code == 421 || e.Code == 454:
		return true
	case e.Stage == "connect" && e.Code == 0:
		// Refused, reset, timed out, no route, DNS: the network. Not a
		// configuration problem (no AUTH mechanism, a revoked OAuth2
		// sign-in), which waiting out does not fix and probes would repeat.
		var ne net.Error
		return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
			errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
	}
	return false
}

// ServerDown reports whether err is an Unreachable failure while
// connecting (dial, greeting, EHLO, STARTTLS, AUTH): one that a new
// connection alone shows to be over, so a probe may stand in for a mail.
// A 421 in the middle of a transaction is not: only a sent mail proves
// that it has passed.
func ServerDown(err error) bool {
	var e *Error
	return Unreachable(err) && errors.As(err, &e) && e.Stage == "connect"
}

package config

import "strconv"

// DefaultSMTPConns is [mail.smtp] connections when not set: a fan-out
// (step 4's six assignments) goes three at a time.
const DefaultSMTPConns = 3

// maxSMTPConns bounds [mail.smtp] connections: providers limit concurrent
// submissions per account, and a fan-out is a handful of mails.
const maxSMTPConns = 10

// smtpConns checks [mail.smtp] connections: how many mails go to the
// submission server at once, each over its own kept connection. 1 sends
// one after the other (a server that allows one connection per account).
func (v *validator) smtpConns(n int) int {
	switch {
	case n == 0:
		return DefaultSMTPConns
	case n < 1 || n > maxSMTPConns:
		v.errf("mail.smtp.connections", strconv.Itoa(n), "must be between 1 and 10",
			"1 sends one mail after the other; the default 3 lets a fan-out go side by side")
		return DefaultSMTPConns
	}
	return n
}

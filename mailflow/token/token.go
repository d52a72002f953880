// Package token makes and reads the correlation token that ties a mail to a
// run, a step and the round of that step: it rides in our Message-IDs, in
// the plus-address and in a reference line in the body, so that a reply can
// be traced back whichever of them the official's client kept.
package token

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Len is the length of a token in characters: 20 base32 characters carry
// 100 random bits (the reply issue asks for at least 80).
const Len = 20

var enc = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// New returns a fresh random token. rand.Read never fails on supported
// platforms (Go 1.24+ crashes the program instead), so there is no error.
func New() string {
	var b [13]byte // 104 bits, cut to 100 by Len
	rand.Read(b[:])
	return enc.EncodeToString(b[:])[:Len]
}

// Valid reports whether s has the shape of a token.
func Valid(s string) bool {
	if len(s) != Len {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// Ref identifies a run and, optionally, one of its steps (Step 0 = the run)
// and the round of that step the mail belongs to: a step entered again
// after a rejection is round 2, and a reply to round 1's mail must not act
// on it. Round 0 means unknown (mail sent before rounds were carried, or a
// carrier that names no round, like the thread root).
type Ref struct {
	Token string
	Step  int
	Round int
}

// stepPart is "<step>" or, with a round, "<step>r<round>": the one suffix
// every carrier shares. The letter keeps it unambiguous with the old forms
// (a plain number ends where the letter starts) and costs two characters.
func stepPart(ref Ref) string {
	if ref.Round > 0 {
		return fmt.Sprintf("%dr%d", ref.Step, ref.Round)
	}
	return strconv.Itoa(ref.Step)
}

// stepRe matches stepPart; it is appended to each carrier's pattern.
// Patterns spell both cases of ASCII letters instead of (?i), which would
// also let Unicode letters that fold to them (U+017F ſ, U+212A K) stand
// for token characters.
const stepRe = `(\d{1,4})(?:[rR](\d{1,4}))?`

const tokRe = `([a-zA-Z2-7]{20})`

func fromMatch(m []string) Ref {
	step, _ := strconv.Atoi(m[2])
	round := 0
	if m[3] != "" {
		round, _ = strconv.Atoi(m[3])
	}
	return Ref{Token: strings.ToLower(m[1]), Step: step, Round: round}
}

// MessageID formats the Message-ID of our n-th mail for ref, without angle
// brackets: "mf.<token>.s<step>r<round>.<n>@<domain>" ("mf.<token>.s<step>.<n>@"
// when the round is 0).
func MessageID(ref Ref, n int64, domain string) string {
	return fmt.Sprintf("mf.%s.s%s.%d@%s", ref.Token, stepPart(ref), n, domain)
}

// ThreadRoot is the Message-ID that every mail of one run and step refers
// to in References, so that a step is one thread in the official's client
// across all its rounds. It names no round: read back, its Round is 0.
func ThreadRoot(ref Ref, domain string) string {
	return fmt.Sprintf("mf.%s.s%d.0@%s", ref.Token, ref.Step, domain)
}

var idRe = regexp.MustCompile(`\b[mM][fF]\.` + tokRe + `\.[sS]` + stepRe + `\.\d+@`)

// FromMessageID extracts the ref from one of our Message-IDs (with or
// without angle brackets). ok is false for anyone else's.
func FromMessageID(id string) (Ref, bool) {
	m := idRe.FindStringSubmatch(id)
	if m == nil {
		return Ref{}, false
	}
	return fromMatch(m), true
}

// RefLine is the reference line printed at the foot of every mail body:
// "Ref: MF-<token>-<step>r<round>" ("Ref: MF-<token>-<step>" when the
// round is 0). Clients keep it in the quoted text.
func RefLine(ref Ref) string {
	return "Ref: MF-" + ref.Token + "-" + stepPart(ref)
}

var refRe = regexp.MustCompile(`\b[mM][fF]-` + tokRe + `-` + stepRe + `\b`)

// FromText finds the first reference line token in a subject or body.
func FromText(s string) (Ref, bool) {
	m := refRe.FindStringSubmatch(s)
	if m == nil {
		return Ref{}, false
	}
	return fromMatch(m), true
}

// PlusAddress returns local+<token>-<step>r<round>@domain for the office
// address, used as Reply-To when plus-addressing is configured.
func PlusAddress(addr string, ref Ref) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	return addr[:at] + "+" + ref.Token + "-" + stepPart(ref) + addr[at:]
}

var plusRe = regexp.MustCompile(`\+` + tokRe + `-` + stepRe + `@`)

// FromAddress extracts a ref from a plus-addressed recipient.
func FromAddress(addr string) (Ref, bool) {
	m := plusRe.FindStringSubmatch(addr)
	if m == nil {
		return Ref{}, false
	}
	return fromMatch(m), true
}

// Header marks every mail mailflow sends. Its value is
// "<token>; step=<n>; round=<r>; kind=<template>". A message carrying it is
// our own and is never answered (loop safety).
const Header = "X-Mailflow"

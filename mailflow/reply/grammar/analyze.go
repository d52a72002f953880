package grammar

import "strings"

// analyze reads one sentence: idioms first (they consume their negation),
// then every word by class.
func analyze(toks []token, s string) analysis {
	a := analysis{approve: -1, approveEnd: -1, negApprove: -1, reject: -1, done: -1, status: -1, help: -1,
		negAt: -1, hedgeAt: -1, spoilAt: -1}
	a.question = hasQuestion(s)
	n := len(toks)
	a.long = n >= maxTokens
	var consumed, neg [maxTokens + 1]bool
	word := func(i int) string {
		if i < 0 || i >= n {
			return ""
		}
		return toks[i].word
	}
	cl := func(i int) cls {
		if i < 0 || i >= n {
			return 0
		}
		return toks[i].c
	}
	// idioms: "tidak keberatan", "tidak ada catatan", "no objection",
	// "tidak ada yang perlu diperbaiki" approve; "jangan lupa" is neutral.
	for i := 0; i < n; i++ {
		w, c := word(i), cl(i)
		if w == "no" && startsWithDigit(word(i+1)) {
			consumed[i] = true // "No. 5"
			continue
		}
		if c&cIdiomNegs == 0 && !(c&cNegations != 0 && cl(i+1)&cNeutralAfterNeg != 0) {
			continue
		}
		end := -1
		switch next := word(i + 1); {
		case neutralAfterNeg[next]:
			// "belum sempat membalas" is neutral, "belum sempat saya
			// setujui" and "tidak usah disetujui" are not.
			if !approveAfter(toks, i+2) {
				consumed[i], consumed[i+1] = true, true
			}
			continue
		case next == "keberatan" || next == "masalah" || next == "apa2" || w == "no" && idiomNouns[next]:
			end = i + 1
		case next == "apa" && word(i+2) == "apa":
			end = i + 2
		case next == "ada":
			j := i + 2
			if word(j) == "lagi" {
				j++
			}
			switch {
			case (cl(j)&cIdiomNouns != 0):
				end = j
			case word(j) == "yang" || word(j) == "yg":
				j++
				if word(j) == "perlu" {
					j++
				}
				if cl(j)&cIdiomFix != 0 {
					end = j
				}
			}
		}
		if end < 0 {
			continue
		}
		for k := i; k <= end; k++ {
			consumed[k] = true
		}
		if a.approve < 0 {
			a.approve, a.approveEnd, a.idiomOnly = i, end, true
		}
		i = end
	}
	eff := 0 // words before i that are not leads
	condBefore, okSeen, undecidedBefore := false, false, false
	for i := 0; i < n; i++ {
		w, c := toks[i].word, toks[i].c
		if i > 0 && cl(i-1)&cLeads == 0 {
			eff++
		}
		if i > 0 && strings.ContainsAny(s[toks[i-1].end:toks[i].start], ",;:") {
			condBefore = false // a condition holds for its clause: "Kalau sudah dicek, SELESAI"
			undecidedBefore = false
		}
		if consumed[i] {
			continue
		}
		if c&cUndecided != 0 {
			undecidedBefore = true
		}
		if questionWords[w] {
			a.question = true // "Yang disetujui kemarin mana ya"
		}
		if c&cContrasts != 0 {
			a.contrast = true
		}
		if eff == 0 && ((c&cContrasts != 0) || (c&cHedges != 0) && c&cTimeHedges == 0 || w == "akan" && word(i+1) == "tetapi" || w == "hanya" && (word(i+1) == "saja" || word(i+1) == "aja")) {
			a.contrastStart = true
		}
		switch {
		case c&cNegations != 0:
			neg[i] = true
			a.negs++
			a.negAt = first(a.negAt, i)
			continue
		case (c&cHedges != 0) || w == "hanya" && (word(i+1) == "saja" || word(i+1) == "aja") || w == "subject" && word(i+1) == "to":
			a.hedges++
			a.hedgeAt = first(a.hedgeAt, i)
			if c&cConditionals != 0 {
				condBefore = true
			}
			continue
		case c&cConditionals != 0:
			condBefore = true
			continue
		}
		if ((c&cApproveWords != 0) || (c&cRejectStrong != 0) || (c&cRejectWeak != 0)) && listed(s, toks, i) {
			a.mention = true // "Mohon balas SETUJU atau TOLAK <alasan>": the options, not a choice
			a.spoil++
			a.spoilAt = first(a.spoilAt, i)
			continue
		}
		switch {
		case c&cApproveWords != 0:
			if negAttached(s, toks, neg[:], i) {
				if a.negApprove < 0 {
					a.negApprove = i
				}
			} else if requested(toks, i) || (c&cPassives != 0) && reported(toks, i) || undecidedBefore || condBefore {
				a.mention = true
			} else if a.approve < 0 || a.idiomOnly {
				a.approve, a.approveEnd, a.idiomOnly = i, i, false
			} else if a.approveEnd == i-1 {
				a.approveEnd = i // "SETUJU / APPROVED", "setuju, acc"
			}
		case (c&cRejectStrong != 0) || (c&cRejectWeak != 0):
			if c&cRejectStrong == 0 && ((cl(i-1)&cRejectNounBefore != 0) || (cl(i-1)&cDelivery != 0) ||
				(cl(i-1)&cFirstPerson != 0) && c&cReturns == 0 || (cl(i-2)&cDoneSudah != 0) || (cl(i+1)&cRejectNounAfter != 0)) {
				continue // "sudah diperbaiki", "draft perbaikan", "kami kirimkan revisi", "revisi terlampir", "sudah kami lengkapi"
			}
			if aboutMeeting(toks, i) {
				continue // "… telah menolak undangan ini": an answer to an invitation
			}
			a.spoil++
			a.spoilAt = first(a.spoilAt, i)
			switch {
			case negJust(s, toks, neg[:], i):
				a.rejectNeg = true
			case condBefore:
			case a.reject < 0 && ((c&cRejectStrong != 0) || eff < window):
				a.reject = i
			}
		case (c&cDoneStrong != 0), (c&cDoneNear != 0) && eff < window,
			(c&cDoneSudah != 0) && (eff == 0 && (nonLeads(toks) <= 3 || clauseEndsAfter(s, toks, i)) && cl(i+1)&cEvaluation == 0 ||
				deliveryAfter(toks, i)),
			(c&cDelivery != 0) && i > 0 && (cl(i-1)&cFirstPerson != 0) && eff < window+2:
			if a.question || condBefore || negJust(s, toks, neg[:], i) {
				continue
			}
			strong := (c&cDoneStrong != 0)
			if a.done < 0 || strong && a.doneWeak {
				a.done, a.doneWeak = i, !strong
				// only "sudah" itself, with no delivery verb after it
				a.doneSudah = c&cDoneSudah != 0 && !strong && !deliveryAfter(toks, i)
			}
		case c&cOkWords != 0:
			// "ok" alone does not approve, but "tidak ok", "ok?" and "ok
			// tapi" are not clear either.
			okSeen = true
			if negAttached(s, toks, neg[:], i) {
				a.mention = true
			}
		case (c&cStatusWords != 0) && eff <= 2 && a.status < 0:
			a.status = i
		case (c&cHelpWords != 0) && eff <= 2 && a.help < 0:
			a.help = i
		}
	}
	a.ok = okSeen
	if okSeen && (a.hedges > 0 || a.question) {
		a.mention = true
	}
	return a
}

func first(at, i int) int {
	if at < 0 {
		return i
	}
	return at
}

// negJust: a negation one or two words before i with no punctuation
// between ("tidak perlu revisi"; not "Data belum lengkap, TOLAK").
func negJust(s string, toks []token, neg []bool, i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if strings.Trim(s[toks[j].end:toks[j+1].start], " \t") != "" {
			return false
		}
		if neg[j] {
			return true
		}
	}
	return false
}

// negAttached: a free negation right before the approve word at i, or up
// to three words before it with only fillers between ("tidak dapat kami
// setujui", "do not fully agree").
// Punctuation between them detaches it ("Tidak, setuju" is unclear).
func negAttached(s string, toks []token, neg []bool, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if strings.Trim(s[toks[j].end:toks[j+1].start], " \t") != "" {
			return false
		}
		if neg[j] {
			return true
		}
		if toks[j].c&cNegFillers == 0 {
			return false
		}
	}
	return false
}

// requested: the approve word at i is asked for ("mohon Bapak berkenan
// menyetujui", "untuk disetujui", "yang disetujui").
func requested(toks []token, i int) bool {
	if i > 0 && (toks[i-1].c&cRequestsNear != 0) {
		return true
	}
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if toks[j].c&cRequests != 0 {
			return true
		}
	}
	return false
}

// reported: a passive approve word followed by who approved
// ("disetujui oleh Kadis", "disetujui Pak Sekretaris").
func reported(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+2; j++ {
		c := toks[j].c
		if c&cReporters != 0 {
			return true
		}
		if c&cTitles == 0 {
			return false
		}
	}
	return false
}

// aboutMeeting: the word at i is about an invitation ("menolak undangan
// ini", "declined the meeting"); RSVP reads those.
func aboutMeeting(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+2; j++ {
		if toks[j].c&cMeetingNouns != 0 {
			return true
		}
	}
	return false
}

// listed: the word at i is one of alternatives ("SETUJU atau TOLAK",
// "approve or reject", "SETUJU/TOLAK"). Two words of the same command
// ("SETUJU / APPROVED") are no alternatives.
func listed(s string, toks []token, i int) bool {
	other := -1
	switch {
	case i > 1 && (toks[i-1].c&cAlternatives != 0):
		other = i - 2
	case i > 0 && strings.Contains(s[toks[i-1].end:toks[i].start], "/"):
		other = i - 1
	case i+2 < len(toks) && (toks[i+1].c&cAlternatives != 0):
		other = i + 2
	case i+1 < len(toks) && strings.Contains(s[toks[i].end:toks[i+1].start], "/"):
		other = i + 1
	case i > 0 && (toks[i-1].c&cAlternatives != 0), i+1 < len(toks) && (toks[i+1].c&cAlternatives != 0):
		return true // "… atau setuju": an option
	default:
		return false
	}
	return commandClass(toks[other].word) != commandClass(toks[i].word)
}

// commandClass is 1 for approve words, 2 for reject words, 0 otherwise.
func commandClass(w string) int {
	switch {
	case approveWords[w]:
		return 1
	case rejectStrong[w] || rejectWeak[w]:
		return 2
	}
	return 0
}

// approveAfter: an approve word at or after toks[i].
func approveAfter(toks []token, i int) bool {
	for ; i < len(toks); i++ {
		if toks[i].c&cApproveWords != 0 {
			return true
		}
	}
	return false
}

// clauseEndsAfter: punctuation follows toks[i] ("Sudah, bahan terlampir").
func clauseEndsAfter(s string, toks []token, i int) bool {
	end := len(s)
	if i+1 < len(toks) {
		end = toks[i+1].start
	}
	return strings.ContainsAny(s[toks[i].end:end], ",.;!:")
}

// nonLeads counts the words of a sentence that are not leads ("Sudah
// pak" has one).
func nonLeads(toks []token) int {
	n := 0
	for _, t := range toks {
		if !leads[t.word] && !acks[t.word] {
			n++
		}
	}
	return n
}

// deliveryAfter: "sudah" followed within three words by a delivery verb
// ("sudah kami kirim", "telah dilengkapi").
func deliveryAfter(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if toks[j].c&cDelivery != 0 {
			return true
		}
	}
	return false
}

func startsWithDigit(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }

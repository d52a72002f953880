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
	// idioms: "tidak keberatan", "tidak ada catatan", "no objection",
	// "tidak ada yang perlu diperbaiki" approve; "jangan lupa" is neutral.
	for i := 0; i < n; i++ {
		w := word(i)
		if w == "no" && startsWithDigit(word(i+1)) {
			consumed[i] = true // "No. 5"
			continue
		}
		if !idiomNegs[w] && !(isNegation(w) && neutralAfterNeg[word(i+1)]) {
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
			case idiomNouns[word(j)]:
				end = j
			case word(j) == "yang" || word(j) == "yg":
				j++
				if word(j) == "perlu" {
					j++
				}
				if idiomFix[word(j)] {
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
	condBefore, okSeen := false, false
	for i := 0; i < n; i++ {
		w := toks[i].word
		if i > 0 && !leads[word(i-1)] {
			eff++
		}
		if i > 0 && condBefore && strings.ContainsAny(s[toks[i-1].end:toks[i].start], ",;:") {
			condBefore = false // a condition holds for its clause: "Kalau sudah dicek, SELESAI"
		}
		if consumed[i] {
			continue
		}
		if contrasts[w] {
			a.contrast = true
		}
		if eff == 0 && (contrasts[w] || hedges[w] && !timeHedges[w] || w == "akan" && word(i+1) == "tetapi" || w == "hanya" && (word(i+1) == "saja" || word(i+1) == "aja")) {
			a.contrastStart = true
		}
		switch {
		case isNegation(w):
			neg[i] = true
			a.negs++
			a.negAt = first(a.negAt, i)
			continue
		case hedges[w] || w == "hanya" && (word(i+1) == "saja" || word(i+1) == "aja") || w == "subject" && word(i+1) == "to":
			a.hedges++
			a.hedgeAt = first(a.hedgeAt, i)
			if conditionals[w] {
				condBefore = true
			}
			continue
		case conditionals[w]:
			condBefore = true
			continue
		}
		if (approveWords[w] || rejectStrong[w] || rejectWeak[w]) && listed(s, toks, i) {
			a.mention = true // "Mohon balas SETUJU atau TOLAK <alasan>": the options, not a choice
			a.spoil++
			a.spoilAt = first(a.spoilAt, i)
			continue
		}
		switch {
		case approveWords[w]:
			if negAttached(s, toks, neg[:], i) {
				if a.negApprove < 0 {
					a.negApprove = i
				}
			} else if requested(toks, i) || passives[w] && reported(toks, i) {
				a.mention = true
			} else if a.approve < 0 || a.idiomOnly {
				a.approve, a.approveEnd, a.idiomOnly = i, i, false
			} else if a.approveEnd == i-1 {
				a.approveEnd = i // "SETUJU / APPROVED", "setuju, acc"
			}
		case rejectStrong[w] || rejectWeak[w]:
			if !rejectStrong[w] && (rejectNounBefore[word(i-1)] || delivery[word(i-1)] ||
				firstPerson[word(i-1)] && !returns[w] || doneSudah[word(i-2)] || rejectNounAfter[word(i+1)]) {
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
			case a.reject < 0 && (rejectStrong[w] || eff < window):
				a.reject = i
			}
		case doneStrong[w], doneNear[w] && eff < window,
			doneSudah[w] && (eff == 0 && (nonLeads(toks) <= 3 || clauseEndsAfter(s, toks, i)) && !evaluation[word(i+1)] ||
				deliveryAfter(toks, i)),
			delivery[w] && i > 0 && firstPerson[word(i-1)] && eff < window+2:
			if a.question || condBefore || negJust(s, toks, neg[:], i) {
				continue
			}
			strong := doneStrong[w]
			if a.done < 0 || strong && a.doneWeak {
				a.done, a.doneWeak = i, !strong
			}
		case okWords[w]:
			// "ok" alone does not approve, but "tidak ok", "ok?" and "ok
			// tapi" are not clear either.
			okSeen = true
			if negAttached(s, toks, neg[:], i) {
				a.mention = true
			}
		case statusWords[w] && eff <= 2 && a.status < 0:
			a.status = i
		case helpWords[w] && eff <= 2 && a.help < 0:
			a.help = i
		}
	}
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
		if !negFillers[toks[j].word] {
			return false
		}
	}
	return false
}

// requested: the approve word at i is asked for ("mohon Bapak berkenan
// menyetujui", "untuk disetujui", "yang disetujui").
func requested(toks []token, i int) bool {
	if i > 0 && requestsNear[toks[i-1].word] {
		return true
	}
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if requests[toks[j].word] {
			return true
		}
	}
	return false
}

// reported: a passive approve word followed by who approved
// ("disetujui oleh Kadis", "disetujui Pak Sekretaris").
func reported(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+2; j++ {
		w := toks[j].word
		if reporters[w] {
			return true
		}
		if !titles[w] {
			return false
		}
	}
	return false
}

// aboutMeeting: the word at i is about an invitation ("menolak undangan
// ini", "declined the meeting"); RSVP reads those.
func aboutMeeting(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+2; j++ {
		if meetingNouns[toks[j].word] {
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
	case i > 1 && alternatives[toks[i-1].word]:
		other = i - 2
	case i > 0 && strings.Contains(s[toks[i-1].end:toks[i].start], "/"):
		other = i - 1
	case i+2 < len(toks) && alternatives[toks[i+1].word]:
		other = i + 2
	case i+1 < len(toks) && strings.Contains(s[toks[i].end:toks[i+1].start], "/"):
		other = i + 1
	case i > 0 && alternatives[toks[i-1].word], i+1 < len(toks) && alternatives[toks[i+1].word]:
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
		if approveWords[toks[i].word] {
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
		if delivery[toks[j].word] {
			return true
		}
	}
	return false
}

func startsWithDigit(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }

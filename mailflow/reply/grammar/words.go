package grammar

// The word classes of the grammar. Every entry is a lower-case token as
// tokens() produces it (apostrophes removed: "don't" → "dont").

// cls is a bit set of the word classes a word belongs to: tokens carry
// theirs, found with one map look-up, so that reading a sentence costs one
// look-up per word instead of one per class.
type cls uint64

const (
	cApproveWords cls = 1 << iota
	cRejectStrong
	cRejectWeak
	cReturns
	cRejectNounBefore
	cRejectNounAfter
	cDoneStrong
	cDoneSudah
	cDoneNear
	cDelivery
	cFirstPerson
	cHedges
	cEvaluation
	cAlternatives
	cGreetings
	cMeetingNouns
	cTimeHedges
	cOkWords
	cContrasts
	cConditionals
	cRequests
	cRequestsNear
	cPassives
	cReporters
	cTitles
	cNegFillers
	cIdiomNegs
	cIdiomNouns
	cIdiomFix
	cNeutralAfterNeg
	cLeads
	cAcks
	cDoneAcks
	cApproveAcks
	cStatusWords
	cHelpWords
	cNegations
	cUndecided
)

// lexicon maps every known word to its classes.
var lexicon = map[string]cls{}

// def declares a word class: its words get bit c in the lexicon; the set
// is kept for the code that asks by string.
func def(c cls, ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
		lexicon[w] |= c
	}
	return m
}

var (
	// approveWords approve by themselves.
	approveWords = def(cApproveWords, "setuju", "stuju", "stju", "stj", "sttj", "setju", "sepakat", "menyepakati", "disepakati", "setujui", "disetujui", "menyetujui", "kusetujui", "acc", "diacc",
		"approve", "approved", "approves", "agree", "agreed", "lgtm",
		// the SOP asks for a paraf (initials) or a signature: giving it approves
		"paraf", "diparaf", "memaraf", "kuparaf", "tandatangani", "ditandatangani", "menandatangani", "diapprove")

	// rejectStrong reject anywhere in a sentence; rejectWeak ("revisi",
	// "perbaiki") command only near its start but spoil an approval anywhere.
	rejectStrong = def(cRejectStrong, "tolak", "ditolak", "menolak", "tolakan", "reject", "rejected", "rejecting")
	rejectWeak   = def(cRejectWeak, "revisi", "direvisi", "revisian", "perbaiki", "diperbaiki", "perbaikan", "koreksi",
		"dikoreksi", "revise", "revision", "revisions", "fix", "lengkapi", "dilengkapi", "change", "changes",
		"amend", "amendment", "amendments", "correction", "corrections", "edits",
		"kembalikan", "dikembalikan", "mengembalikan")
	// returns: sending a draft back is a rejection even with "saya" before
	// ("Draft saya kembalikan"), unlike "kami perbaiki" (we fixed it).
	returns = def(cReturns, "kembalikan", "dikembalikan", "mengembalikan")

	// rejectNounBefore / rejectNounAfter make a reject word a noun or a
	// report, not a request: "sudah diperbaiki", "draft perbaikan",
	// "revisi terlampir".
	rejectNounBefore = def(cRejectNounBefore, "yang", "yg", "sudah", "sdh", "udah", "telah", "hasil", "draft", "draf", "file", "dokumen",
		"versi", "bahan", "laporan", "setelah", "sesudah", "usai", "the", "revised")
	rejectNounAfter = def(cRejectNounAfter, "terlampir", "dilampirkan", "attached", "yang", "yg", "ke", "kedua", "ketiga", "sudah",
		"telah", "kami", "saya")

	doneStrong = def(cDoneStrong, "selesai", "done", "finished", "completed", "rampung", "tuntas")
	// doneWeak: "sudah" needs to lead the sentence or a delivery verb;
	// "terlampir" needs to stand near the start.
	doneSudah = def(cDoneSudah, "sudah", "sdh", "udah", "telah")
	doneNear  = def(cDoneNear, "terlampir", "dilampirkan", "attached")
	delivery  = def(cDelivery, "kirim", "kirimkan", "dikirim", "dikirimkan", "terkirim", "lampirkan", "dilampirkan",
		"terlampir", "upload", "diupload", "unggah", "diunggah", "selesai", "lengkapi", "dilengkapi", "lengkap",
		"kerjakan", "dikerjakan", "diperbaiki", "perbaiki", "direvisi", "revisi", "selesaikan", "diselesaikan",
		"disusun", "susun", "submit", "submitted", "sent", "send", "uploaded", "attached", "siap", "masuk",
		"sampaikan", "disampaikan", "menyampaikan", "kirimkan", "berikut")
	// firstPerson before a delivery verb near the start reports a delivery
	// ("Bersama ini kami sampaikan …", "Berikut saya kirimkan …").
	firstPerson = def(cFirstPerson, "kami", "saya", "sy", "we", "i")

	// hedges make an approval in the same sentence unclear.
	hedges = def(cHedges, "tapi", "tetapi", "tp", "tpi", "namun", "kecuali", "asal", "asalkan", "asalkn", "jika",
		"jikalau", "kalau", "kalo", "klo", "kl", "bila", "apabila", "syarat", "bersyarat", "nanti", "ntar",
		"nnti", "dulu", "dahulu", "mungkin", "mgkn", "barangkali", "sepertinya", "kayaknya", "sebagian",
		"but", "however", "except", "unless", "if", "maybe", "perhaps", "probably", "provided", "later",
		"partially", "conditionally", "meskipun", "walaupun", "walau", "although", "sementara", "kira",
		"pending", "provisionally", "tentatively", "conditional",
		// the conditional mood and postponement: "seharusnya disetujui", "persetujuan ditunda"
		"would", "might", "could", "should", "seharusnya", "semestinya", "sebaiknya", "mestinya", "harusnya",
		"ditunda", "tunda", "menunda", "tertunda", "postpone", "postponed", "menyusul",
		// restricting connectives: "ACC, sepanjang sudah dikonsultasikan",
		// "Setuju, cuma bab 2 perlu dicek ulang" (found on the fresh set)
		"sepanjang", "selama", "cuma", "cuman", "hanya", "hny", "padahal", "seandainya", "andaikan", "andai",
		"sekiranya", "only", "long", "providing")
	// evaluation after "sudah" judges, it does not deliver ("sudah sesuai").
	evaluation = def(cEvaluation, "ok", "oke", "okay", "sesuai", "benar", "bagus", "baik", "cukup", "tepat", "bisa", "dapat",
		"saya", "sy", "kami")
	// alternatives join options ("balas SETUJU atau TOLAK"): no decision.
	alternatives = def(cAlternatives, "atau", "or", "ataupun", "maupun")
	// greetings open a line that greets ("Yth. Bapak …", "Selamat pagi").
	greetings = def(cGreetings, "yth", "kepada", "dear", "hi", "halo", "hallo", "hai", "selamat", "assalamualaikum",
		"assalamu", "assalamualaikom", "salam", "hormat")
	// meetingNouns: an invitation, not a document, is answered.
	meetingNouns = def(cMeetingNouns, "undangan", "invitation", "invite", "rapat", "meeting", "acara", "event")
	// timeHedges do not restrict an approval when they open a later
	// sentence ("Setuju. Nanti saya teruskan.").
	timeHedges = def(cTimeHedges, "nanti", "ntar", "nnti", "dulu", "dahulu", "later")
	// okWords do not approve alone ("Ok" may only acknowledge).
	okWords = def(cOkWords, "ok", "oke", "okay", "okey", "okee", "oks", "sip")
	// contrasts open a later sentence that takes an approval back.
	contrasts = def(cContrasts, "tapi", "tetapi", "tp", "tpi", "namun", "kecuali", "but", "however", "except",
		"meskipun", "walaupun", "walau", "although", "sayangnya", "unfortunately")
	// conditionals before a command make it a supposition, not a decision.
	conditionals = def(cConditionals, "jika", "jikalau", "kalau", "kalo", "klo", "kl", "bila", "apabila", "if", "setelah",
		"sesudah", "sebelum", "begitu", "once", "after", "before", "when", "unless")

	// undecided words before an approve word in its clause make it no
	// decision: a subordinate clause ("sebelum diparaf", "untuk disetujui",
	// "sampai disetujui"), the future ("akan saya paraf besok") or a
	// question word ("yang disetujui kemarin mana?"). Never an approval.
	undecided = def(cUndecided, "sebelum", "sblm", "sebelom", "setelah", "stlh", "sesudah", "sehabis", "seusai",
		"untuk", "utk", "agar", "supaya", "spy", "sampai", "sampe", "smp", "hingga", "ketika", "saat", "sewaktu",
		"akan", "akn", "mau", "hendak", "bakal", "besok", "bsk", "lusa", "segera", "will", "shall", "going", "tomorrow",
		"before", "after", "until", "once", "yang", "yg", "which", "that")
	// questionWords make the sentence a question, with or without a '?'.
	questionWords = map[string]bool{"apakah": true, "mana": true, "kapan": true, "bagaimana": true, "gimana": true,
		"gmn": true, "siapa": true, "kenapa": true, "mengapa": true, "whether": true}

	// requests before an approve word ask for an approval ("Mohon Bapak
	// berkenan menyetujui") or report one ("yang disetujui"): no decision.
	// requests stand up to three words before; requestsNear just before.
	requests = def(cRequests, "mohon", "harap", "tolong", "please", "kindly", "berkenan", "minta", "meminta", "agar",
		"supaya", "apakah", "apa", "bisakah", "dapatkah", "bolehkah", "whether")
	requestsNear = def(cRequestsNear, "yang", "yg", "untuk", "utk", "perlu", "menunggu", "need", "needs", "awaiting", "for",
		"to", "be")
	// passives + reporters after them say who approved: a report
	// ("disetujui oleh Kadis", "approved by the head").
	passives  = def(cPassives, "disetujui", "approved", "diacc", "diparaf", "ditandatangani", "disepakati", "diapprove")
	reporters = def(cReporters, "oleh", "by", "kadis", "kepala", "pimpinan", "atasan", "sekretaris", "sekdis", "kasubag",
		"kabid", "kasi", "camat", "bupati")
	titles = def(cTitles, "pak", "bapak", "bu", "ibu", "the")

	// negFillers may stand between a negation and the approve word it
	// negates: "tidak dapat kami setujui", "do not fully agree".
	negFillers = def(cNegFillers, "dapat", "bisa", "bs", "dpt", "akan", "kami", "saya", "sy", "aku", "kita", "sepenuhnya",
		"begitu", "terlalu", "mau", "ingin", "sanggup", "lagi", "pernah", "juga", "boleh", "bisa", "sangat",
		"yet", "really", "fully", "be", "can", "could", "will", "would", "do", "i", "we", "entirely", "quite",
		"memberikan", "berikan", "beri",
		// Bangka Malay, the office's own: "dak pacak ku setuju" (cannot I agree)
		"pacak", "ku")

	// idiomNegs negate in the approving idioms ("tidak keberatan").
	idiomNegs = def(cIdiomNegs, "tidak", "tdk", "tak", "gak", "ga", "gk", "g", "nggak", "ngga", "nggk", "ngak", "enggak",
		"engga", "ndak", "nda", "ndk", "kagak", "no")
	// idiomNouns follow "tidak ada" / "no" in an approval: nothing to add.
	idiomNouns = def(cIdiomNouns, "catatan", "masalah", "koreksi", "revisi", "perbaikan", "perubahan", "keberatan",
		"tambahan", "komentar", "koreksian", "revisian", "objection", "objections", "comment", "comments",
		"issue", "issues", "problem", "problems", "concern", "concerns", "changes", "change", "notes")
	// idiomFix: "tidak ada yang perlu diperbaiki".
	idiomFix = def(cIdiomFix, "diperbaiki", "direvisi", "dikoreksi", "diubah", "ditambahkan")
	// neutralAfterNeg: negations that do not touch the decision.
	neutralAfterNeg = def(cNeutralAfterNeg, "lupa", "sempat", "usah")

	// leads acknowledge before the command ("Baik pak, setuju"); they do
	// not count for the position of weak words.
	leads = def(cLeads, "baik", "siap", "ok", "oke", "okay", "okey", "okee", "pak", "bu", "bapak", "ibu", "ya", "iya",
		"mas", "mbak", "nggih", "injih", "yes", "noted", "dear", "hi", "halo", "sip", "ijin", "izin", "mohon",
		"yth", "dengan", "hormat")

	// acks carry nothing to pass on: a notes clause made only of them is
	// dropped ("pak, lanjutkan.", "terima kasih").
	acks = def(cAcks, "pak", "bu", "bapak", "ibu", "mas", "mbak", "bos", "ya", "iya", "yah", "ok", "oke", "okay",
		"baik", "siap", "noted", "lanjutkan", "lanjut", "dilanjutkan", "silakan", "silahkan", "proses",
		"diproses", "terima", "kasih", "terimakasih", "makasih", "trims", "trimakasih", "tks", "thx", "thanks",
		"thank", "you", "salam", "wassalam", "wassalamualaikum", "wr", "wb", "demikian", "atas",
		"perhatiannya", "perhatian", "kerjasamanya", "kerjasama", "bantuannya", "sama", "sekian", "nggih",
		"injih", "yes", "sir", "madam", "all", "much", "very", "so", "regards", "cheers", "best", "mohon", "maaf",
		"izin", "ijin", "yth", "kepada", "dear", "hi", "halo", "selamat", "pagi", "siang", "sore", "malam",
		"assalamualaikum", "wassalamualaikum", "hormat", "dengan")
	// doneAcks are dropped from the notes of a done reply ("sudah kami kirim").
	doneAcks = def(cDoneAcks, "kami", "saya", "sudah", "telah", "sdh", "ulang")
	// approveAcks only point back at what is approved ("dengan draft
	// tersebut", "go ahead").
	approveAcks = def(cApproveAcks, "dengan", "draft", "draf", "laporan", "usulan", "dokumen", "bahan", "tersebut", "ini",
		"itu", "konsep", "rencana", "the", "this", "it", "plan", "go", "ahead", "saja", "aja")

	statusWords = def(cStatusWords, "status")
	helpWords   = def(cHelpWords, "bantuan", "help")
)

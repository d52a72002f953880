package trim

import (
	"regexp"
	"strings"
)

// The patterns below recognise the lines that mail clients put between the
// new text and the quoted history, in the languages seen in the public
// reply suites and in Indonesian government mail.

// wroteWords end an attribution line ("On … wrote:", "Pada … menulis:").
const wroteWords = `wrote|writes|menulis|tulis|schreef|schrieb|[ée]crit|escribi[óo]|escreveu|scrisse|` +
	`ha scritto|napisa[łl]\(?a?\)?|napsal\(?a?\)?|skrev|skrivit|kirjoitti|[íi]rta|написал\(?а?\)?|yazd[ıi]|` +
	`pisze|kirjutas|ra[šs][ėe]|rakst[īi]ja|έγραψε|a scris|har skrevet|geschreven|sent|كتب|napisana przez|skrifaði|kirjutas|yazdi`

// hdrKeyWords name the fields of a quoted header block, in every language;
// hdrFromWords the sender field, which begins one.
const (
	hdrKeyWords = `from|sent|to|cc|bcc|subject|date|reply-to|dari|dikirim|kepada|ke|` +
		`tembusan|subjek|perihal|terkirim|tanggal|judul|van|verzonden|aan|onderwerp|datum|von|gesendet|an|betreff|` +
		`de|envoy[ée]|[àa]|objet|enviado|para|asunto|fecha|assunto|data|da|inviato|oggetto|fra|sendt|til|emne|` +
		`från|skickat|ämne|od|wysłano|do|temat|kimden|gönderildi|kime|konu|от|отправлено|кому|тема|` +
		`lähettäjä|lähetetty|vastaanottaja|aihe|feladó|küldve|címzett|tárgy|差出人|送信日時|宛先|件名|` +
		`发件人|发送时间|收件人|主题|寄件者|主旨|收件者|보낸 사람|받는 사람|제목|날짜`
	hdrFromWords = `from|dari|van|von|de|da|fra|från|od|kimden|от|` +
		`lähettäjä|feladó|差出人|发件人|寄件者|보낸 사람`
)

var (
	// attrRe matches a whole (possibly joined) attribution line.
	// A start word ends at a word boundary: "Only…", "Email…", "Atas…"
	// do not begin an attribution.
	attrRe = regexp.MustCompile(`(?i)^\s*[>\s]*((on|pada|op|le|am|el|il|em|den|dne|w dniu|på|tanggal|in|at|kl\.?|dnia)[^\p{L}\p{N}\n]|` +
		`\d{1,4}[./-]\d{1,2}[./-]\d{1,4}).*?(` + wroteWords + `)\s*(:|\.{3}|：)?\s*$`)
	// attrStartRe: how attributions begin.
	attrStartRe = regexp.MustCompile(`(?i)^\s*[>\s]*(on|pada|op|le|am|el|il|em|den|dne|w dniu|på|tanggal|\d{1,4}[./-]\d)\s`)
	// attrLooseRe: any short line that ends with "wrote:"-like words and a colon.
	attrLooseRe = regexp.MustCompile(`(?i)^.*(^|[\s,(])(` + wroteWords + `)\s*[:：]\s*$`)
	// attrMidRe: "X schrieb am Do. 16. Mai 2024 um 00:02:", "… napisana przez … w dniu …:".
	attrMidRe = regexp.MustCompile(`(?i)^.*(^|[\s,(])(` + wroteWords + `)\s.*\d.{0,40}[:：]\s*$`)
	// attrAddrEndRe: an attribution that ends with the sender's address.
	attrAddrEndRe = regexp.MustCompile(`<[^<>\s]+@[^<>\s]+>\s*[:：]\s*$`)
	// attrMidAddrRe: the wrote word stands between the date and the address.
	attrMidAddrRe = regexp.MustCompile(`(?i)(^|[\s,(])(` + wroteWords + `)\s.*<[^<>\s]+@`)
	// compactHdrRe: a header block run together on one line.
	compactHdrRe = regexp.MustCompile(`(?i)(^|[^\p{L}])(from|nadawca|von|dari|van|de|od)\s*:.*(^|[^\p{L}])(to|sent|date|subject|adresat|temat|kepada|an|aan|datum|dikirim|tanggal)\s*:|` +
		`(^|[^\p{L}])(subject|temat|subjek|betreff|onderwerp)\s*:.*(^|[^\p{L}])(from|nadawca|von|dari|van)\s*:`)
	// bannerRe: the warning that some gateways put on top of external mail.
	bannerRe = regexp.MustCompile(`(?i)^\s*\**\s*(caution|warning|attention|perhatian|peringatan|external (e-?mail|sender))\s*\**\s*:.*(external|outside|luar)`)
	// cjkAttrRe: Japanese/Chinese/Korean attributions.
	cjkAttrRe = regexp.MustCompile(`(のメッセージ|写道|寫道|님이 작성|wrote)[:：]?\s*$|^.*(書きました|书写|작성)[:：]?\s*$`)
	// dateMailRe: "2013/11/1 John Smith <john@smith.org>" (old Gmail) and
	// similar date + address lines ending the new text.
	dateMailRe = regexp.MustCompile(`^\s*(\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}).*(@|<)[^\s]*:?\s*$`)

	// sepRe: "-----Original Message-----", "-------- Pesan asli --------",
	// "---------- Forwarded message ---------" and any such dashed title.
	sepRe = regexp.MustCompile(`^\s*[>\s]*-{2,}\s*[^-\s].*?\s*-{2,}\s*$`)
	// underRe: the Outlook rule "________________________________".
	underRe = regexp.MustCompile(`^\s*_{10,}\s*$`)
	// fwdRe: "Begin forwarded message:" and friends.
	fwdRe = regexp.MustCompile(`(?i)^\s*[>\s]*(begin forwarded message|awal pesan yang diteruskan|pesan yang diteruskan|` +
		`anfang der weitergeleiteten nachricht|début du message réexpédié|forwarded message|original message|pesan asli)\s*:?\s*$`)

	// hdrKeyRe: one header line of a quoted header block.
	hdrKeyRe = regexp.MustCompile(`(?i)^\s*[>\s]*\*{0,2}\s*(` + hdrKeyWords + `)\s*\*{0,2}\s*[:：]`)
	// hdrFromRe: the first line of a header block names the sender.
	hdrFromRe = regexp.MustCompile(`(?i)^\s*[>\s]*\*{0,2}\s*(` + hdrFromWords + `)\s*\*{0,2}\s*[:：]`)

	// mobileSigRe: the footers that mobile and web clients add.
	mobileSigRe = regexp.MustCompile(`(?i)^\s*(sent from (my|mail|mailbox|yahoo|outlook|samsung|windows|the)\b|` +
		`sent (with|using|via) |sent on the go|get outlook for|dapatkan outlook|dikirim dari|dikirimkan dari|` +
		`terkirim dari|diketik dari|verstuurd (vanaf|met|vanuit)|von meinem .* gesendet|gesendet von|` +
		`envoy[ée] (de|depuis) mon|enviado (desde|do) mi|enviado do meu|inviato da|skickat från|sendt fra min|` +
		`wysłane z|отправлено с|iphone'umdan gönderildi|lähetetty|my iphone|sent from my|sent from|` +
		`verzonden (vanaf|met|vanuit|van)|trimis de pe|.{0,30}-?(omról|ról|ről) küldve|gesendet (mit|von|vom)|vom .{0,20} gesendet|` +
		`أُ?رسلت من|envoy[ée] avec|enviado con|inviato con|skickat med|sendt med|dikirim menggunakan|dikirim melalui)`)

	// closingRe: a closing line on its own ("Salam,", "Best regards,").
	closingRe = regexp.MustCompile(`(?i)^\s*(salam( hormat| hangat| sejahtera)?|hormat (saya|kami)|wassalam.*|` +
		`(terima ?kasih|terimakasih)( banyak| sebelumnya| atas perhatian(nya)?)?|makasih|trims|tks|thx|` +
		`tabik|best( regards| wishes)?|kind regards|warm regards|regards|many thanks|thanks( again| a lot| so much)?|` +
		`thank you( very much)?|cheers|sincerely|yours( truly| sincerely)?|all the best|br|` +
		`met vriendelijke groet(en)?|groet(en|jes)|mvg|(mit )?freundlichen? gr(ü|ue)(ß|ss)(e|en)|(viele|liebe|beste|herzliche) gr(ü|ue)(ß|ss)e|` +
		`gr(ü|ue)(ß|ss)e|lg|cordialement|bien à vous|saludos( cordiales)?|atentamente|un saludo|` +
		`cordiali saluti|distinti saluti|saluti|atenciosamente|abraços|med vänliga hälsningar|` +
		`vänliga hälsningar|mvh|med venlig hilsen|venlig hilsen|hilsen|pozdrawiam|z poważaniem)\s*[,.!]*\s*$`)

	// sigLineRe: a line that only appears in signatures.
	sigLineRe = regexp.MustCompile(`(?i)^\s*\*?\s*(nip\.?\s*[:.]?\s*\d|nip\s*$|tel\.?\s*[:.]|telp\.?\s*[:.]|phone\s*:|fax\s*:|` +
		`mobile\s*:|hp\s*[:.]|wa\s*[:.]|e-?mail\s*:|web\s*:|www\.|\[image:|pangkat\b|jabatan\s*:)`)
	// disclaimerRe: the start of a legal footer.
	disclaimerRe = regexp.MustCompile(`(?i)(this (e-?mail|message) (and any attachments )?(is|are|may be) confidential|` +
		`the content of this e-?mail is confidential|intended (only )?for the (named )?(recipient|addressee|use)|` +
		`disclaimer\s*:|email ini (bersifat )?rahasia|informasi dalam (e-?mail|surel) ini|dilarang menyebarkan)`)
	// dashSigRe: "-- " and the bare variants clients produce.
	dashSigRe = regexp.MustCompile(`^(--|—|–|__)\s*$`)
	// nameDashRe: "-Abhishek Kona", "- Bob".
	nameDashRe = regexp.MustCompile(`^-\s?\p{Lu}[\p{L}.']*( \p{Lu}[\p{L}.']*){0,3}\s*$`)
)

// isQuoted reports whether a line is quoted history ("> ...").
func isQuoted(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t':
		case '>':
			return true
		default:
			return false
		}
	}
	return false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

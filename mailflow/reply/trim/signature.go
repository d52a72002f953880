package trim

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
)

// maxSigLines is how long a block after a closing line may be and still be
// read as a signature (name, jabatan, unit, NIP, phone...).
const maxSigLines = 12

var pipeSigRe = regexp.MustCompile(`^\*[^*]+\*\s*\|`)

// stripSignature cuts the signature and footers off the new text. It only
// cuts below some content, so a reply is never emptied by it.
func stripSignature(lines []string) []string { return stripSig(lines, nil) }

// stripSig is stripSignature for a reply whose sender's name has the
// (lower-case) words sender.
func stripSig(lines []string, sender []string) []string {
	out := stripSignatureLines(lines)
	for i, l := range out {
		if !blank(l) {
			// a block under nothing but a greeting is the message itself
			// ("Yth. Bapak,\n\nSetuju\nKepala Bidang …")
			// and a name block that carries a command is not a signature
			if s := sigBlockStart(out, i, sender); s > 0 && !salutationOnly(out[:s]) && !carriesCommand(out, s) {
				out = out[:s]
			}
			break
		}
	}
	return out
}

// stripSignatureLines cuts at the first line that starts a signature or
// footer.
func stripSignatureLines(lines []string) []string {
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if !hasContent(lines[:i]) {
			// the first line is the reply itself, whatever it looks like,
			// except for the footers that never carry content
			if dashSigRe.MatchString(l) {
				return nil
			}
			if len(l) < 80 && matchMobileSig(l) || bannerRe.MatchString(l) {
				// a footer or gateway banner on top: drop its paragraph
				j := i
				for j < len(lines) && !blank(lines[j]) {
					j++
				}
				rest := stripSignature(lines[j:])
				return append(append([]string{}, lines[:i]...), rest...)
			}
			continue
		}
		switch {
		case dashSigRe.MatchString(l) || lines[i] == "-- ":
			return lines[:i]
		case len(l) < 100 && matchMobileSig(l):
			return lines[:i]
		case matchDisclaimer(l):
			return lines[:paraStart(lines, i)]
		case matchClosing(l) && sigBlockAfter(lines, i+1):
			return lines[:i]
		case sigLineRe.MatchString(l) || pipeSigRe.MatchString(l):
			return lines[:sigRunStart(lines, i)]
		case nameDashRe.MatchString(l) && sigBlockAfter(lines, i+1):
			return lines[:i]
		}
	}
	return lines
}

// sigRunStart returns where the signature holding line i begins: the
// lines above it in its paragraph that are signature lines too (a name,
// a jabatan), never the text the block is glued under nor the first line.
func sigRunStart(lines []string, i int) int {
	k := i
	for k > 1 && !blank(lines[k-1]) && hasContent(lines[:k-1]) && sigLineKind(strings.TrimSpace(lines[k-1])) != sigNone {
		k--
	}
	return k
}

// paraStart returns the first line of the paragraph holding line i.
func paraStart(lines []string, i int) int {
	for i > 0 && !blank(lines[i-1]) {
		i--
	}
	return i
}

// sigBlockAfter reports whether the lines from i on look like the rest of
// a signature: few, short lines (a name, a title, a unit), or nothing.
func sigBlockAfter(lines []string, i int) bool {
	n := 0
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if blank(lines[i-1]) && (disclaimerPara(lines, i, paraEnd(lines, i)) || matchMobileSig(l)) {
			return true // the rest is footer
		}
		n++
		if n > maxSigLines {
			return false
		}
		if utf8.RuneCountInString(l) > 72 && !sigLineRe.MatchString(l) && !matchDisclaimer(l) {
			return false
		}
		if strings.HasSuffix(l, "?") {
			return false
		}
	}
	return true
}

// salutationOnly: the lines hold one line of content and it is a greeting
// ("Yth. Bapak Sekretaris,", "Dear Budi,").
func salutationOnly(lines []string) bool {
	n, last := 0, ""
	for _, l := range lines {
		if !blank(l) {
			n++
			last = strings.TrimSpace(l)
		}
	}
	return n == 1 && (strings.HasSuffix(last, ",") || greetingRe.MatchString(last))
}

// carriesCommand: grammar reads a command in the name block at s
// ("Setuju" above a jabatan line is the answer, not a name). A legal
// footer is prose about the message, whatever words it uses.
func carriesCommand(lines []string, s int) bool {
	e := paraEnd(lines, s)
	if disclaimerPara(lines, s, e) {
		return false
	}
	cmd, _ := grammar.Parse(join(lines[s:e]))
	return cmd != grammar.None
}

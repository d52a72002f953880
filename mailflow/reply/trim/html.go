package trim

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLNodes bounds the walk on hostile input.
const maxHTMLNodes = 200000

// quoteMark stands in the text for a quoted block that the HTML marked, so
// that the text trimmer sees where the history was (and can keep a reply
// written below it).
const quoteMark = ">"

// HTML returns the new text of an HTML reply body.
func HTML(s string) string {
	return Text(HTMLToText(s))
}

// HTMLToText converts an HTML body to plain text, replacing the quoted
// blocks that clients mark (Gmail, Outlook, Apple, Yahoo, Thunderbird)
// with a ">" line and dropping everything after Outlook's reply header.
func HTMLToText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	w := &htmlWriter{}
	w.walk(doc)
	return w.b.String()
}

type htmlWriter struct {
	b        strings.Builder
	nodes    int
	stop     bool // everything after Outlook's reply header is history
	pre      int
	space    bool // a space is pending
	lineOpen bool // the current line has text
}

var blockAtoms = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Body: true,
	atom.Center: true, atom.Dd: true, atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figure: true, atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true, atom.Li: true,
	atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Table: true, atom.Tr: true, atom.Ul: true, atom.Html: true,
}

var skipAtoms = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Title: true, atom.Template: true,
	atom.Object: true, atom.Iframe: true, atom.Svg: true,
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// quoteNode reports whether n is a quoted block that a client marked.
func quoteNode(n *html.Node) bool {
	class := strings.ToLower(attr(n, "class"))
	id := strings.ToLower(attr(n, "id"))
	switch {
	case n.DataAtom == atom.Blockquote:
		return true
	case strings.Contains(class, "gmail_quote"), strings.Contains(class, "gmail_attr"),
		strings.Contains(class, "yahoo_quoted"), strings.Contains(id, "yahoo_quoted"),
		strings.Contains(class, "moz-cite-prefix"), strings.Contains(class, "applequote"),
		strings.Contains(class, "protonmail_quote"), strings.Contains(class, "zmail_extra"),
		strings.Contains(class, "x_gmail_quote"), strings.Contains(id, "isforwardcontent"),
		strings.Contains(id, "isreplycontent"), strings.Contains(class, "quote") && n.DataAtom == atom.Div &&
			strings.Contains(class, "reply"):
		return true
	}
	return false
}

// cutNode reports whether n starts Outlook's reply header, after which all
// of the document is history.
func cutNode(n *html.Node) bool {
	id := strings.ToLower(attr(n, "id"))
	class := strings.ToLower(attr(n, "class"))
	if id == "divrplyfwdmsg" || id == "x_divrplyfwdmsg" || id == "appendonsend" || id == "stopspelling" ||
		strings.Contains(class, "outlookmessageheader") || id == "mail-editor-reference-message-container" {
		return true
	}
	if n.DataAtom == atom.Div {
		st := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
		if strings.Contains(st, "border-top:solid") && strings.Contains(st, "padding:3") {
			return true
		}
	}
	return false
}

func (w *htmlWriter) newline() {
	if w.lineOpen {
		w.b.WriteByte('\n')
	}
	w.lineOpen = false
	w.space = false
}

func (w *htmlWriter) hardBreak() {
	w.b.WriteByte('\n')
	w.lineOpen = false
	w.space = false
}

func (w *htmlWriter) text(s string) {
	if w.pre > 0 {
		w.b.WriteString(s)
		w.lineOpen = !strings.HasSuffix(s, "\n")
		return
	}
	isSpace := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }
	if len(s) > 0 && isSpace(rune(s[0])) && w.lineOpen {
		w.space = true // a leading space separates from the previous inline text
	}
	for _, f := range strings.FieldsFunc(s, isSpace) {
		if w.space && w.lineOpen {
			w.b.WriteByte(' ')
		}
		w.b.WriteString(f)
		w.lineOpen = true
		w.space = true
	}
	w.space = false
	if len(s) > 0 && isSpace(rune(s[len(s)-1])) {
		w.space = true
	}
}

func (w *htmlWriter) walk(n *html.Node) {
	if w.stop || w.nodes > maxHTMLNodes {
		return
	}
	w.nodes++
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		if skipAtoms[n.DataAtom] {
			return
		}
		if cutNode(n) {
			w.newline()
			w.b.WriteString(quoteMark + "\n")
			w.stop = true
			return
		}
		if quoteNode(n) {
			w.newline()
			w.b.WriteString(quoteMark + "\n")
			return
		}
		switch n.DataAtom {
		case atom.Br:
			w.hardBreak()
			return
		case atom.Img:
			return
		case atom.Td, atom.Th:
			if w.lineOpen {
				w.space = true
			}
		case atom.Pre:
			w.pre++
			defer func() { w.pre-- }()
		}
	}
	block := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
	if block {
		w.newline()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if block {
		w.newline()
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.P && !w.stop {
		// a paragraph ends with a blank line, unless Outlook's one-line
		// MsoNormal paragraphs
		if !strings.Contains(strings.ToLower(attr(n, "class")), "msonormal") {
			w.hardBreak()
		}
	}
}

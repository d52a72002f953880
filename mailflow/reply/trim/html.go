package trim

import (
	"fmt"
	"strconv"
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

// HTMLToText converts an HTML body to the plain text a reader sees,
// replacing the quoted blocks that clients mark (Gmail, Outlook, Apple,
// Yahoo, Thunderbird) with a ">" line and dropping everything after
// Outlook's reply header. Hidden content is dropped (visibility.apply):
// a command nobody can see is no command.
func HTMLToText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	w := &htmlWriter{}
	if ContainsFold(s, "<style") {
		w.rules = styleRules(doc)
	}
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
	vis      visibility
	rules    *hideRules // selectors that <style> elements hide
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
		if !w.vis.hidden() {
			w.text(n.Data)
		}
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		if skipAtoms[n.DataAtom] {
			return
		}
		saved := w.vis
		if !w.vis.apply(n, w.rules) {
			return // display:none and the like: nothing below is seen
		}
		defer func() { w.vis = saved }()
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

// visibility is what the ancestors of a node make of its text. display:
// none (and the like) hides a whole subtree and cannot be undone below;
// visibility, font size and colour are inherited and may be undone by a
// descendant (a font-size:0 wrapper around sized spans is a common layout
// trick and its spans are seen).
type visibility struct {
	invisible bool   // visibility:hidden
	zeroFont  bool   // font-size:0
	color     string // the text colour, normalised ("" = the reader's default)
	bg        string // the nearest background colour, normalised ("" = white)
}

// hidden reports whether text here cannot be seen: invisible, of no size,
// transparent, or coloured like its background (white on white when no
// background is set: mail readers show a white page).
func (v visibility) hidden() bool {
	if v.invisible || v.zeroFont || v.color == "transparent" {
		return true
	}
	if v.color == "" {
		return false
	}
	bg := v.bg
	if bg == "" {
		bg = "#ffffff"
	}
	return sameColor(v.color, bg)
}

// apply updates v for element n; false means n and all below it are not
// rendered: the hidden attribute, display:none, opacity:0, Outlook's
// mso-hide:all, a zero max-height or height with overflow:hidden, or a
// class or id that a <style> rule hides.
func (v *visibility) apply(n *html.Node, rules *hideRules) bool {
	var style string
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return false
		case "style":
			style = a.Val
		case "color":
			if n.DataAtom == atom.Font {
				v.color = normColor(a.Val, v.color)
			}
		case "bgcolor":
			v.bg = normColor(a.Val, v.bg)
		case "class", "id":
			if rules != nil && rules.hides(a.Key, a.Val) {
				return false
			}
		}
	}
	if n.DataAtom == atom.Input && strings.EqualFold(attr(n, "type"), "hidden") {
		return false
	}
	if style == "" || !styleMayHide(style) {
		return true
	}
	return v.decls(style)
}

// styleMayHide is a cheap necessary condition for a style to matter here.
func styleMayHide(st string) bool {
	if strings.IndexByte(st, '0') >= 0 {
		return true
	}
	for _, w := range styleWords {
		if ContainsFold(st, w) {
			return true
		}
	}
	return false
}

var styleWords = []string{"none", "hid", "color", "background", "mso", "size", "visib", "opacity", "white", "clip"}

// decls applies a style attribute's declarations; false hides the subtree.
func (v *visibility) decls(style string) bool {
	zeroBox, overflowHidden := false, false
	for _, d := range strings.Split(style, ";") {
		prop, val, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		prop = strings.ToLower(strings.TrimSpace(prop))
		if i := strings.IndexByte(val, '!'); i >= 0 {
			val = val[:i] // "!important"
		}
		val = strings.ToLower(strings.TrimSpace(val))
		switch prop {
		case "display":
			if val == "none" {
				return false
			}
		case "visibility":
			v.invisible = val == "hidden" || val == "collapse"
		case "opacity":
			if f, ok := cssNumber(val); ok && f <= 0.05 {
				return false
			}
		case "mso-hide":
			if val == "all" {
				return false
			}
		case "font-size":
			if f, ok := cssNumber(val); ok {
				v.zeroFont = f < 1 && (strings.HasSuffix(val, "px") || strings.HasSuffix(val, "pt")) || f <= 0.05
			}
		case "max-height", "height", "max-width", "width":
			if f, ok := cssNumber(val); ok && f == 0 {
				zeroBox = true
			}
		case "overflow", "overflow-x", "overflow-y":
			overflowHidden = overflowHidden || val == "hidden" || val == "clip"
		case "color":
			v.color = normColor(val, v.color)
		case "background-color", "background":
			for _, f := range strings.Fields(val) {
				if c := normColor(f, ""); c != "" {
					v.bg = c
					break
				}
			}
		}
	}
	return !(zeroBox && overflowHidden)
}

// cssNumber reads the number a CSS length starts with ("0", "0.5em",
// "-1px"); "auto" and the like are not numbers.
func cssNumber(val string) (float64, bool) {
	i := 0
	for i < len(val) && (val[i] >= '0' && val[i] <= '9' || val[i] == '.' || val[i] == '-' || val[i] == '+') {
		i++
	}
	if i == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(val[:i], 64)
	return f, err == nil
}

// namedColors are the CSS names mail is written with (and the ones a
// forger would use to hide text); others compare by name.
var namedColors = map[string]string{
	"white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
	"yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "navy": "#000080",
	"whitesmoke": "#f5f5f5", "snow": "#fffafa", "ivory": "#fffff0", "ghostwhite": "#f8f8ff",
	"floralwhite": "#fffaf0", "azure": "#f0ffff", "mintcream": "#f5fffa", "seashell": "#fff5ee",
	"aliceblue": "#f0f8ff", "honeydew": "#f0fff0", "lavenderblush": "#fff0f5", "linen": "#faf0e6",
	"oldlace": "#fdf5e6", "beige": "#f5f5dc", "lightyellow": "#ffffe0", "cornsilk": "#fff8dc",
}

// normColor normalises a CSS colour to "#rrggbb" (or "transparent", or
// the lower-case name); keep is returned for "inherit", "currentcolor"
// and what is not a colour.
func normColor(c, keep string) string {
	c = strings.ToLower(strings.TrimSpace(c))
	switch {
	case c == "", c == "inherit", c == "currentcolor", c == "initial", c == "unset", c == "none":
		return keep
	case c == "transparent":
		return c
	case strings.HasPrefix(c, "#"):
		h := c[1:]
		switch len(h) {
		case 3, 4:
			if len(h) == 4 && h[3] == '0' {
				return "transparent"
			}
			return "#" + string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		case 6:
			return c
		case 8:
			if h[6:] == "00" {
				return "transparent"
			}
			return "#" + h[:6]
		}
		return keep
	case strings.HasPrefix(c, "rgb"):
		i, j := strings.IndexByte(c, '('), strings.IndexByte(c, ')')
		if i < 0 || j < i {
			return keep
		}
		parts := strings.FieldsFunc(c[i+1:j], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) < 3 {
			return keep
		}
		var rgb [3]int
		for k := range 3 {
			f, ok := cssNumber(parts[k])
			if !ok {
				return keep
			}
			if strings.HasSuffix(parts[k], "%") {
				f = f * 255 / 100
			}
			rgb[k] = int(min(max(f, 0), 255) + 0.5)
		}
		if len(parts) > 3 {
			if a, ok := cssNumber(parts[3]); ok && (a <= 0.05 || strings.HasSuffix(parts[3], "%") && a <= 5) {
				return "transparent"
			}
		}
		return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
	}
	if h, ok := namedColors[c]; ok {
		return h
	}
	if strings.IndexFunc(c, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		return keep // a url(), a gradient, a number: not a colour
	}
	return c
}

// sameColor: two colours a reader cannot tell apart (each channel within
// 24 of 255), or the same name.
func sameColor(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) != 7 || len(b) != 7 || a[0] != '#' || b[0] != '#' {
		return false
	}
	for k := 1; k < 7; k += 2 {
		x, err1 := strconv.ParseUint(a[k:k+2], 16, 8)
		y, err2 := strconv.ParseUint(b[k:k+2], 16, 8)
		if err1 != nil || err2 != nil {
			return false
		}
		if d := int(x) - int(y); d > 24 || d < -24 {
			return false
		}
	}
	return true
}

// hideRules are the classes and ids that a document's <style> rules hide
// (display:none, visibility:hidden, font-size:0, mso-hide:all…). Rules in
// @media blocks count too: text hidden on some screens is not a command.
type hideRules struct {
	classes, ids map[string]bool
}

func (r *hideRules) hides(key, val string) bool {
	if key == "id" {
		return r.ids[strings.ToLower(strings.TrimSpace(val))]
	}
	for _, c := range strings.Fields(val) {
		if r.classes[strings.ToLower(c)] {
			return true
		}
	}
	return false
}

// styleRules collects the hiding rules of every <style> element.
func styleRules(doc *html.Node) *hideRules {
	r := &hideRules{classes: map[string]bool{}, ids: map[string]bool{}}
	n := 0
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if n++; n > maxHTMLNodes {
			return
		}
		if x.Type == html.ElementNode && x.DataAtom == atom.Style {
			for c := x.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					r.add(c.Data)
				}
			}
			return
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(r.classes) == 0 && len(r.ids) == 0 {
		return nil
	}
	return r
}

// add reads "selectors { declarations }" rules; a rule that hides marks
// every ".class" and "#id" its selectors end with. Nested blocks (@media)
// are read as if flat.
func (r *hideRules) add(css string) {
	for len(css) > 0 {
		open := strings.IndexByte(css, '{')
		if open < 0 {
			return
		}
		close := strings.IndexByte(css[open:], '}')
		if close < 0 {
			return
		}
		sel, body := css[:open], css[open+1:open+close]
		if k := strings.LastIndexByte(sel, '{'); k >= 0 {
			sel = sel[k+1:]
		}
		css = css[open+close+1:]
		if i := strings.LastIndexByte(sel, '}'); i >= 0 {
			sel = sel[i+1:]
		}
		if nested := strings.IndexByte(body, '{'); nested >= 0 {
			// "@media x { .a {": the selector is after the last '{'
			sel, body = body[:nested], body[nested+1:]
		}
		var v visibility
		if !styleMayHide(body) || v.decls(body) && !v.invisible && !v.zeroFont && v.color != "transparent" {
			continue
		}
		for _, s := range strings.Split(sel, ",") {
			f := strings.Fields(s)
			if len(f) == 0 {
				continue
			}
			last := f[len(f)-1]
			if i := strings.IndexAny(last, ":["); i >= 0 {
				last = last[:i]
			}
			for _, part := range strings.FieldsFunc(last, func(c rune) bool { return c == '.' || c == '#' }) {
				at := strings.Index(last, part)
				switch {
				case at > 0 && last[at-1] == '.':
					r.classes[strings.ToLower(part)] = true
				case at > 0 && last[at-1] == '#':
					r.ids[strings.ToLower(part)] = true
				}
			}
		}
	}
}

package trim

import "regexp"

// hideRe matches the ways HTML hides text from its reader. The visibility
// filter reads some of them exactly and drops what they hide; others
// (positioning off-screen, transforms, clipping, closed <details>, colours
// set in <style> rules or with hsl()) it does not evaluate. HidesText lets
// the caller distrust an approval found in such HTML.
var hideRe = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden|` +
	`font-size\s*:\s*0(\.0+)?(px|pt|em|rem|%)?\s*(!important)?\s*[;"'}]|opacity\s*:\s*0(\.0+)?\s*[;"'}]|mso-hide|` +
	`<[a-z][^>]*\shidden[\s>=/]|text-indent\s*:\s*-|position\s*:\s*(absolute|fixed)|transform\s*:|clip(-path)?\s*:|` +
	`hsla?\(|<details|(max-)?(height|width)\s*:\s*0(px)?\s*[;"'}]|` +
	`(^|[^-a-z])color\s*:\s*(#fff\b|#ffffff|white|transparent|rgba?\(\s*255\s*,\s*255\s*,\s*255)`)

// styleOpenRe is a <style> start tag with its attributes: Outlook writes
// <style type="text/css" style="display:none;">, which hides no text.
var styleOpenRe = regexp.MustCompile(`(?i)<style[^>]*>`)

// HidesText reports whether html uses any construct that hides text,
// whether or not HTMLToText could evaluate it.
func HidesText(html string) bool {
	if containsFold(html, "<style") {
		html = styleOpenRe.ReplaceAllString(html, "<style>")
	}
	return hideRe.MatchString(html)
}

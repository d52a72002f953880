// Package render turns a flow.Mail into what an official reads: the
// subject with its tag ("[LAKIP 2023 - Langkah 8] ..."), a text/plain body
// and an HTML body, from the templates in /templates (embedded) or from a
// templates directory that overrides them file by file.
package render

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/templates"
)

// Kinds lists every template the flow may ask for; New checks that each
// has a text body, an HTML body and a subject.
var Kinds = []string{
	flow.TplTask, flow.TplApproval, flow.TplCollect, flow.TplReport, flow.TplReminder, flow.TplEscalation,
	flow.TplReceipt, flow.TplNotice, flow.TplStatus, flow.TplHelp, flow.TplAlert, flow.TplSummary,
	flow.TplInvitation, flow.TplCancel, flow.TplAttendance, flow.TplQuarantine,
	flow.TplAck, flow.TplSend, flow.TplSlot, flow.TplNotulen,
}

// Options configure a Renderer. All fields are optional.
type Options struct {
	// Dir overrides the built-in templates: a file there replaces the
	// built-in one of the same name, and new files add templates (for
	// SOP steps with their own template name).
	Dir string
	// FS replaces the built-in templates entirely (tests).
	FS fs.FS
	// Office gives the office's name for the signature and the names of
	// the officials who wrote notes.
	Office *sop.Office
	// DayMinutes is the length of a working day, for durations in
	// "hari kerja" (default 510: 07.30-16.00).
	DayMinutes int
}

// Renderer renders mails. It is safe for concurrent use.
type Renderer struct {
	opt  Options
	text *texttemplate.Template
	html *htmltemplate.Template

	mu    sync.Mutex
	byLoc map[*time.Location]*bound
}

// bound is a pair of template sets whose functions show times in one zone.
type bound struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// sets returns the template sets bound to loc, building them once per zone
// (html/template escapes a set on first use; cloning per mail would redo it).
func (r *Renderer) sets(loc *time.Location) (*texttemplate.Template, *htmltemplate.Template, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b, ok := r.byLoc[loc]; ok {
		return b.text, b.html, nil
	}
	t, err := r.text.Clone()
	if err != nil {
		return nil, nil, err
	}
	h, err := r.html.Clone()
	if err != nil {
		return nil, nil, err
	}
	t.Funcs(r.funcs(loc))
	t.Funcs(texttemplate.FuncMap{"include": func(name string, data any) (string, error) {
		var b strings.Builder
		err := t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}})
	h.Funcs(r.funcs(loc))
	if r.byLoc == nil {
		r.byLoc = map[*time.Location]*bound{}
	}
	r.byLoc[loc] = &bound{text: t, html: h}
	return t, h, nil
}

// View is what a template sees: the mail's data plus the parts of the mail
// itself that a body mentions.
type View struct {
	flow.MailData
	Template    string
	To          []flow.Recipient
	Attachments []flow.Attachment
	Automatic   bool
	// LatestSubject is the subject of the mail in Data.Latest, as it was
	// sent, so that a notice can name the mail to answer.
	LatestSubject string
}

// Office is the office the renderer was built for (nil: none given).
func (r *Renderer) Office() *sop.Office { return r.opt.Office }

// New loads and checks the templates.
func New(opt Options) (*Renderer, error) {
	if opt.DayMinutes <= 0 {
		opt.DayMinutes = 510
	}
	base := opt.FS
	if base == nil {
		base = templates.FS
	}
	files, err := collect(base, opt.Dir)
	if err != nil {
		return nil, err
	}
	r := &Renderer{opt: opt}
	if err := r.parse(files); err != nil {
		return nil, err
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// collect reads every *.tmpl file, the directory's replacing the built-in.
func collect(base fs.FS, dir string) (map[string]string, error) {
	files := map[string]string{}
	read := func(fsys fs.FS, where string) error {
		names, err := fs.Glob(fsys, "*.tmpl")
		if err != nil {
			return err
		}
		for _, n := range names {
			b, err := fs.ReadFile(fsys, n)
			if err != nil {
				return fmt.Errorf("read template %s%s: %w", where, n, err)
			}
			files[n] = string(b)
		}
		return nil
	}
	if err := read(base, ""); err != nil {
		return nil, err
	}
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("templates directory %s: %w (fix templates_dir in the config or create it)", dir, err)
		}
		if err := read(os.DirFS(dir), dir+string(filepath.Separator)); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// parse builds one text set (shared wording, text partials, every
// *.txt.tmpl) and one HTML set (shared wording, HTML partials, every
// *.html.tmpl). A file's templates are named after the file.
func (r *Renderer) parse(files map[string]string) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names) // "_" sorts first: partials before the mails
	r.text = texttemplate.New("").Option("missingkey=error").Funcs(r.funcs(nil))
	r.html = htmltemplate.New("").Option("missingkey=error").Funcs(r.funcs(nil))
	var errs []error
	for _, n := range names {
		src := files[n]
		isHTML, isText := strings.HasSuffix(n, ".html.tmpl"), strings.HasSuffix(n, ".txt.tmpl")
		if !isHTML && !isText || n == "_kata.tmpl" {
			if _, err := r.html.New(n).Parse(src); err != nil {
				errs = append(errs, fmt.Errorf("template %s: %w", n, err))
			}
		}
		if isHTML {
			if _, err := r.html.New(n).Parse(src); err != nil {
				errs = append(errs, fmt.Errorf("template %s: %w", n, err))
			}
			continue
		}
		if _, err := r.text.New(n).Parse(src); err != nil {
			errs = append(errs, fmt.Errorf("template %s: %w", n, err))
		}
	}
	return errors.Join(errs...)
}

func (r *Renderer) check() error {
	var missing []string
	for _, k := range Kinds {
		for _, n := range []string{k + ".txt.tmpl", k + ".subject"} {
			if r.text.Lookup(n) == nil {
				missing = append(missing, n)
			}
		}
		if r.html.Lookup(k+".html.tmpl") == nil {
			missing = append(missing, k+".html.tmpl")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("templates missing: %s (every kind of mail needs <kind>.txt.tmpl defining \"<kind>.subject\" and <kind>.html.tmpl)",
			strings.Join(missing, ", "))
	}
	return nil
}

// Render returns the subject, the text body and the HTML body of m, with
// every time shown in loc (nil: the office zone the times carry).
func (r *Renderer) Render(m *flow.Mail, loc *time.Location) (subject, text, html string, err error) {
	if m == nil {
		return "", "", "", errors.New("render: no mail")
	}
	v := View{MailData: m.Data, Template: m.Template, To: m.To, Attachments: m.Attachments, Automatic: m.Automatic}
	tpl := m.Template
	t, h, err := r.sets(loc)
	if err != nil {
		return "", "", "", fmt.Errorf("render %s: %w", tpl, err)
	}
	if t.Lookup(tpl+".txt.tmpl") == nil || h.Lookup(tpl+".html.tmpl") == nil {
		return "", "", "", fmt.Errorf("render: no template %q (add %s.txt.tmpl and %s.html.tmpl to the templates directory)", tpl, tpl, tpl)
	}
	if l := m.Data.Latest; l != nil {
		if v.LatestSubject, err = latestSubject(t, v, l); err != nil {
			return "", "", "", fmt.Errorf("render %s: %w", tpl, err)
		}
	}
	var sb, tb, hb bytes.Buffer
	if err := t.ExecuteTemplate(&sb, tpl+".subject", v); err != nil {
		return "", "", "", fmt.Errorf("render subject of %s: %w", tpl, err)
	}
	if err := t.ExecuteTemplate(&tb, tpl+".txt.tmpl", v); err != nil {
		return "", "", "", fmt.Errorf("render text of %s: %w", tpl, err)
	}
	if err := h.ExecuteTemplate(&hb, tpl+".html.tmpl", v); err != nil {
		return "", "", "", fmt.Errorf("render html of %s: %w", tpl, err)
	}
	subject = Tag(m.Data, m.Step) + " " + strings.Join(strings.Fields(sb.String()), " ")
	return subject, tidy(tb.String()), hb.String(), nil
}

// latestSubject renders the subject an earlier assignment was sent with,
// from what it showed then (step, round, revision, unit). A template
// without a subject (an office's own) gives "".
func latestSubject(t *texttemplate.Template, v View, l *flow.LatestMail) (string, error) {
	if t.Lookup(l.Template+".subject") == nil {
		return "", nil
	}
	lv := View{MailData: v.MailData, Template: l.Template, To: v.To}
	lv.Step, lv.Round, lv.Revision, lv.Unit, lv.Latest = l.Step, l.Round, l.Revision, l.Unit, nil
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, l.Template+".subject", lv); err != nil {
		return "", fmt.Errorf("subject of %s: %w", l.Template, err)
	}
	return Tag(v.MailData, l.Step.Number) + " " + strings.Join(strings.Fields(b.String()), " "), nil
}

var yearRe = regexp.MustCompile(`\b(19|20)\d{2}\b`)

// Tag is the subject tag: "[LAKIP 2023 - Langkah 8]", or "[LAKIP 2023]"
// for mail about the whole run. Plain ASCII, so that a subject without
// other non-ASCII text goes unencoded (RFC 2047) and reads in any client. The year is the last year in the run's
// title; without a Tag the title itself is used.
func Tag(d flow.MailData, step int) string {
	name := strings.TrimSpace(d.Tag)
	years := yearRe.FindAllString(d.RunTitle, -1)
	switch {
	case name == "":
		name = strings.TrimSpace(d.RunTitle)
	case len(years) > 0:
		name += " " + years[len(years)-1]
	}
	if name == "" {
		name = "mailflow"
	}
	if step > 0 {
		return fmt.Sprintf("[%s - Langkah %d]", name, step)
	}
	return "[" + name + "]"
}

var blankRuns = regexp.MustCompile(`\n{3,}`)

// tidy trims trailing spaces on each line and folds runs of blank lines
// (left by optional sections) into one.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "-- " { // the signature separator keeps its space (RFC 3676 §4.3)
			lines[i] = strings.TrimRight(l, " \t")
		}
	}
	s = blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.Trim(s, "\n") + "\n"
}

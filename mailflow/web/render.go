package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

var pages = []string{"login", "runs", "run", "outbox", "health", "error", "offices"}

func parseTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", path.Join("templates", p+".html"))
		if err != nil {
			return nil, fmt.Errorf("console templates: %w", err)
		}
		out[p] = t
	}
	return out, nil
}

var funcs = template.FuncMap{
	"short": shortTime,
	"long": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return workcal.Format(t)
	},
	"sha": func(s string) string {
		if len(s) > 16 {
			return s[:16] + "…"
		}
		return s
	},
	"size": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
		}
		return fmt.Sprintf("%d B", n)
	},
	"join": strings.Join,
}

// shortTime is "Sen 06-05 09.15 WIB": enough on a phone, in the office's zone.
func shortTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	days := [...]string{"Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"}
	return fmt.Sprintf("%s %s %s", days[t.Weekday()], t.Format("02-01-2006 15.04"), workcal.ZoneName(t))
}

// page is what every template gets.
type page struct {
	Title   string
	Account string
	CSRF    string
	Nav     string
	Flash   string
	Error   string
	Data    any
	// Base prefixes an office's links ("" for one office); Office names
	// it in a deployment, whose pages link back to the offices list
	// (Multi).
	Base   string
	Office string
	Multi  bool
}

// render shows an office's page: its links carry the office's prefix.
func (s *req) render(w http.ResponseWriter, status int, name string, p page) {
	p.Base, p.Multi = s.base, s.single == nil
	if s.off != nil && p.Multi {
		c := s.conf()
		p.Office = c.ShortName
		if p.Office == "" {
			p.Office = c.Office.Name
		}
	}
	s.Server.render(w, status, name, p)
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	var b bytes.Buffer
	if err := s.tpl[name].ExecuteTemplate(&b, "layout", p); err != nil {
		s.log.Error("console: render", "page", name, "err", err)
		http.Error(w, "kesalahan internal", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "error", page{Title: "Ditolak", Error: msg, Multi: s.single == nil})
}

func (s *req) fail(w http.ResponseWriter, r *http.Request, se *session, err error) {
	s.log.Error("console: request failed", "path", r.URL.Path, "err", err)
	p := page{Title: "Kesalahan", Error: "Terjadi kesalahan: " + err.Error()}
	if se != nil {
		p.Account, p.CSRF = se.Account, se.CSRF
	}
	s.render(w, http.StatusInternalServerError, "error", p)
}

// local converts to the office's time zone.
func (s *req) local(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(s.conf().Calendar.Loc)
}

// back redirects after a POST with a message shown once (in the URL: the
// console keeps no flash state).
func back(w http.ResponseWriter, r *http.Request, to, msg string) {
	if msg != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "pesan=" + urlQuery(msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

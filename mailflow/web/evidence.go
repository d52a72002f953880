package web

import (
	"bytes"
	"errors"
	"mime"
	"net/http"

	"github.com/bangkatengah/mailflow/mailflow/bundle"
	"github.com/bangkatengah/mailflow/mailflow/report"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func (s *req) reportSource() report.Source {
	return report.FromConfig(s.conf(), s.app().Store)
}

// reportPDF is the run's Formulir Monitoring Pelaksanaan SOP, as
// "mailflow report RUN" writes it.
func (s *req) reportPDF(w http.ResponseWriter, r *http.Request, se *session) {
	id := r.PathValue("id")
	var b bytes.Buffer
	if err := report.Form(r.Context(), &b, s.reportSource(), id); err != nil {
		s.evidenceFailed(w, r, se, err)
		return
	}
	s.log.Info("console: monitoring form downloaded", "account", se.Account, "run", id)
	s.download(w, "application/pdf", "laporan-"+id+".pdf", b.Bytes())
}

// bundleZip is the run's evidence bundle, as "mailflow export RUN" writes
// it ("mailflow verify" checks it).
func (s *req) bundleZip(w http.ResponseWriter, r *http.Request, se *session) {
	id := r.PathValue("id")
	var b bytes.Buffer
	if _, err := bundle.Export(r.Context(), &b, s.reportSource(), s.app().Blobs, id); err != nil {
		s.evidenceFailed(w, r, se, err)
		return
	}
	s.log.Info("console: evidence bundle downloaded", "account", se.Account, "run", id)
	s.download(w, "application/zip", "bundle-"+id+".zip", b.Bytes())
}

func (s *req) evidenceFailed(w http.ResponseWriter, r *http.Request, se *session, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, http.StatusNotFound, "error", page{Title: "Tidak ditemukan", Account: se.Account, CSRF: se.CSRF, Error: "Proses tidak ditemukan."})
		return
	}
	s.fail(w, r, se, err)
}

func (s *req) download(w http.ResponseWriter, ctype, name string, b []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

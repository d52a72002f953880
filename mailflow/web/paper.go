package web

import "net/http"

// paperDone marks a step done on paper (flow.EvManual).
func (s *Server) paperDone(w http.ResponseWriter, r *http.Request, se *session) {
	back(w, r, "/run/"+r.PathValue("id"), "Belum tersedia.")
}

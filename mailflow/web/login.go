package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

func urlQuery(s string) string { return url.QueryEscape(s) }

// A login form is protected by a token in a cookie and the same token in
// the form (double submit): there is no session yet to hold it.
const loginCookie = "mailflow_login"

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, http.StatusOK, "")
}

func (s *Server) showLogin(w http.ResponseWriter, status int, msg string) {
	tok := randomToken()
	s.setCookie(w, loginCookie, tok, 600)
	s.render(w, status, "login", page{Title: "Masuk", Error: msg, Data: tok})
}

// dummyHash keeps a login for an unknown account as slow as a real one.
const dummyHash = "$2a$12$jsymNWdihCr/YiPaqTGq0e4AuEy936m7E2Mz3ftgNLR4ZgbkXu6Ru"

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, err := r.Cookie(loginCookie)
	form := r.PostFormValue("csrf")
	if err != nil || form == "" || !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 {
		s.log.Warn("console: login without a valid CSRF token refused", "client", clientIP(r))
		s.refuse(w, r, http.StatusForbidden, "Permintaan ditolak: token keamanan formulir tidak valid. Muat ulang halaman lalu coba lagi.")
		return
	}
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("akun")))
	ip := clientIP(r)
	if d := max(s.byIP.wait(ip, now), s.byName.wait(name, now)); d > 0 {
		s.log.Warn("console: login rate-limited", "account", name, "client", ip)
		s.showLogin(w, http.StatusTooManyRequests, "Terlalu banyak percobaan masuk. Coba lagi dalam "+minutesIndo(d)+".")
		return
	}
	acc, ok := s.accounts().Account(name)
	hash := dummyHash
	if ok {
		hash = acc.Hash.Reveal()
	}
	good := CheckPassword(hash, r.PostFormValue("sandi")) && ok
	if !good {
		s.byIP.fail(ip, now)
		s.byName.fail(name, now)
		s.log.Warn("console: login failed", "account", name, "client", ip)
		s.showLogin(w, http.StatusUnauthorized, "Nama akun atau kata sandi salah.")
		return
	}
	s.byName.reset(name)
	id, _ := s.sess.create(acc.Name, now)
	s.setCookie(w, s.cookieName(), id, 0)
	s.setCookie(w, loginCookie, "", -1)
	s.log.Info("console: login", "account", acc.Name, "client", ip)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *req) logout(w http.ResponseWriter, r *http.Request, se *session) {
	if c, err := r.Cookie(s.cookieName()); err == nil {
		s.sess.drop(c.Value)
	}
	s.setCookie(w, s.cookieName(), "", -1)
	s.log.Info("console: logout", "account", se.Account)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// actor is how the run's history names a console account.
func actor(se *session) string { return "web:" + se.Account }

// Package web is the Sekretariat's console, served by "mailflow run": the
// runs, one run's timeline, mail and evidence, the outbox and the health
// of the mail connections, in Bahasa Indonesia, server-rendered with
// html/template and no JavaScript. It also serves /metrics, /healthz and
// /readyz for the operator.
//
// Every action goes through the engine like a reply by mail (one
// transaction: persist, then act) and is recorded with the account name
// ("web:<account>"). Every POST carries the session's CSRF token; logins
// are rate-limited; cookies are HttpOnly, SameSite=Strict and Secure over
// TLS.
package web

import (
	"context"
	"crypto/subtle"
	"crypto/tls"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// LocalAccount is who acts on a loopback console that has no accounts.
const LocalAccount = "lokal"

// Server is the console.
type Server struct {
	// cur is the running daemon: a config reload (SIGHUP) replaces it and
	// the console follows (Use).
	cur  atomic.Pointer[app.App]
	log  *slog.Logger
	now  func() time.Time
	tpl  map[string]*template.Template
	sess sessions
	// login limits: per client address and per account name.
	byIP, byName *limiter
	ln           net.Listener
	srv          *http.Server
	// web is the [web] the listener was opened with: listen and TLS
	// changes need a restart; accounts follow reloads.
	web config.Web
}

// Options adjust a Server for tests.
type Options struct {
	Now func() time.Time // nil: the engine's clock
	Log *slog.Logger
}

// New builds the console for a wired app.
func New(a *app.App, opt Options) (*Server, error) {
	if opt.Now == nil {
		opt.Now = a.Engine.Now
	}
	if opt.Log == nil {
		opt.Log = a.Log
	}
	s := &Server{log: opt.Log.With("component", "web"), now: opt.Now, web: a.Cfg.Web,
		byIP: newLimiter(10, 15*time.Minute), byName: newLimiter(5, 15*time.Minute)}
	s.cur.Store(a)
	var err error
	if s.tpl, err = parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Use makes the console serve a reloaded daemon. A changed listen address
// or TLS files take effect at the next start; accounts at once.
func (s *Server) Use(a *app.App) {
	s.cur.Store(a)
	w := a.Cfg.Web
	if w.Listen != s.web.Listen || w.TLSCert != s.web.TLSCert || w.TLSKey != s.web.TLSKey {
		s.log.Warn("[web] listen/tls changes take effect at the next start", "listening", s.web.Listen)
	}
}

func (s *Server) app() *app.App        { return s.cur.Load() }
func (s *Server) conf() *config.Config { return s.cur.Load().Cfg }

// Listen opens the configured address, so that a port in use is reported
// before the daemon starts.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.web.Listen)
	if err != nil {
		return fmt.Errorf("console: listen on %s: %w (set [web] listen to a free port, or \"off\")", s.web.Listen, err)
	}
	if s.web.TLS() {
		cert, err := tls.LoadX509KeyPair(s.web.TLSCert, s.web.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("console: load web.tls_cert/tls_key: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	s.ln = ln
	if len(s.conf().Web.Accounts) == 0 {
		s.log.Warn("console has no [[web.account]]: anyone on this machine can use it as \"" + LocalAccount + "\"")
	}
	return nil
}

// Addr is the listening address (after Listen).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the console's base URL (after Listen).
func (s *Server) URL() string {
	scheme := "http"
	if s.web.TLS() {
		scheme = "https"
	}
	return scheme + "://" + s.Addr()
}

// Serve serves until ctx ends.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	stop := context.AfterFunc(ctx, func() {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.srv.Shutdown(c)
	})
	defer stop()
	s.log.Info("console listening", "url", s.URL())
	if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// Handler is the console's routing: the operator's endpoints are open
// (they show counts, never names or mail), everything else needs a login.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		// The registry of the daemon running now (a reload builds a new one:
		// Prometheus reads its counters' reset as such).
		promhttp.HandlerFor(s.app().Metrics.Registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginPost)
	auth := func(pattern string, h func(http.ResponseWriter, *http.Request, *session)) {
		mux.Handle(pattern, s.authed(h))
	}
	auth("POST /logout", s.logout)
	auth("GET /{$}", s.runsPage)
	auth("GET /run/{id}", s.runPage)
	auth("GET /run/{id}/eml/{kind}/{ref}", s.emlView)
	auth("GET /run/{id}/file/{sha}", s.fileDownload)
	auth("GET /run/{id}/laporan.pdf", s.reportPDF)
	auth("GET /run/{id}/bundle.zip", s.bundleZip)
	auth("POST /start", s.startRun)
	auth("POST /run/{id}/meeting", s.meetingChange)
	auth("POST /run/{id}/paper", s.paperDone)
	auth("GET /outbox", s.outboxPage)
	auth("POST /outbox/{oid}/retry", s.outboxRetry)
	auth("POST /outbox/{oid}/cancel", s.outboxCancel)
	auth("GET /health", s.healthPage)
	return s.secure(mux)
}

// secure sets the headers every answer carries: no framing, no sniffing,
// no script at all.
func (s *Server) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		if s.web.TLS() {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) cookieName() string {
	if s.web.TLS() {
		return "__Host-mailflow" // the prefix binds it to this origin over HTTPS
	}
	return "mailflow"
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.web.TLS(), SameSite: http.SameSiteStrictMode})
}

// authed finds the session (or, on a loopback console without accounts,
// makes one for LocalAccount) and checks the CSRF token of every POST.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.now()
		var se *session
		if c, err := r.Cookie(s.cookieName()); err == nil {
			se = s.sess.get(c.Value, now)
		}
		if se == nil && len(s.conf().Web.Accounts) == 0 && r.Method == http.MethodGet {
			var id string
			id, se = s.sess.create(LocalAccount, now)
			s.setCookie(w, s.cookieName(), id, 0)
		}
		if se == nil {
			if r.Method != http.MethodGet {
				s.refuse(w, r, http.StatusForbidden, "Sesi Anda sudah berakhir. Silakan masuk kembali.")
				return
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !s.csrfOK(r, se.CSRF) {
			s.log.Warn("console: POST without a valid CSRF token refused", "path", r.URL.Path, "account", se.Account, "client", clientIP(r))
			s.refuse(w, r, http.StatusForbidden, "Permintaan ditolak: token keamanan formulir tidak valid. Muat ulang halaman lalu coba lagi.")
			return
		}
		h(w, r, se)
	})
}

// csrfOK checks the form's token against the session's, and that a
// browser that names the request's origin names this one.
func (s *Server) csrfOK(r *http.Request, want string) bool {
	if !sameOrigin(r) {
		return false
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// sameOrigin refuses a request that a browser says comes from another
// site (Origin, Sec-Fetch-Site); requests without those headers pass to
// the token check.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		if i := strings.Index(o, "://"); i < 0 || o[i+3:] != r.Host {
			return false
		}
	}
	return r.Header.Get("Sec-Fetch-Site") != "cross-site"
}

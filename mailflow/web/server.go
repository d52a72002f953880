// Package web is the Sekretariat's console, served by "mailflow run": the
// runs, one run's timeline, mail and evidence, the outbox and the health
// of the mail connections, in Bahasa Indonesia, server-rendered with
// html/template and no JavaScript. It also serves /metrics, /healthz and
// /readyz for the operator.
//
// A deployment of many offices (mailflow run -config-dir) has one console:
// Daftar Kantor at /, each office's pages under /kantor/{office}/, and
// each account sees only the offices its grant names (config.Console).
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
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/metrics"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// LocalAccount is who acts on a loopback console that has no accounts.
const LocalAccount = "lokal"

// Server is the console: of one office (New), or of a deployment's
// offices, each under /kantor/{office}/ (NewDeployment).
type Server struct {
	// single is the one office of "mailflow run -config"; nil in a
	// deployment, whose offices are by ID in offices.
	single  *office
	offices map[string]*office
	ids     []string // the deployment's office IDs, in order
	con     atomic.Pointer[config.Console]
	log     *slog.Logger
	now     func() time.Time
	tpl     map[string]*template.Template
	sess    sessions
	// login limits: per client address and per account name.
	byIP, byName *limiter
	ln           net.Listener
	srv          *http.Server
	// web is the [web] the listener was opened with: listen and TLS
	// changes need a restart; accounts follow reloads.
	web    config.Web
	leases func(context.Context, *app.App) ([]store.LeaseInfo, error)
}

// office is one office the console serves. cur is its running daemon: a
// config reload (SIGHUP) replaces it and the console follows (Use).
type office struct {
	id  string
	cur atomic.Pointer[app.App]
	// due keeps its open runs' deadlines between views of Daftar Kantor:
	// a run is decoded again only when it changed.
	due metrics.DueCache
}

// req is one request's view of the console: the office it addresses (nil
// on the offices list) and the prefix of that office's links ("" for a
// single office, "/kantor/{id}" in a deployment).
type req struct {
	*Server
	off  *office
	base string
}

func (s *req) app() *app.App        { return s.off.cur.Load() }
func (s *req) conf() *config.Config { return s.app().Cfg }

// Options adjust a Server for tests.
type Options struct {
	Now func() time.Time // nil: the engine's clock
	Log *slog.Logger
	// Leases lists who holds an office's mailbox; nil: its store's
	// leases when on PostgreSQL (none on SQLite).
	Leases func(context.Context, *app.App) ([]store.LeaseInfo, error)
}

// New builds the console for a wired app.
func New(a *app.App, opt Options) (*Server, error) {
	s, err := newServer(a, a.Cfg.Web, opt)
	if err != nil {
		return nil, err
	}
	s.single = &office{}
	s.single.cur.Store(a)
	return s, nil
}

func newServer(a *app.App, w config.Web, opt Options) (*Server, error) {
	if opt.Now == nil {
		opt.Now = a.Engine.Now
	}
	if opt.Log == nil {
		opt.Log = a.Log
	}
	if opt.Leases == nil {
		opt.Leases = storeLeases
	}
	s := &Server{log: opt.Log.With("component", "web"), now: opt.Now, web: w, leases: opt.Leases,
		byIP: newLimiter(10, 15*time.Minute), byName: newLimiter(5, 15*time.Minute)}
	var err error
	if s.tpl, err = parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Use makes the console of one office serve a reloaded daemon. A changed
// listen address or TLS files take effect at the next start; accounts at
// once.
func (s *Server) Use(a *app.App) {
	if s.single == nil {
		return
	}
	s.single.cur.Store(a)
	w := a.Cfg.Web
	if w.Listen != s.web.Listen || w.TLSCert != s.web.TLSCert || w.TLSKey != s.web.TLSKey {
		s.log.Warn("[web] listen/tls changes take effect at the next start", "listening", s.web.Listen)
	}
}

// accounts is the [web] whose accounts may log in: the office's (it
// follows reloads) or the deployment console's.
func (s *Server) accounts() config.Web {
	if s.single != nil {
		return s.single.cur.Load().Cfg.Web
	}
	return s.con.Load().Web
}

// accountLive tells whether a session's account may still log in: a
// reload may have removed it, or given a console without logins some.
func (s *Server) accountLive(name string) bool {
	w := s.accounts()
	if len(w.Accounts) == 0 {
		return name == LocalAccount
	}
	_, ok := w.Account(name)
	return ok
}

// granted tells whether account may see the office: one office's console
// has no grants; a deployment's are in _console.toml.
func (s *Server) granted(account, id string) bool {
	return s.single != nil || s.con.Load().Granted(account, id)
}

// Listen opens the configured address, so that a port in use is reported
// before the daemon starts.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.web.Listen)
	if err != nil {
		where := "[web] listen"
		if s.single == nil {
			where = "[web] listen in " + config.ConsoleFile
		}
		return fmt.Errorf("console: listen on %s: %w (set %s to a free port, or \"off\")", s.web.Listen, err, where)
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
	if len(s.accounts().Accounts) == 0 {
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

// officeRoutes are an office's pages and actions, under its prefix.
var officeRoutes = []struct {
	pattern string
	h       handler
}{
	{"GET /{$}", (*req).runsPage},
	{"GET /run/{id}", (*req).runPage},
	{"GET /run/{id}/eml/{kind}/{ref}", (*req).emlView},
	{"GET /run/{id}/file/{sha}", (*req).fileDownload},
	{"GET /run/{id}/laporan.pdf", (*req).reportPDF},
	{"GET /run/{id}/bundle.zip", (*req).bundleZip},
	{"POST /start", (*req).startRun},
	{"POST /run/{id}/meeting", (*req).meetingChange},
	{"POST /run/{id}/paper", (*req).paperDone},
	{"GET /outbox", (*req).outboxPage},
	{"POST /outbox/{oid}/retry", (*req).outboxRetry},
	{"POST /outbox/{oid}/cancel", (*req).outboxCancel},
	{"GET /health", (*req).healthPage},
}

// OfficePrefix is where a deployment's console serves an office's pages.
const OfficePrefix = "/kantor/"

type handler func(*req, http.ResponseWriter, *http.Request, *session)

// Handler is the console's routing: the operator's endpoints are open
// (they show counts, never names or mail), everything else needs a login.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginPost)
	mux.Handle("POST /logout", s.authed((*req).logout))
	prefix := ""
	if s.single == nil {
		prefix = OfficePrefix + "{office}"
		mux.Handle("GET /{$}", s.authed((*req).officesPage))
		mux.Handle("GET "+prefix, s.authed(func(q *req, w http.ResponseWriter, r *http.Request, _ *session) {
			http.Redirect(w, r, q.base+"/", http.StatusSeeOther)
		}))
	}
	for _, rt := range officeRoutes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		mux.Handle(method+" "+prefix+path, s.authed(rt.h))
	}
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
// makes one for LocalAccount), resolves the office the path names and
// checks the CSRF token of every POST. An office the account is not
// granted is "not found", like one that does not exist: a console does not
// tell who else it serves.
func (s *Server) authed(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.now()
		var se *session
		if c, err := r.Cookie(s.cookieName()); err == nil {
			se = s.sess.get(c.Value, now)
		}
		if se != nil && !s.accountLive(se.Account) {
			se = nil // removed by a reload: logged out
		}
		if se == nil && len(s.accounts().Accounts) == 0 && r.Method == http.MethodGet {
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
		q := &req{Server: s, off: s.single}
		if id := r.PathValue("office"); s.single == nil && id != "" {
			o := s.offices[id]
			if o == nil || !s.granted(se.Account, id) {
				s.render(w, http.StatusNotFound, "error", page{Title: "Tidak ditemukan", Account: se.Account, CSRF: se.CSRF,
					Multi: true, Error: "Halaman tidak ditemukan."})
				return
			}
			q.off, q.base = o, OfficePrefix+url.PathEscape(id)
		}
		if r.Method == http.MethodPost && !s.csrfOK(r, se.CSRF) {
			s.log.Warn("console: POST without a valid CSRF token refused", "path", r.URL.Path, "account", se.Account, "client", clientIP(r))
			s.refuse(w, r, http.StatusForbidden, "Permintaan ditolak: token keamanan formulir tidak valid. Muat ulang halaman lalu coba lagi.")
			return
		}
		h(q, w, r, se)
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

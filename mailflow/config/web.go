package config

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// DefaultWebListen is [web] listen when not set: loopback only.
const DefaultWebListen = "127.0.0.1:8025"

// Web is the console and the metrics/health endpoints served by "mailflow run".
type Web struct {
	// Listen is host:port; "" when the console is off (listen = "off").
	Listen string
	// TLSCert and TLSKey are PEM files; both set means HTTPS.
	TLSCert, TLSKey string
	Accounts        []WebAccount
	// ReadyIMAP is how recently the IMAP session must have been up for
	// /readyz to answer 200.
	ReadyIMAP time.Duration
}

// WebAccount is one login of the console.
type WebAccount struct {
	Name string
	// Hash is a bcrypt or argon2id hash made by "mailflow passwd".
	Hash Secret
}

// TLS reports whether the console is served over HTTPS.
func (w Web) TLS() bool { return w.TLSCert != "" && w.TLSKey != "" }

// describe is the console's line in "mailflow check".
func (w Web) describe() string {
	if w.Listen == "" {
		return "console: off"
	}
	scheme, who := "http", "no logins: anyone on this machine"
	if w.TLS() {
		scheme = "https"
	}
	if len(w.Accounts) > 0 {
		who = fmt.Sprintf("%d account(s)", len(w.Accounts))
	}
	return fmt.Sprintf("console: %s://%s (%s)", scheme, w.Listen, who)
}

// Account finds a login by name.
func (w Web) Account(name string) (WebAccount, bool) {
	for _, a := range w.Accounts {
		if a.Name == name {
			return a, true
		}
	}
	return WebAccount{}, false
}

type fileWeb struct {
	Listen       string           `toml:"listen"`
	TLSCert      string           `toml:"tls_cert"`
	TLSKey       string           `toml:"tls_key"`
	ReadyMinutes int              `toml:"ready_imap_minutes"`
	Account      []fileWebAccount `toml:"account"`
}

type fileWebAccount struct {
	Name         string `toml:"name"`
	PasswordHash string `toml:"password_hash"`
}

var (
	accountNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)
	argon2Re      = regexp.MustCompile(`^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$`)
)

// web checks [web]: a console reachable from other machines must speak
// TLS and ask for a login, so that passwords and officials' mail never
// cross the network in clear and nobody acts anonymously.
func (v *validator) web(f *fileWeb) Web {
	w := Web{Listen: strings.TrimSpace(f.Listen), TLSCert: f.TLSCert, TLSKey: f.TLSKey, ReadyIMAP: 10 * time.Minute}
	if f.ReadyMinutes < 0 {
		v.errf("web.ready_imap_minutes", strconv.Itoa(f.ReadyMinutes), "must be positive", "e.g. 10: /readyz fails when IMAP was last up longer ago")
	} else if f.ReadyMinutes > 0 {
		w.ReadyIMAP = time.Duration(f.ReadyMinutes) * time.Minute
	}
	seen := map[string]bool{}
	for i, a := range f.Account {
		key := fmt.Sprintf("web.account[%d]", i)
		if a.Name != "" {
			key = fmt.Sprintf("web.account %q", a.Name)
		}
		if !accountNameRe.MatchString(a.Name) {
			v.errf(key+".name", q(a.Name), "not a valid account name", "lower-case letters, digits, '.', '_' or '-', at most 32, e.g. \"rina\"")
		} else if seen[a.Name] {
			v.errf(key+".name", q(a.Name), "account listed twice", "each [[web.account]] needs its own name")
		}
		seen[a.Name] = true
		if err := checkHash(a.PasswordHash); err != nil {
			v.errf(key+".password_hash", "<redacted>", err.Error(), "make one with: mailflow passwd "+a.Name)
		}
		w.Accounts = append(w.Accounts, WebAccount{Name: a.Name, Hash: Secret(a.PasswordHash)})
	}
	if (f.TLSCert == "") != (f.TLSKey == "") {
		v.errf("web.tls_cert", q(f.TLSCert), "tls_cert and tls_key go together", "set both PEM files, or neither for a loopback-only console")
	}
	for _, p := range []struct{ key, path string }{{"web.tls_cert", f.TLSCert}, {"web.tls_key", f.TLSKey}} {
		if p.path == "" {
			continue
		}
		if _, err := v.opt.Stat(p.path); err != nil {
			v.errf(p.key, q(p.path), "cannot be read: "+strings.TrimPrefix(err.Error(), "stat "+p.path+": "), "a PEM file readable by mailflow")
		}
	}
	switch w.Listen {
	case "off":
		w.Listen = ""
		return w
	case "":
		w.Listen = DefaultWebListen
	}
	host, port, err := net.SplitHostPort(w.Listen)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		v.errf("web.listen", q(f.Listen), "not host:port", "e.g. \"127.0.0.1:8025\" (this machine only), or \"off\"")
		return w
	}
	if isLoopback(host) {
		// Without accounts the console is open to this machine's users
		// (as "lokal"); "run" logs a warning about it.
		return w
	}
	if !w.TLS() {
		v.errf("web.listen", q(f.Listen), "a console reachable from other machines needs TLS", "set web.tls_cert and web.tls_key, or listen on 127.0.0.1 behind a TLS proxy")
	}
	if len(w.Accounts) == 0 {
		v.errf("web.account", "", "a console reachable from other machines needs logins", "add [[web.account]] with name and password_hash (mailflow passwd NAME)")
	}
	return w
}

// checkHash accepts the hashes "mailflow passwd" makes (bcrypt) and argon2id
// in the PHC string format.
func checkHash(h string) error {
	switch {
	case h == "":
		return fmt.Errorf("missing")
	case strings.HasPrefix(h, "$2a$"), strings.HasPrefix(h, "$2b$"), strings.HasPrefix(h, "$2y$"):
		if _, err := bcrypt.Cost([]byte(h)); err != nil {
			return fmt.Errorf("not a valid bcrypt hash")
		}
		return nil
	case strings.HasPrefix(h, "$argon2id$"):
		if !argon2Re.MatchString(h) {
			return fmt.Errorf("not a valid argon2id hash ($argon2id$v=19$m=…,t=…,p=…$salt$hash)")
		}
		return nil
	}
	return fmt.Errorf("not a password hash (a plain password must never be in the config)")
}

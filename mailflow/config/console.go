package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// ConsoleFile is the deployment's console config in a config directory.
// Files whose name starts with "_" are not offices.
const ConsoleFile = "_console.toml"

// AllOffices in an account's grant means every office of the deployment.
const AllOffices = "*"

// Console is the one console of a deployment (mailflow run -config-dir):
// [web] as in an office's file, and [[web.account]] entries that each
// name the offices the account may see.
type Console struct {
	// Path is the _console.toml read; "" when the directory has none
	// (a loopback console without logins, as for one office).
	Path string
	Web  Web
	// Grants is account name → office IDs ("*": all).
	Grants map[string][]string
}

// Granted tells whether account may see office. Without accounts the
// console is loopback-only and its one user ("lokal") sees every office.
func (c *Console) Granted(account, office string) bool {
	if len(c.Web.Accounts) == 0 {
		return true
	}
	for _, g := range c.Grants[account] {
		if g == AllOffices || g == office {
			return true
		}
	}
	return false
}

type fileConsole struct {
	Web fileConsoleWeb `toml:"web"`
}

type fileConsoleWeb struct {
	Listen  string               `toml:"listen"`
	TLSCert string               `toml:"tls_cert"`
	TLSKey  string               `toml:"tls_key"`
	Account []fileConsoleAccount `toml:"account"`
}

type fileConsoleAccount struct {
	Name         string   `toml:"name"`
	PasswordHash string   `toml:"password_hash"`
	Offices      []string `toml:"offices"`
}

// LoadDeployment loads a config directory: every office (LoadDir) and
// the console (_console.toml, optional). Problems of the console file are
// listed under its name with the offices' own.
func LoadDeployment(dir string, opt Options) ([]Office, *Console, error) {
	offs, err := LoadDir(dir, opt)
	var de *DirError
	if err != nil && !errors.As(err, &de) {
		return nil, nil, err
	}
	ids := make([]string, 0, len(offs))
	for _, o := range offs {
		ids = append(ids, o.ID)
	}
	con, cerr := LoadConsole(filepath.Join(dir, ConsoleFile), ids, opt)
	if cerr != nil {
		if de == nil {
			de = &DirError{Files: map[string]error{}}
		}
		de.Files[ConsoleFile] = cerr
	}
	if de != nil {
		return offs, con, de
	}
	return offs, con, nil
}

// LoadConsole reads a deployment's console file; a missing file gives the
// default console (loopback, no logins). offices are the deployment's
// office IDs, which the grants must name.
func LoadConsole(path string, offices []string, opt Options) (*Console, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Console{Web: Web{Listen: DefaultWebListen}, Grants: map[string][]string{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	c, err := ParseConsole(string(src), offices, opt)
	if c != nil {
		c.Path = path
	}
	return c, err
}

// ParseConsole validates a console file's text: [web] as for one office
// (a console reachable from other machines needs TLS and logins), and a
// grant of known offices for every account.
func ParseConsole(src string, offices []string, opt Options) (*Console, error) {
	if opt.Stat == nil {
		opt.Stat = os.Stat
	}
	var f fileConsole
	md, err := toml.Decode(src, &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, Errors{{Key: pe.LastKey, Line: pe.Position.Line, Msg: pe.Message, Hint: "fix the TOML syntax first"}}
		}
		return nil, Errors{{Msg: err.Error(), Hint: "check the value's type: offices is a list of strings, e.g. [\"dinsos\"]"}}
	}
	v := &validator{li: indexLines(src), opt: opt}
	for _, k := range md.Undecoded() {
		hint := "a console file has only [web] listen, tls_cert, tls_key and [[web.account]] name, password_hash, offices"
		if strings.HasSuffix(k.String(), "ready_imap_minutes") {
			hint = "ready_imap_minutes belongs to each office's [web], in its own file"
		}
		v.errf(k.String(), "", "unknown key", hint)
	}
	fw := fileWeb{Listen: f.Web.Listen, TLSCert: f.Web.TLSCert, TLSKey: f.Web.TLSKey}
	for _, a := range f.Web.Account {
		fw.Account = append(fw.Account, fileWebAccount{Name: a.Name, PasswordHash: a.PasswordHash})
	}
	c := &Console{Web: v.web(&fw), Grants: map[string][]string{}}
	known := map[string]bool{}
	for _, id := range offices {
		known[id] = true
	}
	list := strings.Join(offices, ", ")
	for i, a := range f.Web.Account {
		key := fmt.Sprintf("web.account %q.offices", a.Name)
		line := v.li.line(fmt.Sprintf("web.account[%d].offices", i))
		bad := func(val, msg, hint string) {
			v.problems = append(v.problems, Problem{Key: key, Value: val, Line: line, Msg: msg, Hint: hint})
		}
		if len(a.Offices) == 0 {
			bad("", "missing: in a config directory each account names the offices it may see",
				fmt.Sprintf("add offices = [\"%s\"] (office IDs are the file names without .toml: %s), or offices = [\"*\"] for all", firstOr(offices, "dinsos"), list))
		}
		for _, id := range a.Offices {
			switch {
			case id == AllOffices || known[id]:
			case closest(id, offices) != "":
				bad(q(id), "no such office", fmt.Sprintf("did you mean %q? (offices: %s)", closest(id, offices), list))
			default:
				bad(q(id), "no such office", "office IDs are the file names without .toml: "+list+"; \"*\" grants all")
			}
		}
		c.Grants[a.Name] = a.Offices
	}
	sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
	var errs Errors
	for _, p := range v.problems {
		if !p.Warning {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return c, errs
	}
	return c, nil
}

// closest is the office ID nearest to id in spelling, or "" when none is
// close enough to be a likely typo.
func closest(id string, offices []string) string {
	best, bestD := "", 3
	for _, o := range offices {
		if d := distance(strings.ToLower(id), strings.ToLower(o)); d < bestD && d <= len(o)/2 {
			best, bestD = o, d
		}
	}
	return best
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

// officeWebKeys refuses, in an office file of a config directory, the
// [web] keys that belong to the deployment's one console.
func officeWebKeys(path string) Errors {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil // Load reports it
	}
	var f struct {
		Web map[string]toml.Primitive `toml:"web"`
	}
	if _, err := toml.Decode(string(src), &f); err != nil {
		return nil // Load reports the syntax
	}
	li := indexLines(string(src))
	var errs Errors
	for _, k := range []string{"listen", "tls_cert", "tls_key", "account"} {
		if _, ok := f.Web[k]; ok {
			errs = append(errs, Problem{Key: "web." + k, Line: li.line("web." + k),
				Msg:  "an office of a config directory has no console of its own",
				Hint: "move [web] listen/tls_cert/tls_key and [[web.account]] to " + ConsoleFile + " in the same directory, each account with offices = [...]"})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// joinProblems lists an office file's [web] problems with its others.
func joinProblems(err error, more Errors) error {
	var es Errors
	if errors.As(err, &es) {
		return append(es, more...)
	}
	if err != nil {
		return errors.Join(err, more)
	}
	return more
}

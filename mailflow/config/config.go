// Package config loads config.toml: the office, its people, the mail
// servers, the working calendar and the SOPs as data. It checks the whole
// file and reports every problem at once, each with its key, the bad value,
// its line and a hint.
package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // a timezone must load on any OS, with or without zoneinfo

	"github.com/BurntSushi/toml"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// Config is a loaded, validated configuration.
type Config struct {
	Path         string
	Office       sop.Office
	ShortName    string
	Calendar     workcal.Calendar
	Mail         Mail
	Replies      Replies
	ReportForm   ReportForm // [report], report_cfg.go
	DataDir      string
	TemplatesDir string
	Web          Web   // [web]: the console (web.go)
	Store        Store // [store]: SQLite in DataDir unless a PostgreSQL URL is set
	// Warnings are problems that do not stop mailflow.
	Warnings []Problem
}

// Mail holds the mail server settings.
type Mail struct {
	Mode           string // "embedded" or "external"
	IMAP           IMAP
	SMTP           SMTP
	PlusAddressing bool
	// EmbeddedIMAP and EmbeddedSMTP are the built-in servers' addresses.
	EmbeddedIMAP, EmbeddedSMTP string
	OAuth                      *OAuth // [mail.oauth]; nil: password login (oauth.go)
}

// Server is what IMAP and SMTP share.
type Server struct {
	Host     string
	Port     int
	TLS      string // "implicit", "starttls" or "none"
	Username string
	Password Secret
	Token    TokenSource // set by app when [mail.oauth] replaces the password (oauth.go)
}

// Addr is host:port.
func (s Server) Addr() string { return fmt.Sprintf("%s:%d", s.Host, s.Port) }

// IMAP is the office mailbox to watch.
type IMAP struct {
	Server
	Mailbox      string
	PollInterval time.Duration
	Keyword      string
	MoveTo       string
	// MaxAttempts is how many times a message whose processing fails for
	// a transient reason is tried before it is quarantined.
	MaxAttempts int
}

// DefaultMaxAttempts is [mail.imap] max_attempts when not set.
const DefaultMaxAttempts = 5

// SMTP is the submission server.
type SMTP struct {
	Server
	SentFolder string
	MaxPerHour int // automatic answers per address per hour
	Conns      int // connections sending at once (delivery.go)
}

// Replies says what replies may carry and how far they are trusted.
type Replies struct {
	MaxAttachment int64
	AllowedTypes  []string
	RequireAuth   string // "none", "dkim" or "dmarc"
	// AuthServID is the authserv-id whose Authentication-Results count;
	// in embedded mode always EmbeddedAuthServID.
	AuthServID string
	// AcceptUntokened lets a new mail without a correlation token act
	// when its sender is authenticated (require_auth passes). Off by
	// default: the token proves the sender saw the assignment.
	AcceptUntokened bool
}

// Secret is a password. It prints as <redacted>.
type Secret string

func (Secret) String() string   { return "<redacted>" }
func (Secret) GoString() string { return "<redacted>" }

// Reveal returns the password itself, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// Problem is one thing wrong with the config.
type Problem struct {
	Warning bool
	Key     string
	Value   string
	Line    int
	Msg     string
	Hint    string
}

func (p Problem) String() string {
	sev := "error"
	if p.Warning {
		sev = "warning"
	}
	loc := ""
	if p.Line > 0 {
		loc = fmt.Sprintf("line %d: ", p.Line)
	}
	s := fmt.Sprintf("%s%s: %s", loc, sev, p.Key)
	if p.Value != "" {
		s += " = " + p.Value
	}
	s += ": " + p.Msg
	if p.Hint != "" {
		s += "\n    hint: " + p.Hint
	}
	return s
}

// Errors is every error-severity problem found; Load returns it.
type Errors []Problem

func (e Errors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the config:", len(e))
	for _, p := range e {
		b.WriteString("\n")
		b.WriteString(p.String())
	}
	return b.String()
}

// Env looks up environment variables; tests replace it.
type Env func(string) (string, bool)

// Options control loading.
type Options struct {
	Env      Env                               // default os.LookupEnv
	ReadFile func(string) ([]byte, error)      // for password_file; default os.ReadFile
	Stat     func(string) (os.FileInfo, error) // password_file's mode; default os.Stat
}

// ErrNotFound is returned (wrapped) when the config file does not exist.
var ErrNotFound = errors.New("config file not found")

// Load reads and validates the file. On problems it returns the config as
// far as it could be read together with an Errors value listing them all.
func Load(path string, opt Options) (*Config, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s (copy the sample config.toml from the mailflow source, or pass -config FILE)", ErrNotFound, path)
	}
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	c, err := Parse(string(src), opt)
	if c != nil {
		c.Path = path
	}
	return c, err
}

// Parse validates config source text.
func Parse(src string, opt Options) (*Config, error) {
	if opt.Env == nil {
		opt.Env = os.LookupEnv
	}
	if opt.ReadFile == nil {
		opt.ReadFile = os.ReadFile
	}
	if opt.Stat == nil {
		opt.Stat = os.Stat
	}
	var f fileConfig
	md, err := decode(src, &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, Errors{{Key: pe.LastKey, Line: pe.Position.Line, Msg: pe.Message,
				Hint: "fix the TOML syntax first; the other checks run once the file parses"}}
		}
		// A value of the wrong type: BurntSushi/toml names the key and
		// line only in the text.
		p := Problem{Msg: err.Error(), Hint: "check the value's type against the sample config.toml (quotes make a string; true/false a bool)"}
		if m := decodeErrRe.FindStringSubmatch(err.Error()); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Key, p.Msg = m[2], m[3]
		}
		return nil, Errors{p}
	}
	v := &validator{li: indexLines(src), opt: opt}
	v.unknown(md.Undecoded())
	c := v.build(&f)
	c.ReportForm = v.report(f.Report, &c.Office)
	v.humanize(&f)
	sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
	var errs Errors
	for _, p := range v.problems {
		if p.Warning {
			c.Warnings = append(c.Warnings, p)
		} else {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return c, errs
	}
	return c, nil
}

var decodeErrRe = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

type validator struct {
	li       lineIndex
	opt      Options
	problems []Problem
	// receives: the documents the SOP being validated gets from the SOP
	// that chains to it ([[sop]] receives), usable as step inputs.
	receives []string
	oauthOn  bool // [mail.oauth] is set: no password needed
}

func (v *validator) add(warn bool, key, val, msg, hint string) {
	v.problems = append(v.problems, Problem{Warning: warn, Key: key, Value: val, Line: v.li.line(key), Msg: msg, Hint: hint})
}

func (v *validator) errf(key, val, msg, hint string)  { v.add(false, key, val, msg, hint) }
func (v *validator) warnf(key, val, msg, hint string) { v.add(true, key, val, msg, hint) }

func q(s string) string { return fmt.Sprintf("%q", s) }

// EmbeddedAuthServID is the host name of the embedded mail server, the
// authserv-id of the Authentication-Results it stamps on mail submitted to
// it (mailserver.Options.Hostname is set to it by app and demo).
const EmbeddedAuthServID = "mailflow.localhost"

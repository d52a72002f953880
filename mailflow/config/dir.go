package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Office is one office of a deployment that runs many (-config-dir): its
// ID is its file's name without ".toml".
type Office struct {
	ID     string
	Config *Config
}

// DirError lists the problems of a config directory: a file's own
// problems under its name, and the conflicts between files.
type DirError struct {
	Files     map[string]error // file name → its Load error
	Conflicts []string
}

func (e *DirError) Error() string {
	var b strings.Builder
	names := make([]string, 0, len(e.Files))
	for n := range e.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "%s: %v\n", n, e.Files[n])
	}
	for _, c := range e.Conflicts {
		b.WriteString(c + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// LoadDir loads every *.toml file of dir as one office, in name order
// (a name starting with "_" is not an office: _console.toml), and checks
// that the offices do not share what must be each office's own: the
// watched mailbox, the SQLite data directory, the PostgreSQL
// database-and-schema, the embedded servers' addresses.
func LoadDir(dir string, opt Options) ([]Office, error) {
	all, err := filepath.Glob(filepath.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range all {
		if !strings.HasPrefix(filepath.Base(f), "_") {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("%w: config directory %s", ErrNotFound, dir)
		}
		return nil, fmt.Errorf("%w: no *.toml office file in %s", ErrNotFound, dir)
	}
	sort.Strings(files)
	de := &DirError{Files: map[string]error{}}
	var out []Office
	for _, f := range files {
		c, err := Load(f, opt)
		if werr := officeWebKeys(f); werr != nil {
			err = joinProblems(err, werr) // console.go
		}
		if err != nil {
			de.Files[filepath.Base(f)] = err
			continue
		}
		out = append(out, Office{ID: strings.TrimSuffix(filepath.Base(f), ".toml"), Config: c})
	}
	owner := map[string]string{}
	claim := func(what, key, id string) {
		if key == "" {
			return
		}
		if prev, ok := owner[what+"\x00"+key]; ok {
			de.Conflicts = append(de.Conflicts, fmt.Sprintf("offices %s and %s share %s %s: each office needs its own", prev, id, what, key))
			return
		}
		owner[what+"\x00"+key] = id
	}
	for _, o := range out {
		c := o.Config
		claim("mailbox", strings.ToLower(c.Office.Mailbox), o.ID)
		if c.Store.Postgres() {
			claim("PostgreSQL database and schema", pgPlace(c.Store.URL.Reveal()), o.ID)
		} else {
			dd := c.DataDir
			if !filepath.IsAbs(dd) {
				dd = filepath.Join(filepath.Dir(c.Path), dd)
			}
			claim("data_dir", filepath.Clean(dd), o.ID)
		}
		if c.Mail.Mode == "embedded" {
			claim("embedded IMAP address", c.Mail.EmbeddedIMAP, o.ID)
			claim("embedded SMTP address", c.Mail.EmbeddedSMTP, o.ID)
		}
	}
	if len(de.Files) > 0 || len(de.Conflicts) > 0 {
		return out, de
	}
	return out, nil
}

// pgPlace is where a PostgreSQL URL keeps the tables: host, database and
// search_path (two offices may share a database, not a schema).
func pgPlace(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	sp := p.Query().Get("search_path")
	if sp == "" {
		sp = "public"
	}
	return fmt.Sprintf("%s/%s?search_path=%s", p.Host, strings.Trim(p.Path, "/"), sp)
}

// IsDirError tells whether err lists a config directory's problems.
func IsDirError(err error) bool {
	var de *DirError
	return errors.As(err, &de)
}

package config

import (
	"net/url"
	"strings"
)

// Store says where mailflow keeps its state. The zero value is SQLite in
// data_dir, as always.
type Store struct {
	// URL is a PostgreSQL connection URL ("postgres://…"); "" is SQLite.
	URL Secret
	// Attachments is "files" (content-addressed files under data_dir, the
	// default) or "database" (a bytea table in PostgreSQL, for instances on
	// hosts that share no disk).
	Attachments string
}

// Postgres tells whether the store is PostgreSQL.
func (s Store) Postgres() bool { return s.URL != "" }

// fileStore is [store] in config.toml.
type fileStore struct {
	URL         string `toml:"url"`     // allowed, but url_env keeps a password out of the file
	URLEnv      string `toml:"url_env"` // the environment variable holding the URL
	Attachments string `toml:"attachments"`
}

func (v *validator) store(f *fileStore) Store {
	var s Store
	raw, key := f.URL, "store.url"
	if f.URLEnv != "" {
		key = "store.url_env"
		var ok bool
		if raw, ok = v.opt.Env(f.URLEnv); !ok || raw == "" {
			v.errf(key, q(f.URLEnv), "environment variable is not set", "export "+f.URLEnv+"=postgres://… before starting mailflow")
		}
		if f.URL != "" {
			v.errf("store.url", "<redacted>", "set together with url_env", "keep one of the two")
		}
	}
	if raw != "" {
		u, err := url.Parse(raw)
		switch {
		case err != nil:
			v.errf(key, "<redacted>", "not a URL", "write it as postgres://USER@HOST:5432/DATABASE?sslmode=verify-full")
		case u.Scheme != "postgres" && u.Scheme != "postgresql":
			v.errf(key, q(u.Scheme+"://…"), "only PostgreSQL URLs are taken", "write postgres://USER@HOST:5432/DATABASE, or leave [store] out to keep SQLite in data_dir")
		case u.Host == "" || strings.Trim(u.Path, "/") == "":
			v.errf(key, "<redacted>", "the URL names no host or no database", "write postgres://USER@HOST:5432/DATABASE")
		default:
			s.URL = Secret(raw)
			if _, ok := u.User.Password(); ok && f.URL != "" {
				v.warnf(key, "<redacted>", "the database password is written in the config file", "use url_env, or a ~/.pgpass file and a URL without the password")
			}
		}
	}
	switch f.Attachments {
	case "", "files":
		s.Attachments = "files"
	case "database":
		s.Attachments = "database"
		if raw == "" {
			v.errf("store.attachments", q(f.Attachments), "needs a PostgreSQL store", "set store.url, or keep attachments = \"files\"")
		}
	default:
		v.errf("store.attachments", q(f.Attachments), "unknown place", "use \"files\" (content-addressed files in data_dir) or \"database\" (PostgreSQL only)")
	}
	return s
}

package oauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// ErrRevoked means the refresh token no longer works: the admin must run
// "mailflow auth" again. Retrying does not help.
var ErrRevoked = errors.New("OAuth2 sign-in revoked")

// Source hands out access tokens, refreshing them a minute before they
// expire. A rotated refresh token (Microsoft rotates them) is stored at
// once. It is safe for concurrent use by the watcher and the outbox.
type Source struct {
	conf *oauth2.Config
	cfg  *config.OAuth
	path string
	log  *slog.Logger
	now  func() time.Time
	hc   *http.Client
	// onRevoked is called once each time the refresh token is found revoked.
	onRevoked func(error)

	mu      sync.Mutex
	refresh string
	access  *oauth2.Token
	revoked error
}

// SourceOptions tune Open; all optional.
type SourceOptions struct {
	Log        *slog.Logger
	Now        func() time.Time
	HTTPClient *http.Client
	OnRevoked  func(error) // the admin alert
}

// Open reads the refresh token "mailflow auth" stored in dataDir.
func Open(c *config.OAuth, dataDir string, opt SourceOptions) (*Source, error) {
	path := filepath.Join(dataDir, TokenFile)
	rt, err := load(path, c)
	if err != nil {
		return nil, err
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Source{conf: Config(c), cfg: c, path: path, log: opt.Log, now: opt.Now, hc: opt.HTTPClient, onRevoked: opt.OnRevoked, refresh: rt}, nil
}

// Token returns a valid access token.
func (s *Source) Token() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access != nil && s.now().Add(time.Minute).Before(s.access.Expiry) {
		return s.access.AccessToken, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.hc != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, s.hc)
	}
	if s.revoked != nil {
		// The admin may have run "mailflow auth" since: use its token.
		if rt, err := load(s.path, s.cfg); err == nil {
			s.refresh = rt
		}
	}
	start := s.now()
	tok, err := s.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: s.refresh}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			err = fmt.Errorf("%w: %s refused the refresh token in %s (%s); run \"mailflow auth %s\" as the office mailbox's account",
				ErrRevoked, s.cfg.Provider, s.path, re.ErrorDescription, s.cfg.Provider)
			if s.revoked == nil && s.onRevoked != nil {
				s.onRevoked(err)
			}
			s.revoked = err
			return "", err
		}
		return "", fmt.Errorf("refresh the OAuth2 access token at %s: %w", s.conf.Endpoint.TokenURL, err)
	}
	s.revoked = nil
	// Expiry from our own clock, so that tests (and a wrong system clock)
	// judge it the way they judge everything else.
	if in, ok := tok.Extra("expires_in").(float64); ok && in > 0 {
		tok.Expiry = start.Add(time.Duration(in) * time.Second)
	} else if tok.Expiry.IsZero() {
		tok.Expiry = start.Add(time.Hour)
	}
	s.access = tok
	if tok.RefreshToken != "" && tok.RefreshToken != s.refresh {
		if err := store(s.path, s.cfg, tok.RefreshToken, s.now()); err != nil {
			// The old one may already be invalid: say so loudly.
			s.log.Error("ALERT: the rotated OAuth2 refresh token could not be stored; mailflow may need \"mailflow auth\" after a restart", "file", s.path, "err", err)
		}
		s.refresh = tok.RefreshToken
	}
	s.log.Info("OAuth2 access token refreshed", "provider", s.cfg.Provider, "expires", tok.Expiry.Format(time.RFC3339))
	return tok.AccessToken, nil
}

// Invalidate drops the cached access token if it is still token, after a
// server refused it before its expiry (revoked, clocks apart).
func (s *Source) Invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access != nil && s.access.AccessToken == token {
		s.access = nil
	}
}

var _ config.TokenSource = (*Source)(nil)

// Package oauthtest is a fake OAuth2 provider for tests: an httptest
// server with the device-code (RFC 8628) and refresh-token grants, whose
// access tokens the embedded mail server can check (Provider.Check).
package oauthtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Provider is the fake. Its clock (Now) decides token expiry.
type Provider struct {
	*httptest.Server
	ClientID string
	User     string        // the account that "signs in" on the device
	TTL      time.Duration // access token lifetime; default 1 h
	Rotate   bool          // issue a new refresh token at every refresh
	Now      func() time.Time

	mu        sync.Mutex
	approved  bool
	device    string
	refresh   map[string]bool // refresh token → valid
	access    map[string]access
	Refreshes int // refresh-token grants served
	Polls     int // device-code token requests
}

type access struct {
	user   string
	expiry time.Time
}

// New starts the fake; close it with Close.
func New(clientID, user string) *Provider {
	p := &Provider{ClientID: clientID, User: user, TTL: time.Hour, refresh: map[string]bool{}, access: map[string]access{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /device", p.deviceAuth)
	mux.HandleFunc("POST /token", p.token)
	p.Server = httptest.NewServer(mux)
	return p
}

// DeviceURL and TokenURL are the endpoints for [mail.oauth].
func (p *Provider) DeviceURL() string { return p.URL + "/device" }
func (p *Provider) TokenURL() string  { return p.URL + "/token" }

func (p *Provider) clock() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Approve lets the next device-code poll succeed, as the admin signing in
// on their phone would.
func (p *Provider) Approve() { p.mu.Lock(); p.approved = true; p.mu.Unlock() }

// Revoke invalidates every refresh and access token (a password change,
// an admin revoking the app).
func (p *Provider) Revoke() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.refresh)
	clear(p.access)
}

// Counts returns the refresh grants and device polls served.
func (p *Provider) Counts() (refreshes, polls int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.Refreshes, p.Polls
}

// Check is what the mail server asks: is token a live access token for user?
func (p *Provider) Check(user, token string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.access[token]
	switch {
	case !ok:
		return errors.New("unknown token")
	case a.user != user:
		return errors.New("token of another user")
	case !p.clock().Before(a.expiry):
		return errors.New("token expired")
	}
	return nil
}

func (p *Provider) deviceAuth(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_id") != p.ClientID {
		fail(w, "invalid_client")
		return
	}
	p.mu.Lock()
	p.device = random()
	dc := p.device
	p.mu.Unlock()
	reply(w, map[string]any{"device_code": dc, "user_code": "ABCD-EFGH", "verification_uri": p.URL + "/verify",
		"expires_in": 900, "interval": 1})
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_id") != p.ClientID {
		fail(w, "invalid_client")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch r.FormValue("grant_type") {
	case "urn:ietf:params:oauth:grant-type:device_code":
		p.Polls++
		if r.FormValue("device_code") != p.device || p.device == "" {
			fail(w, "invalid_grant")
			return
		}
		if !p.approved {
			fail(w, "authorization_pending")
			return
		}
		p.device = ""
		rt := random()
		p.refresh[rt] = true
		p.issue(w, rt)
	case "refresh_token":
		rt := r.FormValue("refresh_token")
		if !p.refresh[rt] {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "AADSTS50173: the provided grant has expired due to it being revoked"})
			return
		}
		p.Refreshes++
		if p.Rotate {
			delete(p.refresh, rt)
			rt = random()
			p.refresh[rt] = true
		}
		p.issue(w, rt)
	default:
		fail(w, "unsupported_grant_type")
	}
}

func (p *Provider) issue(w http.ResponseWriter, refresh string) {
	at := random()
	p.access[at] = access{user: p.User, expiry: p.clock().Add(p.TTL)}
	reply(w, map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": int(p.TTL / time.Second), "refresh_token": refresh})
}

func fail(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func random() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

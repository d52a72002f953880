package config

import (
	"net/url"
	"strings"
)

// OAuth is [mail.oauth]: sign in to Google Workspace or Microsoft 365 with
// OAuth2 (XOAUTH2/OAUTHBEARER) instead of a password. "mailflow auth"
// obtains the refresh token once; the daemon refreshes access tokens.
type OAuth struct {
	Provider     string // "google" or "microsoft"
	ClientID     string
	ClientSecret Secret // Google's device-flow clients have one; Microsoft public clients do not
	Tenant       string // Microsoft: the directory (tenant) ID or domain; default "organizations"
	// DeviceAuthURL and TokenURL override the provider's endpoints
	// (national clouds, tests).
	DeviceAuthURL, TokenURL string
}

// TokenSource hands out OAuth2 access tokens (mailflow/oauth.Source).
type TokenSource interface {
	// Token returns a valid access token, refreshing it if needed.
	Token() (string, error)
	// Invalidate says a server refused token before its expiry (revoked,
	// clocks apart): the next Token refreshes.
	Invalidate(token string)
}

type fileOAuth struct {
	Provider        string `toml:"provider"`
	ClientID        string `toml:"client_id"`
	ClientSecretEnv string `toml:"client_secret_env"`
	ClientSecret    string `toml:"client_secret"`
	Tenant          string `toml:"tenant"`
	DeviceAuthURL   string `toml:"device_auth_url"`
	TokenURL        string `toml:"token_url"`
}

// oauth validates [mail.oauth]; nil when the section is absent.
func (v *validator) oauth(m *fileMail) *OAuth {
	f := m.OAuth
	if f == (fileOAuth{}) {
		return nil
	}
	o := &OAuth{Provider: f.Provider, ClientID: f.ClientID, Tenant: f.Tenant, DeviceAuthURL: f.DeviceAuthURL, TokenURL: f.TokenURL}
	if m.Mode == "embedded" || (m.Mode == "" && m.IMAP.Host == "" && m.SMTP.Host == "") {
		v.errf("mail.oauth", "", "OAuth2 is for external servers only", "set mail.mode = \"external\" with Google's or Microsoft's IMAP and SMTP hosts, or remove [mail.oauth]")
	}
	switch f.Provider {
	case "google":
		if f.Tenant != "" {
			v.warnf("mail.oauth.tenant", q(f.Tenant), "ignored for Google", "tenant is for provider = \"microsoft\" only")
		}
	case "microsoft":
		if o.Tenant == "" {
			o.Tenant = "organizations"
		}
	case "":
		v.errf("mail.oauth.provider", "", "missing", "use \"google\" (Google Workspace) or \"microsoft\" (Microsoft 365)")
	default:
		v.errf("mail.oauth.provider", q(f.Provider), "unknown provider", "use \"google\" (Google Workspace) or \"microsoft\" (Microsoft 365)")
	}
	if f.ClientID == "" {
		v.errf("mail.oauth.client_id", "", "missing", "the OAuth client ID of the app registered for mailflow (Google Cloud console: a \"TVs and Limited Input devices\" client; Microsoft Entra: an app registration with public client flows allowed)")
	}
	switch {
	case f.ClientSecretEnv != "":
		s, ok := v.opt.Env(f.ClientSecretEnv)
		if !ok || s == "" {
			v.errf("mail.oauth.client_secret_env", q(f.ClientSecretEnv), "environment variable is not set", "export "+f.ClientSecretEnv+"=... before starting mailflow")
		}
		o.ClientSecret = Secret(s)
	case f.ClientSecret != "":
		o.ClientSecret = Secret(f.ClientSecret)
		v.warnf("mail.oauth.client_secret", "<redacted>", "the client secret is written in the config file", "move it to client_secret_env")
	case f.Provider == "google":
		v.errf("mail.oauth.client_secret_env", "", "Google needs the client secret", "set client_secret_env to a variable holding the secret of the \"TVs and Limited Input devices\" client")
	}
	for key, u := range map[string]string{"mail.oauth.device_auth_url": f.DeviceAuthURL, "mail.oauth.token_url": f.TokenURL} {
		if u == "" {
			continue
		}
		pu, err := url.Parse(u)
		if err != nil || pu.Host == "" || !(pu.Scheme == "https" || pu.Scheme == "http" && isLoopback(strings.Trim(pu.Hostname(), "[]"))) {
			v.errf(key, q(u), "not an https URL", "leave it out to use the provider's endpoint; plain http is allowed to a loopback host only")
		}
	}
	return o
}

// oauthPasswordIgnored warns about a password source left beside
// [mail.oauth]: it is not used, and a reader might think it is.
func (v *validator) oauthPasswordIgnored(key string, f *fileServer) {
	for k, val := range map[string]string{"password_env": f.PasswordEnv, "password_file": f.PasswordFile, "password": f.Password} {
		if val != "" {
			v.warnf(key+"."+k, "", "ignored: [mail.oauth] signs in with OAuth2", "remove it")
		}
	}
}

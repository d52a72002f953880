// Package oauth signs mailflow in to Google Workspace and Microsoft 365
// with OAuth2: the device-code flow the admin runs once ("mailflow auth"),
// the refresh token kept in the data directory (mode 0600), access tokens
// the daemon refreshes itself, and the SASL mechanisms that carry them over
// IMAP and SMTP (XOAUTH2, OAUTHBEARER RFC 7628).
package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/endpoints"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// TokenFile is the refresh token's file in the data directory.
const TokenFile = "oauth-token.json"

// Scopes are what mailflow asks for: IMAP and SMTP, and (Microsoft) a
// refresh token.
func Scopes(provider string) []string {
	switch provider {
	case "google":
		return []string{"https://mail.google.com/"}
	case "microsoft":
		return []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send", "offline_access"}
	}
	return nil
}

// Config is the oauth2 client for [mail.oauth].
func Config(c *config.OAuth) *oauth2.Config {
	var ep oauth2.Endpoint
	switch c.Provider {
	case "google":
		ep = endpoints.Google
	case "microsoft":
		ep = endpoints.AzureAD(c.Tenant)
	}
	if c.DeviceAuthURL != "" {
		ep.DeviceAuthURL = c.DeviceAuthURL
	}
	if c.TokenURL != "" {
		ep.TokenURL = c.TokenURL
	}
	// Both providers take the client credentials in the form body.
	ep.AuthStyle = oauth2.AuthStyleInParams
	return &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret.Reveal(), Endpoint: ep, Scopes: Scopes(c.Provider)}
}

// saved is the token file's content. The access token is not kept: it
// lives an hour and is refreshed at start.
type saved struct {
	Provider     string    `json:"provider"`
	ClientID     string    `json:"client_id"`
	RefreshToken string    `json:"refresh_token"`
	Saved        time.Time `json:"saved"`
}

// ErrNoToken means "mailflow auth" has not been run for this config.
var ErrNoToken = errors.New("no OAuth2 refresh token")

func load(path string, c *config.OAuth) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%w in %s: run \"mailflow auth %s\" once to sign in", ErrNoToken, path, c.Provider)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	var s saved
	if err := json.Unmarshal(b, &s); err != nil || s.RefreshToken == "" {
		return "", fmt.Errorf("%w: %s is damaged; run \"mailflow auth %s\" again", ErrNoToken, path, c.Provider)
	}
	if s.Provider != c.Provider || s.ClientID != c.ClientID {
		return "", fmt.Errorf("%w: %s was obtained for %s client %s, but [mail.oauth] says %s client %s; run \"mailflow auth %s\" again",
			ErrNoToken, path, s.Provider, s.ClientID, c.Provider, c.ClientID, c.Provider)
	}
	return s.RefreshToken, nil
}

// store writes the refresh token atomically, readable by mailflow's user
// only: it is a password that does not expire.
func store(path string, c *config.OAuth, refresh string, now time.Time) error {
	b, err := json.MarshalIndent(saved{Provider: c.Provider, ClientID: c.ClientID, RefreshToken: refresh, Saved: now.UTC()}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".oauth-token-*")
	if err != nil {
		return fmt.Errorf("store the refresh token: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("store the refresh token: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store the refresh token: %w", err)
	}
	return nil
}

// Authorize runs the device-code flow (RFC 8628): it prints the URL and
// the code for the admin to enter on any device, waits for the sign-in and
// stores the refresh token in dataDir. The tokens are never printed.
func Authorize(ctx context.Context, c *config.OAuth, dataDir string, hc *http.Client, out io.Writer) error {
	conf := Config(c)
	if hc != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	}
	da, err := conf.DeviceAuth(ctx)
	if err != nil {
		return fmt.Errorf("start the device sign-in at %s: %w", conf.Endpoint.DeviceAuthURL, explain(err))
	}
	uri := da.VerificationURI
	fmt.Fprintf(out, "On any device, open\n\n    %s\n\nand enter the code\n\n    %s\n\n", uri, da.UserCode)
	fmt.Fprintf(out, "Sign in as the office mailbox's account. Waiting (the code expires at %s) ...\n", da.Expiry.Format("15:04:05"))
	tok, err := conf.DeviceAccessToken(ctx, da)
	if err != nil {
		return fmt.Errorf("device sign-in: %w", explain(err))
	}
	if tok.RefreshToken == "" {
		return errors.New("the provider returned no refresh token: the app registration must allow offline access (Microsoft: the offline_access scope; Google: a \"TVs and Limited Input devices\" client)")
	}
	path := filepath.Join(dataDir, TokenFile)
	if err := store(path, c, tok.RefreshToken, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Signed in. The refresh token is stored in %s (mode 0600); mailflow refreshes its access tokens itself.\n", path)
	return nil
}

// explain turns the provider's error codes into what the admin should do.
func explain(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	switch re.ErrorCode {
	case "invalid_grant":
		return fmt.Errorf("%w: the sign-in was revoked or has expired (password change, admin revocation, or unused for months); run \"mailflow auth\" again", err)
	case "access_denied", "authorization_declined":
		return fmt.Errorf("%w: the sign-in was declined on the device", err)
	case "expired_token":
		return fmt.Errorf("%w: the code expired before the sign-in; run \"mailflow auth\" again and enter the code sooner", err)
	case "invalid_client", "unauthorized_client":
		return fmt.Errorf("%w: check [mail.oauth] client_id (and client_secret_env for Google), and that the app allows the device-code flow", err)
	}
	return err
}

package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
)

// XOAuth2 is Google's and Microsoft's SASL mechanism; OAUTHBEARER
// (RFC 7628) is the standard one. Microsoft offers only XOAUTH2.
const XOAuth2 = "XOAUTH2"

// Mechanism picks the mechanism for the server's advertised list:
// XOAUTH2 where offered (both providers), else OAUTHBEARER; "" if neither.
func Mechanism(offered []string) string {
	has := func(m string) bool {
		for _, o := range offered {
			if strings.EqualFold(o, m) {
				return true
			}
		}
		return false
	}
	switch {
	case has(XOAuth2):
		return XOAuth2
	case has(sasl.OAuthBearer):
		return sasl.OAuthBearer
	}
	return ""
}

// Client returns the SASL client for mech, or nil for another mechanism.
func Client(mech, user, token string) sasl.Client {
	switch mech {
	case XOAuth2:
		return &xoauth2Client{user: user, token: token}
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: token})
	}
	return nil
}

// xoauth2Client: "user=" user ^A "auth=Bearer " token ^A ^A. On failure the
// server sends a JSON error as a challenge; the client answers it with an
// empty response and the server then fails the command.
type xoauth2Client struct{ user, token string }

func (c *xoauth2Client) Start() (string, []byte, error) {
	return XOAuth2, []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) { return []byte{}, nil }

// Check validates a user and bearer token for the servers below.
type Check func(user, token string) error

// Server returns the SASL server for mech (XOAUTH2 or OAUTHBEARER), or
// nil for another mechanism.
func Server(mech string, check Check, onSuccess func(user string)) sasl.Server {
	switch strings.ToUpper(mech) {
	case XOAuth2:
		return &xoauth2Server{check: check, ok: onSuccess}
	case sasl.OAuthBearer:
		return &bearerServer{Server: sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if err := check(o.Username, o.Token); err != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			onSuccess(o.Username)
			return nil
		})}
	}
	return nil
}

// bearerServer ends the exchange after go-sasl's error challenge itself:
// go-sasl indexes the client's answer without checking its length, so an
// empty answer would panic the server.
type bearerServer struct {
	sasl.Server
	failed bool
}

func (s *bearerServer) Next(resp []byte) ([]byte, bool, error) {
	if s.failed {
		return nil, true, ErrInvalidToken
	}
	ch, done, err := s.Server.Next(resp)
	if !done && err == nil && len(ch) > 0 { // the JSON error challenge
		s.failed = true
	}
	return ch, done, err
}

type xoauth2Server struct {
	check  Check
	ok     func(string)
	failed error
}

// ErrInvalidToken is the XOAUTH2 server's failure.
var ErrInvalidToken = errors.New("invalid OAuth2 token")

func (s *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if s.failed != nil { // the client's empty answer to our error challenge
		return nil, true, s.failed
	}
	if resp == nil {
		return []byte{}, false, nil // ask for the initial response
	}
	user, token, err := parseXOAuth2(resp)
	if err == nil {
		err = s.check(user, token)
	}
	if err != nil {
		s.failed = fmt.Errorf("%w: %v", ErrInvalidToken, err)
		b, _ := json.Marshal(map[string]string{"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"})
		return b, false, nil
	}
	s.ok(user)
	return nil, true, nil
}

func parseXOAuth2(b []byte) (user, token string, err error) {
	for _, f := range bytes.Split(b, []byte{1}) {
		k, v, _ := strings.Cut(string(f), "=")
		switch k {
		case "user":
			user = v
		case "auth":
			scheme, t, _ := strings.Cut(v, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				return "", "", errors.New("auth is not a Bearer token")
			}
			token = t
		}
	}
	if user == "" || token == "" {
		return "", "", errors.New("malformed XOAUTH2 response")
	}
	return user, token, nil
}

package oauth

import (
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// IMAPLogin authenticates c as user with a fresh access token, choosing
// XOAUTH2 or OAUTHBEARER from the server's AUTH= capabilities.
func IMAPLogin(c *imapclient.Client, user string, src config.TokenSource) error {
	var offered []string
	for cp := range c.Caps() {
		if m, ok := strings.CutPrefix(string(cp), "AUTH="); ok {
			offered = append(offered, m)
		}
	}
	mech := Mechanism(offered)
	if mech == "" {
		return fmt.Errorf("the IMAP server offers no OAuth2 mechanism (AUTH=XOAUTH2 or AUTH=OAUTHBEARER); it offers %v", offered)
	}
	tok, err := src.Token()
	if err != nil {
		return err
	}
	if err := c.Authenticate(Client(mech, user, tok)); err != nil {
		src.Invalidate(tok)
		return fmt.Errorf("authenticate %s as %s: %w", mech, user, err)
	}
	return nil
}

package app

import (
	"fmt"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

// useOAuth gives IMAP and SMTP the OAuth2 token source when [mail.oauth]
// is set. A revoked refresh token is an ERROR log line ("ALERT: …") at the
// first refusal: mail cannot reach the admin then, since sending needs the
// same sign-in, so the log (and "mailflow doctor") is where it shows.
func (a *App) useOAuth(dir string, imapCfg *config.IMAP, smtpCfg *config.SMTP) error {
	o := a.Cfg.Mail.OAuth
	if o == nil || a.Cfg.Mail.Mode != "external" {
		return nil
	}
	log := a.Log.With("component", "oauth")
	src, err := oauth.Open(o, dir, oauth.SourceOptions{Log: log, OnRevoked: func(err error) {
		log.Error("ALERT: the OAuth2 sign-in was revoked; mail is neither read nor sent until the admin signs in again",
			"provider", o.Provider, "err", err, "fix", fmt.Sprintf("run \"mailflow auth %s -config %s\" as the user mailflow runs as; the daemon picks the new sign-in up by itself", o.Provider, a.Cfg.Path))
	}})
	if err != nil {
		return err
	}
	imapCfg.Token, smtpCfg.Token = src, src
	return nil
}

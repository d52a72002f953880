package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
)

// supervisor runs the daemon and replaces it when the config is reloaded
// (SIGHUP). The new config is checked whole first and applied only if it
// is valid and builds; otherwise the errors are logged and the running
// daemon goes on untouched. Applying it stops the old daemon between two
// steps (everything it did is committed) and starts the new one; in
// embedded mode the running mail servers and their mailboxes are kept.
type supervisor struct {
	path string
	log  *slog.Logger
	cur  *app.App
	// build makes an App; tests replace it.
	build func(cfg *config.Config, opt app.Options) (*app.App, error)
	// reloaded is told of every reload attempt (tests).
	reloaded func(applied bool)
}

func (s *supervisor) run(ctx context.Context, hup <-chan struct{}) error {
	for {
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		a := s.cur
		go func() { done <- a.Run(runCtx) }()
		var next *app.App
		for next == nil {
			select {
			case err := <-done:
				cancel()
				return err
			case <-hup:
				if next = s.reload(); next == nil && s.reloaded != nil {
					s.reloaded(false)
				}
			}
		}
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			s.log.Warn("the old daemon stopped with an error during the reload", "err", err)
		}
		a.HandOver(next)
		a.Close()
		s.cur = next
		s.log.Info("config reloaded and applied", "config", s.path, "office", next.Cfg.Office.Name, "mode", next.Cfg.Mail.Mode)
		if s.reloaded != nil {
			s.reloaded(true)
		}
	}
}

// reload checks the file and builds the next App, or logs why not and
// returns nil.
func (s *supervisor) reload() *app.App {
	s.log.Info("SIGHUP: reloading the config", "config", s.path)
	cfg, err := config.Load(s.path, config.Options{})
	var probs config.Errors
	if errors.As(err, &probs) {
		for _, p := range probs {
			s.log.Error("config reload refused: "+p.String(), "config", s.path)
		}
		s.log.Error("config reload refused; the running config stays in force", "config", s.path, "problems", len(probs),
			"hint", "fix the file (mailflow check -config "+s.path+") and send SIGHUP again")
		return nil
	}
	if err != nil {
		s.log.Error("config reload refused; the running config stays in force", "config", s.path, "err", err)
		return nil
	}
	for _, w := range cfg.Warnings {
		s.log.Warn("config: " + w.String())
	}
	old := s.cur.Cfg
	var opt app.Options
	if cfg.Mail.Mode == "embedded" && s.cur.Server != nil {
		opt.Server = s.cur.Server // keep the mailboxes; accounts are added
		if cfg.Mail.EmbeddedIMAP != old.Mail.EmbeddedIMAP || cfg.Mail.EmbeddedSMTP != old.Mail.EmbeddedSMTP {
			s.log.Warn("embedded_imap/embedded_smtp changes take effect at the next restart", "imap", s.cur.Server.IMAPAddr(), "smtp", s.cur.Server.SMTPAddr())
		}
	}
	if app.DataDir(cfg) != app.DataDir(old) {
		s.log.Warn("data_dir changed: the reloaded daemon uses the new directory", "old", app.DataDir(old), "new", app.DataDir(cfg))
	}
	next, err := s.build(cfg, opt)
	if err != nil {
		s.log.Error("config reload refused: the new config does not start; the running config stays in force", "config", s.path, "err", err)
		return nil
	}
	return next
}

package main

import (
	"context"
	"log/slog"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/engine"
)

// wireMail fills the daemon's mail-in and mail-out slots. Until the IMAP
// watcher and the outbox worker exist the daemon only keeps time.
func wireMail(ctx context.Context, cfg *config.Config, eng *engine.Engine, d *daemon.Daemon, log *slog.Logger) error {
	log.Warn("mail-in and mail-out are not wired yet: runs advance only by ticks")
	return nil
}

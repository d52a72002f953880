package app

// HandOver passes the embedded mail server a adopted into next (built with
// Options.Server = a.Server) on to next: a's Close then leaves it running
// and next's Close stops it. A config reload keeps the mailboxes that way.
func (a *App) HandOver(next *App) {
	if a.ownsSrv && a.Server != nil && next.Server == a.Server {
		a.ownsSrv, next.ownsSrv = false, true
	}
}

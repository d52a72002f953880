package mailin

// State tells Options.OnState how the IMAP session stands, for the
// console's health page and the metrics.
type State struct {
	Up          bool  // connected, the mailbox selected
	Idle        bool  // waiting with IDLE; false: polling
	IdleRestart bool  // the watchdog ended an IDLE (the connection is alive)
	Err         error // why the connection was lost or could not be made (Up false)
}

func (w *Watcher) state(s State) {
	if w.opt.OnState != nil {
		w.opt.OnState(s)
	}
}

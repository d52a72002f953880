package mailout

import "time"

// MailoutRecoverIn exposes recoverIn to the external tests.
func MailoutRecoverIn(w *Worker) (time.Duration, bool) { return w.recoverIn() }

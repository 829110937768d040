// Package notify routes the items a State hands out to the receivers the
// baseline names and delivers them through the channel notifiers (Teams,
// email, Event Grid, logs), Alertmanager-style: each delivery target gets
// one message per change (one digest for the reconcile sweep), failures
// are retried with backoff within the caller's deadline, and the items go
// back to State.Notified marked with the targets that delivered them, so
// that a retry reaches only the targets that failed.
//
// The package knows no channel: Build turns the routing config into
// targets with the constructors the caller registers (Factories), and
// sinks (Event Grid, logs) are plain alert.Notifiers that get every item.
// See docs/ALERTING.md.
package notify

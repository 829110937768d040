// Package alert holds the types that connect evaluation to notification:
// who caused a change, which findings need a message and why, and the two
// interfaces the pipeline drives — State (the shared lifecycle of every
// finding) and Notifier (one channel: Teams, email, Event Grid, logs).
// It has no logic beyond their methods and imports no I/O package.
package alert

import (
	"context"
	"encoding/json"
	"time"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Attribution says what triggered an evaluation: the Azure change (caller
// from the event's claims, operation, time, correlation ID) or the timer.
type Attribution struct {
	EventID       string    `json:"eventId,omitempty"`
	Caller        string    `json:"caller,omitempty"` // upn, name, appid or object ID
	CallerAppID   string    `json:"callerAppId,omitempty"`
	CallerObject  string    `json:"callerObjectId,omitempty"`
	OperationName string    `json:"operationName,omitempty"`
	ResourceID    string    `json:"resourceId,omitempty"` // the resource the event was about
	CorrelationID string    `json:"correlationId,omitempty"`
	EventTime     time.Time `json:"eventTime,omitzero"`
	Reconcile     bool      `json:"reconcile,omitempty"` // true for the timer sweep
}

// Reason says why an item needs a message (Alertmanager's NotifyReason).
type Reason int

// Reasons.
const (
	ReasonOpened             Reason = iota + 1 // first notification of a new drift
	ReasonResolved                             // the drift is gone
	ReasonRepeat                               // still open after the repeat interval
	ReasonExemptionExpired                     // its exemption expired while it is still open
	ReasonRetry                                // an earlier notification failed
	ReasonRemediationFailed                    // an automatic fix was sent or tried and the drift is still there
	ReasonRemediationStopped                   // another controller keeps reverting our fixes: remediation stopped
)

// String names the reason for messages and logs.
func (r Reason) String() string {
	switch r {
	case ReasonOpened:
		return "opened"
	case ReasonResolved:
		return "resolved"
	case ReasonRepeat:
		return "still open"
	case ReasonExemptionExpired:
		return "exemption expired"
	case ReasonRetry:
		return "retry"
	case ReasonRemediationFailed:
		return "remediation failed"
	case ReasonRemediationStopped:
		return "remediation stopped"
	}
	return "unknown"
}

// Item is one finding that needs a message.
type Item struct {
	Finding   detector.Finding
	Reason    Reason
	Resolved  bool        // the finding is gone (Reason is ReasonResolved, or ReasonRetry of a resolution)
	OpenedBy  Attribution // the change that opened it
	FirstSeen time.Time
	// Token is the state's handle for Notified (e.g. fingerprint + ETag).
	Token string
	// Original is, for ReasonRetry, the reason of the message being
	// retried (opened, resolved, still open, exemption expired); zero
	// otherwise.
	Original Reason
	// Delivered names the delivery targets (receiver/channel/index) that
	// have already delivered this item's current message. Record fills it
	// after an earlier attempt that failed on other targets, and the
	// dispatcher skips those; the dispatcher adds each target that
	// delivers it before the item goes back to Notified.
	Delivered []string
	// Partial, on an item handed to Notified, reports that some target
	// has not delivered it yet: the state keeps Delivered and hands the
	// item out again (ReasonRetry) once its lease ends.
	Partial bool
	// Remediation is what vnetdrift did or would do about the finding
	// (one entry per ARM request); empty when remediation is off for it.
	Remediation []Remediation
}

// Remediation statuses, as in remediate.Status plus "sending".
const (
	RemediationPlanned    = "planned"            // plan mode: shown, never sent
	RemediationSending    = "sending"            // remediate mode: being sent now
	RemediationSkipped    = "skipped"            // not sent; Detail says why
	RemediationRemediated = "remediated"         // sent, re-read, and the finding is gone
	RemediationFailed     = "remediation failed" // the write failed or the finding is still open
	RemediationLoop       = "loop"               // another controller keeps reverting it: stopped
)

// Remediation is one ARM request vnetdrift sent or would send to fix a
// finding, with its outcome.
type Remediation struct {
	Status  string          `json:"status"`
	Request string          `json:"request"`        // "PUT /subscriptions/…?api-version=…"
	Body    json.RawMessage `json:"body,omitempty"` // the body planned, or sent
	Before  string          `json:"before,omitempty"`
	After   string          `json:"after,omitempty"`
	Reason  string          `json:"reason,omitempty"` // why this request fixes the finding
	Detail  string          `json:"detail,omitempty"` // why skipped, the ARM error, the loop
	// Callers are the other callers seen changing the resource (loop).
	Callers []string `json:"callers,omitempty"`
}

// Remediated reports whether the item's drift was fixed by vnetdrift.
func (it Item) Remediated() bool {
	for _, r := range it.Remediation {
		if r.Status == RemediationRemediated {
			return true
		}
	}
	return false
}

// Notice is what one evaluation hands to the notifiers.
type Notice struct {
	Items  []Item
	By     Attribution // what triggered this evaluation
	Digest bool        // a reconcile sweep: one summary message instead of one per change
}

// ReadSpan is when an evaluation read Azure: from the start of its reads
// to the end. Every state it saw existed at some moment within it, so of
// two evaluations only one that started after the other ended is surely
// the newer view.
type ReadSpan struct{ Start, End time.Time }

// At is the span of an evaluation that read at one instant t.
func At(t time.Time) ReadSpan { return ReadSpan{Start: t, End: t} }

// State is the lifecycle of every finding, shared by all instances of the
// function. Implementations: in memory (one instance, local runs) and Azure
// Table Storage (scale-out).
type State interface {
	// Record stores the findings of an evaluation that covered scope (nil:
	// every VNet) with reads during read, and returns the items that need
	// a message: new
	// findings (opened), findings of scoped VNets that are gone (resolved),
	// open findings whose last message is older than repeat, whose exemption
	// expired, or whose earlier message failed. Exempted findings are stored
	// but produce no item while exempt. Of several instances recording the
	// same transition concurrently, exactly one gets the item; an item
	// handed out is claimed for a short lease so that a slow sender and a
	// redelivery do not both send it. On error, the items already handed
	// out are still returned: send them. An evaluation that started before
	// the evaluation behind a finding's last transition (opened, resolved)
	// ended cannot tell which view is newer and does not undo it: the next
	// evaluation decides. read.Start is the evaluation's "now" (first seen,
	// resolved at, repeats).
	Record(ctx context.Context, scope []estate.Key, findings []detector.Finding, by Attribution, read ReadSpan, repeat time.Duration) ([]Item, error)
	// Notified records the delivery of items Record handed out. An item
	// with Partial false is complete and stops being returned by Record
	// until its next transition or repeat. An item with Partial true had
	// some targets fail: its Delivered list is stored and it comes back,
	// for the missing targets only, once its lease ends. An item never
	// handed to Notified (every target failed) also comes back once its
	// lease ends. Items of an outdated message (the finding moved on since
	// Record) are ignored, except that a delivered "opened" message of a
	// drift resolved meanwhile makes the state owe a "resolved" message.
	Notified(ctx context.Context, items []Item, now time.Time) error
	// ClaimEvent records an event ID; it reports false when the ID was
	// already claimed (by any instance) within ttl.
	ClaimEvent(ctx context.Context, eventID string, now time.Time, ttl time.Duration) (bool, error)
	// Open returns the open findings, for status pages and tests.
	Open(ctx context.Context) ([]detector.Finding, error)
}

// Notifier delivers a notice on one channel. retry reports whether a
// failure is worth retrying (network error, 429, 5xx) rather than
// permanent (bad configuration, 4xx).
type Notifier interface {
	Name() string
	Notify(ctx context.Context, n Notice) (retry bool, err error)
}

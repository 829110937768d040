package state

import (
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// record is the stored lifecycle of one finding, identified by the
// partition (its VNet) and row (its fingerprint) keys.
//
// An episode runs from the record opening (or re-opening) to its
// resolution. A record owes at most one message at a time (pending); gen
// changes whenever the owed message changes, so that Notified can tell a
// report about the current message from one about an outdated message.
type record struct {
	pk, rk string
	etag   string // "" until stored

	finding      detector.Finding
	open         bool
	firstSeen    time.Time // start of the current episode
	lastSeen     time.Time // last evaluation that found it (to within touchEvery)
	lastNotified time.Time // last complete delivery
	resolvedAt   time.Time
	// settled is when the reads behind the last transition (opened or
	// resolved) ended: an evaluation that started earlier is not newer.
	settled   time.Time
	openedBy  alert.Attribution
	exempt    bool // an exemption covered it at the last evaluation
	announced bool // some target got an open-kind message this episode

	pending    alert.Reason // the message owed; 0: none
	gen        int32        // changes with pending
	attempts   int32        // times the pending message was handed out
	delivered  []string     // targets that delivered the pending message
	leaseUntil time.Time    // the pending message is being sent until then
}

// evaluation is what decides a transition besides the record itself.
type evaluation struct {
	now    time.Time // when its reads started
	end    time.Time // when its reads ended
	by     alert.Attribution
	repeat time.Duration // 0: no repeats
	lease  time.Duration
	touch  time.Duration // how stale lastSeen may get before it is written
}

// owe makes reason (0: nothing) the message the record owes, replacing
// any message owed before.
func (r record) owe(reason alert.Reason) record {
	r.pending = reason
	r.gen++
	r.attempts = 0
	r.delivered = nil
	r.leaseUntil = time.Time{}
	return r
}

// openKind reports whether the pending message announces an open drift
// (opened, still open, exemption expired) rather than its resolution.
func (r record) openKind() bool { return r.pending != 0 && r.pending != alert.ReasonResolved }

// item is the message the record owes, as handed out.
func (r record) item() alert.Item {
	it := alert.Item{
		Finding:   r.finding,
		Reason:    r.pending,
		Resolved:  r.pending == alert.ReasonResolved,
		OpenedBy:  r.openedBy,
		FirstSeen: r.firstSeen,
		Token:     token(r.pk, r.rk, r.gen),
		Delivered: append([]string(nil), r.delivered...),
	}
	if r.attempts > 1 {
		it.Original, it.Reason = it.Reason, alert.ReasonRetry
	}
	return it
}

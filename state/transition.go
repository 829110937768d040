package state

import (
	"slices"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// decide works out the next record of a fingerprint in an evaluated VNet
// from the stored one (nil: none) and the finding (nil: not found), and
// hands out the owed message if no lease holds it. It is pure. write
// reports whether next must be stored; an item is only handed out with a
// write, so that of several instances exactly one gets it.
//
// An evaluation's now is taken before its read, so a slow evaluation can
// arrive after a newer one has recorded: its view is older than the
// record's last transition and must not undo it (a drift resolved by a
// fresher read is not re-opened by a stale one, nor the reverse).
func decide(prev *record, f *detector.Finding, e evaluation) (next record, it *alert.Item, write bool) {
	switch {
	case prev == nil && f == nil:
		return record{}, nil, false
	case stale(prev, f, e):
		next = *prev
	case prev == nil:
		fresh := record{pk: findingPartition(f.VNetKey()), rk: findingRow(f.Fingerprint)}
		next, write = opened(fresh, f, e), true
	case f == nil && prev.open:
		next, write = resolved(*prev, e), true
	case f == nil:
		next = *prev
	case !prev.open:
		next, write = opened(*prev, f, e), true
	default:
		next, write = seen(*prev, f, e)
	}
	next, it = handOut(next, e)
	return next, it, write || it != nil
}

// stale reports whether an evaluation that would make a transition
// started reading before the reads behind the record's last transition
// ended: its view may be the older one (the soak test saw a slow
// evaluation, whose reads began before a fix, re-open the drift a newer
// one had resolved), so it changes nothing and the next evaluation decides.
func stale(prev *record, f *detector.Finding, e evaluation) bool {
	transition := prev != nil && (f == nil) == prev.open
	return transition && e.now.Before(prev.settled)
}

// opened starts an episode: a new finding, or a resolved one back.
func opened(r record, f *detector.Finding, e evaluation) record {
	r.finding, r.open = *f, true
	r.firstSeen, r.lastSeen, r.resolvedAt, r.settled = e.now, e.now, time.Time{}, e.end
	r.openedBy, r.exempt, r.announced = e.by, f.Exemption != nil, false
	if r.exempt {
		return r.owe(0)
	}
	return r.owe(alert.ReasonOpened)
}

// resolved ends an episode. Only a drift someone was told about gets a
// "resolved" message, and an exempted one never does.
func resolved(r record, e evaluation) record {
	r.open, r.resolvedAt, r.settled = false, e.now, e.end
	if r.announced && !r.exempt {
		return r.owe(alert.ReasonResolved)
	}
	return r.owe(0)
}

// seen updates an open record its evaluation found again: exemption
// changes, repeats, a changed finding, and lastSeen when stale.
func seen(r record, f *detector.Finding, e evaluation) (record, bool) {
	changed := !sameFinding(r.finding, *f)
	r.finding = *f
	switch exempt := f.Exemption != nil; {
	case exempt && !r.exempt:
		r.exempt, changed = true, true
		r = r.owe(0)
	case !exempt && r.exempt:
		r.exempt, changed = false, true
		r = r.owe(alert.ReasonExemptionExpired)
	case !exempt && r.pending == 0 && r.announced && e.repeat > 0 && !e.now.Before(r.lastNotified.Add(e.repeat)):
		r, changed = r.owe(alert.ReasonRepeat), true
	}
	stale := e.now.Sub(r.lastSeen) >= e.touch
	r.lastSeen = e.now
	return r, changed || stale
}

// handOut returns the owed message, if any and not leased, and leases it.
func handOut(r record, e evaluation) (record, *alert.Item) {
	if r.pending == 0 || e.now.Before(r.leaseUntil) {
		return r, nil
	}
	r.attempts++
	r.leaseUntil = e.now.Add(e.lease)
	it := r.item()
	return r, &it
}

// notified applies a delivery report for message gen of the record. It is
// pure; write reports whether next must be stored.
func notified(r record, it alert.Item, gen int32, now time.Time) (next record, write bool) {
	if r.gen != gen || r.pending == 0 {
		return outdated(r, it)
	}
	if it.Partial {
		merged := union(r.delivered, it.Delivered)
		if len(merged) == len(r.delivered) {
			return r, false
		}
		r.delivered = merged
		r.announced = r.announced || r.openKind()
		return r, true
	}
	r.announced = r.openKind()
	r.lastNotified = now
	return r.owe(0), true
}

// outdated applies a delivery report for a message the record no longer
// owes. What matters is whether an open-kind message reached anyone:
// then the record is announced, and a drift resolved silently meanwhile
// (because nobody had been told) now owes its "resolved" message.
func outdated(r record, it alert.Item) (record, bool) {
	reached := !it.Resolved && (!it.Partial || len(it.Delivered) > 0)
	if !reached || r.announced {
		return r, false
	}
	r.announced = true
	if !r.open && r.pending == 0 && !r.exempt {
		r = r.owe(alert.ReasonResolved)
	}
	return r, true
}

// union returns a with the elements of b it lacks appended.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// sameFinding reports whether two findings read the same, Line aside.
func sameFinding(a, b detector.Finding) bool {
	ea, eb := a.Exemption, b.Exemption
	a.Exemption, b.Exemption, a.Line, b.Line = nil, nil, 0, 0
	if a != b || (ea == nil) != (eb == nil) {
		return false
	}
	return ea == nil || *ea == *eb
}

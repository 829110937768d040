package state

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// TestDecideWrites checks when an evaluation that hands out nothing still
// writes: the Table store's cost per evaluation.
func TestDecideWrites(t *testing.T) {
	settled := record{pk: "p", rk: "r", finding: hubDrift, open: true, firstSeen: t0, lastSeen: t0, lastNotified: t0, announced: true, gen: 2}
	changed := hubDrift
	changed.Actual = "10.9.0.0/16"
	e := func(at time.Duration) evaluation {
		return evaluation{now: t0.Add(at), repeat: time.Hour, lease: time.Minute, touch: touchEvery}
	}
	tests := []struct {
		name      string
		prev      *record
		f         *detector.Finding
		e         evaluation
		wantWrite bool
		wantItem  alert.Reason
	}{
		{"nothing stored, nothing found", nil, nil, e(0), false, 0},
		{"re-found soon after", &settled, &hubDrift, e(time.Minute), false, 0},
		{"re-found after touchEvery", &settled, &hubDrift, e(touchEvery), true, 0},
		{"re-found with another actual value", &settled, &changed, e(time.Minute), true, 0},
		{"re-found with another baseline line", &settled, withLine(hubDrift, 9), e(time.Minute), false, 0},
		{"repeat due", &settled, &hubDrift, e(time.Hour), true, alert.ReasonRepeat},
		{"resolved one not found again", resolvedRecord(settled), nil, e(time.Minute), false, 0},
		{"reads that began before the resolving reads ended do not re-open", resolvedAt(settled, time.Minute), &hubDrift, e(30 * time.Second), false, 0},
		{"reads that began after the resolving reads ended re-open", resolvedAt(settled, time.Minute), &hubDrift, e(2 * time.Minute), true, alert.ReasonOpened},
		{"reads that began before the opening reads ended do not resolve", settledAt(settled, time.Minute), nil, e(30 * time.Second), false, 0},
		{"reads that began after the opening reads ended resolve", settledAt(settled, time.Minute), nil, e(2 * time.Minute), true, alert.ReasonResolved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, it, write := decide(tt.prev, tt.f, tt.e)
			assert.Equal(t, tt.wantWrite, write)
			if tt.wantItem == 0 {
				assert.Nil(t, it)
			} else if assert.NotNil(t, it) {
				assert.Equal(t, tt.wantItem, it.Reason)
			}
		})
	}
}

func withLine(f detector.Finding, line int) *detector.Finding {
	f.Line = line
	return &f
}

// resolvedAt is r resolved by reads that began at t0 and ended at t0+end.
func resolvedAt(r record, end time.Duration) *record {
	r.open, r.resolvedAt, r.settled = false, t0, t0.Add(end)
	return &r
}

// settledAt is r opened by reads that ended at t0+end.
func settledAt(r record, end time.Duration) *record {
	r.settled = t0.Add(end)
	return &r
}

func resolvedRecord(r record) *record {
	r.open, r.resolvedAt = false, t0
	return &r
}

func TestNotifiedIgnoresEmptyPartialReports(t *testing.T) {
	r := record{finding: hubDrift, open: true, pending: alert.ReasonOpened, gen: 3, delivered: []string{"a"}}
	_, write := notified(r, alert.Item{Partial: true, Delivered: []string{"a"}}, 3, t0)
	assert.False(t, write, "nothing new delivered")
	next, write := notified(r, alert.Item{Partial: true, Delivered: []string{"a", "b"}}, 3, t0)
	assert.True(t, write)
	assert.Equal(t, []string{"a", "b"}, next.delivered)
	assert.True(t, next.announced)
	assert.Equal(t, alert.ReasonOpened, next.pending, "still owed to the others")
}

func TestSameFinding(t *testing.T) {
	a := exempt(hubDrift)
	b := exempt(hubDrift)
	assert.True(t, sameFinding(a, b), "equal exemptions behind different pointers")
	b.Exemption.Owner = "someone else"
	assert.False(t, sameFinding(a, b))
	assert.False(t, sameFinding(a, hubDrift))
	assert.True(t, sameFinding(hubDrift, *withLine(hubDrift, 4)))
}

// Two instances whose evaluations overlap: A's reads start first and end
// last; B's start later and end first. Whichever records second made the
// other's view undecidable and changes nothing; a later evaluation decides.
func TestOverlappingEvaluationsDoNotFlap(t *testing.T) {
	open := record{pk: "p", rk: "r", finding: hubDrift, open: true, firstSeen: t0, lastSeen: t0, lastNotified: t0, announced: true}
	span := func(start, end time.Duration) evaluation {
		return evaluation{now: t0.Add(start), end: t0.Add(end), repeat: time.Hour, lease: time.Minute, touch: touchEvery}
	}
	// B (10s–20s) resolves first.
	resolved, it, write := decide(&open, nil, span(10*time.Second, 20*time.Second))
	assert.True(t, write)
	if assert.NotNil(t, it) {
		assert.Equal(t, alert.ReasonResolved, it.Reason)
	}
	// A (5s–40s) saw the drift, perhaps before the fix: not a re-opening.
	next, it, _ := decide(&resolved, &hubDrift, span(5*time.Second, 40*time.Second))
	assert.Nil(t, it)
	assert.False(t, next.open)
	// An evaluation that began after B's reads ended and still sees it: re-opened.
	next, it, _ = decide(&resolved, &hubDrift, span(21*time.Second, 25*time.Second))
	assert.True(t, next.open)
	if assert.NotNil(t, it) {
		assert.Equal(t, alert.ReasonOpened, it.Reason)
	}
}

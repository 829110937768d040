// Package pipeline turns "look here" hints into decisions: it reads fresh
// state, evaluates it with the detector and works out which findings
// opened and which resolved since the previous evaluation.
package pipeline

import (
	"sort"
	"sync"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Delta is what changed in one evaluation.
type Delta struct {
	Opened   []detector.Finding
	Resolved []detector.Finding
}

// Empty reports whether nothing opened or resolved.
func (d Delta) Empty() bool { return len(d.Opened) == 0 && len(d.Resolved) == 0 }

// Tracker remembers the open findings, keyed by fingerprint, and diffs
// each new evaluation against them. It is safe for concurrent use.
type Tracker struct {
	mu   sync.Mutex
	open map[string]detector.Finding
}

// NewTracker returns a Tracker with no open findings.
func NewTracker() *Tracker { return &Tracker{open: map[string]detector.Finding{}} }

// Apply records the findings of an evaluation that covered the VNets in
// scope (nil: every VNet) and returns what opened and what resolved. Open
// findings of VNets outside the scope are left as they are: an evaluation
// decides only what it looked at.
func (t *Tracker) Apply(scope []estate.Key, findings []detector.Finding) Delta {
	in := inScope(scope)
	current := make(map[string]detector.Finding, len(findings))
	for _, f := range findings {
		if in(f.VNetKey()) {
			current[f.Fingerprint] = f
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var d Delta
	for fp, f := range t.open {
		if _, still := current[fp]; !still && in(f.VNetKey()) {
			d.Resolved = append(d.Resolved, f)
			delete(t.open, fp)
		}
	}
	for fp, f := range current {
		if _, was := t.open[fp]; !was {
			d.Opened = append(d.Opened, f)
		}
		t.open[fp] = f
	}
	sortFindings(d.Opened)
	sortFindings(d.Resolved)
	return d
}

// Open returns the open findings in a stable order.
func (t *Tracker) Open() []detector.Finding {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]detector.Finding, 0, len(t.open))
	for _, f := range t.open {
		out = append(out, f)
	}
	sortFindings(out)
	return out
}

func inScope(scope []estate.Key) func(estate.Key) bool {
	if scope == nil {
		return func(estate.Key) bool { return true }
	}
	set := make(map[estate.Key]bool, len(scope))
	for _, k := range scope {
		set[k] = true
	}
	return func(k estate.Key) bool { return set[k] }
}

func sortFindings(fs []detector.Finding) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.VNetKey() != b.VNetKey() {
			return a.VNetKey() < b.VNetKey()
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Fingerprint < b.Fingerprint
	})
}

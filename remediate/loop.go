package remediate

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// LoopGuard stops remediation of a resource when another controller keeps
// reverting it: when the same finding re-opens Threshold times within
// Window after vnetdrift fixed it, the resource is blocked for Window and
// the callers seen changing it (Observe) are reported. It is in-memory,
// per process, and safe for concurrent use.
type LoopGuard struct {
	threshold int
	window    time.Duration

	mu       sync.Mutex
	fixes    map[string]*fixRecord        // by finding fingerprint + resource key
	blocked  map[estate.Key]Loop          // by resource key
	observed map[estate.Key][]observation // changes by others, by resource and VNet key
}

// Loop is a tripped loop guard: the resource, when, and who reverted it.
type Loop struct {
	Resource string    `json:"resource"`
	Since    time.Time `json:"since"`
	Reopens  int       `json:"reopens"`
	Callers  []string  `json:"callers"`
}

type fixRecord struct {
	fixed   bool        // fixed by us and not re-opened since
	reopens []time.Time // re-openings within the window
}

type observation struct {
	caller string
	at     time.Time
}

// NewLoopGuard returns a guard that trips after threshold re-openings within window.
func NewLoopGuard(threshold int, window time.Duration) *LoopGuard {
	return &LoopGuard{threshold: threshold, window: window,
		fixes: map[string]*fixRecord{}, blocked: map[estate.Key]Loop{}, observed: map[estate.Key][]observation{}}
}

func fixKey(f detector.Finding) string {
	return f.Fingerprint + " " + string(estate.KeyOf(f.ResourceID))
}

// Observe records that caller (not us) changed a resource at a time. The
// change is also recorded against the resource's parent VNet.
func (g *LoopGuard) Observe(resourceID, caller string, at time.Time) {
	if caller == "" {
		caller = "unknown caller"
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	keys := []estate.Key{estate.KeyOf(resourceID)}
	if v := estate.ParentVNetID(resourceID); v != "" && estate.KeyOf(v) != keys[0] {
		keys = append(keys, estate.KeyOf(v))
	}
	for _, k := range keys {
		obs := g.observed[k]
		for len(obs) > 0 && at.Sub(obs[0].at) > g.window {
			obs = obs[1:]
		}
		g.observed[k] = append(obs, observation{caller, at})
	}
}

// Fixed records that vnetdrift fixed a finding at a time.
func (g *LoopGuard) Fixed(f detector.Finding, at time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.fixes[fixKey(f)]
	if r == nil {
		r = &fixRecord{}
		g.fixes[fixKey(f)] = r
	}
	r.fixed = true
}

// Check is called before remediating a finding at now. It reports the loop
// when the resource is blocked, or when this is a re-opening of a finding we
// fixed that reaches the threshold (which blocks the resource).
func (g *LoopGuard) Check(f detector.Finding, now time.Time) (Loop, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	res := estate.KeyOf(f.ResourceID)
	if l, ok := g.blocked[res]; ok {
		if now.Sub(l.Since) < g.window {
			return l, true
		}
		delete(g.blocked, res)
	}
	r := g.fixes[fixKey(f)]
	if r == nil || !r.fixed {
		return Loop{}, false
	}
	r.fixed = false
	kept := r.reopens[:0]
	for _, t := range r.reopens {
		if now.Sub(t) <= g.window {
			kept = append(kept, t)
		}
	}
	r.reopens = append(kept, now)
	if len(r.reopens) < g.threshold {
		return Loop{}, false
	}
	l := Loop{Resource: f.ResourceID, Since: now, Reopens: len(r.reopens), Callers: g.callers(f, now)}
	g.blocked[res] = l
	r.reopens = nil
	return l, true
}

// Blocked returns the loops currently blocking resources, by resource key.
func (g *LoopGuard) Blocked(now time.Time) []Loop {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []Loop
	for _, l := range g.blocked {
		if now.Sub(l.Since) < g.window {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b Loop) int { return cmp.Compare(estate.KeyOf(a.Resource), estate.KeyOf(b.Resource)) })
	return out
}

// callers lists, in order of appearance, who changed the finding's
// resource or VNet within the window before now.
func (g *LoopGuard) callers(f detector.Finding, now time.Time) []string {
	var out []string
	for _, k := range []estate.Key{estate.KeyOf(f.ResourceID), estate.KeyOf(f.VNetID)} {
		for _, o := range g.observed[k] {
			if now.Sub(o.at) <= g.window && !slices.Contains(out, o.caller) {
				out = append(out, o.caller)
			}
		}
	}
	return out
}

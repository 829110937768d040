package detector

import (
	"cmp"
	"slices"
	"time"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Input is what one evaluation looks at.
type Input struct {
	// Baseline is the declared state; it must be indexed (baseline.Parse
	// does that, or call Index after building one by hand). Nil or empty:
	// only the rules that need no baseline run.
	Baseline *baseline.Baseline
	// Estate is the current state. Nil is an empty estate.
	Estate *estate.Estate
	// Now decides whether an exemption has expired; the detector never
	// reads the clock.
	Now time.Time
	// Scope limits the result to findings whose VNet is listed. Nil means
	// every VNet; an empty, non-nil Scope returns nothing.
	Scope []estate.Key
}

// Evaluate runs every enabled rule and returns the findings sorted by VNet
// key, rule, resource key and fingerprint. Evaluate with a Scope returns
// exactly the findings of the unscoped evaluation whose VNet is in Scope.
// Findings covered by an exemption are returned with Exemption set.
func Evaluate(in Input) []Finding {
	ev := newEvaluator(in)
	for _, check := range checks {
		check(ev)
	}
	sortFindings(ev.out)
	return ev.out
}

// checks are the rule families, each in its own file.
var checks = []func(*evaluator){
	checkVNets,
	checkOverlaps,
	checkBaselinePeerings,
	checkPeeringState,
	checkGatewayTransit,
	checkBaselineGateways,
	checkPolicyBased,
	checkConnections,
	checkBaselineConnections,
	checkLocalGateways,
}

// half is one direction of a peering: local VNet → remote VNet.
type half struct{ local, remote estate.Key }

// evaluator holds one evaluation's inputs, derived indexes and output.
type evaluator struct {
	b          *baseline.Baseline
	e          *estate.Estate
	scope      map[estate.Key]bool // nil: every VNet
	severity   map[string]Severity
	disabled   map[string]bool
	exemptions []exemption

	vnets    []*estate.VNet    // in scope, in key order
	peerings []*estate.Peering // those scopedPeerings keeps, in key order
	gateways []*estate.Gateway
	conns    []*estate.Connection
	lngs     []*estate.LocalGateway
	pairs    map[half]*estate.Peering // first peering per direction

	represented map[estate.Key]vnetRef // LNG → VNet it stands for

	seen map[string]bool // rule, fingerprint and VNet of emitted findings
	out  []Finding
}

func newEvaluator(in Input) *evaluator {
	b, e := in.Baseline, in.Estate
	if b == nil {
		b = &baseline.Baseline{}
	}
	if e == nil {
		e = estate.New()
		e.Index()
	}
	scope := scopeSet(in.Scope)
	ev := &evaluator{
		b: b, e: e, scope: scope,
		exemptions: compileExemptions(b.Exemptions, in.Now),
		vnets:      scopedVNets(e, scope),
		peerings:   scopedPeerings(e, scope),
		gateways:   estate.SortedValues(e.Gateways),
		conns:      estate.SortedValues(e.Connections),
		lngs:       estate.SortedValues(e.LocalGateways),
		seen:       map[string]bool{},
	}
	ev.severity, ev.disabled = ruleSettings(b.Rules)
	ev.pairs = make(map[half]*estate.Peering, len(ev.peerings))
	for _, p := range ev.peerings {
		h := half{p.VNetKey, p.RemoteKey}
		if ev.pairs[h] == nil {
			ev.pairs[h] = p
		}
	}
	ev.represented = representedVNets(ev)
	return ev
}

// ruleSettings returns each rule's effective severity and the disabled rules.
func ruleSettings(settings map[string]baseline.RuleSetting) (map[string]Severity, map[string]bool) {
	severity := make(map[string]Severity, len(Catalogue))
	disabled := map[string]bool{}
	for _, r := range Catalogue {
		severity[r.ID] = r.Severity
		s, ok := settings[r.ID]
		if !ok {
			continue
		}
		if s.Enabled != nil && !*s.Enabled {
			disabled[r.ID] = true
		}
		if v, err := ParseSeverity(s.Severity); s.Severity != "" && err == nil {
			severity[r.ID] = v
		}
	}
	return severity, disabled
}

// emit completes a finding (fingerprint from subject, severity, baseline
// line, exemption) and records it, unless its rule is disabled, its VNet is
// out of scope or the same finding was already emitted.
func (ev *evaluator) emit(subject string, f Finding) {
	vnet := f.VNetKey()
	if ev.disabled[f.Rule] || !ev.wants(vnet) {
		return
	}
	f.Fingerprint = Fingerprint(f.Rule, f.ResourceID, subject)
	id := f.Rule + "\x00" + f.Fingerprint + "\x00" + string(vnet)
	if ev.seen[id] {
		return
	}
	ev.seen[id] = true
	f.Severity = ev.severity[f.Rule]
	if bv := ev.b.VNet(vnet); bv != nil {
		f.Line = bv.Line
	}
	f.Exemption = ev.exemptionFor(f)
	ev.out = append(ev.out, f)
}

// vnetID returns the estate's spelling of a VNet ID, or fallback when the
// VNet is not in the estate.
func (ev *evaluator) vnetID(k estate.Key, fallback string) string {
	if v := ev.e.VNets[k]; v != nil {
		return v.ID
	}
	return fallback
}

// sortFindings sorts by VNet key, rule, resource key and fingerprint.
func sortFindings(fs []Finding) {
	type keyed struct {
		vnet, resource estate.Key
		f              Finding
	}
	ks := make([]keyed, len(fs))
	for i, f := range fs {
		ks[i] = keyed{f.VNetKey(), estate.KeyOf(f.ResourceID), f}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(
			cmp.Compare(a.vnet, b.vnet),
			cmp.Compare(a.f.Rule, b.f.Rule),
			cmp.Compare(a.resource, b.resource),
			cmp.Compare(a.f.Fingerprint, b.f.Fingerprint),
		)
	})
	for i, k := range ks {
		fs[i] = k.f
	}
}

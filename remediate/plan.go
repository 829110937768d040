package remediate

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Plan returns the actions for the findings whose mode (Policy.ModeFor) is
// plan or remediate, in the order they must be sent. It is pure. A finding
// that cannot be fixed safely yields an action with Skipped set, saying
// why; alert-mode findings yield nothing. Two findings fixed by the same
// request yield one action (the second in Also). Every returned action
// that is not skipped passes Validate and targets an allowed subscription
// (Policy.Subscriptions; an empty list is only accepted in plan mode).
func Plan(b *baseline.Baseline, e *estate.Estate, findings []detector.Finding, p Policy) []Action {
	p = p.WithDefaults()
	if b == nil {
		b = &baseline.Baseline{}
		b.Index()
	}
	if e == nil {
		e = estate.New()
	}
	pl := planner{b: b, e: e}
	var out []Action
	for _, f := range findings {
		mode := p.ModeFor(b, f.Rule)
		if mode == ModeAlert {
			continue
		}
		for _, a := range pl.actions(f) {
			a.Mode, a.AllowDelete = mode, b.Rules[f.Rule].AllowDelete
			out = append(out, guard(a, p))
		}
	}
	out = dedupe(out)
	slices.SortStableFunc(out, func(x, y Action) int { return cmp.Compare(phase(x), phase(y)) })
	return out
}

// planner holds one Plan call's inputs.
type planner struct {
	b *baseline.Baseline
	e *estate.Estate
}

func (pl planner) actions(f detector.Finding) []Action {
	if f.Exemption != nil {
		return []Action{skip(f, "exempted by the baseline: "+f.Exemption.Reason)}
	}
	switch f.Rule {
	case detector.RulePeeringNotInSync:
		return pl.peeringSync(f)
	case detector.RulePeeringSettingsDrift:
		return pl.peeringFlags(f)
	case detector.RulePeeringMissing:
		return pl.peeringMissing(f)
	case detector.RulePeeringNotConnected:
		return pl.peeringNotConnected(f)
	case detector.RuleLocalGatewayStale:
		return pl.localGatewayStale(f)
	case detector.RuleGatewaySettingsDrift:
		return pl.gatewaySettings(f)
	}
	return nil
}

// skip is an action that will not be sent, with the reason.
func skip(f detector.Finding, why string) Action {
	return Action{Finding: f, ResourceID: f.ResourceID, Skipped: why}
}

// guard applies the never-list and the subscription scope to an action.
func guard(a Action, p Policy) Action {
	if a.Skipped != "" {
		return a
	}
	if err := Validate(a); err != nil {
		a.Skipped = "refused: " + err.Error()
		return a
	}
	sub := estate.SubscriptionOf(a.ResourceID)
	if !p.AllowsSubscription(sub) && (len(p.Subscriptions) > 0 || a.Mode == ModeRemediate) {
		a.Skipped = fmt.Sprintf("subscription %q is not one vnetdrift may write to (remediation subscriptions: %v)", sub, p.Subscriptions)
	}
	return a
}

// dedupe merges actions that send the same request; the later finding is
// kept in the first action's Also.
func dedupe(in []Action) []Action {
	seen := map[string]int{}
	var out []Action
	for _, a := range in {
		if a.Skipped != "" {
			out = append(out, a)
			continue
		}
		key := a.Method + " " + string(estate.KeyOf(a.ResourceID)) + " " + a.URL[len(a.ResourceID):]
		if i, ok := seen[key]; ok {
			if out[i].Finding.Fingerprint != a.Finding.Fingerprint {
				out[i].Also = append(out[i].Also, a.Finding)
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, a)
	}
	return out
}

// phase orders actions: a Disconnected half must be re-initiated before
// its peer is created, and a peering may use remote gateways only once the
// remote half allows gateway transit.
func phase(a Action) int {
	switch a.Kind {
	case KindPeeringReinit:
		return 0
	case KindPeeringCreate:
		return 2
	case KindPeeringFlags:
		if usesRemoteGateways(a.Body) {
			return 3
		}
	}
	return 1
}

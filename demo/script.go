package demo

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Resource IDs of the example estate used by the script.
var (
	hubWEU   = vnetID(SubWEU, "rg-net-weu", "vnet-hub-weu")
	spoke1   = vnetID(SubWEU, "rg-app1-weu", "vnet-spoke-app1-weu")
	spoke2   = vnetID(SubWEU, "rg-app2-weu", "vnet-spoke-app2-weu")
	hubNEU   = vnetID(SubNEU, "rg-net-neu", "vnet-hub-neu")
	spoke3   = vnetID(SubNEU, "rg-app3-neu", "vnet-spoke-app3-neu")
	hubToS2  = hubWEU + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app2"
	s2ToHub  = spoke2 + "/virtualNetworkPeerings/peer-spoke-app2-to-hub-weu"
	hubToS1  = hubWEU + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app1"
	s3ToHubN = spoke3 + "/virtualNetworkPeerings/peer-spoke-app3-to-hub-neu"
)

func vnetID(sub, rg, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/%s", sub, rg, name)
}

// expect names a finding by rule and the name of its VNet.
type expect struct{ rule, vnet string }

// step is one scripted change and what vnetdrift must conclude from it.
type step struct {
	title string
	// apply makes real changes through the ARM API; nil for a pure re-check.
	apply func(ctx context.Context, a *actions) error
	// scope is what the changes' events point at (nil: a full reconcile).
	scope            []string
	opened, resolved []expect
}

func script() []step {
	return []step{
		{title: "Full read of both subscriptions: the estate matches the baseline", scope: nil},
		{title: "Someone adds 10.101.0.0/16 to vnet-spoke-app1-weu",
			apply: func(ctx context.Context, a *actions) error {
				return a.setAddressSpace(ctx, spoke1, "10.1.0.0/16", "10.101.0.0/16")
			},
			scope:  []string{spoke1},
			opened: []expect{{detector.RuleAddressSpaceDrift, "vnet-spoke-app1-weu"}, {detector.RulePeeringNotInSync, "vnet-spoke-app1-weu"}}},
		{title: "The timer reconcile finds the hub's half of that peering out of sync too (no event fires for it)",
			opened: []expect{{detector.RulePeeringNotInSync, "vnet-hub-weu"}}},
		{title: "Someone deletes the hub's half of the peering to vnet-spoke-app2-weu",
			apply:  func(ctx context.Context, a *actions) error { return a.deletePeering(ctx, hubToS2) },
			scope:  []string{hubWEU, spoke2},
			opened: []expect{{detector.RulePeeringMissing, "vnet-hub-weu"}, {detector.RulePeeringNotConnected, "vnet-spoke-app2-weu"}}},
		{title: "Someone turns off allowForwardedTraffic on vnet-spoke-app3-neu's peering",
			apply:  func(ctx context.Context, a *actions) error { return a.setForwarding(ctx, s3ToHubN, false) },
			scope:  []string{spoke3, hubNEU},
			opened: []expect{{detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu"}}},
		{title: "Fix: restore vnet-spoke-app1-weu's address space and sync the peering",
			apply: func(ctx context.Context, a *actions) error {
				if err := a.setAddressSpace(ctx, spoke1, "10.1.0.0/16"); err != nil {
					return err
				}
				return a.syncPeering(ctx, hubToS1)
			},
			scope: []string{spoke1, hubWEU},
			resolved: []expect{{detector.RuleAddressSpaceDrift, "vnet-spoke-app1-weu"}, {detector.RulePeeringNotInSync, "vnet-spoke-app1-weu"},
				{detector.RulePeeringNotInSync, "vnet-hub-weu"}}},
		{title: "Fix: delete the Disconnected half and re-create both halves of the hub ↔ spoke-app2 peering",
			apply:    func(ctx context.Context, a *actions) error { return a.repeer(ctx, s2ToHub, hubToS2) },
			scope:    []string{hubWEU, spoke2},
			resolved: []expect{{detector.RulePeeringMissing, "vnet-hub-weu"}, {detector.RulePeeringNotConnected, "vnet-spoke-app2-weu"}}},
		{title: "Fix: turn allowForwardedTraffic back on",
			apply:    func(ctx context.Context, a *actions) error { return a.setForwarding(ctx, s3ToHubN, true) },
			scope:    []string{spoke3, hubNEU},
			resolved: []expect{{detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu"}}},
		{title: "Final reconcile: nothing open", scope: nil},
	}
}

// play applies a step, re-evaluates, prints the delta and checks it.
func (e *environment) play(ctx context.Context, out io.Writer, s step) (bool, error) {
	if s.apply != nil {
		if err := s.apply(ctx, &actions{reader: e.reader}); err != nil {
			return false, err
		}
	}
	d, err := e.evaluate(ctx, s.scope)
	if err != nil {
		return false, err
	}
	where := "full reconcile"
	if s.scope != nil {
		where = "re-evaluated " + names(s.scope)
	}
	fmt.Fprintf(out, "    %s\n", where)
	for _, f := range d.Opened {
		fmt.Fprintf(out, "    DETECTED  %-6s %s: %s\n", f.Severity, f.Rule, f.Message)
	}
	for _, f := range d.Resolved {
		fmt.Fprintf(out, "    RESOLVED  %-6s %s: %s\n", f.Severity, f.Rule, f.Message)
	}
	if d.Empty() {
		fmt.Fprintln(out, "    no change")
	}
	missing := append(missingFrom(s.opened, d.Opened), missingFrom(s.resolved, d.Resolved)...)
	for _, m := range missing {
		fmt.Fprintf(out, "    FAILED: expected %s on %s did not happen\n", m.rule, m.vnet)
	}
	return len(missing) == 0, nil
}

func missingFrom(want []expect, got []detector.Finding) []expect {
	var missing []expect
	for _, w := range want {
		found := false
		for _, f := range got {
			found = found || (f.Rule == w.rule && strings.EqualFold(estate.LastSegment(f.VNetID), w.vnet))
		}
		if !found {
			missing = append(missing, w)
		}
	}
	return missing
}

func names(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = estate.LastSegment(id)
	}
	return strings.Join(out, ", ")
}

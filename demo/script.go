package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Resource IDs of the example estate used by the script.
var (
	hubWEU   = vnetID(SubWEU, "rg-net-weu", "vnet-hub-weu")
	spoke1   = vnetID(SubWEU, "rg-app1-weu", "vnet-spoke-app1-weu")
	spoke2   = vnetID(SubWEU, "rg-app2-weu", "vnet-spoke-app2-weu")
	spoke3   = vnetID(SubNEU, "rg-app3-neu", "vnet-spoke-app3-neu")
	hubToS2  = hubWEU + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app2"
	s2ToHub  = spoke2 + "/virtualNetworkPeerings/peer-spoke-app2-to-hub-weu"
	hubToS1  = hubWEU + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app1"
	s3ToHubN = spoke3 + "/virtualNetworkPeerings/peer-spoke-app3-to-hub-neu"
)

// Who makes the scripted changes, as JWT claims for the emulator.
const (
	dana     = "name=Dana Admin,upn=dana@contoso.example,oid=0d7c6a2e-0000-4000-8000-00000000da4a"
	deployer = "name=network-deploy-pipeline,appid=6f1c0a55-0000-4000-8000-0000000000a1,oid=6f1c0a55-0000-4000-8000-0000000000b2"
)

func vnetID(sub, rg, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/%s", sub, rg, name)
}

// expect names a finding by rule and the name of its VNet.
type expect struct{ rule, vnet string }

// step is one scripted change and what serve must conclude from its
// events; a step without apply is a timer reconcile.
type step struct {
	title            string
	caller           string
	apply            func(ctx context.Context, a *Actions) error
	opened, resolved []expect
}

func script() []step {
	return []step{
		{title: "Timer reconcile: a full read of both subscriptions matches the baseline"},
		{title: "Dana adds 10.101.0.0/16 to vnet-spoke-app1-weu", caller: dana,
			apply: func(ctx context.Context, a *Actions) error {
				return a.SetAddressSpace(ctx, spoke1, "10.1.0.0/16", "10.101.0.0/16")
			},
			opened: []expect{{detector.RuleAddressSpaceDrift, "vnet-spoke-app1-weu"}, {detector.RulePeeringNotInSync, "vnet-spoke-app1-weu"}}},
		{title: "Timer reconcile: the hub's half of that peering is out of sync too (no event names the hub)",
			opened: []expect{{detector.RulePeeringNotInSync, "vnet-hub-weu"}}},
		{title: "Dana deletes the hub's half of the peering to vnet-spoke-app2-weu", caller: dana,
			apply:  func(ctx context.Context, a *Actions) error { return a.DeletePeering(ctx, hubToS2) },
			opened: []expect{{detector.RulePeeringMissing, "vnet-hub-weu"}, {detector.RulePeeringNotConnected, "vnet-spoke-app2-weu"}}},
		{title: "Dana turns off allowForwardedTraffic on vnet-spoke-app3-neu's peering; remediation is on for this rule (mode: remediate), so vnetdrift puts it back and verifies", caller: dana,
			apply:    func(ctx context.Context, a *Actions) error { return a.SetForwarding(ctx, s3ToHubN, false) },
			opened:   []expect{{detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu"}},
			resolved: []expect{{detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu"}}},
		{title: "The pipeline restores vnet-spoke-app1-weu's address space and syncs the peering", caller: deployer,
			apply: func(ctx context.Context, a *Actions) error {
				if err := a.SetAddressSpace(ctx, spoke1, "10.1.0.0/16"); err != nil {
					return err
				}
				return a.SyncPeering(ctx, hubToS1)
			},
			resolved: []expect{{detector.RuleAddressSpaceDrift, "vnet-spoke-app1-weu"}, {detector.RulePeeringNotInSync, "vnet-spoke-app1-weu"},
				{detector.RulePeeringNotInSync, "vnet-hub-weu"}}},
		{title: "The pipeline deletes the Disconnected half and re-creates both halves of hub ↔ spoke-app2", caller: deployer,
			apply:    func(ctx context.Context, a *Actions) error { return a.Repeer(ctx, s2ToHub, hubToS2) },
			resolved: []expect{{detector.RulePeeringMissing, "vnet-hub-weu"}, {detector.RulePeeringNotConnected, "vnet-spoke-app2-weu"}}},
		{title: "Timer reconcile: nothing is open"},
	}
}

// missing returns the expectations no item met: an opened expectation
// needs an item that is not a resolution, a resolved one a resolution.
func missing(want []expect, resolved bool, got []alert.Item) []expect {
	var out []expect
	for _, w := range want {
		found := false
		for _, it := range got {
			f := it.Finding
			found = found || (it.Resolved == resolved && f.Rule == w.rule && strings.EqualFold(estate.LastSegment(f.VNetID), w.vnet))
		}
		if !found {
			out = append(out, w)
		}
	}
	return out
}

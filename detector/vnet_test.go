package detector

import (
	"testing"

	"github.com/vnetdrift/vnetdrift/baseline"
)

func baselineOf(vnets ...*baseline.VNet) func() *baseline.Baseline {
	return func() *baseline.Baseline {
		return &baseline.Baseline{Version: baseline.Version, VNets: vnets}
	}
}

func TestVNetMissing(t *testing.T) {
	fires := ruleCase{
		name:     "declared VNet absent",
		estate:   func(w *world) { w.vnet("hub", "10.0.0.0/16") },
		baseline: baselineOf(&baseline.VNet{ID: vnetID("hub")}, &baseline.VNet{ID: vnetID("spoke1"), Line: 7}),
		want:     []got{{Resource: "spoke1", VNet: "spoke1"}},
		contains: []string{"spoke1", "does not exist"},
	}
	cases := []ruleCase{
		fires,
		{
			name:     "declared VNet present, ID spelled in another case",
			estate:   func(w *world) { w.vnet("hub", "10.0.0.0/16") },
			baseline: baselineOf(&baseline.VNet{ID: "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/resourcegroups/RG-NET/providers/Microsoft.Network/virtualNetworks/HUB"}),
		},
		{
			name:   "no baseline",
			estate: func(w *world) { w.vnet("hub", "10.0.0.0/16") },
		},
	}
	runRule(t, RuleVNetMissing, append(cases, exemptionCases(RuleVNetMissing, fires)...))
}

func TestAddressSpaceDrift(t *testing.T) {
	fires := ruleCase{
		name:   "prefix added and removed",
		estate: func(w *world) { w.vnet("hub", "10.0.0.0/16", "10.2.0.0/16") },
		baseline: baselineOf(&baseline.VNet{ID: vnetID("hub"),
			AddressPrefixes: prefixes(t, "10.0.0.0/16", "10.1.0.0/16")}),
		want:     []got{{Resource: "hub", VNet: "hub"}},
		contains: []string{"10.2.0.0/16 added", "10.1.0.0/16 removed"},
	}
	cases := []ruleCase{
		fires,
		{
			name:   "same prefixes in another order",
			estate: func(w *world) { w.vnet("hub", "10.1.0.0/16", "10.0.0.0/16") },
			baseline: baselineOf(&baseline.VNet{ID: vnetID("hub"),
				AddressPrefixes: prefixes(t, "10.0.0.0/16", "10.1.0.0/16")}),
		},
		{
			name:     "prefixes not declared",
			estate:   func(w *world) { w.vnet("hub", "10.1.0.0/16") },
			baseline: baselineOf(&baseline.VNet{ID: vnetID("hub")}),
		},
		{
			name:   "VNet missing is VNET_MISSING only",
			estate: func(w *world) {},
			baseline: baselineOf(&baseline.VNet{ID: vnetID("hub"),
				AddressPrefixes: prefixes(t, "10.0.0.0/16")}),
		},
	}
	runRule(t, RuleAddressSpaceDrift, append(cases, exemptionCases(RuleAddressSpaceDrift, fires)...))
}

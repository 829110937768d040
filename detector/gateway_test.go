package detector

import (
	"testing"

	"github.com/vnetdrift/vnetdrift/baseline"
)

func withGateway(g *baseline.Gateway) func() *baseline.Baseline {
	return baselineOf(&baseline.VNet{ID: vnetID("hub"), Gateway: g})
}

func TestGatewayMissing(t *testing.T) {
	fires := ruleCase{
		name:     "declared by ID, absent",
		estate:   func(w *world) { w.vnet("hub", "10.0.0.0/16") },
		baseline: withGateway(&baseline.Gateway{ID: gatewayID("gw-hub")}),
		want:     []got{{Resource: "gw-hub", VNet: "hub"}},
		contains: []string{"VNet hub has no VPN gateway", "gw-hub"},
	}
	cases := []ruleCase{
		fires,
		{
			name:     "declared without ID, no VPN gateway in the VNet",
			estate:   func(w *world) { w.vnet("hub", "10.0.0.0/16") },
			baseline: withGateway(&baseline.Gateway{SKU: "VpnGw1"}),
			want:     []got{{Resource: "hub", VNet: "hub"}},
		},
		{
			name: "declared without ID, an ExpressRoute gateway is not a VPN gateway",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.gateway("hub", "er-hub", "").GatewayType = "ExpressRoute"
			},
			baseline: withGateway(&baseline.Gateway{}),
			want:     []got{{Resource: "hub", VNet: "hub"}},
		},
		{
			name: "declared without ID, present",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.gateway("hub", "gw-hub", "")
			},
			baseline: withGateway(&baseline.Gateway{}),
		},
		{
			name: "declared by ID, present",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.gateway("hub", "gw-hub", "")
			},
			baseline: withGateway(&baseline.Gateway{ID: gatewayID("GW-HUB")}),
		},
		{
			name:     "VNet absent: VNET_MISSING only",
			estate:   func(w *world) {},
			baseline: withGateway(&baseline.Gateway{ID: gatewayID("gw-hub")}),
		},
	}
	runRule(t, RuleGatewayMissing, append(cases, exemptionCases(RuleGatewayMissing, fires)...))
}

func TestGatewaySettingsDrift(t *testing.T) {
	net := func(w *world) {
		w.vnet("hub", "10.0.0.0/16")
		g := w.gateway("hub", "gw-hub", "")
		g.EnableBGP, g.ASN = true, 65010
	}
	fires := ruleCase{
		name:   "declared fields differ",
		estate: net,
		baseline: withGateway(&baseline.Gateway{
			SKU: "VpnGw2", ActiveActive: ptr(true), EnableBGP: ptr(true), ASN: ptr(int64(65020)), VPNType: "routebased",
		}),
		want:     []got{{Resource: "gw-hub", VNet: "hub"}},
		contains: []string{"sku is VpnGw1, expected VpnGw2", "activeActive is false, expected true", "asn is 65010, expected 65020"},
	}
	cases := []ruleCase{
		fires,
		{
			name:   "declared fields match (case-insensitive)",
			estate: net,
			baseline: withGateway(&baseline.Gateway{
				GatewayType: "vpn", VPNType: "ROUTEBASED", SKU: "vpngw1", ActiveActive: ptr(false), EnableBGP: ptr(true),
				ASN: ptr(int64(65010)), Generation: "Generation1",
			}),
		},
		{
			name:     "nothing declared",
			estate:   net,
			baseline: withGateway(&baseline.Gateway{}),
		},
	}
	runRule(t, RuleGatewaySettingsDrift, append(cases, exemptionCases(RuleGatewaySettingsDrift, fires)...))
}

func TestGatewayPolicyBasedUnsupported(t *testing.T) {
	fires := ruleCase{
		name: "PolicyBased with VNet-to-VNet and two Site-to-Site",
		estate: func(w *world) {
			w.vnet("a", "10.0.0.0/16")
			w.vnet("b", "10.1.0.0/16")
			w.gateway("a", "gw-a", "").VPNType = "PolicyBased"
			w.gateway("b", "gw-b", "")
			w.vnet2vnet("b-a", "gw-b", "gw-a")
			w.ipsec("a-site1", "gw-a", "site1")
			w.ipsec("a-site2", "gw-a", "site2")
		},
		want:     []got{{Resource: "gw-a", VNet: "a"}},
		contains: []string{"PolicyBased but carries VNet-to-VNet connections (b-a) and 2 Site-to-Site connections (a-site1, a-site2)"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "PolicyBased with one Site-to-Site",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.gateway("a", "gw-a", "").VPNType = "PolicyBased"
				w.ipsec("a-site1", "gw-a", "site1")
			},
		},
		{
			name: "RouteBased with VNet-to-VNet and two Site-to-Site",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.vnet("b", "10.1.0.0/16")
				w.gateway("a", "gw-a", "")
				w.gateway("b", "gw-b", "")
				w.vnet2vnet("a-b", "gw-a", "gw-b")
				w.ipsec("a-site1", "gw-a", "site1")
				w.ipsec("a-site2", "gw-a", "site2")
			},
		},
	}
	runRule(t, RuleGatewayPolicyBasedUnsupported, append(cases, exemptionCases(RuleGatewayPolicyBasedUnsupported, fires)...))
}

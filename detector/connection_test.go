package detector

import (
	"testing"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// twoGateways is VNets a and b, each with a VPN gateway.
func twoGateways(w *world) {
	w.vnet("a", "10.0.0.0/16")
	w.vnet("b", "10.1.0.0/16")
	w.gateway("a", "gw-a", "")
	w.gateway("b", "gw-b", "")
}

func withConnections(cs ...*baseline.Connection) func() *baseline.Baseline {
	return baselineOf(&baseline.VNet{ID: vnetID("a"), Connections: cs})
}

func TestConnectionMissing(t *testing.T) {
	fires := ruleCase{
		name:     "declared by peer, absent",
		estate:   twoGateways,
		baseline: withConnections(&baseline.Connection{Type: "IPsec", Peer: lngID("onprem")}),
		want:     []got{{Resource: "a", VNet: "a"}},
		contains: []string{"VNet a has no IPsec connection to onprem"},
	}
	cases := []ruleCase{
		fires,
		{
			name:     "declared by ID, absent",
			estate:   twoGateways,
			baseline: withConnections(&baseline.Connection{ID: connID("a-onprem")}),
			want:     []got{{Resource: "a-onprem", VNet: "a"}},
		},
		{
			name: "declared by peer, present",
			estate: func(w *world) {
				twoGateways(w)
				w.ipsec("a-onprem", "gw-a", "onprem")
			},
			baseline: withConnections(&baseline.Connection{Type: "IPsec", Peer: lngID("onprem")}),
		},
		{
			name: "reverse half of a VNet-to-VNet pair absent",
			estate: func(w *world) {
				twoGateways(w)
				w.vnet2vnet("a-b", "gw-a", "gw-b")
			},
			baseline: withConnections(&baseline.Connection{Type: "Vnet2Vnet", Peer: gatewayID("gw-b")}),
			want:     []got{{Resource: "gw-b", VNet: "b"}},
			contains: []string{"Gateway gw-b has no VNet-to-VNet connection back to gw-a"},
		},
		{
			name: "our half of a VNet-to-VNet pair absent",
			estate: func(w *world) {
				twoGateways(w)
				w.vnet2vnet("b-a", "gw-b", "gw-a")
			},
			baseline: baselineOf(&baseline.VNet{ID: vnetID("a")}),
			want:     []got{{Resource: "gw-a", VNet: "a"}},
		},
		{
			name: "both halves present",
			estate: func(w *world) {
				twoGateways(w)
				w.vnet2vnet("a-b", "gw-a", "gw-b")
				w.vnet2vnet("b-a", "gw-b", "gw-a")
			},
			baseline: withConnections(&baseline.Connection{Type: "Vnet2Vnet", Peer: gatewayID("gw-b")}),
		},
		{
			name: "far VNet unknown: its half is never missing",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.gateway("a", "gw-a", "")
				w.vnet2vnet("a-b", "gw-a", "gw-b")
			},
			baseline: withConnections(&baseline.Connection{Type: "Vnet2Vnet", Peer: gatewayID("gw-b")}),
		},
		{
			name: "no baseline",
			estate: func(w *world) {
				twoGateways(w)
				w.vnet2vnet("a-b", "gw-a", "gw-b")
			},
		},
	}
	runRule(t, RuleConnectionMissing, append(cases, exemptionCases(RuleConnectionMissing, fires)...))
}

func TestConnectionNotConnected(t *testing.T) {
	fires := ruleCase{
		name: "Connecting and NotConnected",
		estate: func(w *world) {
			twoGateways(w)
			w.ipsec("a-onprem", "gw-a", "onprem").Status = "Connecting"
			w.vnet2vnet("b-a", "gw-b", "gw-a").Status = "NotConnected"
		},
		want:     []got{{Resource: "a-onprem", VNet: "a"}, {Resource: "b-a", VNet: "b"}},
		contains: []string{"Connection a-onprem (gw-a → onprem) is Connecting, not Connected"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "Connected or unknown",
			estate: func(w *world) {
				twoGateways(w)
				w.ipsec("a-onprem", "gw-a", "onprem")
				w.vnet2vnet("b-a", "gw-b", "gw-a").Status = ""
			},
		},
	}
	runRule(t, RuleConnectionNotConnected, append(cases, exemptionCases(RuleConnectionNotConnected, fires)...))
}

func TestConnectionSettingsDrift(t *testing.T) {
	policy := estate.IPsecPolicy{
		SALifeTimeSeconds: 27000, SADataSizeKilobytes: 102400000, IPsecEncryption: "AES256", IPsecIntegrity: "SHA256",
		IKEEncryption: "AES256", IKEIntegrity: "SHA384", DHGroup: "DHGroup14", PFSGroup: "PFS2048",
	}
	net := func(w *world) {
		twoGateways(w)
		c := w.ipsec("a-onprem", "gw-a", "onprem")
		c.Protocol, c.EnableBGP = "IKEv1", true
	}
	fires := ruleCase{
		name:   "protocol, BGP and IPsec policy differ",
		estate: net,
		baseline: withConnections(&baseline.Connection{ID: connID("a-onprem"), Protocol: "IKEv2", EnableBGP: ptr(false),
			IPsecPolicies: []estate.IPsecPolicy{policy}}),
		want: []got{{Resource: "a-onprem", VNet: "a"}},
		contains: []string{"connectionProtocol is IKEv1, expected IKEv2", "enableBgp is true, expected false",
			"ipsecPolicies is none, expected [IKE AES256/SHA384 DHGroup14, IPsec AES256/SHA256 PFS2048, SA 27000s/102400000KB]"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "found by peer, matching",
			estate: func(w *world) {
				net(w)
				w.e.Connections[estate.KeyOf(connID("a-onprem"))].IPsecPolicies = []estate.IPsecPolicy{policy}
			},
			baseline: withConnections(&baseline.Connection{Type: "ipsec", Peer: lngID("onprem"), Protocol: "ikev1",
				EnableBGP: ptr(true), UsePolicyBasedTrafficSelectors: ptr(false), IPsecPolicies: []estate.IPsecPolicy{policy}}),
		},
		{
			name: "empty policy list expects none",
			estate: func(w *world) {
				net(w)
				w.e.Connections[estate.KeyOf(connID("a-onprem"))].IPsecPolicies = []estate.IPsecPolicy{policy}
			},
			baseline: withConnections(&baseline.Connection{ID: connID("a-onprem"), IPsecPolicies: []estate.IPsecPolicy{}}),
			want:     []got{{Resource: "a-onprem", VNet: "a"}},
		},
		{
			name: "policies not declared: not checked",
			estate: func(w *world) {
				net(w)
				w.e.Connections[estate.KeyOf(connID("a-onprem"))].IPsecPolicies = []estate.IPsecPolicy{policy}
			},
			baseline: withConnections(&baseline.Connection{ID: connID("a-onprem")}),
		},
	}
	runRule(t, RuleConnectionSettingsDrift, append(cases, exemptionCases(RuleConnectionSettingsDrift, fires)...))
}

func TestRedundantVNet2VNet(t *testing.T) {
	fires := ruleCase{
		name: "peered and VNet-to-VNet connected",
		estate: func(w *world) {
			twoGateways(w)
			w.peering("b", "a")
			w.vnet2vnet("a-b", "gw-a", "gw-b")
		},
		want:     []got{{Resource: "a-b", VNet: "a"}},
		contains: []string{"joins a and b, which are also peered"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "VNet-to-VNet only",
			estate: func(w *world) {
				twoGateways(w)
				w.vnet2vnet("a-b", "gw-a", "gw-b")
			},
		},
		{
			name: "peered, Site-to-Site only",
			estate: func(w *world) {
				twoGateways(w)
				w.peer("a", "b")
				w.ipsec("a-onprem", "gw-a", "onprem")
			},
		},
	}
	runRule(t, RuleRedundantVNet2VNet, append(cases, exemptionCases(RuleRedundantVNet2VNet, fires)...))
}

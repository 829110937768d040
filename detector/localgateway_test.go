package detector

import (
	"testing"

	"github.com/vnetdrift/vnetdrift/baseline"
)

func TestLocalGatewayDrift(t *testing.T) {
	net := func(w *world) {
		w.vnet("z-hub", "10.0.0.0/16")
		w.vnet("a-hub", "10.1.0.0/16")
		w.gateway("z-hub", "gw-z", "")
		w.gateway("a-hub", "gw-a", "")
		l := w.lng("onprem", "203.0.113.10", "192.168.0.0/16")
		l.ASN, l.BGPPeerIP = 65001, "192.168.255.1"
		w.ipsec("z-onprem", "gw-z", "onprem")
		w.ipsec("a-onprem", "gw-a", "onprem")
	}
	declared := func(l *baseline.LocalGateway) func() *baseline.Baseline {
		return func() *baseline.Baseline {
			l.ID = lngID("onprem")
			return &baseline.Baseline{LocalGateways: []*baseline.LocalGateway{l}}
		}
	}
	fires := ruleCase{
		name:   "prefixes, IP and ASN differ; VNet is the first connecting one",
		estate: net,
		baseline: declared(&baseline.LocalGateway{Prefixes: prefixes(t, "192.168.0.0/16", "172.16.0.0/12"),
			GatewayIP: "203.0.113.20", ASN: ptr(int64(65002))}),
		want: []got{{Resource: "onprem", VNet: "a-hub"}},
		contains: []string{"addressPrefixes is 192.168.0.0/16, expected 172.16.0.0/12, 192.168.0.0/16",
			"gatewayIpAddress is 203.0.113.10, expected 203.0.113.20", "bgpAsn is 65001, expected 65002"},
	}
	cases := []ruleCase{
		fires,
		{
			name:   "matching",
			estate: net,
			baseline: declared(&baseline.LocalGateway{Prefixes: prefixes(t, "192.168.0.0/16"),
				GatewayIP: "203.0.113.10", ASN: ptr(int64(65001)), BGPPeerIP: "192.168.255.1"}),
		},
		{
			name:     "not in the baseline",
			estate:   net,
			baseline: baselineOf(),
		},
	}
	runRule(t, RuleLocalGatewayDrift, append(cases, exemptionCases(RuleLocalGatewayDrift, fires)...))
}

func TestLocalGatewayStale(t *testing.T) {
	// a reaches b over Site-to-Site; lng-b describes b, which has grown.
	net := func(w *world) {
		w.vnet("a", "10.0.0.0/16")
		w.vnet("b", "10.1.0.0/16", "10.11.0.0/16")
		w.gateway("a", "gw-a", "20.0.0.1")
		w.gateway("b", "gw-b", "20.0.0.2")
		w.lng("lng-b", "20.0.0.2", "10.1.0.0/16")
		w.ipsec("a-b", "gw-a", "lng-b")
	}
	fires := ruleCase{
		name:     "inferred from the gateway's public IP",
		estate:   net,
		want:     []got{{Resource: "lng-b", VNet: "a"}},
		contains: []string{"stands for VNet b but lists 10.1.0.0/16 while b now has 10.1.0.0/16, 10.11.0.0/16"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "declared in the baseline, not connected: finding on the represented VNet",
			estate: func(w *world) {
				w.vnet("b", "10.1.0.0/16", "10.11.0.0/16")
				w.lng("lng-b", "198.51.100.7", "10.1.0.0/16")
			},
			baseline: func() *baseline.Baseline {
				return &baseline.Baseline{LocalGateways: []*baseline.LocalGateway{{ID: lngID("lng-b"), Represents: vnetID("b")}}}
			},
			want: []got{{Resource: "lng-b", VNet: "b"}},
		},
		{
			name: "up to date",
			estate: func(w *world) {
				net(w)
				w.e.LocalGateways[lngKey("lng-b")].Prefixes = prefixes(t, "10.11.0.0/16", "10.1.0.0/16")
			},
		},
		{
			name: "BGP learns the routes",
			estate: func(w *world) {
				net(w)
				w.e.LocalGateways[lngKey("lng-b")].ASN = 65515
			},
		},
		{
			name: "an on-premises site",
			estate: func(w *world) {
				net(w)
				w.e.LocalGateways[lngKey("lng-b")].GatewayIP = "203.0.113.1"
			},
		},
	}
	runRule(t, RuleLocalGatewayStale, append(cases, exemptionCases(RuleLocalGatewayStale, fires)...))
}

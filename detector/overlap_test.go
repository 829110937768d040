package detector

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
)

func TestAddressOverlap(t *testing.T) {
	fires := ruleCase{
		name: "peered VNets overlap: one finding per side",
		estate: func(w *world) {
			w.vnet("a", "10.0.0.0/16")
			w.vnet("b", "10.0.128.0/24", "192.168.0.0/24")
			w.peering("a", "b")
		},
		want:     []got{{Resource: "a", VNet: "a"}, {Resource: "b", VNet: "b"}},
		contains: []string{"peered VNet b", "10.0.0.0/16 overlaps 10.0.128.0/24"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "peered VNets disjoint",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.vnet("b", "10.1.0.0/16")
				w.peer("a", "b")
			},
		},
		{
			name: "overlapping VNets that are not connected",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.vnet("b", "10.0.0.0/16")
				w.vnet("c", "10.0.0.0/8")
			},
		},
		{
			name: "VNet-to-VNet connection",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.vnet("b", "10.0.0.0/16")
				w.gateway("a", "gw-a", "")
				w.gateway("b", "gw-b", "")
				w.vnet2vnet("a-b", "gw-a", "gw-b")
			},
			want:     []got{{Resource: "a", VNet: "a"}, {Resource: "b", VNet: "b"}},
			contains: []string{"VNet a overlaps VNet b, joined by VNet-to-VNet connection a-b:"},
		},
		{
			name: "Site-to-Site to a local gateway inferred to stand for a VNet",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.vnet("b", "10.0.64.0/18")
				w.gateway("a", "gw-a", "")
				w.gateway("b", "gw-b", "20.1.1.1")
				w.lng("lng-b", "20.1.1.1", "172.16.0.0/16")
				w.ipsec("a-b", "gw-a", "lng-b")
			},
			want:     []got{{Resource: "a", VNet: "a"}, {Resource: "b", VNet: "b"}},
			contains: []string{"Site-to-Site connection a-b", "10.0.0.0/16 overlaps 10.0.64.0/18"},
		},
		{
			name: "Site-to-Site to a local gateway the baseline says stands for a VNet",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.vnet("b", "10.0.0.0/24")
				w.gateway("a", "gw-a", "")
				w.lng("lng-b", "20.1.1.1", "172.16.0.0/16")
				w.ipsec("a-b", "gw-a", "lng-b")
			},
			baseline: func() *baseline.Baseline {
				return &baseline.Baseline{LocalGateways: []*baseline.LocalGateway{{ID: lngID("lng-b"), Represents: vnetID("b")}}}
			},
			want: []got{{Resource: "a", VNet: "a"}, {Resource: "b", VNet: "b"}},
		},
		{
			name: "spokes sharing the hub's gateway",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("s1", "10.1.0.0/16")
				w.vnet("s2", "10.1.0.0/24")
				w.vnet("s3", "10.3.0.0/16")
				w.gateway("hub", "gw-hub", "")
				for _, s := range []string{"s1", "s2", "s3"} {
					w.peering("hub", s).AllowGatewayTransit = true
					w.peering(s, "hub").UseRemoteGateways = true
				}
			},
			// Judged with the hub: only the hub's neighbourhood holds every spoke.
			want:     []got{{Resource: "s1", VNet: "hub"}, {Resource: "s2", VNet: "hub"}},
			contains: []string{"VNet s1 overlaps VNet s2, which shares the gateway of hub: 10.1.0.0/16 overlaps 10.1.0.0/24, so", "10.1.0.0/16 overlaps 10.1.0.0/24"},
		},
		{
			name: "spokes that would share a hub without a gateway",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("s1", "10.1.0.0/16")
				w.vnet("s2", "10.1.0.0/24")
				w.peering("s1", "hub").UseRemoteGateways = true
				w.peering("s2", "hub").UseRemoteGateways = true
			},
		},
		{
			name: "on-premises site of the VNet's own gateway",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.gateway("hub", "gw-hub", "")
				w.lng("onprem", "203.0.113.1", "10.0.5.0/24", "192.168.0.0/16")
				w.ipsec("hub-onprem", "gw-hub", "onprem")
			},
			want:     []got{{Resource: "hub", VNet: "hub"}},
			contains: []string{"VNet hub overlaps on-premises site onprem, reached over connection hub-onprem: 10.0.0.0/16", "10.0.0.0/16 overlaps 10.0.5.0/24"},
		},
		{
			name: "on-premises site reached through the hub's gateway",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("spoke", "192.168.1.0/24")
				w.gateway("hub", "gw-hub", "")
				w.lng("onprem", "203.0.113.1", "192.168.0.0/16")
				w.ipsec("hub-onprem", "gw-hub", "onprem")
				w.peering("hub", "spoke").AllowGatewayTransit = true
				w.peering("spoke", "hub").UseRemoteGateways = true
			},
			want:     []got{{Resource: "spoke", VNet: "spoke"}},
			contains: []string{"on-premises site onprem, reached over connection hub-onprem through the gateway of hub", "192.168.1.0/24 overlaps 192.168.0.0/16"},
		},
		{
			name: "IPv6 prefixes",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16", "fd00:1::/48")
				w.vnet("b", "10.1.0.0/16", "fd00:1:0:8::/64")
				w.peer("a", "b")
			},
			want: []got{{Resource: "a", VNet: "a"}, {Resource: "b", VNet: "b"}},
		},
	}
	runRule(t, RuleAddressOverlap, append(cases, exemptionCases(RuleAddressOverlap, fires)...))
}

func TestAddressOverlapListsEveryPairOnce(t *testing.T) {
	w := newWorld(t)
	w.vnet("a", "10.0.0.0/16", "10.1.0.0/16")
	w.vnet("b", "10.0.0.0/8")
	w.peer("a", "b") // both halves: still one finding per side
	w.gateway("a", "gw-a", "")
	w.gateway("b", "gw-b", "")
	w.vnet2vnet("a-b", "gw-a", "gw-b")
	fs := ofRule(Evaluate(Input{Estate: w.build()}), RuleAddressOverlap)
	require.Len(t, fs, 2)
	require.Equal(t, "10.0.0.0/16 overlaps 10.0.0.0/8; 10.1.0.0/16 overlaps 10.0.0.0/8", fs[0].Actual)
	require.Equal(t, "10.0.0.0/8 overlaps 10.0.0.0/16; 10.0.0.0/8 overlaps 10.1.0.0/16", fs[1].Actual)
	require.NotEqual(t, fs[0].Fingerprint, fs[1].Fingerprint)
}

// TestSweepMatchesPairwise checks the sweep against the obvious pairwise
// comparison on generated nested and disjoint prefixes.
func TestSweepMatchesPairwise(t *testing.T) {
	var all []netip.Prefix
	for i := range 40 {
		bits := 8 + (i*7)%17
		all = append(all, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i % 4 * 64), byte(i * 37), 0}), bits).Masked())
	}
	all = append(all, netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("fd00:1::/32"), all[3])
	for _, cross := range []bool{false, true} {
		var spans []span
		for i, p := range all {
			spans = appendSpans(spans, []netip.Prefix{p}, i, i%2)
		}
		want := map[string]bool{}
		for i := range all {
			for j := i + 1; j < len(all); j++ {
				if all[i].Overlaps(all[j]) && (!cross || i%2 != j%2) {
					want[pairKey(i, j)] = true
				}
			}
		}
		gotPairs := map[string]bool{}
		sweep(spans, cross, func(a, b span) {
			require.True(t, a.p.Contains(b.p.Addr()) && a.p.Bits() <= b.p.Bits(), "%v contains %v", a.p, b.p)
			k := pairKey(a.owner, b.owner)
			require.False(t, gotPairs[k], "pair %s reported twice", k)
			gotPairs[k] = true
		})
		require.Equal(t, want, gotPairs, "cross=%v", cross)
	}
}

func pairKey(i, j int) string { return fmt.Sprint(min(i, j), "-", max(i, j)) }

func TestLastAddr(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8":      "10.255.255.255",
		"10.1.2.0/23":     "10.1.3.255",
		"0.0.0.0/0":       "255.255.255.255",
		"10.1.2.3/32":     "10.1.2.3",
		"fd00:1::/48":     "fd00:1:0:ffff:ffff:ffff:ffff:ffff",
		"2001:db8::1/128": "2001:db8::1",
	} {
		require.Equal(t, want, lastAddr(netip.MustParsePrefix(in)).String(), in)
	}
}

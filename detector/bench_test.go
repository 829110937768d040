package detector

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// hubAndSpoke generates hubs hubs, each with a VPN gateway, an on-premises
// site and spokes spokes. Every spoke is peered both ways with its hub and
// uses the hub's gateway; hubs are peered both ways in a ring. So there are
// hubs×(spokes+1) VNets and 2×hubs×spokes + 2×hubs peerings (for hubs > 2).
// Drift: the spoke at index 99 of every 100 of a hub repeats the previous
// spoke's prefix (an overlap through the shared gateway), and every 50th
// spoke's half is Initiated.
func hubAndSpoke(tb testing.TB, hubs, spokes int) *estate.Estate {
	w := newWorld(tb)
	for h := range hubs {
		hub := fmt.Sprintf("hub-%02d", h)
		w.vnet(hub, fmt.Sprintf("172.16.%d.0/24", h))
		w.gateway(hub, "gw-"+hub, fmt.Sprintf("20.0.%d.1", h))
		site := "onprem-" + hub
		w.lng(site, fmt.Sprintf("203.0.%d.1", h), fmt.Sprintf("192.168.%d.0/24", h))
		w.ipsec(hub+"-"+site, "gw-"+hub, site)
		for i := range spokes {
			n := h*spokes + i
			spoke := fmt.Sprintf("spoke-%05d", n)
			if i%100 == 99 {
				n-- // same prefix as the previous spoke
			}
			w.vnet(spoke, spokePrefix(n).String())
			down, up := w.peer(hub, spoke)
			down.AllowGatewayTransit, up.UseRemoteGateways = true, true
			if i%50 == 49 {
				up.State = estate.PeeringInitiated
			}
		}
	}
	for h := range hubs {
		w.peer(fmt.Sprintf("hub-%02d", h), fmt.Sprintf("hub-%02d", (h+1)%hubs))
	}
	return w.build()
}

func spokePrefix(n int) netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(n / 256), byte(n % 256), 0}), 24)
}

// captureBaseline declares every VNet of e as it is: prefixes, peerings
// with their flags, VPN gateway and connections.
func captureBaseline(e *estate.Estate) *baseline.Baseline {
	b := &baseline.Baseline{Version: baseline.Version}
	for i, v := range estate.SortedValues(e.VNets) {
		bv := &baseline.VNet{ID: v.ID, AddressPrefixes: v.Prefixes, Line: i + 1}
		for _, p := range v.Peerings {
			bv.Peerings = append(bv.Peerings, &baseline.Peering{Remote: p.RemoteVNetID, PeeringFlags: baseline.PeeringFlags{
				AllowVirtualNetworkAccess: ptr(p.AllowVirtualNetworkAccess), AllowForwardedTraffic: ptr(p.AllowForwardedTraffic),
				AllowGatewayTransit: ptr(p.AllowGatewayTransit), UseRemoteGateways: ptr(p.UseRemoteGateways),
			}})
		}
		if g := e.VPNGatewayOf(v.Key); g != nil {
			bv.Gateway = &baseline.Gateway{ID: g.ID, SKU: g.SKU, VPNType: g.VPNType}
			for _, c := range e.ConnectionsOf(g.Key) {
				bv.Connections = append(bv.Connections, &baseline.Connection{ID: c.ID, Type: c.Type, Protocol: c.Protocol})
			}
		}
		b.VNets = append(b.VNets, bv)
	}
	b.Index()
	return b
}

func TestHubAndSpokeGenerator(t *testing.T) {
	e := hubAndSpoke(t, 3, 200)
	require.Len(t, e.VNets, 603)
	require.Len(t, e.Peerings, 2*3*200+6)
	in := Input{Estate: e, Baseline: captureBaseline(e), Now: testNow}
	fs := Evaluate(in)
	count := map[string]int{}
	for _, f := range fs {
		count[f.Rule]++
	}
	// 2 overlapping spoke pairs per hub, one finding per side; 4 Initiated spokes per hub.
	require.Equal(t, map[string]int{RuleAddressOverlap: 3 * 2 * 2, RulePeeringNotConnected: 3 * 4}, count)
}

// BenchmarkEvaluate evaluates a hub-and-spoke estate of 10,000 VNets and
// 20,000 peerings: 10 hubs of 999 spokes.
func BenchmarkEvaluate(b *testing.B) {
	e := hubAndSpoke(b, 10, 999)
	require.Len(b, e.VNets, 10_000)
	require.Len(b, e.Peerings, 20_000)
	full := captureBaseline(e)
	for _, bc := range []struct {
		name string
		in   Input
	}{
		{"no-baseline", Input{Estate: e, Now: testNow}},
		{"baseline", Input{Estate: e, Baseline: full, Now: testNow}},
		{"baseline-scope-1", Input{Estate: e, Baseline: full, Now: testNow, Scope: []estate.Key{estate.KeyOf(vnetID("spoke-00042"))}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Evaluate(bc.in)
			}
		})
	}
}

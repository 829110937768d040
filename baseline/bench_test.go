package baseline

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// bigEstate is n hub-and-spoke pairs: 2n VNets with a peering each way.
func bigEstate(n int) *estate.Estate {
	e := estate.New()
	for i := range n {
		hub := fmt.Sprintf("/subscriptions/s/resourceGroups/rg%d/providers/Microsoft.Network/virtualNetworks/hub", i)
		spoke := fmt.Sprintf("/subscriptions/s/resourceGroups/rg%d/providers/Microsoft.Network/virtualNetworks/spoke", i)
		for j, id := range []string{hub, spoke} {
			k := estate.KeyOf(id)
			e.VNets[k] = &estate.VNet{ID: id, Key: k, Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), byte(j * 128)}), 25)}}
		}
		for _, ends := range [][2]string{{hub, spoke}, {spoke, hub}} {
			p := &estate.Peering{ID: ends[0] + "/virtualNetworkPeerings/p", Name: "p", VNetID: ends[0], RemoteVNetID: ends[1], AllowVirtualNetworkAccess: true}
			p.Key, p.VNetKey, p.RemoteKey = estate.KeyOf(p.ID), estate.KeyOf(ends[0]), estate.KeyOf(ends[1])
			e.Peerings[p.Key] = p
		}
	}
	e.Index()
	return e
}

func BenchmarkParse2000VNets(b *testing.B) {
	data, err := Marshal(Capture(bigEstate(1000)))
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("big.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCaptureMarshal2000VNets(b *testing.B) {
	e := bigEstate(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(Capture(e)); err != nil {
			b.Fatal(err)
		}
	}
}

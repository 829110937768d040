package emulator

import (
	"fmt"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"

	"github.com/vnetdrift/vnetdrift/estate"
)

// benchEstate is n VNets in one resource group, each peered with the next.
func benchEstate(n int) *estate.Resources {
	res := &estate.Resources{}
	for i := range n {
		v := vnetBody("", fmt.Sprintf("10.%d.%d.0/24", i/256, i%256))
		v.ID = ptr(vnetID(fmt.Sprintf("vnet%04d", i)))
		p := peeringBody(fmt.Sprintf("vnet%04d", (i+1)%n))
		p.ID = ptr(*v.ID + "/virtualNetworkPeerings/next")
		p.Properties.PeeringState = ptr(armnetwork.VirtualNetworkPeeringStateConnected)
		v.Properties.VirtualNetworkPeerings = []*armnetwork.VirtualNetworkPeering{&p}
		res.VNets = append(res.VNets, &v)
	}
	return res
}

// benchOptions poll without waiting: retry-after-ms 0 leaves the delay to
// the client's 1 ms poll frequency.
func benchOptions() Options { return Options{PollInterval: time.Nanosecond} }

// BenchmarkVNetGet measures one SDK Get over loopback.
func BenchmarkVNetGet(b *testing.B) {
	e := newEnv(b, benchEstate(100), benchOptions())
	vc := e.net.NewVirtualNetworksClient()
	for i := 0; b.Loop(); i++ {
		if _, err := vc.Get(ctx, testRG, fmt.Sprintf("vnet%04d", i%100), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListAll1000 measures listing 1000 VNets (10 pages of 100).
func BenchmarkListAll1000(b *testing.B) {
	e := newEnv(b, benchEstate(1000), benchOptions())
	vc := e.net.NewVirtualNetworksClient()
	for b.Loop() {
		n := 0
		for pg := vc.NewListAllPager(nil); pg.More(); {
			page, err := pg.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += len(page.Value)
		}
		if n != 1000 {
			b.Fatalf("listed %d VNets", n)
		}
	}
}

// BenchmarkGraph1000 measures one Resource Graph page of 1000 VNet rows.
func BenchmarkGraph1000(b *testing.B) {
	e := newEnv(b, benchEstate(1000), benchOptions())
	req := armresourcegraph.QueryRequest{Query: ptr(networkQuery)}
	for b.Loop() {
		resp, err := e.graph.Resources(ctx, req, nil)
		if err != nil {
			b.Fatal(err)
		}
		if *resp.Count != 1000 {
			b.Fatalf("got %d rows", *resp.Count)
		}
	}
}

// BenchmarkPeeringPut measures a peering write through its whole LRO:
// the PUT, one InProgress poll, the Succeeded poll and the final GET.
func BenchmarkPeeringPut(b *testing.B) {
	e := newEnv(b, benchEstate(100), benchOptions())
	pc := e.net.NewVirtualNetworkPeeringsClient()
	body := peeringBody("vnet0001")
	poll := &runtime.PollUntilDoneOptions{Frequency: time.Millisecond}
	for b.Loop() {
		p, err := pc.BeginCreateOrUpdate(ctx, testRG, "vnet0000", "next", body, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.PollUntilDone(ctx, poll); err != nil {
			b.Fatal(err)
		}
	}
}

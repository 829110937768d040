package emulator

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVNetCRUD(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	ctx := context.Background()
	vc := e.net.NewVirtualNetworksClient()

	created := e.putVNet(t, "hub", vnetBody("10.0.255.0/27", "10.0.0.0/16"))
	assert.Equal(t, vnetID("hub"), *created.ID)
	assert.Equal(t, "hub", *created.Name)
	assert.Equal(t, "Microsoft.Network/virtualNetworks", *created.Type)
	assert.Equal(t, armnetwork.ProvisioningStateSucceeded, *created.Properties.ProvisioningState)
	require.Len(t, created.Properties.Subnets, 1)
	assert.Equal(t, vnetID("hub")+"/subnets/GatewaySubnet", *created.Properties.Subnets[0].ID)

	updated := e.putVNet(t, "hub", vnetBody("10.0.255.0/27", "10.0.0.0/16", "10.1.0.0/16"))
	assert.NotEqual(t, *created.Etag, *updated.Etag, "every write gets a new etag")
	assert.Equal(t, *created.Properties.ResourceGUID, *updated.Properties.ResourceGUID)

	got, err := vc.Get(ctx, testRG, "hub", nil)
	require.NoError(t, err)
	assert.Equal(t, []*string{ptr("10.0.0.0/16"), ptr("10.1.0.0/16")}, got.Properties.AddressSpace.AddressPrefixes)

	var listed []string
	for pager := vc.NewListPager(testRG, nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		for _, v := range page.Value {
			listed = append(listed, *v.Name)
		}
	}
	assert.Equal(t, []string{"hub"}, listed)

	del, err := vc.BeginDelete(ctx, testRG, "hub", nil)
	require.NoError(t, err)
	_, err = del.PollUntilDone(ctx, pollFast)
	require.NoError(t, err)
	_, err = vc.Get(ctx, testRG, "hub", nil)
	code, status := errorCode(t, err)
	assert.Equal(t, "ResourceNotFound", code)
	assert.Equal(t, http.StatusNotFound, status)

	counts := e.srv.Requests()
	assert.Equal(t, 2, counts["VirtualNetworks.CreateOrUpdate"])
	assert.Equal(t, 1, counts["VirtualNetworks.Delete"])
	assert.Equal(t, 4, counts["VirtualNetworks.Get"], "2 Gets + the pollers' final GET after each PUT")
	assert.Equal(t, 1, counts["VirtualNetworks.List"])
}

func TestVNetValidation(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	tests := []struct {
		name string
		body armnetwork.VirtualNetwork
		code string
	}{
		{"no location", armnetwork.VirtualNetwork{Properties: vnetBody("", "10.0.0.0/16").Properties}, "LocationRequired"},
		{"bad prefix", vnetBody("", "10.0.0.0/160"), "InvalidAddressPrefixFormat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.net.NewVirtualNetworksClient().BeginCreateOrUpdate(context.Background(), testRG, "v", tt.body, nil)
			code, status := errorCode(t, err)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, http.StatusBadRequest, status)
		})
	}
}

func TestListPaging(t *testing.T) {
	opts := testOptions()
	opts.PageSize = 3
	e := newEnv(t, nil, opts)
	for i := range 7 {
		e.putVNet(t, fmt.Sprintf("vnet%d", i), vnetBody("", fmt.Sprintf("10.%d.0.0/16", i)))
	}
	ctx := context.Background()
	vc := e.net.NewVirtualNetworksClient()

	var all []string
	pages := 0
	for pager := vc.NewListAllPager(nil); pager.More(); pages++ {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		for _, v := range page.Value {
			all = append(all, *v.Name)
		}
	}
	assert.Equal(t, []string{"vnet0", "vnet1", "vnet2", "vnet3", "vnet4", "vnet5", "vnet6"}, all)
	assert.Equal(t, 3, pages)
	assert.Equal(t, 3, e.srv.Requests()["VirtualNetworks.ListAll"], "the pager followed nextLink twice")

	var inRG int
	for pager := vc.NewListPager(testRG, nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		inRG += len(page.Value)
	}
	assert.Equal(t, 7, inRG)

	var none int
	for pager := vc.NewListPager("other-rg", nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		none += len(page.Value)
	}
	assert.Zero(t, none)
}

func TestVNetPutKeepsPeeringsWhenBodyOmitsThem(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	e.putVNet(t, "a", vnetBody("", "10.1.0.0/16"))
	e.putVNet(t, "b", vnetBody("", "10.2.0.0/16"))
	_, err := e.putPeering(t, "a", "a-b", peeringBody("b"), false)
	require.NoError(t, err)

	got := e.putVNet(t, "a", vnetBody("", "10.1.0.0/16"))
	require.Len(t, got.Properties.VirtualNetworkPeerings, 1, "a PUT without virtualNetworkPeerings keeps them")
	assert.Equal(t, "a-b", *got.Properties.VirtualNetworkPeerings[0].Name)

	// A GET → PUT round trip sends the peering back with its computed fields.
	cur, err := e.net.NewVirtualNetworksClient().Get(context.Background(), testRG, "a", nil)
	require.NoError(t, err)
	got = e.putVNet(t, "a", cur.VirtualNetwork)
	assert.Len(t, got.Properties.VirtualNetworkPeerings, 1)
}

func TestVNetPutCreatesInlinePeering(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	e.putVNet(t, "b", vnetBody("", "10.2.0.0/16"))
	body := vnetBody("", "10.1.0.0/16")
	p := peeringBody("b")
	p.Name = ptr("a-b")
	body.Properties.VirtualNetworkPeerings = []*armnetwork.VirtualNetworkPeering{&p}
	got := e.putVNet(t, "a", body)
	require.Len(t, got.Properties.VirtualNetworkPeerings, 1)

	pp := e.getPeering(t, "a", "a-b")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateInitiated, *pp.PeeringState)
	assert.Equal(t, armnetwork.ProvisioningStateSucceeded, *pp.ProvisioningState)
	assert.Equal(t, []*string{ptr("10.2.0.0/16")}, pp.RemoteAddressSpace.AddressPrefixes)

	overlap := vnetBody("", "10.2.0.0/24")
	overlap.Properties.VirtualNetworkPeerings = []*armnetwork.VirtualNetworkPeering{&p}
	_, err := e.net.NewVirtualNetworksClient().BeginCreateOrUpdate(context.Background(), testRG, "c", overlap, nil)
	code, _ := errorCode(t, err)
	assert.Equal(t, "VnetAddressSpacesOverlap", code, "inline peerings are validated like standalone ones")
}

func TestVNetDelete(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	ctx := context.Background()
	e.putVNet(t, "hub", vnetBody("10.0.255.0/27", "10.0.0.0/16"))
	e.putVNet(t, "spoke", vnetBody("", "10.1.0.0/16"))
	_, err := e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), false)
	require.NoError(t, err)
	_, err = e.putPeering(t, "spoke", "spoke-hub", peeringBody("hub"), false)
	require.NoError(t, err)
	e.putGateway(t, "hub-gw", "hub")

	vc := e.net.NewVirtualNetworksClient()
	_, err = vc.BeginDelete(ctx, testRG, "hub", nil)
	code, status := errorCode(t, err)
	assert.Equal(t, "InUseSubnetCannotBeDeleted", code, "a VNet with a gateway cannot be deleted")
	assert.Equal(t, http.StatusBadRequest, status)

	_, err = vc.BeginCreateOrUpdate(ctx, testRG, "hub", vnetBody("", "10.0.0.0/16"), nil)
	code, _ = errorCode(t, err)
	assert.Equal(t, "InUseSubnetCannotBeDeleted", code, "a PUT cannot drop the gateway's subnet")

	p, err := vc.BeginDelete(ctx, testRG, "spoke", nil)
	require.NoError(t, err)
	_, err = p.PollUntilDone(ctx, pollFast)
	require.NoError(t, err)
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateDisconnected, *e.getPeering(t, "hub", "hub-spoke").PeeringState)

	p, err = vc.BeginDelete(ctx, testRG, "spoke", nil)
	require.NoError(t, err, "deleting a missing VNet is a no-op (204)")
	assert.True(t, p.Done())
}

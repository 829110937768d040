package emulator

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// ARM lists a gateway's IP configurations under its GatewaySubnet; readers
// find a VNet's gateway through that back-reference.
func TestGatewaySubnetListsGatewayIPConfigurations(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, &estate.Resources{}, testOptions())
	vp, err := e.net.NewVirtualNetworksClient().BeginCreateOrUpdate(ctx, testRG, "hub", vnetBody("10.0.255.0/27", "10.0.0.0/16"), nil)
	require.NoError(t, err)
	_, err = vp.PollUntilDone(ctx, pollFast)
	require.NoError(t, err)

	subnetRefs := func() []string {
		got, err := e.net.NewVirtualNetworksClient().Get(ctx, testRG, "hub", nil)
		require.NoError(t, err)
		var ids []string
		for _, sn := range got.Properties.Subnets {
			for _, ipc := range sn.Properties.IPConfigurations {
				ids = append(ids, *ipc.ID)
			}
		}
		return ids
	}
	assert.Empty(t, subnetRefs(), "no gateway yet")

	gp, err := e.net.NewVirtualNetworkGatewaysClient().BeginCreateOrUpdate(ctx, testRG, "gw", gatewayBody("hub"), nil)
	require.NoError(t, err)
	_, err = gp.PollUntilDone(ctx, pollFast)
	require.NoError(t, err)
	gwID := resourceID(testSub, testRG, estate.TypeGateway, "gw")
	assert.Equal(t, []string{gwID + "/ipConfigurations/default"}, subnetRefs())

	res, err := estate.Build(e.srv.Snapshot())
	require.NoError(t, err)
	assert.NotNil(t, res.VPNGatewayOf(estate.KeyOf(vnetID("hub"))))
}

package emulator

import (
	"context"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// TestPeeringStateMachine walks both halves of a hub-spoke peering through
// create, connect, address-space change, sync, one-sided delete and repair.
func TestPeeringStateMachine(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	e.putVNet(t, "hub", vnetBody("", "10.0.0.0/16"))
	e.putVNet(t, "spoke", vnetBody("", "10.1.0.0/16"))
	state := func(vnet, name string) (armnetwork.VirtualNetworkPeeringState, armnetwork.VirtualNetworkPeeringLevel) {
		p := e.getPeering(t, vnet, name)
		return *p.PeeringState, *p.PeeringSyncLevel
	}

	created, err := e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), false)
	require.NoError(t, err)
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateInitiated, *created.Properties.PeeringState, "only one half exists")
	assert.Equal(t, armnetwork.ProvisioningStateSucceeded, *created.Properties.ProvisioningState)
	assert.Equal(t, vnetID("hub")+"/virtualNetworkPeerings/hub-spoke", *created.ID)
	assert.Equal(t, []*string{ptr("10.1.0.0/16")}, created.Properties.RemoteAddressSpace.AddressPrefixes)

	_, err = e.putPeering(t, "spoke", "spoke-hub", peeringBody("hub"), false)
	require.NoError(t, err)
	for _, p := range [][2]string{{"hub", "hub-spoke"}, {"spoke", "spoke-hub"}} {
		st, lvl := state(p[0], p[1])
		assert.Equal(t, armnetwork.VirtualNetworkPeeringStateConnected, st, p[1])
		assert.Equal(t, armnetwork.VirtualNetworkPeeringLevelFullyInSync, lvl, p[1])
	}

	// The spoke grows: its own peering is RemoteNotInSync, the hub's LocalNotInSync.
	e.putVNet(t, "spoke", vnetBody("", "10.1.0.0/16", "10.101.0.0/16"))
	_, lvl := state("spoke", "spoke-hub")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync, lvl)
	hubSide := e.getPeering(t, "hub", "hub-spoke")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringLevelLocalNotInSync, *hubSide.PeeringSyncLevel)
	assert.Equal(t, []*string{ptr("10.1.0.0/16")}, hubSide.RemoteAddressSpace.AddressPrefixes, "what is peered does not change without a sync")
	assert.Equal(t, []*string{ptr("10.1.0.0/16"), ptr("10.101.0.0/16")}, hubSide.RemoteVirtualNetworkAddressSpace.AddressPrefixes)

	// The hub grows too: both sides are now out of sync both ways.
	e.putVNet(t, "hub", vnetBody("", "10.0.0.0/16", "10.100.0.0/16"))
	_, lvl = state("hub", "hub-spoke")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringLevelLocalAndRemoteNotInSync, lvl)

	// Sync repairs both halves.
	_, err = e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), true)
	require.NoError(t, err)
	for _, p := range [][2]string{{"hub", "hub-spoke"}, {"spoke", "spoke-hub"}} {
		_, lvl := state(p[0], p[1])
		assert.Equal(t, armnetwork.VirtualNetworkPeeringLevelFullyInSync, lvl, p[1])
	}
	assert.Equal(t, []*string{ptr("10.1.0.0/16"), ptr("10.101.0.0/16")}, e.getPeering(t, "hub", "hub-spoke").RemoteAddressSpace.AddressPrefixes)
	assert.Equal(t, []*string{ptr("10.0.0.0/16"), ptr("10.100.0.0/16")}, e.getPeering(t, "spoke", "spoke-hub").RemoteAddressSpace.AddressPrefixes)

	// Deleting one half leaves the other Disconnected; it cannot be re-created
	// until the Disconnected half is updated (back to Initiated).
	del, err := e.net.NewVirtualNetworkPeeringsClient().BeginDelete(context.Background(), testRG, "spoke", "spoke-hub", nil)
	require.NoError(t, err)
	_, err = del.PollUntilDone(context.Background(), pollFast)
	require.NoError(t, err)
	st, _ := state("hub", "hub-spoke")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateDisconnected, st)

	_, err = e.putPeering(t, "spoke", "spoke-hub", peeringBody("hub"), false)
	code, status := errorCode(t, err)
	assert.Equal(t, "RemotePeeringIsDisconnected", code)
	assert.Equal(t, http.StatusBadRequest, status)

	_, err = e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), false)
	require.NoError(t, err)
	st, _ = state("hub", "hub-spoke")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateInitiated, st)
	_, err = e.putPeering(t, "spoke", "spoke-hub", peeringBody("hub"), false)
	require.NoError(t, err)
	st, _ = state("hub", "hub-spoke")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateConnected, st)
}

func TestPeeringInlineAndStandaloneAgree(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	ctx := context.Background()
	e.putVNet(t, "a", vnetBody("", "10.1.0.0/16"))
	e.putVNet(t, "b", vnetBody("", "10.2.0.0/16"))
	_, err := e.putPeering(t, "a", "a-b", peeringBody("b"), false)
	require.NoError(t, err)
	_, err = e.putPeering(t, "b", "b-a", peeringBody("a"), false)
	require.NoError(t, err)

	vnet, err := e.net.NewVirtualNetworksClient().Get(ctx, testRG, "a", nil)
	require.NoError(t, err)
	require.Len(t, vnet.Properties.VirtualNetworkPeerings, 1)
	inline := vnet.Properties.VirtualNetworkPeerings[0]

	var listed []*armnetwork.VirtualNetworkPeering
	for pager := e.net.NewVirtualNetworkPeeringsClient().NewListPager(testRG, "a", nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		listed = append(listed, page.Value...)
	}
	require.Len(t, listed, 1)
	assert.Equal(t, inline, listed[0], "the VNet's inline peering is the peering resource")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateConnected, *inline.Properties.PeeringState)

	_, err = e.net.NewVirtualNetworkPeeringsClient().Get(ctx, testRG, "a", "missing", nil)
	code, status := errorCode(t, err)
	assert.Equal(t, "NotFound", code)
	assert.Equal(t, http.StatusNotFound, status)

	_, err = e.putPeering(t, "nope", "x", peeringBody("a"), false)
	code, _ = errorCode(t, err)
	assert.Equal(t, "ParentResourceNotFound", code)
}

func TestPeeringValidation(t *testing.T) {
	useRemote := func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.UseRemoteGateways = ptr(true) }
	transit := func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.AllowGatewayTransit = ptr(true) }
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env)
		vnet  string
		body  armnetwork.VirtualNetworkPeering
		code  string // "" = accepted
	}{
		{"overlapping address spaces", nil, "spoke", peeringBody("overlap"), "VnetAddressSpacesOverlap"},
		{"remote VNet without gateway", nil, "spoke", peeringBody("spoke2", useRemote), "RemoteVnetHasNoGateways"},
		{"remote half without gateway transit", func(t *testing.T, e *env) {
			_, err := e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), false)
			require.NoError(t, err)
		}, "spoke", peeringBody("hub", useRemote), "RemotePeeringDoesNotHaveGatewayTransit"},
		{"local VNet has its own gateway", func(t *testing.T, e *env) {
			e.putGateway(t, "spoke2-gw", "spoke2")
		}, "spoke2", peeringBody("hub", useRemote), "VnetAlreadyHasGateway"},
		{"gateway transit allowed", func(t *testing.T, e *env) {
			_, err := e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke", transit), false)
			require.NoError(t, err)
		}, "spoke", peeringBody("hub", useRemote), ""},
		{"remote half not created yet", nil, "spoke", peeringBody("hub", useRemote), ""},
		{"second peering using remote gateways", func(t *testing.T, e *env) {
			_, err := e.putPeering(t, "spoke", "other", peeringBody("hub", useRemote), false)
			require.NoError(t, err)
		}, "spoke", peeringBody("hub2", useRemote), "AnotherPeeringAlreadyUsesRemoteGateways"},
		{"changing the remote VNet", func(t *testing.T, e *env) {
			_, err := e.putPeering(t, "spoke", "p", peeringBody("spoke2"), false)
			require.NoError(t, err)
		}, "spoke", peeringBody("hub"), "ChangingRemoteVirtualNetworkNotAllowed"},
		{"second peering to the same VNet", func(t *testing.T, e *env) {
			_, err := e.putPeering(t, "spoke", "first", peeringBody("hub"), false)
			require.NoError(t, err)
		}, "spoke", peeringBody("hub"), "AnotherPeeringAlreadyReferencesRemoteVnet"},
		{"overlap with a VNet already peered with the remote", func(t *testing.T, e *env) {
			_, err := e.putPeering(t, "hub", "hub-overlap", peeringBody("overlap"), false)
			require.NoError(t, err)
		}, "spoke", peeringBody("hub"), "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet"},
		{"no remote VNet", nil, "spoke", armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{}}, "InvalidRequestFormat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil, testOptions())
			e.putVNet(t, "hub", vnetBody("10.0.255.0/27", "10.0.0.0/16"))
			e.putVNet(t, "hub2", vnetBody("10.2.255.0/27", "10.2.0.0/16"))
			e.putGateway(t, "hub-gw", "hub")
			e.putGateway(t, "hub2-gw", "hub2")
			e.putVNet(t, "spoke", vnetBody("", "10.1.0.0/16"))
			e.putVNet(t, "spoke2", vnetBody("10.3.255.0/27", "10.3.0.0/16"))
			e.putVNet(t, "overlap", vnetBody("", "10.1.128.0/24"))
			if tt.setup != nil {
				tt.setup(t, e)
			}
			_, err := e.putPeering(t, tt.vnet, "p", tt.body, false)
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			code, status := errorCode(t, err)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, http.StatusBadRequest, status)
		})
	}
}

// TestLoadingNeverRejects loads states ARM would refuse to create and
// serves them unchanged.
func TestLoadingNeverRejects(t *testing.T) {
	a, b := vnetBody("", "10.0.0.0/16"), vnetBody("", "10.0.0.0/24")
	a.ID, b.ID = ptr(vnetID("a")), ptr(vnetID("b"))
	ab := peeringBody("b", func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
		p.UseRemoteGateways = ptr(true)
		p.PeeringState = ptr(armnetwork.VirtualNetworkPeeringStateConnected)
		p.PeeringSyncLevel = ptr(armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync)
	})
	ab.ID = ptr(vnetID("a") + "/virtualNetworkPeerings/a-b")
	orphan := peeringBody("a")
	orphan.ID = ptr(vnetID("gone") + "/virtualNetworkPeerings/gone-a")
	res := &estate.Resources{VNets: []*armnetwork.VirtualNetwork{&a, &b}, Peerings: []*armnetwork.VirtualNetworkPeering{&ab, &orphan}}

	e := newEnv(t, res, testOptions())
	p := e.getPeering(t, "a", "a-b")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringStateConnected, *p.PeeringState)
	assert.Equal(t, armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync, *p.PeeringSyncLevel)
	assert.True(t, *p.UseRemoteGateways)
	assert.NotNil(t, e.getPeering(t, "gone", "gone-a"), "a peering whose VNet is absent is still served")

	snap := e.srv.Snapshot()
	require.Len(t, snap.VNets, 2)
	require.Len(t, snap.VNets[0].Properties.VirtualNetworkPeerings, 1, "standalone peerings are merged into their VNet")
	require.Len(t, snap.Peerings, 1)
	assert.Equal(t, *orphan.ID, *snap.Peerings[0].ID)
}

func TestAddressChangeOfUnconnectedPeering(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	e.putVNet(t, "a", vnetBody("", "10.1.0.0/16"))
	e.putVNet(t, "b", vnetBody("", "10.2.0.0/16"))
	_, err := e.putPeering(t, "a", "a-b", peeringBody("b"), false)
	require.NoError(t, err)

	e.putVNet(t, "b", vnetBody("", "10.2.0.0/16", "10.20.0.0/16"))
	p := e.getPeering(t, "a", "a-b")
	assert.Equal(t, armnetwork.VirtualNetworkPeeringLevelFullyInSync, *p.PeeringSyncLevel, "an Initiated half peers nothing yet")
	assert.Equal(t, []*string{ptr("10.2.0.0/16"), ptr("10.20.0.0/16")}, p.RemoteAddressSpace.AddressPrefixes)
	assert.Equal(t, []*string{ptr("10.2.0.0/16"), ptr("10.20.0.0/16")}, p.RemoteVirtualNetworkAddressSpace.AddressPrefixes)
}

func TestOrphanPeeringAdoptedByNewVNet(t *testing.T) {
	orphan := peeringBody("b")
	orphan.ID = ptr(vnetID("a") + "/virtualNetworkPeerings/a-b")
	e := newEnv(t, &estate.Resources{Peerings: []*armnetwork.VirtualNetworkPeering{&orphan}}, testOptions())
	got := e.putVNet(t, "a", vnetBody("", "10.1.0.0/16"))
	require.Len(t, got.Properties.VirtualNetworkPeerings, 1)
	assert.Equal(t, "a-b", *got.Properties.VirtualNetworkPeerings[0].Name)
	snap := e.srv.Snapshot()
	assert.Empty(t, snap.Peerings)
}

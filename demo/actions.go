package demo

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/estate"
)

// actions makes the scripted changes with the real armnetwork clients,
// exactly as a person or a pipeline would through ARM.
type actions struct{ reader *azure.Reader }

func (a *actions) clients(id string) (*armnetwork.ClientFactory, string, error) {
	f, err := a.reader.Networks(estate.SubscriptionOf(id))
	return f, estate.ResourceGroupOf(id), err
}

func (a *actions) setAddressSpace(ctx context.Context, vnet string, prefixes ...string) error {
	f, rg, err := a.clients(vnet)
	if err != nil {
		return err
	}
	c := f.NewVirtualNetworksClient()
	got, err := c.Get(ctx, rg, estate.LastSegment(vnet), nil)
	if err != nil {
		return fmt.Errorf("reading VNet %q: %w", vnet, err)
	}
	v := got.VirtualNetwork
	v.Properties.AddressSpace = &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)}
	poller, err := c.BeginCreateOrUpdate(ctx, rg, estate.LastSegment(vnet), v, nil)
	if err != nil {
		return fmt.Errorf("updating VNet %q: %w", vnet, err)
	}
	_, err = poller.PollUntilDone(ctx, a.reader.PollOptions())
	return err
}

func (a *actions) peerings(id string) (*armnetwork.VirtualNetworkPeeringsClient, string, string, error) {
	f, rg, err := a.clients(id)
	if err != nil {
		return nil, "", "", err
	}
	return f.NewVirtualNetworkPeeringsClient(), rg, estate.LastSegment(estate.ParentVNetID(id)), nil
}

func (a *actions) deletePeering(ctx context.Context, id string) error {
	c, rg, vnet, err := a.peerings(id)
	if err != nil {
		return err
	}
	poller, err := c.BeginDelete(ctx, rg, vnet, estate.LastSegment(id), nil)
	if err != nil {
		return fmt.Errorf("deleting peering %q: %w", id, err)
	}
	_, err = poller.PollUntilDone(ctx, a.reader.PollOptions())
	return err
}

// putPeering reads a peering, lets mutate change it, and writes back only
// the settable fields (a GET body carries computed state that must not be
// sent back).
func (a *actions) putPeering(ctx context.Context, id string, mutate func(*armnetwork.VirtualNetworkPeeringPropertiesFormat), opts *armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions) error {
	c, rg, vnet, err := a.peerings(id)
	if err != nil {
		return err
	}
	got, err := c.Get(ctx, rg, vnet, estate.LastSegment(id), nil)
	if err != nil {
		return fmt.Errorf("reading peering %q: %w", id, err)
	}
	p := got.Properties
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: p.RemoteVirtualNetwork, AllowVirtualNetworkAccess: p.AllowVirtualNetworkAccess,
		AllowForwardedTraffic: p.AllowForwardedTraffic, AllowGatewayTransit: p.AllowGatewayTransit, UseRemoteGateways: p.UseRemoteGateways,
	}}
	mutate(body.Properties)
	poller, err := c.BeginCreateOrUpdate(ctx, rg, vnet, estate.LastSegment(id), body, opts)
	if err != nil {
		return fmt.Errorf("writing peering %q: %w", id, err)
	}
	_, err = poller.PollUntilDone(ctx, a.reader.PollOptions())
	return err
}

func (a *actions) setForwarding(ctx context.Context, id string, on bool) error {
	return a.putPeering(ctx, id, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.AllowForwardedTraffic = to.Ptr(on) }, nil)
}

func (a *actions) syncPeering(ctx context.Context, id string) error {
	return a.putPeering(ctx, id, func(*armnetwork.VirtualNetworkPeeringPropertiesFormat) {},
		&armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions{SyncRemoteAddressSpace: to.Ptr(armnetwork.SyncRemoteAddressSpaceTrue)})
}

// repeer deletes the surviving (Disconnected) half and re-creates both
// halves, as Azure requires: a Disconnected peering cannot be re-connected in place.
func (a *actions) repeer(ctx context.Context, survivor, deleted string) error {
	c, rg, vnet, err := a.peerings(survivor)
	if err != nil {
		return err
	}
	got, err := c.Get(ctx, rg, vnet, estate.LastSegment(survivor), nil)
	if err != nil {
		return fmt.Errorf("reading peering %q: %w", survivor, err)
	}
	flags := *got.Properties
	if err := a.deletePeering(ctx, survivor); err != nil {
		return err
	}
	if err := a.create(ctx, deleted, estate.ParentVNetID(survivor), true, false); err != nil {
		return err
	}
	return a.create(ctx, survivor, estate.ParentVNetID(deleted), isTrue(flags.AllowGatewayTransit), isTrue(flags.UseRemoteGateways))
}

func (a *actions) create(ctx context.Context, id, remote string, transit, useRemote bool) error {
	c, rg, vnet, err := a.peerings(id)
	if err != nil {
		return err
	}
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remote)},
		AllowVirtualNetworkAccess: to.Ptr(true), AllowForwardedTraffic: to.Ptr(true),
		AllowGatewayTransit: to.Ptr(transit), UseRemoteGateways: to.Ptr(useRemote),
	}}
	poller, err := c.BeginCreateOrUpdate(ctx, rg, vnet, estate.LastSegment(id), body, nil)
	if err != nil {
		return fmt.Errorf("creating peering %q: %w", id, err)
	}
	_, err = poller.PollUntilDone(ctx, a.reader.PollOptions())
	return err
}

func isTrue(b *bool) bool { return b != nil && *b }

package demo

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Actions makes changes through the ARM API with the real armnetwork
// clients, exactly as a person or a pipeline would. The emulator records
// the caller in each change's Event Grid event.
type Actions struct {
	endpoint string
	caller   string // x-emulator-caller claims, e.g. "name=Dana,upn=dana@contoso.example"
	poll     *runtime.PollUntilDoneOptions
}

// NewActions returns Actions against the ARM endpoint, made as caller
// (comma-separated JWT claims; "" is the emulator's test principal).
func NewActions(endpoint, caller string) *Actions {
	return &Actions{endpoint: endpoint, caller: caller, poll: &runtime.PollUntilDoneOptions{Frequency: time.Second}}
}

func (a *Actions) clients(id string) (*armnetwork.ClientFactory, string, error) {
	opts, err := azure.ClientOptions(a.endpoint, nil, nil)
	if err != nil {
		return nil, "", err
	}
	if a.caller != "" {
		opts.PerCallPolicies = append(opts.PerCallPolicies, callerPolicy(a.caller))
	}
	cred, err := azure.NewCredential(a.endpoint)
	if err != nil {
		return nil, "", err
	}
	f, err := armnetwork.NewClientFactory(estate.SubscriptionOf(id), cred, opts)
	if err != nil {
		return nil, "", fmt.Errorf("creating network clients: %w", err)
	}
	return f, estate.ResourceGroupOf(id), nil
}

// callerPolicy names the caller to the emulator.
type callerPolicy string

func (c callerPolicy) Do(req *policy.Request) (*http.Response, error) {
	req.Raw().Header.Set(emulator.CallerHeader, string(c))
	return req.Next()
}

// SetAddressSpace replaces a VNet's address space.
func (a *Actions) SetAddressSpace(ctx context.Context, vnet string, prefixes ...string) error {
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
	_, err = poller.PollUntilDone(ctx, a.poll)
	return err
}

func (a *Actions) peerings(id string) (*armnetwork.VirtualNetworkPeeringsClient, string, string, error) {
	f, rg, err := a.clients(id)
	if err != nil {
		return nil, "", "", err
	}
	return f.NewVirtualNetworkPeeringsClient(), rg, estate.LastSegment(estate.ParentVNetID(id)), nil
}

// DeletePeering deletes one half of a peering.
func (a *Actions) DeletePeering(ctx context.Context, id string) error {
	c, rg, vnet, err := a.peerings(id)
	if err != nil {
		return err
	}
	poller, err := c.BeginDelete(ctx, rg, vnet, estate.LastSegment(id), nil)
	if err != nil {
		return fmt.Errorf("deleting peering %q: %w", id, err)
	}
	_, err = poller.PollUntilDone(ctx, a.poll)
	return err
}

// putPeering reads a peering, lets mutate change it, and writes back only
// the settable fields (a GET body carries computed state that must not be
// sent back).
func (a *Actions) putPeering(ctx context.Context, id string, mutate func(*armnetwork.VirtualNetworkPeeringPropertiesFormat), opts *armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions) error {
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
	_, err = poller.PollUntilDone(ctx, a.poll)
	return err
}

// SetForwarding sets a peering's allowForwardedTraffic.
func (a *Actions) SetForwarding(ctx context.Context, id string, on bool) error {
	return a.putPeering(ctx, id, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.AllowForwardedTraffic = to.Ptr(on) }, nil)
}

// SyncPeering re-syncs a peering with its remote VNet's address space.
func (a *Actions) SyncPeering(ctx context.Context, id string) error {
	return a.putPeering(ctx, id, func(*armnetwork.VirtualNetworkPeeringPropertiesFormat) {},
		&armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions{SyncRemoteAddressSpace: to.Ptr(armnetwork.SyncRemoteAddressSpaceTrue)})
}

// Repeer deletes the surviving (Disconnected) half and re-creates both
// halves, as Azure requires: a Disconnected peering cannot be re-connected
// in place.
func (a *Actions) Repeer(ctx context.Context, survivor, deleted string) error {
	c, rg, vnet, err := a.peerings(survivor)
	if err != nil {
		return err
	}
	got, err := c.Get(ctx, rg, vnet, estate.LastSegment(survivor), nil)
	if err != nil {
		return fmt.Errorf("reading peering %q: %w", survivor, err)
	}
	flags := *got.Properties
	if err := a.DeletePeering(ctx, survivor); err != nil {
		return err
	}
	if err := a.createPeering(ctx, deleted, estate.ParentVNetID(survivor), true, false); err != nil {
		return err
	}
	return a.createPeering(ctx, survivor, estate.ParentVNetID(deleted), isTrue(flags.AllowGatewayTransit), isTrue(flags.UseRemoteGateways))
}

func (a *Actions) createPeering(ctx context.Context, id, remote string, transit, useRemote bool) error {
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
	_, err = poller.PollUntilDone(ctx, a.poll)
	return err
}

func isTrue(b *bool) bool { return b != nil && *b }

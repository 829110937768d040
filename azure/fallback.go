package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetdrift/vnetdrift/estate"
	"golang.org/x/sync/errgroup"
)

// readARM reads the configured subscriptions through ARM, for when Resource
// Graph is unavailable. Per subscription it lists all VNets (peerings come
// inline); then, per resource group that holds a VNet or a gateway
// referenced from a GatewaySubnet, it lists the virtual network gateways,
// connections and local network gateways; last it GETs the gateways'
// public IP addresses.
//
// Limits: ARM has no subscription-wide list for gateways, connections or
// local network gateways, so those kept in a resource group that holds
// neither a VNet nor a GatewaySubnet gateway (for example local network
// gateways and connections in a separate "connectivity" group) are not
// read, and only the public IPs of gateways are read. Resource Graph has
// neither gap. It costs 1 + 3 × (resource groups) list calls per
// subscription (plus one per extra page) and one GET per gateway public IP.
func (r *Reader) readARM(ctx context.Context) (*estate.Resources, error) {
	out := newCollector()
	g, gctx := errgroup.WithContext(ctx)
	for _, sub := range r.cfg.Subscriptions {
		g.Go(func() error { return r.readSubscriptionARM(gctx, sub, out) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := r.readGatewayIPs(ctx, out); err != nil {
		return nil, err
	}
	return out.resources(), nil
}

// readGatewayIPs GETs the public IP addresses of the collected gateways.
func (r *Reader) readGatewayIPs(ctx context.Context, out *collector) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, gw := range out.resources().Gateways {
		for _, id := range publicIPsOfGateway(gw) {
			g.Go(func() error {
				ip, err := r.getPublicIP(gctx, id)
				if ip != nil {
					out.publicIP(ip)
				}
				return skipBadID(r.log, err)
			})
		}
	}
	return g.Wait()
}

// readSubscriptionARM reads one subscription for readARM.
func (r *Reader) readSubscriptionARM(ctx context.Context, sub string, out *collector) error {
	f, err := r.Networks(sub)
	if err != nil {
		return err
	}
	groups := map[estate.Key]string{}
	err = eachPage(ctx, r, f.NewVirtualNetworksClient().NewListAllPager(nil),
		func(page armnetwork.VirtualNetworksClientListAllResponse) error {
			for _, v := range page.Value {
				if v == nil || v.ID == nil {
					continue
				}
				out.vnet(v)
				addGroup(groups, sub, *v.ID)
				for _, gw := range gatewaysOfVNet(v) {
					addGroup(groups, sub, gw)
				}
			}
			return nil
		})
	if err != nil {
		return readError(err, "listing virtual networks in subscription %q", sub)
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, rg := range estate.SortedValues(groups) {
		r.listGroup(gctx, g, f, sub, rg, out)
	}
	return g.Wait()
}

// listGroup starts the gateway, connection and local network gateway lists
// of one resource group.
func (r *Reader) listGroup(ctx context.Context, g *errgroup.Group, f *armnetwork.ClientFactory, sub, rg string, out *collector) {
	where := fmt.Sprintf(" in resource group %q of subscription %q", rg, sub)
	g.Go(func() error {
		return list(ctx, r, f.NewVirtualNetworkGatewaysClient().NewListPager(rg, nil),
			func(p armnetwork.VirtualNetworkGatewaysClientListResponse) []*armnetwork.VirtualNetworkGateway {
				return p.Value
			},
			out.gateway, "virtual network gateways"+where)
	})
	g.Go(func() error {
		return list(ctx, r, f.NewVirtualNetworkGatewayConnectionsClient().NewListPager(rg, nil),
			func(p armnetwork.VirtualNetworkGatewayConnectionsClientListResponse) []*armnetwork.VirtualNetworkGatewayConnection {
				return p.Value
			},
			out.connection, "connections"+where)
	})
	g.Go(func() error {
		return list(ctx, r, f.NewLocalNetworkGatewaysClient().NewListPager(rg, nil),
			func(p armnetwork.LocalNetworkGatewaysClientListResponse) []*armnetwork.LocalNetworkGateway {
				return p.Value
			},
			out.localGateway, "local network gateways"+where)
	})
}

// list adds every item of every page of p. A 404 (the resource group went
// away) lists nothing.
func list[P, T any](ctx context.Context, r *Reader, p *runtime.Pager[P], items func(P) []*T, add func(*T), what string) error {
	err := eachPage(ctx, r, p, func(page P) error {
		for _, it := range items(page) {
			if it != nil {
				add(it)
			}
		}
		return nil
	})
	if err != nil && !isNotFound(err) {
		return readError(err, "listing %s", what)
	}
	return nil
}

// addGroup records the resource group of id when id is in subscription sub.
func addGroup(groups map[estate.Key]string, sub, id string) {
	if rg := estate.ResourceGroupOf(id); rg != "" && strings.EqualFold(estate.SubscriptionOf(id), sub) {
		groups[estate.KeyOf(rg)] = rg
	}
}

package azure

import (
	"context"
	"errors"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetdrift/vnetdrift/estate"
)

// errBadID marks a resource ID that does not name the expected resource.
var errBadID = errors.New("invalid resource ID")

// getter reads one resource with the clients of its subscription.
type getter[T any] func(ctx context.Context, f *armnetwork.ClientFactory, ref resourceRef) (*T, error)

// readOne GETs the resource id of type typ (described as what in errors)
// within a concurrency slot. A 404 yields (nil, nil): the resource is absent.
func readOne[T any](ctx context.Context, r *Reader, id, typ, what string, get getter[T]) (*T, error) {
	ref, err := parseRef(id, typ)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w: %w", what, errBadID, err)
	}
	f, err := r.Networks(ref.Subscription)
	if err != nil {
		return nil, err
	}
	v, err := call(ctx, r, func(ctx context.Context) (*T, error) { return get(ctx, f, ref) })
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, readError(err, "reading %s %q", what, id)
	}
	return v, nil
}

// eachPage calls fn with every page of p, each fetched within a
// concurrency slot.
func eachPage[T any](ctx context.Context, r *Reader, p *runtime.Pager[T], fn func(T) error) error {
	for p.More() {
		page, err := call(ctx, r, p.NextPage)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) getVNet(ctx context.Context, id string) (*armnetwork.VirtualNetwork, error) {
	return readOne(ctx, r, id, estate.TypeVNet, "virtual network",
		func(ctx context.Context, f *armnetwork.ClientFactory, ref resourceRef) (*armnetwork.VirtualNetwork, error) {
			resp, err := f.NewVirtualNetworksClient().Get(ctx, ref.Group, ref.Name, nil)
			return &resp.VirtualNetwork, err
		})
}

func (r *Reader) getGateway(ctx context.Context, id string) (*armnetwork.VirtualNetworkGateway, error) {
	return readOne(ctx, r, id, estate.TypeGateway, "virtual network gateway",
		func(ctx context.Context, f *armnetwork.ClientFactory, ref resourceRef) (*armnetwork.VirtualNetworkGateway, error) {
			resp, err := f.NewVirtualNetworkGatewaysClient().Get(ctx, ref.Group, ref.Name, nil)
			return &resp.VirtualNetworkGateway, err
		})
}

func (r *Reader) getLocalGateway(ctx context.Context, id string) (*armnetwork.LocalNetworkGateway, error) {
	return readOne(ctx, r, id, estate.TypeLocalGateway, "local network gateway",
		func(ctx context.Context, f *armnetwork.ClientFactory, ref resourceRef) (*armnetwork.LocalNetworkGateway, error) {
			resp, err := f.NewLocalNetworkGatewaysClient().Get(ctx, ref.Group, ref.Name, nil)
			return &resp.LocalNetworkGateway, err
		})
}

func (r *Reader) getPublicIP(ctx context.Context, id string) (*armnetwork.PublicIPAddress, error) {
	return readOne(ctx, r, id, estate.TypePublicIP, "public IP address",
		func(ctx context.Context, f *armnetwork.ClientFactory, ref resourceRef) (*armnetwork.PublicIPAddress, error) {
			resp, err := f.NewPublicIPAddressesClient().Get(ctx, ref.Group, ref.Name, nil)
			return &resp.PublicIPAddress, err
		})
}

// listConnections lists the connections of a gateway. The list API returns
// a reduced model (no DPD timeout, NAT rules, tunnel properties or
// authentication type); it is converted to the full connection model. A 404
// (the gateway is gone) yields none.
func (r *Reader) listConnections(ctx context.Context, gatewayID string) ([]*armnetwork.VirtualNetworkGatewayConnection, error) {
	ref, err := parseRef(gatewayID, estate.TypeGateway)
	if err != nil {
		return nil, fmt.Errorf("listing connections: %w: %w", errBadID, err)
	}
	f, err := r.Networks(ref.Subscription)
	if err != nil {
		return nil, err
	}
	var out []*armnetwork.VirtualNetworkGatewayConnection
	p := f.NewVirtualNetworkGatewaysClient().NewListConnectionsPager(ref.Group, ref.Name, nil)
	err = eachPage(ctx, r, p, func(page armnetwork.VirtualNetworkGatewaysClientListConnectionsResponse) error {
		for _, e := range page.Value {
			if e == nil {
				continue
			}
			c, err := toConnection(e)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, readError(err, "listing connections of virtual network gateway %q", gatewayID)
	}
	return out, nil
}

package azure

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetdrift/vnetdrift/estate"
	"golang.org/x/sync/errgroup"
)

// level is how far around a VNet ReadNeighbourhood reads.
type level int

const (
	// levelFar: the VNet at the far end of a Vnet2Vnet connection, with its
	// gateways and their public IPs.
	levelFar level = iota
	// levelPeer: a peer of a target; also its gateways' connections, their
	// local network gateways and the far ends of Vnet2Vnet connections.
	levelPeer
	// levelTarget: a VNet asked for; also its peers.
	levelTarget
)

// ReadNeighbourhood reads the given VNets and what the drift rules need
// around them:
//   - each VNet (its peerings come inline) and the remote VNet of every
//     peering, possibly in another subscription;
//   - the gateways in the GatewaySubnet of each of those VNets (found from
//     the subnet's ipConfigurations), their public IP addresses, their
//     connections and the connections' local network gateways;
//   - for every Vnet2Vnet connection, the gateway at the other end, its
//     public IPs and its VNet.
//
// Reads run concurrently, bounded by Config.Concurrency, and nothing is
// read twice within one call. A 404 means the resource is absent and is not
// an error. Other errors (after the SDK's retries) are returned wrapped,
// naming the resource; callers should treat them as transient. The result
// lists each kind of resource in ID order.
func (r *Reader) ReadNeighbourhood(ctx context.Context, vnetIDs []string) (*estate.Resources, error) {
	for _, id := range vnetIDs {
		if _, err := parseRef(id, estate.TypeVNet); err != nil {
			return nil, fmt.Errorf("reading neighbourhood: %w", err)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	w := &walker{
		r: r, ctx: gctx, g: g, out: newCollector(),
		vnets:    map[estate.Key]*future[armnetwork.VirtualNetwork]{},
		gateways: map[estate.Key]*future[armnetwork.VirtualNetworkGateway]{},
		claims:   map[string]bool{},
	}
	for _, id := range vnetIDs {
		w.spawn(func() error { return w.vnet(id, levelTarget) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return w.out.resources(), nil
}

// walker is the state of one ReadNeighbourhood call.
type walker struct {
	r   *Reader
	ctx context.Context
	g   *errgroup.Group
	out *collector

	mu       sync.Mutex
	vnets    map[estate.Key]*future[armnetwork.VirtualNetwork]
	gateways map[estate.Key]*future[armnetwork.VirtualNetworkGateway]
	claims   map[string]bool // expansions already started, by "what key"
}

// future is the outcome of one read, shared by everyone who asks for it.
type future[T any] struct {
	done chan struct{}
	v    *T
	err  error
}

// once returns the result of fetch for id, running fetch only for the first
// caller; later callers wait for its result.
func once[T any](w *walker, m map[estate.Key]*future[T], id string, fetch func(context.Context, string) (*T, error)) (*T, error) {
	k := estate.KeyOf(id)
	w.mu.Lock()
	f, started := m[k]
	if !started {
		f = &future[T]{done: make(chan struct{})}
		m[k] = f
	}
	w.mu.Unlock()
	if !started {
		f.v, f.err = fetch(w.ctx, id)
		close(f.done)
		return f.v, f.err
	}
	select {
	case <-f.done:
		return f.v, f.err
	case <-w.ctx.Done():
		return nil, w.ctx.Err()
	}
}

// claim reports whether the caller is the first to ask for expansion what
// of resource id.
func (w *walker) claim(what, id string) bool {
	k := what + " " + string(estate.KeyOf(id))
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.claims[k] {
		return false
	}
	w.claims[k] = true
	return true
}

// spawn runs fn concurrently. IDs found in Azure's data that do not parse
// are logged and skipped rather than failing the whole read.
func (w *walker) spawn(fn func() error) {
	w.g.Go(func() error { return skipBadID(w.r.log, fn()) })
}

// vnet reads a VNet and expands it to lvl.
func (w *walker) vnet(id string, lvl level) error {
	v, err := once(w, w.vnets, id, w.r.getVNet)
	if err != nil || v == nil {
		return err
	}
	w.out.vnet(v)
	if lvl == levelTarget && w.claim("peers", id) && v.Properties != nil {
		for _, p := range v.Properties.VirtualNetworkPeerings {
			if p != nil && p.Properties != nil && p.Properties.RemoteVirtualNetwork != nil && p.Properties.RemoteVirtualNetwork.ID != nil {
				remote := *p.Properties.RemoteVirtualNetwork.ID
				w.spawn(func() error { return w.vnet(remote, levelPeer) })
			}
		}
	}
	for _, gw := range gatewaysOfVNet(v) {
		w.spawn(func() error {
			_, err := w.gateway(gw, lvl >= levelPeer)
			return err
		})
	}
	return nil
}

// gateway reads a gateway and its public IPs and, when withConnections is
// set, its connections and what they lead to. It returns the gateway (nil if
// absent).
func (w *walker) gateway(id string, withConnections bool) (*armnetwork.VirtualNetworkGateway, error) {
	g, err := once(w, w.gateways, id, w.r.getGateway)
	if err != nil || g == nil {
		return nil, err
	}
	w.out.gateway(g)
	if w.claim("publicIPs", id) {
		for _, ip := range publicIPsOfGateway(g) {
			w.spawn(func() error { return w.publicIP(ip) })
		}
	}
	if withConnections && w.claim("connections", id) {
		w.spawn(func() error { return w.connections(id) })
	}
	return g, nil
}

// connections lists a gateway's connections and follows them to their
// local network gateways and to the far end of Vnet2Vnet connections.
func (w *walker) connections(gatewayID string) error {
	conns, err := w.r.listConnections(w.ctx, gatewayID)
	if err != nil {
		return err
	}
	for _, c := range conns {
		w.out.connection(c)
		p := c.Properties
		if p == nil {
			continue
		}
		if p.LocalNetworkGateway2 != nil && p.LocalNetworkGateway2.ID != nil {
			lng := *p.LocalNetworkGateway2.ID
			w.spawn(func() error { return w.localGateway(lng) })
		}
		if p.ConnectionType == nil || *p.ConnectionType != armnetwork.VirtualNetworkGatewayConnectionTypeVnet2Vnet {
			continue
		}
		for _, ref := range []*armnetwork.VirtualNetworkGateway{p.VirtualNetworkGateway1, p.VirtualNetworkGateway2} {
			if ref != nil && ref.ID != nil && !strings.EqualFold(*ref.ID, gatewayID) {
				other := *ref.ID
				w.spawn(func() error { return w.farEnd(other) })
			}
		}
	}
	return nil
}

// farEnd reads the gateway at the other end of a Vnet2Vnet connection and
// the VNet it is deployed in.
func (w *walker) farEnd(gatewayID string) error {
	g, err := w.gateway(gatewayID, false)
	if err != nil || g == nil {
		return err
	}
	if v := vnetOfGateway(g); v != "" {
		return w.vnet(v, levelFar)
	}
	return nil
}

// publicIP reads a public IP address once.
func (w *walker) publicIP(id string) error {
	if !w.claim("publicIP", id) {
		return nil
	}
	ip, err := w.r.getPublicIP(w.ctx, id)
	if ip != nil {
		w.out.publicIP(ip)
	}
	return err
}

// localGateway reads a local network gateway once.
func (w *walker) localGateway(id string) error {
	if !w.claim("localGateway", id) {
		return nil
	}
	lng, err := w.r.getLocalGateway(w.ctx, id)
	if lng != nil {
		w.out.localGateway(lng)
	}
	return err
}

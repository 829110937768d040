package estate

import "slices"

// Estate is a normalized, indexed snapshot of networks. Maps are keyed by
// the normalized resource ID. An Estate is read-only once built.
type Estate struct {
	VNets         map[Key]*VNet
	Peerings      map[Key]*Peering
	Gateways      map[Key]*Gateway
	Connections   map[Key]*Connection
	LocalGateways map[Key]*LocalGateway
	PublicIPs     map[Key]*PublicIP

	gatewaysByVNet      map[Key][]*Gateway
	connsByGateway      map[Key][]*Connection
	connsByLocalGateway map[Key][]*Connection
	peeringsByRemote    map[Key][]*Peering

	// Skipped counts input elements of resource types vnetdrift does not
	// model, by type.
	Skipped map[string]int
}

// New returns an empty estate.
func New() *Estate {
	return &Estate{
		VNets:         map[Key]*VNet{},
		Peerings:      map[Key]*Peering{},
		Gateways:      map[Key]*Gateway{},
		Connections:   map[Key]*Connection{},
		LocalGateways: map[Key]*LocalGateway{},
		PublicIPs:     map[Key]*PublicIP{},
		Skipped:       map[string]int{},
	}
}

// Index (re)builds the lookup indexes. It must be called after the maps are
// filled and before any lookup; Build and Load call it.
func (e *Estate) Index() {
	e.gatewaysByVNet = map[Key][]*Gateway{}
	e.connsByGateway = map[Key][]*Connection{}
	e.connsByLocalGateway = map[Key][]*Connection{}
	e.peeringsByRemote = map[Key][]*Peering{}
	for _, v := range e.VNets {
		v.Peerings = v.Peerings[:0]
	}
	for _, p := range SortedValues(e.Peerings) {
		if v := e.VNets[p.VNetKey]; v != nil {
			v.Peerings = append(v.Peerings, p)
		}
		e.peeringsByRemote[p.RemoteKey] = append(e.peeringsByRemote[p.RemoteKey], p)
	}
	for _, g := range SortedValues(e.Gateways) {
		if g.VNetKey != "" {
			e.gatewaysByVNet[g.VNetKey] = append(e.gatewaysByVNet[g.VNetKey], g)
		}
	}
	for _, c := range SortedValues(e.Connections) {
		e.connsByGateway[c.Gateway1Key] = append(e.connsByGateway[c.Gateway1Key], c)
		if c.Gateway2Key != "" && c.Gateway2Key != c.Gateway1Key {
			e.connsByGateway[c.Gateway2Key] = append(e.connsByGateway[c.Gateway2Key], c)
		}
		if c.LocalGatewayKey != "" {
			e.connsByLocalGateway[c.LocalGatewayKey] = append(e.connsByLocalGateway[c.LocalGatewayKey], c)
		}
	}
}

// GatewaysOf returns the gateways deployed in a VNet, in ID order.
func (e *Estate) GatewaysOf(vnet Key) []*Gateway { return e.gatewaysByVNet[vnet] }

// VPNGatewayOf returns the VPN gateway of a VNet, or nil.
func (e *Estate) VPNGatewayOf(vnet Key) *Gateway {
	for _, g := range e.gatewaysByVNet[vnet] {
		if g.GatewayType == "" || g.GatewayType == "Vpn" {
			return g
		}
	}
	return nil
}

// HasGateway reports whether a VNet has any virtual network gateway.
func (e *Estate) HasGateway(vnet Key) bool { return len(e.gatewaysByVNet[vnet]) > 0 }

// ConnectionsOf returns the connections in which a gateway takes part
// (as gateway 1 or gateway 2), in ID order.
func (e *Estate) ConnectionsOf(gateway Key) []*Connection { return e.connsByGateway[gateway] }

// ConnectionsToLocalGateway returns the connections that use a local network gateway.
func (e *Estate) ConnectionsToLocalGateway(lng Key) []*Connection {
	return e.connsByLocalGateway[lng]
}

// PeeringsTo returns the peerings (of any VNet) whose remote side is vnet.
func (e *Estate) PeeringsTo(vnet Key) []*Peering { return e.peeringsByRemote[vnet] }

// ReversePeering returns the peering on p's remote VNet that points back to
// p's VNet, or nil.
func (e *Estate) ReversePeering(p *Peering) *Peering {
	if remote := e.VNets[p.RemoteKey]; remote != nil {
		for _, q := range remote.Peerings {
			if q.RemoteKey == p.VNetKey {
				return q
			}
		}
	}
	return nil
}

// VNetOfGateway returns the VNet that hosts a gateway, or nil when the
// gateway or its VNet is not in the estate.
func (e *Estate) VNetOfGateway(gateway Key) *VNet {
	if g := e.Gateways[gateway]; g != nil {
		return e.VNets[g.VNetKey]
	}
	return nil
}

// SortedValues returns the values of a Key-indexed map in key order, so
// every result derived from an estate is deterministic.
func SortedValues[T any](m map[Key]T) []T {
	keys := make([]Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

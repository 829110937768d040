package emulator

import (
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Connection status. The emulator has no tunnels, so it derives
// connectionStatus from what exists: a connection is Connected when both
// of its ends are in the estate — for Vnet2Vnet, both gateways plus the
// connection in the opposite direction with the same shared key; for
// IPsec, gateway 1 and the local network gateway (the on-premises device
// is assumed to answer); for ExpressRoute and VPNClient, gateway 1.
// Otherwise it is NotConnected. Loaded connections keep their status until
// a write touches them or one of their ends.

type refs struct{ gw1, gw2, lng estate.Key }

// connRefs returns the keys of the resources a connection references.
func connRefs(c *armnetwork.VirtualNetworkGatewayConnection) refs {
	var out refs
	if p := c.Properties; p != nil {
		if p.VirtualNetworkGateway1 != nil {
			out.gw1 = keyOrEmpty(p.VirtualNetworkGateway1.ID)
		}
		if p.VirtualNetworkGateway2 != nil {
			out.gw2 = keyOrEmpty(p.VirtualNetworkGateway2.ID)
		}
		if p.LocalNetworkGateway2 != nil {
			out.lng = keyOrEmpty(p.LocalNetworkGateway2.ID)
		}
	}
	return out
}

func prepareConnection(st *store, c *armnetwork.VirtualNetworkGatewayConnection) *armError {
	p := c.Properties
	if p.ConnectionType == nil {
		return badRequest("InvalidRequestFormat", "Cannot parse the request: properties.connectionType is required.")
	}
	if connRefs(c).gw1 == "" {
		return badRequest("InvalidRequestFormat", "Cannot parse the request: properties.virtualNetworkGateway1.id is required.")
	}
	p.ConnectionStatus = ptr(st.connectionStatus(c))
	return nil
}

// connectionStatus derives a connection's status from the estate.
func (st *store) connectionStatus(c *armnetwork.VirtualNetworkGatewayConnection) armnetwork.VirtualNetworkGatewayConnectionStatus {
	p := c.Properties
	r := connRefs(c)
	if p == nil || p.ConnectionType == nil || st.gateways[r.gw1] == nil {
		return armnetwork.VirtualNetworkGatewayConnectionStatusNotConnected
	}
	ok := true
	switch *p.ConnectionType {
	case armnetwork.VirtualNetworkGatewayConnectionTypeVnet2Vnet:
		rev := st.reverseConnection(c)
		ok = st.gateways[r.gw2] != nil && rev != nil && str(rev.Properties.SharedKey) == str(p.SharedKey)
	case armnetwork.VirtualNetworkGatewayConnectionTypeIPsec:
		ok = st.lngs[r.lng] != nil
	}
	if !ok {
		return armnetwork.VirtualNetworkGatewayConnectionStatusNotConnected
	}
	return armnetwork.VirtualNetworkGatewayConnectionStatusConnected
}

// reverseConnection returns the Vnet2Vnet connection from c's gateway 2
// to its gateway 1, or nil.
func (st *store) reverseConnection(c *armnetwork.VirtualNetworkGatewayConnection) *armnetwork.VirtualNetworkGatewayConnection {
	r := connRefs(c)
	self := keyOrEmpty(c.ID)
	for k, x := range st.conns {
		xr := connRefs(x)
		if k != self && isVnet2Vnet(x) && xr.gw1 == r.gw2 && xr.gw2 == r.gw1 {
			return x
		}
	}
	return nil
}

// refreshUsers recomputes the status of the connections that use a
// gateway or local network gateway.
func (st *store) refreshUsers(key estate.Key) {
	for _, c := range st.conns {
		if r := connRefs(c); r.gw1 == key || r.gw2 == key || r.lng == key {
			c.Properties.ConnectionStatus = ptr(st.connectionStatus(c))
		}
	}
}

// refreshReverse recomputes the status of the Vnet2Vnet connections in
// the opposite direction of c.
func (st *store) refreshReverse(c *armnetwork.VirtualNetworkGatewayConnection) {
	if !isVnet2Vnet(c) {
		return
	}
	r := connRefs(c)
	for _, x := range st.conns {
		if xr := connRefs(x); isVnet2Vnet(x) && xr.gw1 == r.gw2 && xr.gw2 == r.gw1 {
			x.Properties.ConnectionStatus = ptr(st.connectionStatus(x))
		}
	}
}

func isVnet2Vnet(c *armnetwork.VirtualNetworkGatewayConnection) bool {
	return c.Properties != nil && c.Properties.ConnectionType != nil &&
		*c.Properties.ConnectionType == armnetwork.VirtualNetworkGatewayConnectionTypeVnet2Vnet
}

func keyOrEmpty(id *string) estate.Key {
	if str(id) == "" {
		return ""
	}
	return estate.KeyOf(*id)
}

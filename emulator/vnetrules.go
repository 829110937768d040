package emulator

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// What a VNet write is checked against and what it changes around it:
// subnets in use, overlap with peered VNets, peerings falling out of sync.

// checkVNetUpdate rejects removing a subnet a gateway uses and an address
// space that overlaps a VNet already peered with this one.
func (st *store) checkVNetUpdate(old, v *armnetwork.VirtualNetwork) *armError {
	if old == nil {
		return nil
	}
	key := estate.KeyOf(*v.ID)
	for _, g := range st.gatewaysIn(key) {
		if !hasSubnet(v, gatewaySubnetName(g)) {
			return inUseSubnet(g)
		}
	}
	if sameSpace(spaceOf(old), spaceOf(v)) {
		return nil
	}
	for _, peer := range st.peeredWith(key) {
		if ov := overlapping(prefixesOf(spaceOf(v)), prefixesOf(spaceOf(peer))); len(ov) > 0 {
			return badRequest("VnetAddressSpaceOverlapsWithAlreadyPeeredVnet",
				"Cannot update virtual network %s: its address space overlaps with the address space of virtual network %s already peered with it. Overlapping address prefixes: %s",
				*v.ID, *peer.ID, strings.Join(ov, ", "))
		}
	}
	return nil
}

// peeredWith returns the VNets in the estate that a peering joins to key,
// in either direction.
func (st *store) peeredWith(key estate.Key) []*armnetwork.VirtualNetwork {
	var out []*armnetwork.VirtualNetwork
	for _, x := range estate.SortedValues(st.vnets) {
		xkey := estate.KeyOf(*x.ID)
		if xkey == key {
			continue
		}
		if reverseOf(x, key) != nil || reverseOf(st.vnets[key], xkey) != nil {
			out = append(out, x)
		}
	}
	return out
}

// markSpaceChanged records that VNet key's address space changed: its own
// Connected peerings become RemoteNotInSync and the Connected peerings
// that point to it LocalNotInSync (LocalAndRemoteNotInSync when both
// apply). A half that is Initiated or Disconnected peers nothing yet, so
// it cannot fall out of sync.
func (st *store) markSpaceChanged(key estate.Key) {
	for _, p := range inlinePeerings(st.vnets[key]) {
		if stateOf(p) == armnetwork.VirtualNetworkPeeringStateConnected {
			markNotInSync(p, false, true)
		}
	}
	for _, x := range st.vnets {
		q := reverseOf(x, key)
		if q != nil && estate.KeyOf(*x.ID) != key && stateOf(q) == armnetwork.VirtualNetworkPeeringStateConnected {
			markNotInSync(q, true, false)
		}
	}
}

// refreshPointing lets the peerings that point to v learn its current
// address space (remoteVirtualNetworkAddressSpace) and encryption. What a
// Connected peering peers (remoteAddressSpace) changes only by a sync; a
// half that is not Connected takes the new space at once.
func (st *store) refreshPointing(v *armnetwork.VirtualNetwork) {
	key := estate.KeyOf(*v.ID)
	for _, x := range st.vnets {
		q := reverseOf(x, key)
		if q == nil || q.Properties == nil || estate.KeyOf(*x.ID) == key {
			continue
		}
		q.Properties.RemoteVirtualNetworkAddressSpace = clone(spaceOf(v))
		q.Properties.RemoteVirtualNetworkEncryption = encryptionOf(v)
		if q.Properties.RemoteAddressSpace == nil || stateOf(q) != armnetwork.VirtualNetworkPeeringStateConnected {
			q.Properties.RemoteAddressSpace = clone(spaceOf(v))
		}
	}
}

// adoptOrphans moves the loaded peerings that waited for VNet v (their
// VNet was not in the estate) into it.
func (st *store) adoptOrphans(v *armnetwork.VirtualNetwork) {
	key := estate.KeyOf(*v.ID)
	for k, p := range st.orphans {
		if estate.KeyOf(estate.ParentVNetID(*p.ID)) == key {
			delete(st.orphans, k)
			setInlinePeering(v, p)
		}
	}
}

// removeVNet deletes a VNet with its peerings; peerings on other VNets
// that pointed to it become Disconnected.
func (st *store) removeVNet(key estate.Key) {
	delete(st.vnets, key)
	for _, x := range st.vnets {
		if q := reverseOf(x, key); q != nil && q.Properties != nil {
			q.Properties.PeeringState = ptr(armnetwork.VirtualNetworkPeeringStateDisconnected)
		}
	}
}

// succeedVNet ends a VNet write: the VNet and the peerings written with
// it become Succeeded.
func succeedVNet(v *armnetwork.VirtualNetwork) {
	v.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateSucceeded)
	for _, p := range inlinePeerings(v) {
		if p.Properties != nil && p.Properties.ProvisioningState != nil && *p.Properties.ProvisioningState == armnetwork.ProvisioningStateUpdating {
			p.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateSucceeded)
		}
	}
}

type namedPeering struct {
	name string
	body *armnetwork.VirtualNetworkPeering
}

// changedPeerings returns the inline peerings of a VNet PUT body that are
// new or whose settable fields differ from the stored ones; a GET→PUT
// round trip sends every peering back unchanged.
func changedPeerings(body, old *armnetwork.VirtualNetwork) []namedPeering {
	var out []namedPeering
	for _, bp := range inlinePeerings(body) {
		name := str(bp.Name)
		if name == "" {
			name = estate.LastSegment(str(bp.ID))
		}
		if name == "" {
			continue
		}
		if ex := findInline(old, name); ex != nil && sameSettings(ex, bp) {
			continue
		}
		out = append(out, namedPeering{name: name, body: bp})
	}
	return out
}

// sameSettings reports whether two peerings have the same remote VNet and
// settable flags.
func sameSettings(a, b *armnetwork.VirtualNetworkPeering) bool {
	if a.Properties == nil || b.Properties == nil {
		return false
	}
	x, y := a.Properties, b.Properties
	return remoteKeyOf(a) == remoteKeyOf(b) &&
		boolOf(x.AllowVirtualNetworkAccess) == boolOf(y.AllowVirtualNetworkAccess) &&
		boolOf(x.AllowForwardedTraffic) == boolOf(y.AllowForwardedTraffic) &&
		boolOf(x.AllowGatewayTransit) == boolOf(y.AllowGatewayTransit) &&
		boolOf(x.UseRemoteGateways) == boolOf(y.UseRemoteGateways)
}

func hasSubnet(v *armnetwork.VirtualNetwork, name string) bool {
	for _, sn := range v.Properties.Subnets {
		if sn != nil && strings.EqualFold(str(sn.Name), name) {
			return true
		}
	}
	return false
}

func gatewaySubnetName(g *armnetwork.VirtualNetworkGateway) string {
	for _, ipc := range g.Properties.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && ipc.Properties.Subnet != nil {
			return estate.LastSegment(str(ipc.Properties.Subnet.ID))
		}
	}
	return ""
}

func inUseSubnet(g *armnetwork.VirtualNetworkGateway) *armError {
	return badRequest("InUseSubnetCannotBeDeleted",
		"Subnet %s is in use by %s/ipConfigurations and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.",
		gatewaySubnetName(g), str(g.ID))
}

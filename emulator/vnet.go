package emulator

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

const typeSubnet = estate.TypeVNet + "/subnets"

func (s *Server) getVNet(w http.ResponseWriter, r *http.Request) {
	id := routeVNetID(r)
	s.serve(w, func() reply {
		v := s.st.vnets[estate.KeyOf(id)]
		if v == nil {
			return failed(notFound(id))
		}
		return reply{status: http.StatusOK, body: v}
	})
}

// listVNets serves both the resource-group list and the subscription-wide
// list-all (whose route has no {rg}).
func (s *Server) listVNets(w http.ResponseWriter, r *http.Request) {
	s.serve(w, func() reply {
		items := scoped(s.st.vnets, r.PathValue("sub"), r.PathValue("rg"), estate.TypeVNet)
		return page(r, items, s.opts.PageSize)
	})
}

func (s *Server) putVNet(w http.ResponseWriter, r *http.Request) {
	body, e := decodeBody[armnetwork.VirtualNetwork](r)
	if e != nil {
		writeError(w, e)
		return
	}
	info := requestInfoOf(w, r)
	s.serve(w, func() reply { return s.writeVNet(r, info, routeVNetID(r), body) })
}

// writeVNet validates a VNet PUT completely, then applies it: address
// space changes mark the peerings on both sides not in sync, and inline
// peerings in the body that are new or changed go through the peering
// state machine. Peerings the body omits are kept. The caller holds s.mu.
func (s *Server) writeVNet(r *http.Request, info reqInfo, id string, body *armnetwork.VirtualNetwork) reply {
	key := estate.KeyOf(id)
	if e := s.conflict(key); e != nil {
		return failed(e)
	}
	old := s.st.vnets[key]
	if old != nil {
		id = *old.ID
	}
	if e := validateVNet(id, body); e != nil {
		return failed(e)
	}
	v := newVNet(id, body, old)
	if e := s.st.checkVNetUpdate(old, v); e != nil {
		return failed(e)
	}
	inline := changedPeerings(body, old)
	for _, np := range inline {
		if e := s.st.validatePeering(v, np.name, np.body); e != nil {
			return failed(e)
		}
	}
	s.st.vnets[key] = v
	if old == nil {
		s.st.adoptOrphans(v)
	} else if !sameSpace(spaceOf(old), spaceOf(v)) {
		s.st.markSpaceChanged(key)
	}
	s.st.refreshPointing(v)
	for _, np := range inline {
		s.st.applyPeering(v, np.name, np.body, false)
	}
	op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{key}, func() {
		if cur := s.st.vnets[key]; cur != nil {
			succeedVNet(cur)
		}
		s.publish(info, id, estate.TypeVNet+"/write", false)
	})
	return reply{status: createdOr(old == nil), body: v, op: op}
}

func (s *Server) deleteVNet(w http.ResponseWriter, r *http.Request) {
	id := routeVNetID(r)
	key := estate.KeyOf(id)
	info := requestInfoOf(w, r)
	s.serve(w, func() reply {
		v := s.st.vnets[key]
		if v == nil {
			return reply{status: http.StatusNoContent}
		}
		if e := s.conflict(key); e != nil {
			return failed(e)
		}
		if gws := s.st.gatewaysIn(key); len(gws) > 0 {
			return failed(inUseSubnet(gws[0]))
		}
		if v.Properties == nil {
			v.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
		}
		v.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateDeleting)
		op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{key}, func() {
			s.st.removeVNet(key)
			s.publish(info, *v.ID, estate.TypeVNet+"/delete", true)
		})
		return reply{status: http.StatusAccepted, op: op}
	})
}

func validateVNet(id string, body *armnetwork.VirtualNetwork) *armError {
	if strings.TrimSpace(str(body.Location)) == "" {
		return badRequest("LocationRequired", "The location property is required for this definition.")
	}
	if bad, ok := badPrefix(spaceOf(body)); ok {
		return badRequest("InvalidAddressPrefixFormat",
			"Address prefix %s of resource %s is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.", bad, id)
	}
	return nil
}

// newVNet builds the stored form of a VNet PUT: the body with the
// server-set fields (ID, name, type, new etag, provisioningState Updating,
// subnet IDs) and the existing inline peerings.
func newVNet(id string, body, old *armnetwork.VirtualNetwork) *armnetwork.VirtualNetwork {
	v := clone(body)
	v.ID, v.Name, v.Type, v.Etag = ptr(id), ptr(estate.LastSegment(id)), ptr(estate.TypeVNet), ptr(newEtag())
	if v.Properties == nil {
		v.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
	}
	p := v.Properties
	p.ProvisioningState = ptr(armnetwork.ProvisioningStateUpdating)
	p.ResourceGUID = ptr(newID())
	p.VirtualNetworkPeerings = nil
	if old != nil && old.Properties != nil {
		p.ResourceGUID = old.Properties.ResourceGUID
		p.VirtualNetworkPeerings = old.Properties.VirtualNetworkPeerings
	}
	for _, sn := range p.Subnets {
		name := str(sn.Name)
		if name == "" {
			name = estate.LastSegment(str(sn.ID))
		}
		sn.ID, sn.Name, sn.Type, sn.Etag = ptr(id+"/subnets/"+name), ptr(name), ptr(typeSubnet), ptr(newEtag())
		if sn.Properties == nil {
			sn.Properties = &armnetwork.SubnetPropertiesFormat{}
		}
		sn.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateSucceeded)
	}
	return v
}

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

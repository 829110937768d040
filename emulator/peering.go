package emulator

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Peering handlers. A peering lives inline in its VNet
// (Properties.VirtualNetworkPeerings); the rules of its state machine are
// in validatePeering and applyPeering, and docs/EMULATOR.md cites the Azure
// documentation each rule follows.

func (s *Server) getPeering(w http.ResponseWriter, r *http.Request) {
	vkey, name := peeringRoute(r)
	s.serve(w, func() reply {
		v := s.st.vnets[vkey]
		if v == nil {
			if p := s.st.orphans[estate.KeyOf(routeVNetID(r)+"/virtualNetworkPeerings/"+name)]; p != nil {
				return reply{status: http.StatusOK, body: p}
			}
			return failed(notFound(routeVNetID(r)))
		}
		p := findInline(v, name)
		if p == nil {
			return failed(childNotFound(*v.ID + "/virtualNetworkPeerings/" + name))
		}
		return reply{status: http.StatusOK, body: p}
	})
}

func (s *Server) listPeerings(w http.ResponseWriter, r *http.Request) {
	vkey, _ := peeringRoute(r)
	s.serve(w, func() reply {
		if v := s.st.vnets[vkey]; v != nil {
			return page(r, inlinePeerings(v), s.opts.PageSize)
		}
		var orphans []*armnetwork.VirtualNetworkPeering
		for _, p := range estate.SortedValues(s.st.orphans) {
			if estate.KeyOf(estate.ParentVNetID(*p.ID)) == vkey {
				orphans = append(orphans, p)
			}
		}
		if orphans == nil {
			return failed(notFound(routeVNetID(r)))
		}
		return page(r, orphans, s.opts.PageSize)
	})
}

func (s *Server) putPeering(w http.ResponseWriter, r *http.Request) {
	body, e := decodeBody[armnetwork.VirtualNetworkPeering](r)
	if e != nil {
		writeError(w, e)
		return
	}
	vkey, name := peeringRoute(r)
	sync := strings.EqualFold(r.URL.Query().Get("syncRemoteAddressSpace"), "true")
	info := requestInfoOf(w, r)
	s.serve(w, func() reply {
		v := s.st.vnets[vkey]
		if v == nil {
			return failed(errf(http.StatusNotFound, "ParentResourceNotFound",
				"Failed to perform 'write' on resource(s) of type 'virtualNetworks/virtualNetworkPeerings', because the parent resource '%s' could not be found.", routeVNetID(r)))
		}
		if e := s.conflict(vkey); e != nil {
			return failed(e)
		}
		if e := s.st.validatePeering(v, name, body); e != nil {
			return failed(e)
		}
		created := findInline(v, name) == nil
		p := s.st.applyPeering(v, name, body, sync)
		pkey := estate.KeyOf(*p.ID)
		op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{vkey}, func() {
			if cur := s.st.peering(pkey); cur != nil {
				cur.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateSucceeded)
			}
			s.publish(info, *p.ID, estate.TypePeering+"/write", false)
		})
		return reply{status: createdOr(created), body: p, op: op}
	})
}

func (s *Server) deletePeering(w http.ResponseWriter, r *http.Request) {
	vkey, name := peeringRoute(r)
	info := requestInfoOf(w, r)
	s.serve(w, func() reply {
		v := s.st.vnets[vkey]
		p := findInline(v, name)
		if p == nil {
			return reply{status: http.StatusNoContent}
		}
		if e := s.conflict(vkey); e != nil {
			return failed(e)
		}
		if p.Properties == nil {
			p.Properties = &armnetwork.VirtualNetworkPeeringPropertiesFormat{}
		}
		p.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateDeleting)
		op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{vkey}, func() {
			s.st.removePeering(vkey, estate.KeyOf(*p.ID))
			s.publish(info, *p.ID, estate.TypePeering+"/delete", true)
		})
		return reply{status: http.StatusAccepted, op: op}
	})
}

// validatePeering checks a peering PUT on local the way the Network
// resource provider does, before anything changes.
func (st *store) validatePeering(local *armnetwork.VirtualNetwork, name string, body *armnetwork.VirtualNetworkPeering) *armError {
	props := body.Properties
	if props == nil || props.RemoteVirtualNetwork == nil || str(props.RemoteVirtualNetwork.ID) == "" {
		return badRequest("InvalidRequestFormat", "Peering %s: properties.remoteVirtualNetwork.id is required.", name)
	}
	id := str(local.ID) + "/virtualNetworkPeerings/" + name
	lkey, rkey := estate.KeyOf(*local.ID), estate.KeyOf(*props.RemoteVirtualNetwork.ID)
	if e := checkRemoteChange(local, name, id, rkey); e != nil {
		return e
	}
	remote := st.vnets[rkey]
	var rev *armnetwork.VirtualNetworkPeering
	if remote != nil {
		if e := st.checkOverlap(local, remote, id); e != nil {
			return e
		}
		if rev = reverseOf(remote, lkey); rev != nil && stateOf(rev) == armnetwork.VirtualNetworkPeeringStateDisconnected {
			return badRequest("RemotePeeringIsDisconnected",
				"Cannot create or update peering %s because remote peering %s referencing parent virtual network is in Disconnected state. Update or re-create the remote peering to get it back to Initiated state. Peering gets Disconnected when remote vnet or remote peering is deleted and re-created.", id, str(rev.ID))
		}
	}
	if props.UseRemoteGateways != nil && *props.UseRemoteGateways {
		return st.checkRemoteGateways(local, name, id, remote, rev)
	}
	return nil
}

// checkRemoteChange rejects pointing an existing peering at another VNet
// and a second peering to the same remote VNet.
func checkRemoteChange(local *armnetwork.VirtualNetwork, name, id string, rkey estate.Key) *armError {
	if existing := findInline(local, name); existing != nil {
		if remoteKeyOf(existing) != rkey {
			return badRequest("ChangingRemoteVirtualNetworkNotAllowed",
				"Changing the remote virtual network of peering %s is not allowed. Delete the peering and create it again.", id)
		}
		return nil
	}
	for _, q := range inlinePeerings(local) {
		if remoteKeyOf(q) == rkey {
			return badRequest("AnotherPeeringAlreadyReferencesRemoteVnet",
				"Peering %s already references remote virtual network. Cannot add another peering referencing the same remote virtual network.", str(q.ID))
		}
	}
	return nil
}

// checkOverlap rejects peering VNets whose address spaces overlap, and
// peering local with a VNet already peered with a third one local overlaps.
func (st *store) checkOverlap(local, remote *armnetwork.VirtualNetwork, id string) *armError {
	lp := prefixesOf(spaceOf(local))
	if ov := overlapping(lp, prefixesOf(spaceOf(remote))); len(ov) > 0 {
		return badRequest("VnetAddressSpacesOverlap",
			"Cannot create or update peering %s. Virtual networks %s and %s cannot be peered because their address spaces overlap. Overlapping address prefixes: %s",
			id, *local.ID, *remote.ID, strings.Join(ov, ", "))
	}
	lkey := estate.KeyOf(*local.ID)
	for _, q := range inlinePeerings(remote) {
		third := st.vnets[remoteKeyOf(q)]
		if third == nil || estate.KeyOf(*third.ID) == lkey {
			continue
		}
		if ov := overlapping(lp, prefixesOf(spaceOf(third))); len(ov) > 0 {
			return badRequest("VnetAddressSpaceOverlapsWithAlreadyPeeredVnet",
				"Cannot create or update peering %s. Virtual networks cannot be peered because address space of the first virtual network %s overlaps with address space of third virtual network %s already peered with the second virtual network %s. Overlapping address prefixes: %s",
				id, *local.ID, *third.ID, *remote.ID, strings.Join(ov, ", "))
		}
	}
	return nil
}

// checkRemoteGateways enforces the gateway transit rules for
// useRemoteGateways: the local VNet has no gateway of its own, no other
// peering of it uses remote gateways, the remote VNet has a gateway and
// the remote half (when it exists) allows gateway transit.
func (st *store) checkRemoteGateways(local *armnetwork.VirtualNetwork, name, id string, remote *armnetwork.VirtualNetwork, rev *armnetwork.VirtualNetworkPeering) *armError {
	if len(st.gatewaysIn(estate.KeyOf(*local.ID))) > 0 {
		return badRequest("VnetAlreadyHasGateway",
			"Peering %s cannot have UseRemoteGateways flag set to true because virtual network %s already has a gateway.", id, *local.ID)
	}
	for _, q := range inlinePeerings(local) {
		if !strings.EqualFold(str(q.Name), name) && q.Properties != nil && boolOf(q.Properties.UseRemoteGateways) {
			return badRequest("AnotherPeeringAlreadyUsesRemoteGateways",
				"Peering %s cannot have UseRemoteGateways flag set to true because peering %s of the same virtual network already uses remote gateways.", id, str(q.ID))
		}
	}
	if remote == nil {
		return nil
	}
	if len(st.gatewaysIn(estate.KeyOf(*remote.ID))) == 0 {
		return badRequest("RemoteVnetHasNoGateways",
			"Peering %s cannot have UseRemoteGateway flag set to true because remote virtual network %s referenced by the peering does not have any gateways.", id, *remote.ID)
	}
	if rev != nil && (rev.Properties == nil || !boolOf(rev.Properties.AllowGatewayTransit)) {
		return badRequest("RemotePeeringDoesNotHaveGatewayTransit",
			"Peering %s cannot have UseRemoteGateways flag set to true because remote peering %s does not allow gateway transit.", id, str(rev.ID))
	}
	return nil
}

// applyPeering creates or updates a validated peering on local with
// provisioningState Updating and moves both halves through the state
// machine: Initiated until the remote half exists, then both Connected;
// with sync, both halves take the current address spaces and become
// FullyInSync. It returns the stored peering.
func (st *store) applyPeering(local *armnetwork.VirtualNetwork, name string, body *armnetwork.VirtualNetworkPeering, sync bool) *armnetwork.VirtualNetworkPeering {
	existing := findInline(local, name)
	p := newPeering(local, name, body, existing)
	lkey := estate.KeyOf(*local.ID)
	pp := p.Properties
	remote := st.vnets[remoteKeyOf(p)]
	pp.PeeringState = ptr(armnetwork.VirtualNetworkPeeringStateInitiated)
	if remote != nil {
		pp.RemoteVirtualNetworkAddressSpace = clone(spaceOf(remote))
		pp.RemoteVirtualNetworkEncryption = encryptionOf(remote)
		if pp.RemoteAddressSpace == nil || sync {
			pp.RemoteAddressSpace = clone(spaceOf(remote))
		}
		if rev := reverseOf(remote, lkey); rev != nil {
			pp.PeeringState = ptr(armnetwork.VirtualNetworkPeeringStateConnected)
			connectReverse(rev, local, sync)
		}
	}
	if sync {
		pp.PeeringSyncLevel = ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync)
	}
	setInlinePeering(local, p)
	return p
}

// newPeering builds the stored form of a peering PUT: the settable fields
// from the body (omitted flags stored as false), the computed ones kept
// from the existing peering (ARM ignores them in a request).
func newPeering(local *armnetwork.VirtualNetwork, name string, body, existing *armnetwork.VirtualNetworkPeering) *armnetwork.VirtualNetworkPeering {
	b := body.Properties
	pp := &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		AllowVirtualNetworkAccess: ptr(boolOf(b.AllowVirtualNetworkAccess)),
		AllowForwardedTraffic:     ptr(boolOf(b.AllowForwardedTraffic)),
		AllowGatewayTransit:       ptr(boolOf(b.AllowGatewayTransit)),
		UseRemoteGateways:         ptr(boolOf(b.UseRemoteGateways)),
		DoNotVerifyRemoteGateways: ptr(boolOf(b.DoNotVerifyRemoteGateways)),
		EnableOnlyIPv6Peering:     ptr(boolOf(b.EnableOnlyIPv6Peering)),
		PeerCompleteVnets:         ptr(b.PeerCompleteVnets == nil || *b.PeerCompleteVnets),
		LocalSubnetNames:          b.LocalSubnetNames,
		RemoteSubnetNames:         b.RemoteSubnetNames,
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: ptr(*b.RemoteVirtualNetwork.ID)},
		ProvisioningState:         ptr(armnetwork.ProvisioningStateUpdating),
		PeeringSyncLevel:          ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync),
		ResourceGUID:              ptr(newID()),
	}
	id := *local.ID + "/virtualNetworkPeerings/" + name
	if existing != nil {
		id = str(existing.ID)
		if e := existing.Properties; e != nil {
			if e.RemoteVirtualNetwork != nil && e.RemoteVirtualNetwork.ID != nil {
				pp.RemoteVirtualNetwork.ID = e.RemoteVirtualNetwork.ID
			}
			pp.RemoteAddressSpace = clone(e.RemoteAddressSpace)
			pp.RemoteVirtualNetworkAddressSpace = clone(e.RemoteVirtualNetworkAddressSpace)
			pp.PeeringSyncLevel = e.PeeringSyncLevel
			pp.ResourceGUID = e.ResourceGUID
		}
	}
	return &armnetwork.VirtualNetworkPeering{
		ID: ptr(id), Name: ptr(estate.LastSegment(id)), Type: ptr(estate.TypePeering),
		Etag: ptr(newEtag()), Properties: pp,
	}
}

// connectReverse updates the remote half when its peer is (re)written:
// it becomes Connected and learns local's current address space; a sync
// also refreshes what it peers and brings it back to FullyInSync. These
// side effects raise no event, as in ARM.
func connectReverse(rev *armnetwork.VirtualNetworkPeering, local *armnetwork.VirtualNetwork, sync bool) {
	if rev.Properties == nil {
		rev.Properties = &armnetwork.VirtualNetworkPeeringPropertiesFormat{}
	}
	rp := rev.Properties
	rp.PeeringState = ptr(armnetwork.VirtualNetworkPeeringStateConnected)
	rp.RemoteVirtualNetworkAddressSpace = clone(spaceOf(local))
	if rp.RemoteAddressSpace == nil || sync {
		rp.RemoteAddressSpace = clone(spaceOf(local))
	}
	if sync {
		rp.PeeringSyncLevel = ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync)
	}
}

// removePeering deletes a peering; the remote half becomes Disconnected.
func (st *store) removePeering(vkey, pkey estate.Key) {
	v := st.vnets[vkey]
	if v == nil {
		return
	}
	kept := inlinePeerings(v)[:0]
	var gone *armnetwork.VirtualNetworkPeering
	for _, q := range inlinePeerings(v) {
		if estate.KeyOf(str(q.ID)) == pkey {
			gone = q
			continue
		}
		kept = append(kept, q)
	}
	v.Properties.VirtualNetworkPeerings = kept
	if gone == nil {
		return
	}
	if rev := reverseOf(st.vnets[remoteKeyOf(gone)], vkey); rev != nil && rev.Properties != nil {
		rev.Properties.PeeringState = ptr(armnetwork.VirtualNetworkPeeringStateDisconnected)
	}
}

// peering returns a stored peering by key, or nil.
func (st *store) peering(pkey estate.Key) *armnetwork.VirtualNetworkPeering {
	v := st.vnets[estate.KeyOf(estate.ParentVNetID(string(pkey)))]
	for _, q := range inlinePeerings(v) {
		if estate.KeyOf(str(q.ID)) == pkey {
			return q
		}
	}
	return nil
}

func inlinePeerings(v *armnetwork.VirtualNetwork) []*armnetwork.VirtualNetworkPeering {
	if v == nil || v.Properties == nil {
		return nil
	}
	return v.Properties.VirtualNetworkPeerings
}

// findInline returns the peering of v with the given name, or nil.
func findInline(v *armnetwork.VirtualNetwork, name string) *armnetwork.VirtualNetworkPeering {
	for _, q := range inlinePeerings(v) {
		if strings.EqualFold(str(q.Name), name) || (q.Name == nil && strings.EqualFold(estate.LastSegment(str(q.ID)), name)) {
			return q
		}
	}
	return nil
}

// setInlinePeering replaces the peering of v with p's key, or appends p.
func setInlinePeering(v *armnetwork.VirtualNetwork, p *armnetwork.VirtualNetworkPeering) {
	if v.Properties == nil {
		v.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
	}
	key := estate.KeyOf(*p.ID)
	for i, q := range v.Properties.VirtualNetworkPeerings {
		if estate.KeyOf(str(q.ID)) == key {
			v.Properties.VirtualNetworkPeerings[i] = p
			return
		}
	}
	v.Properties.VirtualNetworkPeerings = append(v.Properties.VirtualNetworkPeerings, p)
}

// reverseOf returns the peering of remote that points back to local, or nil.
func reverseOf(remote *armnetwork.VirtualNetwork, local estate.Key) *armnetwork.VirtualNetworkPeering {
	for _, q := range inlinePeerings(remote) {
		if remoteKeyOf(q) == local {
			return q
		}
	}
	return nil
}

func stateOf(p *armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringState {
	if p.Properties == nil || p.Properties.PeeringState == nil {
		return ""
	}
	return *p.Properties.PeeringState
}

func peeringRoute(r *http.Request) (estate.Key, string) {
	return estate.KeyOf(routeVNetID(r)), r.PathValue("name")
}

func routeVNetID(r *http.Request) string {
	return resourceID(r.PathValue("sub"), r.PathValue("rg"), estate.TypeVNet, r.PathValue("vnet"))
}

func boolOf(b *bool) bool { return b != nil && *b }

func createdOr(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

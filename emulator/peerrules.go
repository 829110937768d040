package emulator

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// The peering state machine: what a peering PUT is checked against
// (validatePeering) and what it changes on both halves (applyPeering,
// removePeering). docs/EMULATOR.md cites the Azure documentation behind
// each rule.

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
